// .xlsx workbooks: one sheet streamed row by row (exceljs' WorkbookReader) and written out as CSV text,
// one line per sheet row, so header aliases, profiles, mappings, footers and rejects work as for any
// export and line numbers are Excel's row numbers. Date-formatted cells become wall-clock text
// (read in --tz like any offset-less time); unformatted serials in a date column are read by dates.ts.
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { TxlogError } from '../src/errors.js';

/** A zip archive (PK\x03\x04) that names an xl/ entry near its start: an Excel workbook. */
export function isXlsx(first: Buffer): boolean {
  if (first.length < 4 || first[0] !== 0x50 || first[1] !== 0x4b || first[2] !== 0x03 || first[3] !== 0x04) return false;
  return first.subarray(0, 1 << 16).includes('xl/');
}

export function isZip(first: Buffer): boolean {
  return first.length >= 4 && first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A cell as text: dates as wall time, formulas by their result, rich text joined. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  // A fraction as Excel shows it, to 15 significant digits: a formula's 0.1 + 0.2 is stored as 0.30000000000000004.
  // Whole numbers stay as stored (an id of more than 15 digits was already cut by Excel itself).
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    // exceljs turns the serial into a Date as if it were UTC: its UTC fields are the sheet's wall clock.
    if (Number.isNaN(v.getTime())) return '';
    const ms = v.getUTCMilliseconds();
    return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}${ms ? '.' + pad(ms, 3) : ''}`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

function csvCell(s: string): string {
  // One sheet row stays one line: a line break inside a cell becomes a space.
  const t = s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? s.replace(/\r?\n|\r/g, ' ') : s;
  return /[",]/.test(t) || t !== t.trim() ? `"${t.replace(/"/g, '""')}"` : t;
}

export interface SheetText {
  sheet: string;
  text: AsyncIterable<string>;
}

/**
 * The chosen sheet (1-based number or name; default the first) as CSV text in chunks. Sheets before it
 * are skipped unread, row by row.
 */
export async function sheetText(name: string, bytes: AsyncIterable<Buffer>, sheet?: string): Promise<SheetText> {
  // Loaded only for workbooks: exceljs costs most of a second at startup, which every other run would pay.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from(bytes), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const sheets = reader[Symbol.asyncIterator]();
  const seen: string[] = [];
  const wanted = sheet === undefined ? 1 : /^\d+$/.test(sheet) ? Number(sheet) : undefined;
  for (;;) {
    let next: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
    try {
      next = await sheets.next();
    } catch (err) {
      throw new TxlogError('INPUT_CORRUPT', `cannot read workbook ${name}: ${(err as Error).message} (is the .xlsx file complete?)`);
    }
    if (next.done) break;
    const ws = next.value as ExcelJS.stream.xlsx.WorksheetReader & { name?: string; id?: number };
    const label = ws.name ?? `Sheet${seen.length + 1}`;
    seen.push(label);
    if ((wanted !== undefined && seen.length === wanted) || (wanted === undefined && label === sheet)) {
      return { sheet: label, text: rowsAsCsv(name, ws) };
    }
    // Drain an unwanted sheet so the reader moves on to the next.
    for await (const _ of ws) void _;
  }
  throw new TxlogError(
    'SHEET_NOT_FOUND',
    seen.length === 0
      ? `workbook ${name} has no worksheets`
      : `workbook ${name} has no sheet ${sheet} (--sheet); its sheets: ${seen.map((s, i) => `${i + 1} "${s}"`).join(', ')}`,
  );
}

/**
 * Excel writes no cell for a blank one: `row.values` is indexed by the cell references' columns (a blank
 * cell in the middle is a hole, read as empty) and ends at the last cell present. Every line is padded to
 * the widest row so far, so rows after the header have at least its width (the CSV reader takes extra
 * trailing empty cells as padding) and a row with blank trailing cells is not a short row.
 */
async function* rowsAsCsv(name: string, ws: AsyncIterable<ExcelJS.Row>): AsyncIterable<string> {
  let lineNo = 0;
  let width = 0;
  let out = '';
  try {
    for await (const row of ws) {
      // Empty rows are absent from the stream: blank lines keep line numbers equal to row numbers.
      while (lineNo < row.number - 1) {
        out += '\n';
        lineNo++;
      }
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(csvCell(cellText(values[i])));
      if (cells.length > width) width = cells.length;
      out += cells.join(',') + ','.repeat(width - cells.length) + '\n';
      lineNo++;
      if (out.length >= 1 << 16) {
        yield out;
        out = '';
      }
    }
  } catch (err) {
    throw new TxlogError('INPUT_CORRUPT', `cannot read workbook ${name}: ${(err as Error).message} (is the .xlsx file complete?)`);
  }
  if (out) yield out;
}
