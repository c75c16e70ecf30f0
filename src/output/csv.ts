import type { Money, TerminalReport } from '../model.js';
import { byFailures, causeCounts, causeOrder, cmp } from './fmt.js';
import type { AnalysisResult, OutputFormat } from './types.js';
import { BIDI_CONTROLS } from './markup.js';

/** `{ numeric }` is a decimal we formatted ourselves, written verbatim so "12.30" keeps its digits. */
type Cell = string | number | null | { numeric: string };

// OWASP CSV injection: a cell starting with one of these is read as a formula by Excel, LibreOffice or
// Sheets. The full-width forms are cheap insurance: Chinese input methods produce them, and we have not
// checked that every spreadsheet ignores them.
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
/** Amounts we formatted ourselves ("12.30", "-5.00") stay numeric; anything else is text. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function neutralize(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function field(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'object') return cell.numeric;
  // NUL and other controls (but the line breaks quoting keeps) and bidi controls are shown as U+FFFD: a sheet
  // would cut a value at NUL, and a bidi override turns the cells after it around.
  const text = neutralize(cell.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD').replace(BIDI_CONTROLS, '\uFFFD'));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function amount(s: string): Cell {
  return DECIMAL.test(s) ? { numeric: s } : s;
}

/** One column per currency of the run: a spreadsheet can add a column, never a mix of currencies. */
function moneyCells(list: readonly Money[], currencies: readonly string[]): Cell[] {
  return currencies.map((c) => {
    const m = list.find((x) => x.currency === c);
    return m ? amount(m.amount) : null;
  });
}

/** Six decimals is finer than any interval we compute and keeps cells short. */
function rate(r: number): number {
  return Number.isFinite(r) ? Number(r.toFixed(6)) : Number.NaN;
}

/** Catalogue order, so a cause keeps its column position from run to run; ids outside it go last. */
function causeColumns(terminals: readonly TerminalReport[]): string[] {
  const present = new Set<string>();
  for (const t of terminals) for (const { id } of causeCounts(t.byCause)) present.add(id);
  return [...present].sort((a, b) => causeOrder(a) - causeOrder(b) || cmp(a, b));
}

const FIXED = [
  'terminalId',
  'merchantId',
  'attempts',
  'approved',
  'failures',
  'failureRate',
  'failureRateLow',
  'failureRateHigh',
  'unsettled',
  'topCause',
  'assessment',
  'rootCauses',
  'topRootCauseRate',
  'topRootCauseFleetRate',
  'topRootCauseQ',
] as const;
const CONTEXT = ['softwareVersion', 'model', 'connection'] as const;

/** q-values can be far below 1e-6: four significant digits, in exponent form when small. */
function pValue(p: number): number {
  return Number.isFinite(p) ? Number(p.toPrecision(4)) : Number.NaN;
}

function rowCells(t: TerminalReport, causes: readonly string[], currencies: readonly string[]): Cell[] {
  const top = t.rootCauses[0];
  return [
    t.terminalId,
    t.merchantId,
    t.attempts,
    t.approved,
    t.failures,
    rate(t.failureRate.rate),
    rate(t.failureRate.low),
    rate(t.failureRate.high),
    t.unsettled,
    causeCounts(t.byCause)[0]?.id ?? null,
    t.assessment,
    t.rootCauses.map((rc) => rc.cause).join(';') || null,
    top ? rate(top.rate) : null,
    top ? rate(top.fleetRate) : null,
    top ? pValue(top.qValue) : null,
    ...moneyCells(t.unsettledAmount, currencies),
    ...moneyCells(t.failedAmount, currencies),
    ...causes.map((id) => t.byCause[id] ?? 0),
    t.softwareVersion,
    t.model,
    t.connection,
  ];
}

function* csvLines({ report }: AnalysisResult): Iterable<string> {
  const causes = causeColumns(report.terminals);
  const currencies = Object.keys(report.summary.currencies).sort();
  // Excel reads a BOM-less .csv in the machine's ANSI code page (GBK on Chinese Windows) and garbles UTF-8
  // Chinese merchant names; the BOM makes it read UTF-8. csv-parse and most tools strip it.
  yield '\uFEFF';
  // RFC 4180 records end in CRLF.
  const money = [...currencies.map((c) => `unsettledAmount ${c}`), ...currencies.map((c) => `failedAmount ${c}`)];
  yield `${[...FIXED, ...money, ...causes, ...CONTEXT].map(field).join(',')}\r\n`;
  for (const t of byFailures(report.terminals)) yield `${rowCells(t, causes, currencies).map(field).join(',')}\r\n`;
}

export const csvOutput: OutputFormat = {
  id: 'csv',
  file: 'terminals.csv',
  render: (result) => Array.from(csvLines(result)).join(''),
  chunks: csvLines,
};
