/**
 * Command-line arguments: node:util `parseArgs` for the syntax, Schema for the values, each problem
 * one sentence (exit code 2). Credentials may come from the environment so they stay out of shell
 * history: JIRA_SITE, JIRA_EMAIL, JIRA_API_TOKEN.
 *
 * File paths are made absolute against the directory the user ran the command in: `npm run` starts
 * scripts in the project root and says where the user was in INIT_CWD.
 */
import * as path from "node:path"
import { parseArgs } from "node:util"
import { Either, ParseResult, Schema } from "effect"
import { isSiteUrl, siteBase } from "../contract/constants.js"
import {
  Columns,
  Delimiter,
  FileFormat,
  type HistoryMode,
  Jql,
  MAX_HISTORY_FIELDS,
  MAX_VALUE_COLUMNS,
  Preset,
  Strategy,
} from "../contract.js"

export const USAGE = `Usage: npm run export -- --jql "project = ABC ORDER BY key" [options]

Credentials come best from the environment: npm prints the whole command line of a script, so a
--token given there lands in terminals and CI logs (and in the shell's history).
  export JIRA_SITE=https://your-site.atlassian.net JIRA_EMAIL=you@example.com
  export JIRA_API_TOKEN=...   # https://id.atlassian.com/manage-profile/security/api-tokens

  --site URL          Jira site, e.g. https://your-site.atlassian.net   (or JIRA_SITE)
  --email E           Atlassian account email                           (or JIRA_EMAIL)
  --token T           API token; prefer JIRA_API_TOKEN (see above)
  --list-columns      print the columns you can export (id, name, type) and exit
  --jql Q             the JQL query (bounded, as Jira requires)
  --columns LIST      comma-separated field ids or names (default: the app's default columns);
                      also timeInStatus, leadTime, cycleTime, statusChanges, lastStatusChange
  --preset P          spreadsheet | data | jira-import (a file for Jira's CSV importer)
  --value-columns N   jira-import: columns per multi-value field (default 20)
  --delimiter D       , ; tab |
  --strategy S        auto | thrifty | fast
  --history           one row per changed item: Issue key, Date, Author, Field, From, To
  --history-fields L  with --history: only changes of these field ids, e.g. status,assignee (at most 10)
  --format F          csv | xlsx (an Excel workbook with typed cells; needs --out); an --out
                      ending in .xlsx chooses xlsx
  --out FILE          write the CSV to FILE (default: standard output); it is written as
                      FILE.partial and renamed when the export is complete (a workbook's rows
                      are kept in FILE.partial and zipped into FILE at the end)
  --force             replace FILE if it exists (otherwise an existing FILE is refused)
  --resume FILE       continue an interrupted export from its saved cursor file, into the
                      same file, with the same query, columns and options (and the same
                      site: --site may be left out)
  --cursor-file FILE  where to save the cursor on failure (default: FILE.cursor beside --out,
                      else ./liquitim-export.cursor)
  --timeout S         give up on a request Jira has not answered in S seconds (default 30;
                      it is tried again a few times)
  --no-wait           when Jira's points quota is spent, stop (exit 1, cursor saved) instead of
                      waiting for the reset and continuing
  --quiet             no progress bar and no notices (waiting, or thrifty reading one page at a time)
  --stats             print one JSON line of figures on standard error at the end
  --help              this text

Exit codes: 0 done, 2 bad input, 1 failure (the cursor is saved for --resume).`

const Url = Schema.String.pipe(
  Schema.filter(isSiteUrl, { message: () => "--site must be a URL such as https://your-site.atlassian.net" }),
)

export const CliArgs = Schema.Struct({
  site: Url,
  email: Schema.String.pipe(Schema.minLength(1, { message: () => "--email is empty" })),
  token: Schema.String.pipe(Schema.minLength(1, { message: () => "--token is empty" })),
  // The contract's bounds, as the page's payloads have them (src/contract/options.ts).
  jql: Schema.optional(Jql.pipe(Schema.minLength(1))),
  columns: Schema.optional(Columns),
  preset: Schema.optional(Preset),
  valueColumns: Schema.optional(
    Schema.NumberFromString.pipe(
      Schema.int({ message: () => `expected a whole number from 1 to ${MAX_VALUE_COLUMNS}` }),
      Schema.between(1, MAX_VALUE_COLUMNS, {
        message: () => `expected a whole number from 1 to ${MAX_VALUE_COLUMNS}`,
      }),
    ),
  ),
  delimiter: Schema.optional(Delimiter),
  strategy: Schema.optional(Strategy),
  format: Schema.optional(FileFormat),
  history: Schema.Boolean,
  historyFields: Schema.optional(
    Schema.Array(Schema.String.pipe(Schema.minLength(1))).pipe(
      Schema.maxItems(MAX_HISTORY_FIELDS, { message: () => `at most ${MAX_HISTORY_FIELDS} field ids` }),
    ),
  ),
  out: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  /** Absolute. */
  resume: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  /** Absolute; the default is filled in. */
  cursorFile: Schema.String.pipe(Schema.minLength(1)),
  force: Schema.Boolean,
  timeoutSeconds: Schema.Number.pipe(
    Schema.between(1, 3600, { message: () => "--timeout takes seconds, from 1 to 3600" }),
  ),
  quiet: Schema.Boolean,
  stats: Schema.Boolean,
  noWait: Schema.optional(Schema.Boolean),
  listColumns: Schema.optional(Schema.Boolean),
})
export type CliArgs = typeof CliArgs.Type

export type Parsed = { readonly _tag: "Help" } | { readonly _tag: "Run"; readonly args: CliArgs }

const splitColumns = (text: string) =>
  text
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "")

/** Default `--timeout`: Jira answers in a few seconds; a site silent this long is not coming back soon. */
export const DEFAULT_TIMEOUT_SECONDS = 30

/** What `--resume` takes from the cursor file; giving it again would be silently ignored. */
const FIXED_BY_RESUME = [
  "jql",
  "columns",
  "preset",
  "delimiter",
  "strategy",
  "history-fields",
  "format",
] as const

/**
 * Parses argv (without node and script) and the environment; Left is one sentence for the user.
 * Relative paths are resolved against INIT_CWD when npm set it, else against `cwd`.
 */
export const parseCli = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
  /** The site a cursor file records (for `--resume` without `--site`); undefined when unreadable. */
  siteOfCursor: (cursorFile: string) => string | undefined = () => undefined,
): Either.Either<Parsed, string> => {
  const parsed = Either.try({
    try: () =>
      parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          site: { type: "string" },
          email: { type: "string" },
          token: { type: "string" },
          jql: { type: "string" },
          columns: { type: "string" },
          preset: { type: "string" },
          "value-columns": { type: "string" },
          delimiter: { type: "string" },
          strategy: { type: "string" },
          format: { type: "string" },
          history: { type: "boolean", default: false },
          "history-fields": { type: "string" },
          out: { type: "string" },
          resume: { type: "string" },
          "cursor-file": { type: "string" },
          force: { type: "boolean", default: false },
          timeout: { type: "string" },
          "no-wait": { type: "boolean", default: false },
          quiet: { type: "boolean", default: false },
          stats: { type: "boolean", default: false },
          help: { type: "boolean", default: false },
          "list-columns": { type: "boolean", default: false },
        },
      }),
    catch: (error) => (error instanceof Error ? error.message : String(error)),
  })
  if (Either.isLeft(parsed)) return Either.left(parsed.left)
  const v = parsed.right.values
  if (v.help) return Either.right({ _tag: "Help" })
  const base = env.INIT_CWD !== undefined && env.INIT_CWD !== "" ? env.INIT_CWD : cwd
  const absolute = (file: string | undefined) =>
    file === undefined || file === "" ? file : path.resolve(base, file)
  const resume = absolute(v.resume)
  // A cursor records its site: `--resume FILE`, exactly as the Ctrl-C hint prints it, is enough. A
  // site given anyway (flag or JIRA_SITE) is checked against it, since the credentials go with it.
  const site = v.site ?? env.JIRA_SITE ?? (resume === undefined ? undefined : siteOfCursor(resume))
  const email = v.email ?? env.JIRA_EMAIL
  const token = v.token ?? env.JIRA_API_TOKEN
  if (site === undefined) return Either.left("Say which Jira site to read with --site or JIRA_SITE.")
  if (email === undefined) return Either.left("Give your Atlassian account email with --email or JIRA_EMAIL.")
  if (token === undefined) return Either.left("Give an API token with --token or JIRA_API_TOKEN.")
  if (v["history-fields"] !== undefined && !v.history)
    return Either.left("--history-fields goes with --history.")
  if (v.jql === undefined && v.resume === undefined && !v["list-columns"])
    return Either.left("Give the issues to export with --jql, or --resume a saved cursor file.")
  if (v.resume !== undefined) {
    const fixed = FIXED_BY_RESUME.find((name) => v[name] !== undefined) ?? (v.history ? "history" : undefined)
    if (fixed !== undefined)
      return Either.left(
        `--resume continues the saved export with its own query, columns and options; --${fixed} cannot change them (start a new export instead).`,
      )
  }
  const columns = v.columns === undefined ? undefined : splitColumns(v.columns)
  if (columns !== undefined && columns.length === 0)
    return Either.left(
      "--columns names no column; give field ids or names separated by commas, or leave it out for the default columns.",
    )
  const timeout = v.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(v.timeout.trim() || Number.NaN)
  const out = absolute(v.out)
  const format = formatOf(v.format, out, resume)
  if (Either.isLeft(format)) return Either.left(format.left)
  const cursorFile =
    absolute(v["cursor-file"]) ??
    resume ??
    (out === undefined ? path.resolve(base, "liquitim-export.cursor") : `${out}.cursor`)
  const input = {
    site: siteBase(site),
    email,
    token,
    ...(v.jql === undefined ? {} : { jql: v.jql }),
    ...(columns === undefined ? {} : { columns }),
    ...(v.preset === undefined ? {} : { preset: v.preset }),
    ...(v["value-columns"] === undefined ? {} : { valueColumns: v["value-columns"] }),
    ...(v.delimiter === undefined ? {} : { delimiter: v.delimiter === "tab" ? "\t" : v.delimiter }),
    ...(v.strategy === undefined ? {} : { strategy: v.strategy }),
    ...(format.right === undefined ? {} : { format: format.right }),
    history: v.history,
    ...(v["history-fields"] === undefined ? {} : { historyFields: splitColumns(v["history-fields"]) }),
    ...(out === undefined ? {} : { out }),
    ...(resume === undefined ? {} : { resume }),
    cursorFile,
    force: v.force,
    timeoutSeconds: timeout,
    quiet: v.quiet,
    stats: v.stats,
    ...(v["no-wait"] ? { noWait: true } : {}),
    ...(v["list-columns"] ? { listColumns: true } : {}),
  }
  const decoded = Schema.decodeUnknownEither(CliArgs)(input)
  if (Either.isLeft(decoded)) {
    const [first] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    const where =
      first?.path.length && !first.message.startsWith("--")
        ? `--${String(first.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `
        : ""
    return Either.left(`${where}${first?.message ?? "the arguments are not valid"}.`)
  }
  // Only Jira's importer layout has columns per value; elsewhere the number would be ignored silently.
  if (decoded.right.valueColumns !== undefined && decoded.right.preset !== "jira-import")
    return Either.left(
      "--value-columns goes with --preset jira-import (the other presets write a multi-value field in one cell).",
    )
  return Either.right({ _tag: "Run", args: decoded.right })
}

/**
 * The file format: `--format`, else xlsx for an `--out` ending in `.xlsx`. A workbook is zipped at
 * the end from the rows kept beside it, so it needs a file (a resumed one has its file already).
 */
const formatOf = (
  format: string | undefined,
  out: string | undefined,
  resume: string | undefined,
): Either.Either<string | undefined, string> => {
  const named = out?.toLowerCase().endsWith(".xlsx") === true
  if (format === "csv" && named)
    return Either.left(`--out ${out} names a workbook but --format is csv; give the file a .csv name.`)
  const chosen = format ?? (named ? "xlsx" : undefined)
  if (chosen === "xlsx" && out === undefined && resume === undefined)
    return Either.left("An Excel workbook is written to a file: add --out FILE.xlsx.")
  return Either.right(chosen)
}

/** The history mode the arguments ask for, as export options. */
export const historyOptionOf = (args: CliArgs): { readonly history?: HistoryMode } =>
  args.history ? { history: args.historyFields === undefined ? {} : { fields: args.historyFields } } : {}
