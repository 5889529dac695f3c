/**
 * Text and ADF (Atlassian Document Format, docs/jira-cloud.md §7) generation: plain summaries from word
 * pools, values that break exporters (formula prefixes, control characters, quotes, bidi and
 * full-width text, 32,767+ character cells), and rich ADF documents with mentions, lists, tables,
 * code blocks, links, emoji, status and date nodes.
 */
import type { Rng } from "./prng.js"

const VERBS = [
  "Fix",
  "Add",
  "Refactor",
  "Investigate",
  "Remove",
  "Improve",
  "Document",
  "Migrate",
  "Test",
  "Optimise",
]
const NOUNS = [
  "login",
  "export",
  "dashboard",
  "search",
  "billing",
  "cache",
  "webhook",
  "permissions",
  "importer",
  "timeline",
  "notifications",
  "report",
  "sync",
  "pipeline",
  "avatar",
  "sprint board",
]
const PLACES = [
  "in Safari",
  "for admins",
  "on mobile",
  "after upgrade",
  "under load",
  "in the API",
  "for guests",
  "",
]
export const WORDS = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "latency",
  "timeout",
  "memory",
  "customer",
  "regression",
  "database",
  "rollback",
  "feature",
  "flag",
  "release",
  "incident",
  "deploy",
]

/** Values that break naive CSV writers and spreadsheets (OWASP CSV injection, RFC 4180 quoting). */
export const HOSTILE_TEXTS: ReadonlyArray<string> = [
  "=1+2",
  "+SUM(A1:A9)",
  "-2+3 minus leads",
  "@SUM(1,1) at leads",
  '=HYPERLINK("http://evil.test","click me")',
  "tab\tseparated\tvalue",
  'she said "hello", then left',
  "comma, separated, value",
  "first line\r\nsecond line",
  "bare\rcarriage return",
  "line feed\nonly",
  "emoji 🚀🔥 and flag 🇩🇪",
  "עברית RTL text שלום",
  "مرحبا بالعالم",
  "ＦＵＬＬ－ＷＩＤＴＨ　ｔｅｘｔ",
  "  leading and trailing spaces  ",
  "semi;colon;separated",
  "zero\u200bwidth joiner",
  "back\\slash \\n not a newline",
  "'single quoted'",
]

/** A single paragraph of more than 32,767 characters (Excel's per-cell limit), built once. */
export const LONG_TEXT: string = (() => {
  const sentence = "This sentence repeats until the cell is longer than a spreadsheet allows. "
  return `${sentence.repeat(Math.ceil(40_000 / sentence.length))}END`
})()

export const summaryText = (rng: Rng): string => {
  const place = rng.pick(PLACES)
  const extra = rng.chance(0.5) ? ` ${rng.pick(WORDS)}` : ""
  return `${rng.pick(VERBS)} ${rng.pick(NOUNS)}${place === "" ? "" : ` ${place}`}${extra}`
}

export const sentence = (rng: Rng, words: number): string => {
  const out: Array<string> = []
  for (let i = 0; i < words; i++) out.push(rng.pick(WORDS))
  const s = out.join(" ")
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`
}

export type Adf = Record<string, unknown>

const text = (value: string, marks?: ReadonlyArray<Adf>): Adf =>
  marks === undefined ? { type: "text", text: value } : { type: "text", text: value, marks }
const paragraph = (...content: Array<Adf>): Adf => ({ type: "paragraph", content })
export const adfDoc = (content: ReadonlyArray<Adf>): Adf => ({ type: "doc", version: 1, content })
export const adfText = (value: string): Adf => adfDoc([paragraph(text(value))])

// Fixed blocks are shared between documents: consumers only read them, and sharing spares the
// garbage collector when tens of thousands of issues are generated per second.
const ORDERED_LIST: Adf = {
  type: "orderedList",
  attrs: { order: 1 },
  content: ["first", "second"].map((w) => ({ type: "listItem", content: [paragraph(text(w))] })),
}
const CODE_BLOCK: Adf = {
  type: "codeBlock",
  attrs: { language: "typescript" },
  content: [text('const csv = "a,b"\nconsole.log(csv)')],
}
const TABLE_HEADER: Adf = {
  type: "tableRow",
  content: ["Key", "Value"].map((h) => ({ type: "tableHeader", content: [paragraph(text(h))] })),
}

const LINK_STATUS_DATE: Adf = paragraph(
  text("See "),
  text("the docs", [{ type: "link", attrs: { href: "https://example.test/docs?a=1&b=2" } }]),
  text(" — status "),
  { type: "status", attrs: { text: "IN REVIEW", color: "blue", localId: "s1", style: "" } },
  text(" due "),
  { type: "date", attrs: { timestamp: String(Date.UTC(2026, 6, 17)) } },
  { type: "hardBreak" },
  { type: "emoji", attrs: { shortName: ":rocket:" } },
)

export interface Mentionable {
  readonly accountId: string
  readonly displayName: string
}

/**
 * Someone mentioned before their account was deleted: Jira's `/user/bulk` no longer returns it (nor
 * any user with it), so only the name the mention stores says who it was.
 */
export const DEPARTED: Mentionable = {
  accountId: "557058:0d3ba7ed-0000-4000-8000-00000000dead",
  displayName: "Departed Colleague",
}

const mention = (rng: Rng, user: Mentionable): Adf =>
  // Some mentions carry no `text`: the exporter must resolve the accountId itself (never for a
  // departed account, whose mentions Jira stored with their text).
  rng.chance(0.3) && user !== DEPARTED
    ? { type: "mention", attrs: { id: user.accountId, accessLevel: "" } }
    : { type: "mention", attrs: { id: user.accountId, text: `@${user.displayName}`, accessLevel: "" } }

/** Who a document mentions: the site's people, and now and then someone whose account is gone. */
const mentioned = (rng: Rng, people: ReadonlyArray<Mentionable>): Mentionable =>
  rng.chance(0.08) ? DEPARTED : rng.pick(people)

/** A rich description: which block kinds appear depends on the issue's own random stream. */
export const richDoc = (rng: Rng, people: ReadonlyArray<Mentionable>, hostile: string | undefined): Adf => {
  const blocks: Array<Adf> = [paragraph(text(sentence(rng, rng.range(4, 12))))]
  if (hostile !== undefined) blocks.push(paragraph(text(hostile)))
  if (rng.chance(0.5))
    blocks.push(
      paragraph(
        text("Ping "),
        mention(rng, mentioned(rng, people)),
        text(" and "),
        mention(rng, mentioned(rng, people)),
        text(" please "),
        { type: "emoji", attrs: { shortName: ":thumbsup:", id: "1f44d", text: "👍" } },
      ),
    )
  if (rng.chance(0.35))
    blocks.push({
      type: "bulletList",
      content: [rng.pick(WORDS), rng.pick(WORDS)].map((w) => ({
        type: "listItem",
        content: [paragraph(text(w))],
      })),
    })
  if (rng.chance(0.2)) blocks.push(ORDERED_LIST)
  if (rng.chance(0.2)) blocks.push(CODE_BLOCK)
  if (rng.chance(0.25)) blocks.push(LINK_STATUS_DATE)
  if (rng.chance(0.15))
    blocks.push({
      type: "table",
      attrs: { isNumberColumnEnabled: false, layout: "default" },
      content: [
        TABLE_HEADER,
        {
          type: "tableRow",
          content: [rng.pick(WORDS), "1,5"].map((c) => ({
            type: "tableCell",
            content: [paragraph(text(c))],
          })),
        },
      ],
    })
  return adfDoc(blocks)
}

/** Jira's duration text with 8-hour days and 5-day weeks, e.g. "1w 2d 3h 30m". */
export const durationText = (seconds: number): string => {
  let minutes = Math.round(seconds / 60)
  const parts: Array<string> = []
  const units: ReadonlyArray<[string, number]> = [
    ["w", 5 * 8 * 60],
    ["d", 8 * 60],
    ["h", 60],
    ["m", 1],
  ]
  for (const [unit, size] of units) {
    if (minutes >= size) {
      parts.push(`${Math.floor(minutes / size)}${unit}`)
      minutes %= size
    }
  }
  return parts.length === 0 ? "0m" : parts.join(" ")
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`)

/** Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), without allocating a Date. */
const civil = (days: number): [number, number, number] => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

/** Jira's REST datetime: milliseconds and a `±hhmm` offset, e.g. "2026-03-14T09:26:53.589+0530". */
export const formatDateTime = (ms: number, offsetMinutes: number): string => {
  const local = ms + offsetMinutes * 60_000
  const days = Math.floor(local / 86_400_000)
  const [y, mo, d] = civil(days)
  let rest = local - days * 86_400_000
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const mi = Math.floor(rest / 60_000)
  rest -= mi * 60_000
  const sec = Math.floor(rest / 1000)
  const milli = rest - sec * 1000
  const abs = Math.abs(offsetMinutes)
  const sign = offsetMinutes < 0 ? "-" : "+"
  return `${y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${pad3(milli)}${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
}

/** A calendar date "2026-07-17" from a UTC-midnight timestamp. */
export const formatDate = (ms: number): string => {
  const [y, mo, d] = civil(Math.floor(ms / 86_400_000))
  return `${y}-${pad2(mo)}-${pad2(d)}`
}
