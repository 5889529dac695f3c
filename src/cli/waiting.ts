/**
 * Says what the exporter waits for when Jira is silent: a site that accepts connections and never
 * answers would otherwise leave the terminal quiet for minutes while requests time out and are tried
 * again. The program notes each step it takes and each chunk it writes; after NOTICE_AFTER_MS without
 * either, a line on standard error names the site, the step and the time so far.
 */
import { Clock, Effect, Ref, Schedule } from "effect"

/** Jira answers in well under this; longer silence is worth a word. */
export const NOTICE_AFTER_MS = 5_000
/** Then a reminder this often. */
const NOTICE_EVERY_MS = 15_000
const CHECK_EVERY_MS = 500

interface Activity {
  /** What the exporter waits for, as the end of "Waiting for Jira at SITE to …". */
  readonly waitingFor: string
  /** Since when nothing new has happened. */
  readonly since: number
  readonly lastNotice: number
  /** Until when the exporter waits on purpose (a spent quota's reset): no silence to speak of. */
  readonly quietUntil?: number
}

export type Waiting = Ref.Ref<Activity>

export const makeWaiting = (waitingFor: string): Effect.Effect<Waiting> =>
  Clock.currentTimeMillis.pipe(Effect.flatMap((now) => Ref.make({ waitingFor, since: now, lastNotice: 0 })))

/** Something happened; from now on the exporter waits for `waitingFor`. */
export const nowWaitingFor = (waiting: Waiting, waitingFor: string): Effect.Effect<void> =>
  Clock.currentTimeMillis.pipe(
    Effect.flatMap((now) => Ref.update(waiting, (a) => ({ ...a, waitingFor, since: now }))),
  )

/**
 * The exporter waits on purpose until `untilMs` (a spent quota, said in its own line): the silence
 * counts from then. Null: the wait ended (early, on Ctrl-C) and the silence counts from now.
 */
export const waitingOnPurpose = (waiting: Waiting, untilMs: number | null): Effect.Effect<void> =>
  Clock.currentTimeMillis.pipe(
    Effect.flatMap((now) =>
      Ref.update(waiting, (a) => ({ ...a, quietUntil: untilMs ?? now, since: Math.max(a.since, now) })),
    ),
  )

/** The notice after `silentMs` of silence. */
export const noticeOf = (site: string, waitingFor: string, silentMs: number): string =>
  `Waiting for Jira at ${site} to ${waitingFor} (${Math.floor(silentMs / 1000)} s so far; Ctrl-C stops).`

/** Runs until interrupted, handing each notice to `say`. */
export const watchWaiting = (
  waiting: Waiting,
  site: string,
  say: (line: string) => Effect.Effect<void>,
): Effect.Effect<never> =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const a = yield* Ref.get(waiting)
    const since = Math.max(a.since, a.quietUntil ?? 0)
    const silentMs = now - since
    const noticed = a.lastNotice > since
    if (silentMs < NOTICE_AFTER_MS || (noticed && now - a.lastNotice < NOTICE_EVERY_MS)) return
    yield* say(noticeOf(site, a.waitingFor, silentMs))
    yield* Ref.update(waiting, (x) => ({ ...x, lastNotice: now }))
  }).pipe(Effect.repeat(Schedule.spaced(CHECK_EVERY_MS)), Effect.andThen(Effect.never))
