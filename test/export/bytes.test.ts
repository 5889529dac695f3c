/**
 * The engine's pure byte helpers (src/export/bytes.ts) answer exactly what Node's `Buffer` and
 * `node:crypto` answer, so cursors made by the CLI or a resolver read back in the browser and the
 * other way round.
 */
import { createHash } from "node:crypto"
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { base64UrlOfText, sha256, textOfBase64Url, utf8Length } from "../../src/export/bytes.js"

// Lone surrogates, astral characters, ASCII: every branch of the UTF-8 arithmetic.
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({
    unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)),
    maxLength: 40,
  }),
  fc.string({ maxLength: 200 }),
)

describe("bytes", () => {
  test.prop([text])("utf8Length is Buffer.byteLength", (s) => {
    expect(utf8Length(s)).toBe(Buffer.byteLength(s, "utf8"))
  })

  test.prop([text])("base64url of text is Buffer's, and reads back as Buffer reads it", (s) => {
    const encoded = base64UrlOfText(s)
    expect(encoded).toBe(Buffer.from(s, "utf8").toString("base64url"))
    expect(textOfBase64Url(encoded)).toBe(Buffer.from(encoded, "base64url").toString("utf8"))
  })

  test.prop([text])("sha256 is node:crypto's", (s) => {
    expect(Buffer.from(sha256(s)).toString("hex")).toBe(createHash("sha256").update(s).digest("hex"))
  })

  it("hashes across block boundaries (55, 56, 64 and 1,000,000 bytes)", () => {
    for (const s of ["a".repeat(55), "a".repeat(56), "a".repeat(64), "a".repeat(1_000_000)])
      expect(Buffer.from(sha256(s)).toString("hex")).toBe(createHash("sha256").update(s).digest("hex"))
  })

  it("refuses what is not base64url", () => {
    expect(textOfBase64Url("abcde")).toBeUndefined()
    expect(textOfBase64Url("ab+/")).toBeUndefined()
    expect(textOfBase64Url("")).toBe("")
  })
})
