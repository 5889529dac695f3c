/**
 * The site's users (docs/jira-cloud.md §3): the two fixed accounts the page tests log in with, plus
 * 50+ generated people covering what breaks exporters: inactive accounts, hidden e-mail addresses,
 * an app account, a GDPR-deleted "Former user", non-UTC time zones and awkward display names.
 */
import type { UserRecord } from "../model.js"
import { RESTRICTED_PROJECT } from "./catalogue.js"
import { Rng } from "./prng.js"

export const ADMIN_ACCOUNT_ID = "5b10a2844c20165700ede21g"
export const RESTRICTED_ACCOUNT_ID = "5b10ac8d82e05b22cc7d4ef5"
export const API_TOKEN = "emulator-token"

const FIRST = [
  "Grace",
  "Linus",
  "Margaret",
  "Alan",
  "Barbara",
  "Dennis",
  "Frances",
  "Ken",
  "Radia",
  "Edsger",
  "José",
  "Zoë",
  "Søren",
  "Aiko",
  "Priya",
  "Chidi",
  "Olga",
  "Mateo",
  "Fatima",
  "Wei",
]
const LAST = [
  "Hopper",
  "Torvalds",
  "Hamilton",
  "Turing",
  "Liskov",
  "Ritchie",
  "Allen",
  "Thompson",
  "Perlman",
  "Dijkstra",
  "Núñez",
  "O'Brien",
  "Kierkegaard",
  "Tanaka",
  "Iyer",
  "Okafor",
  "Ivanova",
  "García",
]
/** Display names that are hostile to CSV and spreadsheets; a few people are called that. */
const ODD_NAMES = [
  "=cmd|' /C calc'!A0",
  'Smith, John "JJ"',
  "李雷",
  "محمد علي",
  "ＦＵＬＬ　ＷＩＤＴＨ",
  "Tab\tName",
]
const TIME_ZONES = [
  "Asia/Kolkata",
  "America/Los_Angeles",
  "Europe/Berlin",
  "Asia/Kathmandu",
  "America/St_Johns",
  "Australia/Adelaide",
  "UTC",
  "Asia/Tokyo",
  "Pacific/Chatham",
]
const LOCALES = ["en_US", "de_DE", "ja_JP", "fr_FR", "en_GB"]

const avatarUrls = (seed: string) => {
  const base = `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${seed}`
  return { "48x48": `${base}/48`, "24x24": `${base}/24`, "16x16": `${base}/16`, "32x32": `${base}/32` }
}

interface Person {
  readonly accountId: string
  readonly accountType: "atlassian" | "app"
  readonly displayName: string
  readonly email: string | null
  readonly showEmail: boolean
  readonly active: boolean
  readonly timeZone: string
  readonly locale: string | null
  readonly hidden: ReadonlyArray<string>
  readonly deleted?: boolean
}

const toRecord = (baseUrl: string, p: Person): UserRecord => {
  const json: Record<string, unknown> = {
    self: `${baseUrl}/rest/api/3/user?accountId=${p.accountId}`,
    accountId: p.accountId,
    accountType: p.accountType,
  }
  if (p.showEmail && p.email !== null) json.emailAddress = p.email
  if (p.deleted) json.emailAddress = ""
  json.avatarUrls = avatarUrls(p.accountId)
  json.displayName = p.displayName
  json.active = p.active
  json.timeZone = p.timeZone
  if (p.locale !== null) json.locale = p.locale
  return {
    json,
    accountId: p.accountId,
    // Inactive, app and deleted accounts cannot log in.
    loginEmail: p.active && p.accountType === "atlassian" && !p.deleted ? p.email : null,
    displayName: p.displayName,
    hiddenProjects: new Set(p.hidden),
  }
}

/** The users of a data set, deterministic from the seed; the first two are admin and restricted. */
export const createUsers = (seed: number, baseUrl: string): ReadonlyArray<UserRecord> => {
  const people: Array<Person> = [
    {
      accountId: ADMIN_ACCOUNT_ID,
      accountType: "atlassian",
      displayName: "Ada Admin",
      email: "admin@example.test",
      showEmail: true,
      active: true,
      timeZone: "Europe/Berlin",
      locale: "en_US",
      hidden: [],
    },
    {
      accountId: RESTRICTED_ACCOUNT_ID,
      accountType: "atlassian",
      displayName: "Rita Restricted",
      email: "restricted@example.test",
      showEmail: true,
      active: true,
      timeZone: "Asia/Kolkata",
      locale: "en_GB",
      hidden: [RESTRICTED_PROJECT],
    },
  ]
  const rng = Rng.of(seed, 0, 0x05e7)
  const used = new Set<string>()
  for (let k = 0; k < 54; k++) {
    const odd = k % 9 === 4 ? ODD_NAMES[(k / 9) | 0] : undefined
    let first = rng.pick(FIRST)
    let last = rng.pick(LAST)
    while (used.has(`${first} ${last}`)) {
      first = rng.pick(FIRST)
      last = rng.pick(LAST)
    }
    used.add(`${first} ${last}`)
    const local = `${first}.${last}`
      .normalize("NFD")
      .replace(/[^A-Za-z.]/g, "")
      .toLowerCase()
    const accountId =
      k % 2 === 0
        ? `5b10${rng.hex(20)}`
        : `712020:${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`
    people.push({
      accountId,
      accountType: "atlassian",
      displayName: odd ?? `${first} ${last}`,
      email: `${local}${k}@example.test`,
      // Every fifth person hides their e-mail address (profile visibility): no emailAddress key.
      showEmail: k % 5 !== 2,
      active: k % 7 !== 3,
      timeZone: TIME_ZONES[k % TIME_ZONES.length] ?? "UTC",
      locale: k % 11 === 6 ? null : (LOCALES[k % LOCALES.length] ?? "en_US"),
      hidden: k % 4 === 1 ? [RESTRICTED_PROJECT] : [],
    })
  }
  people.push({
    accountId: `557058:${Rng.of(seed, 1, 0x0a99).hex(8)}-automation-app`,
    accountType: "app",
    displayName: "Automation for Jira",
    email: null,
    showEmail: false,
    active: true,
    timeZone: "UTC",
    locale: "en_US",
    hidden: [],
  })
  people.push({
    accountId: `5b10${Rng.of(seed, 2, 0x0de1).hex(20)}`,
    accountType: "atlassian",
    displayName: "Former user",
    email: null,
    showEmail: false,
    active: false,
    timeZone: "UTC",
    locale: null,
    hidden: [],
    deleted: true,
  })
  return people.map((p) => toRecord(baseUrl, p))
}
