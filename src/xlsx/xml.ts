/**
 * XML text as a SpreadsheetML part holds it (ECMA-376 Part 1, https://ecma-international.org/publications-and-standards/standards/ecma-376/).
 * Pure and Effect-free: the page imports this folder too.
 */

/**
 * Characters XML 1.0 does not allow at all (https://www.w3.org/TR/xml/#charsets): C0 controls other than
 * tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. A reader refuses the whole part over one of them,
 * so each becomes U+FFFD, which shows that something was there.
 */
const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Text that Excel would read as its own escape of a character (`_x0041_` for "A", ST_Xstring in
 * ECMA-376 Part 1 §22.9.2.19): its underscore is escaped (`_x005F_`), as Excel writes it, so the text
 * comes back as it was.
 */
const XSTRING_ESCAPE = /_(x[0-9A-Fa-f]{4}_)/g

const NEEDS_WORK = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF_]/

/**
 * `text` as XML character data or an attribute value (quotes escaped too). A carriage return is
 * written as `&#13;`: a reader turns a literal CR (and CR LF) into LF (https://www.w3.org/TR/xml/#sec-line-ends),
 * and the cell would no longer hold what the CSV holds.
 */
export const xmlText = (text: string): string => {
  if (!NEEDS_WORK.test(text)) return text
  return text
    .replace(ILLEGAL, "\uFFFD")
    .replace(XSTRING_ESCAPE, "_x005F_$1")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#13;")
}

/** The column letters of a 0-based column index (0 → A, 26 → AA). */
export const columnName = (index: number): string => {
  let name = ""
  let n = index + 1
  while (n > 0) {
    const rest = (n - 1) % 26
    name = String.fromCharCode(65 + rest) + name
    n = Math.floor((n - 1) / 26)
  }
  return name
}

export const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
