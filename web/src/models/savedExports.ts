/**
 * Exports kept in the browser while they run (IndexedDB), so that reopening the page after a reload or
 * a closed tab offers to resume: after each unit the file's parts so far (as Blobs, which Chromium
 * keeps out of the JavaScript heap) and the cursor after them are written in one transaction, so the
 * parts and the cursor never disagree. A finished, cancelled or dismissed export is deleted.
 * Kept per Atlassian account: the page's origin is the app's, shared by every user of the browser.
 */
import type { ColumnInfo, ExportProgress, WorkbookInfo } from "../../../src/contract.js"

export type Place = "browser" | "servers"

export interface SavedExport<R> {
  readonly id: string
  /** Whose export it is (the store sets it). */
  readonly accountId: string
  readonly request: R
  /** Where the run reads Jira: its cursor continues there. */
  readonly place: Place
  readonly why: string
  /** The cursor after the last part; null once the file is complete. */
  readonly cursor: string | null
  readonly progress: ExportProgress
  readonly sequentialReason?: string
  /** Parts written (the header is part 0). */
  readonly parts: number
  readonly startedAt: number
  /** A workbook's columns and what zipping its parts needs (export/start's answer); absent for a CSV. */
  readonly workbook?: { readonly info: WorkbookInfo; readonly columns: ReadonlyArray<ColumnInfo> }
}

export interface ExportStore<R> {
  /** Writes part `seq` and the export's record after it, in one transaction. */
  save(record: SavedExport<R>, seq: number, text: string): Promise<void>
  /** The signed-in user's unfinished export, if one is kept. */
  latest(): Promise<SavedExport<R> | undefined>
  /** Its parts in order, as Blobs (their bytes stay out of the heap). */
  parts(id: string): Promise<ReadonlyArray<Blob>>
  remove(id: string): Promise<void>
}

const DB = "liquitim-export"
const EXPORTS = "exports"
const PARTS = "parts"

const done = <A>(request: IDBRequest<A>): Promise<A> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })

const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error)
  })

const open = (factory: IDBFactory): Promise<IDBDatabase> => {
  const request = factory.open(DB, 1)
  request.onupgradeneeded = () => {
    request.result.createObjectStore(EXPORTS, { keyPath: "id" })
    request.result.createObjectStore(PARTS, { keyPath: ["id", "seq"] })
  }
  return done(request)
}

const partsOf = (id: string) => IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER])

/** The IndexedDB store of `accountId`'s exports; undefined where the browser has none (or no user). */
export const indexedDbExports = <R>(
  accountId: string | undefined,
  factory: IDBFactory | undefined = globalThis.indexedDB,
): ExportStore<R> | undefined => {
  if (factory === undefined || accountId === undefined) return undefined
  let db: Promise<IDBDatabase> | undefined
  const database = () => {
    db ??= open(factory)
    return db
  }
  return {
    save: async (record, seq, text) => {
      const tx = (await database()).transaction([EXPORTS, PARTS], "readwrite")
      tx.objectStore(PARTS).put({ id: record.id, seq, blob: new Blob([text], { type: "text/plain" }) })
      tx.objectStore(EXPORTS).put({ ...record, accountId })
      await committed(tx)
    },
    latest: async () => {
      const all: Array<SavedExport<R>> = await done(
        (await database()).transaction(EXPORTS).objectStore(EXPORTS).getAll(),
      )
      return all
        .filter((r) => r.accountId === accountId && r.cursor !== null)
        .sort((a, b) => b.startedAt - a.startedAt)[0]
    },
    parts: async (id) => {
      const rows: Array<{ blob: Blob }> = await done(
        (await database()).transaction(PARTS).objectStore(PARTS).getAll(partsOf(id)),
      )
      return rows.map((row) => row.blob)
    },
    remove: async (id) => {
      const tx = (await database()).transaction([EXPORTS, PARTS], "readwrite")
      tx.objectStore(EXPORTS).delete(id)
      tx.objectStore(PARTS).delete(partsOf(id))
      await committed(tx)
    },
  }
}
