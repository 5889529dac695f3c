/**
 * The workbook writer as the page loads it: built on its own into `xlsx.js` beside `main.js`
 * (esbuild.config.mjs) and imported by URL when an Excel download is zipped (workbook.ts).
 */
export { aboutOf, metaOf, workbookWriter, XLSX_MIME } from "../../src/xlsx/workbook.js"
