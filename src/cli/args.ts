/**
 * Command-line arguments: node:util `parseArgs` for the syntax, Schema for the values, each problem
 * one sentence (exit code 2). Credentials may come from the environment so they stay out of shell
 * history: JIRA_SITE, JIRA_EMAIL, JIRA_API_TOKEN.
 */
import { parseArgs } from "node:util"
import { Either, ParseResult, Schema } from "effect"
import { Delimiter, MAX_COLUMNS, MAX_JQL_LENGTH, Preset, Strategy } from "../contract.js"

export const USAGE = `Usage: npm run export -- --jql "project = ABC ORDER BY key" [options]

  --site URL          Jira site, e.g. https://your-site.atlassian.net   (or JIRA_SITE)
  --email E           Atlassian account email                           (or JIRA_EMAIL)
  --token T           API token                                         (or JIRA_API_TOKEN)
  --jql Q             the JQL query (bounded, as Jira requires)
  --columns LIST      comma-separated field ids or names (default: the app's default columns)
  --preset P          spreadsheet | data
  --delimiter D       , ; tab |
  --strategy S        auto | thrifty | fast
  --out FILE          write the CSV to FILE (default: standard output)
  --resume FILE       continue an interrupted export from its saved cursor file
  --cursor-file FILE  where to save the cursor on failure (default: FILE.cursor beside --out,
                      else ./liquitim-export.cursor)
  --no-wait           when Jira's points quota is spent, stop (exit 1, cursor saved) instead of
                      waiting for the reset and continuing
  --quiet             no progress bar
  --stats             print one JSON line of figures on standard error at the end
  --help              this text

Exit codes: 0 done, 2 bad input, 1 failure (the cursor is saved for --resume).`

const Url = Schema.String.pipe(
  Schema.pattern(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message: () => "--site must be a URL such as https://your-site.atlassian.net",
  }),
)

export const CliArgs = Schema.Struct({
  site: Url,
  email: Schema.String.pipe(Schema.minLength(1, { message: () => "--email is empty" })),
  token: Schema.String.pipe(Schema.minLength(1, { message: () => "--token is empty" })),
  jql: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(MAX_JQL_LENGTH))),
  columns: Schema.optional(
    Schema.Array(Schema.String.pipe(Schema.minLength(1))).pipe(Schema.maxItems(MAX_COLUMNS)),
  ),
  preset: Schema.optional(Preset),
  delimiter: Schema.optional(Delimiter),
  strategy: Schema.optional(Strategy),
  out: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  resume: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  cursorFile: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  quiet: Schema.Boolean,
  stats: Schema.Boolean,
  noWait: Schema.optional(Schema.Boolean),
})
export type CliArgs = typeof CliArgs.Type

export type Parsed = { readonly _tag: "Help" } | { readonly _tag: "Run"; readonly args: CliArgs }

const splitColumns = (text: string) =>
  text
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "")

/** Parses argv (without node and script) and the environment; Left is one sentence for the user. */
export const parseCli = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>,
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
          delimiter: { type: "string" },
          strategy: { type: "string" },
          out: { type: "string" },
          resume: { type: "string" },
          "cursor-file": { type: "string" },
          "no-wait": { type: "boolean", default: false },
          quiet: { type: "boolean", default: false },
          stats: { type: "boolean", default: false },
          help: { type: "boolean", default: false },
        },
      }),
    catch: (error) => (error instanceof Error ? error.message : String(error)),
  })
  if (Either.isLeft(parsed)) return Either.left(parsed.left)
  const v = parsed.right.values
  if (v.help) return Either.right({ _tag: "Help" })
  const site = v.site ?? env.JIRA_SITE
  const email = v.email ?? env.JIRA_EMAIL
  const token = v.token ?? env.JIRA_API_TOKEN
  if (site === undefined) return Either.left("Say which Jira site to read with --site or JIRA_SITE.")
  if (email === undefined) return Either.left("Give your Atlassian account email with --email or JIRA_EMAIL.")
  if (token === undefined) return Either.left("Give an API token with --token or JIRA_API_TOKEN.")
  if (v.jql === undefined && v.resume === undefined)
    return Either.left("Give the issues to export with --jql, or --resume a saved cursor file.")
  const input = {
    site,
    email,
    token,
    ...(v.jql === undefined ? {} : { jql: v.jql }),
    ...(v.columns === undefined ? {} : { columns: splitColumns(v.columns) }),
    ...(v.preset === undefined ? {} : { preset: v.preset }),
    ...(v.delimiter === undefined ? {} : { delimiter: v.delimiter === "tab" ? "\t" : v.delimiter }),
    ...(v.strategy === undefined ? {} : { strategy: v.strategy }),
    ...(v.out === undefined ? {} : { out: v.out }),
    ...(v.resume === undefined ? {} : { resume: v.resume }),
    ...(v["cursor-file"] === undefined ? {} : { cursorFile: v["cursor-file"] }),
    quiet: v.quiet,
    stats: v.stats,
    ...(v["no-wait"] ? { noWait: true } : {}),
  }
  const decoded = Schema.decodeUnknownEither(CliArgs)(input)
  if (Either.isLeft(decoded)) {
    const [first] = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
    const where = first?.path.length
      ? `--${String(first.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `
      : ""
    return Either.left(`${where}${first?.message ?? "the arguments are not valid"}.`)
  }
  return Either.right({ _tag: "Run", args: decoded.right })
}
