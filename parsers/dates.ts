// Date and time shapes of a column, decided from its values: exports write dates the way their locale
// and Excel do (03.03.2025 08:00:00, 3/4/2025 9:00 PM, Mar 4, 2025 9:00 AM, 2025年3月4日 09:00:00,
// epoch seconds). ISO 8601 and YYYY/M/D stay with src/time.ts; this reads what it does not.
//
// Day-first vs month-first is decided by the data: the first value whose first part is above 12 makes the
// column day-first, whose second part is above 12 month-first. Until one does, values are ambiguous and
// the column is "pending"; a column that ends pending cannot be read without a dateFormat (the caller
// stops with `ambiguityMessage`). Values are read to wall-clock milliseconds with Date.UTC (no Date
// object per record) and placed in the reading zone by the caller, so the host zone never enters.

export type DateOrder = 'dmy' | 'mdy';

/** A value read: wall-clock time (to be placed in a zone) or an absolute instant (epoch values). */
export type DateValue = { wall: number } | { instant: number };

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

// A time of day after the date: 9:00, 09:00:00.123, 9:00 PM, 下午 9:00, 9时05分.
const TIME = String.raw`(?:[ T,]+|\s*(?=上午|下午))(上午|下午)?\s*(\d{1,2})[:时](\d{2})分?(?:[:分](\d{2})秒?(?:[.,](\d{1,9}))?)?\s*([AaPp]\.?[Mm]\.?|上午|下午)?`;
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:${TIME})?$`);
const YMD = new RegExp(String.raw`^(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?:${TIME})?$`);
const CJK = new RegExp(String.raw`^(\d{4})年(\d{1,2})月(\d{1,2})日(?:${TIME})?$`);
const NAMED_MDY = new RegExp(String.raw`^(?:[A-Za-z]{3,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:${TIME})?$`);
const NAMED_DMY = new RegExp(String.raw`^(?:[A-Za-z]{3,9}\.?,?\s+)?(\d{1,2})[\s-]([A-Za-z]{3,9})\.?[\s-](\d{4}|\d{2})(?:${TIME})?$`);
const EPOCH_S = /^(\d{10})(?:\.(\d{1,6}))?$/;
const EPOCH_MS = /^\d{13}$/;
// Excel's day count since 1899-12-30 (only where the reader says the values came from a workbook).
const SERIAL = /^(\d{5})(?:\.(\d+))?$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validYmd(y: number, mo: number, d: number): boolean {
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= MONTH_DAYS[mo - 1] + (leap ? 1 : 0);
}

/** The shape family a value belongs to; `numeric` is the one whose day/month order the data decides. */
export type DateFamily = 'numeric' | 'ymd' | 'cjk' | 'named' | 'epoch-s' | 'epoch-ms' | 'excel-serial';

interface TimeParts {
  h: number;
  mi: number;
  s: number;
  ms: number;
  twelve: boolean;
  seconds: boolean;
  /** Width of the hour as written (1 or 2) for the pattern shown to people. */
  hourWidth: number;
}

/** Groups from TIME starting at `i`; undefined when the time is not a real one. */
function timeOf(m: RegExpExecArray, i: number): TimeParts | undefined | null {
  if (m[i + 1] === undefined) return null;
  let h = +m[i + 1];
  const mi = +m[i + 2];
  const s = m[i + 3] === undefined ? 0 : +m[i + 3];
  const ms = m[i + 4] === undefined ? 0 : Math.round(+`0.${m[i + 4]}` * 1000);
  const marker = (m[i] ?? m[i + 5])?.toLowerCase().replace(/\./g, '');
  if (marker !== undefined) {
    if (h < 1 || h > 12) return undefined;
    const pm = marker === 'pm' || marker === '下午';
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return { h, mi, s, ms, twelve: marker !== undefined, seconds: m[i + 3] !== undefined, hourWidth: m[i + 1].length };
}

function year(text: string): number {
  if (text.length === 4) return +text;
  // Two-digit years as Excel reads them: 00–29 are 2000s, 30–99 the 1900s.
  const n = +text;
  return n < 30 ? 2000 + n : 1900 + n;
}

interface Parsed {
  family: DateFamily;
  /** For `numeric`: which orders the parts allow. */
  orders?: DateOrder[];
  value?: DateValue;
  /** The date-fns pattern this value is written in (for `numeric`, per order). */
  pattern: (order?: DateOrder) => string;
}

function timePattern(t: TimeParts | null, sep = ' '): string {
  if (!t) return '';
  const hour = t.twelve ? (t.hourWidth === 2 ? 'hh' : 'h') : t.hourWidth === 2 ? 'HH' : 'H';
  return `${sep}${hour}:mm${t.seconds ? ':ss' : ''}${t.twelve ? ' a' : ''}`;
}

function wallOf(y: number, mo: number, d: number, t: TimeParts | null): DateValue | undefined {
  if (!validYmd(y, mo, d)) return undefined;
  return { wall: Date.UTC(y, mo - 1, d, t?.h ?? 0, t?.mi ?? 0, t?.s ?? 0, t?.ms ?? 0) };
}

/** What one value is, without a column's decision. Undefined: no known shape. */
export function classifyDate(value: string, excelSerials = false): Parsed | undefined {
  const s = value.trim();
  let m = NUMERIC.exec(s);
  if (m) {
    const a = +m[1];
    const b = +m[3];
    const t = timeOf(m, 5);
    if (t === undefined) return undefined;
    const orders: DateOrder[] = [];
    if (a <= 12 && b <= 31) orders.push('mdy');
    if (b <= 12 && a <= 31) orders.push('dmy');
    const sep = m[2];
    const w1 = m[1].length === 2 ? 2 : 1;
    const w2 = m[3].length === 2 ? 2 : 1;
    const y = m[4].length === 4 ? 'yyyy' : 'yy';
    return {
      family: 'numeric',
      orders,
      pattern: (order) => {
        const p1 = order === 'dmy' ? 'd'.repeat(w1) : 'M'.repeat(w1);
        const p2 = order === 'dmy' ? 'M'.repeat(w2) : 'd'.repeat(w2);
        return `${p1}${sep}${p2}${sep}${y}${timePattern(t)}`;
      },
    };
  }
  if ((m = YMD.exec(s))) {
    const t = timeOf(m, 5);
    if (t === undefined) return undefined;
    const value = wallOf(+m[1], +m[3], +m[4], t);
    const sep = m[2];
    return value && { family: 'ymd', value, pattern: () => `yyyy${sep}M${sep}d${timePattern(t)}` };
  }
  if ((m = CJK.exec(s))) {
    const t = timeOf(m, 4);
    if (t === undefined) return undefined;
    const value = wallOf(+m[1], +m[2], +m[3], t);
    return value && { family: 'cjk', value, pattern: () => `yyyy年M月d日${timePattern(t)}` };
  }
  if ((m = NAMED_MDY.exec(s))) {
    const mo = MONTHS[m[1].toLowerCase()];
    const t = timeOf(m, 4);
    if (mo === undefined || t === undefined) return undefined;
    const value = wallOf(+m[3], mo, +m[2], t);
    return value && { family: 'named', value, pattern: () => `MMM d, yyyy${timePattern(t)}` };
  }
  if ((m = NAMED_DMY.exec(s))) {
    const mo = MONTHS[m[2].toLowerCase()];
    const t = timeOf(m, 4);
    if (mo === undefined || t === undefined) return undefined;
    const value = wallOf(year(m[3]), mo, +m[1], t);
    return value && { family: 'named', value, pattern: () => `dd-MMM-yyyy${timePattern(t)}` };
  }
  if ((m = EPOCH_S.exec(s))) {
    const ms = m[2] === undefined ? 0 : Math.round(+`0.${m[2]}` * 1000);
    return { family: 'epoch-s', value: { instant: +m[1] * 1000 + ms }, pattern: () => 'epoch seconds (10 digits)' };
  }
  if (EPOCH_MS.test(s)) return { family: 'epoch-ms', value: { instant: +s }, pattern: () => 'epoch milliseconds (13 digits)' };
  if (excelSerials && (m = SERIAL.exec(s))) {
    const days = +s;
    if (days < 20000 || days > 80000) return undefined;
    // Rounded to the second: Excel stores times as fractions of a day, which binary floats cannot hold exactly.
    const wall = Math.round((EXCEL_EPOCH + days * DAY) / 1000) * 1000;
    return { family: 'excel-serial', value: { wall }, pattern: () => 'Excel date serial (days since 1899-12-30)' };
  }
  return undefined;
}

function numericValue(value: string, order: DateOrder): DateValue | undefined {
  const m = NUMERIC.exec(value.trim());
  if (!m) return undefined;
  const t = timeOf(m, 5);
  if (t === undefined) return undefined;
  const a = +m[1];
  const b = +m[3];
  return order === 'dmy' ? wallOf(year(m[4]), b, a, t) : wallOf(year(m[4]), a, b, t);
}

/** What a column's values showed: for inspect and for messages. */
export interface DateDecision {
  /** Column name(s) as in the header, or the field name. */
  column: string;
  /** The pattern (date-fns tokens) or description of the first value read by inference. */
  format: string | null;
  /** For numeric dates: the order and the value that decided it (null while undecided). */
  order: DateOrder | null;
  why: string;
  /** Values seen that only this module reads, and those that are day/month ambiguous. */
  values: number;
  ambiguous: number;
}

/**
 * Decides one column's date shape from the values it sees, in order; reads values by that decision.
 * `observe` before `read` for every value: a value is read with the decision known when it was observed
 * or any later one.
 */
export class DateInference {
  order: DateOrder | undefined;
  private decidedBy: { value: string; line: number } | undefined;
  private firstAmbiguous: { value: string; line: number; parsed: Parsed } | undefined;
  private firstPattern: string | undefined;
  private families = new Set<DateFamily>();
  values = 0;
  ambiguous = 0;
  /** Values left to src/time.ts (ISO), counted while undecided. */
  iso = 0;
  private givenUp = false;

  constructor(
    readonly column: string,
    private readonly excelSerials = false,
    /** A forced order (from a mapping's dateFormat) or none. */
    forced?: DateOrder,
  ) {
    this.order = forced;
  }

  /** True while an ambiguous value waits for a deciding one: rows holding such values must wait too. */
  get pending(): boolean {
    return this.order === undefined && this.firstAmbiguous !== undefined && !this.givenUp;
  }

  /**
   * The input ended (or rows waited too long) undecided. A column mostly ISO with a few ambiguous values
   * rejects those few (true); a column of ambiguous values cannot be read at all (false: stop).
   */
  giveUp(): boolean {
    if (this.iso <= this.ambiguous) return false;
    this.givenUp = true;
    return true;
  }

  observe(value: string, line: number): void {
    // Once the order is known nothing more is learnt; ISO (yyyy-MM-dd…) is src/time.ts's and costs nothing here.
    if (this.order !== undefined && this.firstPattern !== undefined) return;
    if (value.length >= 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) {
      this.iso++;
      return;
    }
    const p = classifyDate(value, this.excelSerials);
    if (!p) return;
    this.values++;
    this.families.add(p.family);
    if (p.family !== 'numeric') {
      this.firstPattern ??= p.pattern();
      return;
    }
    const orders = p.orders!;
    if (orders.length === 2) {
      this.ambiguous++;
      this.firstAmbiguous ??= { value, line, parsed: p };
      return;
    }
    if (orders.length === 1 && this.order === undefined) {
      this.order = orders[0];
      this.decidedBy = { value: value.trim(), line };
      this.firstPattern ??= p.pattern(this.order);
    }
  }

  /**
   * Epoch ms or wall time of a value, or a reason it cannot be read that says what was expected; null
   * for a value of no known shape (the built-in reader's reason stands, with `hint()`).
   */
  read(value: string): DateValue | string | null {
    const p = classifyDate(value, this.excelSerials);
    if (!p) return null;
    if (p.family !== 'numeric') return p.value!;
    if (this.order) {
      const v = numericValue(value, this.order);
      if (v) return v;
      return `"${clip(value)}" is not a valid date in this column's format ${p.pattern(this.order)} (${this.why()})`;
    }
    return `"${clip(value)}": day and month cannot be told apart (no other value of the column is a numeric date with a part above 12). Fix: give "dateFormat" in --mapping, e.g. "${p.pattern('dmy')}"`;
  }

  /** What to add to a reason for a value of no known shape: what the column's other values are, and the fix. */
  hint(): string {
    if (this.firstPattern === undefined) return '';
    return `; this column's other values are ${this.firstPattern}. Fix: correct the value, or give the format with "dateFormat" in --mapping (date-fns tokens; readable without one: ${KNOWN})`;
  }

  why(): string {
    if (this.decidedBy) {
      return `${this.order === 'dmy' ? 'day first' : 'month first'}: "${clip(this.decidedBy.value)}" on line ${this.decidedBy.line} has a ${this.order === 'dmy' ? 'first' : 'second'} part above 12`;
    }
    if (this.order) return `${this.order === 'dmy' ? 'day first' : 'month first'}, from the mapping's dateFormat`;
    if (this.firstAmbiguous) return `day first or month first cannot be told: no value has a part above 12 (e.g. "${clip(this.firstAmbiguous.value)}")`;
    const f = [...this.families];
    if (f.includes('epoch-s') || f.includes('epoch-ms')) return 'epoch values, seconds when 10 digits, milliseconds when 13';
    return this.values ? 'the values name their parts' : 'no such values';
  }

  decision(): DateDecision {
    return {
      column: this.column,
      format: this.firstPattern ?? (this.firstAmbiguous && this.order ? this.firstAmbiguous.parsed.pattern(this.order) : null),
      order: this.order ?? null,
      why: this.why(),
      values: this.values,
      ambiguous: this.ambiguous,
    };
  }

  /** Both readings of the first ambiguous value, as date-fns patterns. */
  patterns(): { dmy: string; mdy: string } | undefined {
    const a = this.firstAmbiguous;
    return a && { dmy: a.parsed.pattern('dmy'), mdy: a.parsed.pattern('mdy') };
  }

  /** The one message for a column whose every numeric date is ambiguous. */
  ambiguityMessage(file: string): string {
    const a = this.firstAmbiguous!;
    const dmy = a.parsed.pattern('dmy');
    const mdy = a.parsed.pattern('mdy');
    return (
      `${file}: the dates in column ${this.column} (e.g. "${clip(a.value)}" on line ${a.line}) can be read day first or month first: ` +
      `none of its ${this.ambiguous} values has a day above 12. Fix: pass --mapping FILE where FILE holds {"dateFormat": "${dmy}"} (day first) ` +
      `or {"dateFormat": "${mdy}"} (month first)`
    );
  }
}

/** Date-fns pattern tokens to the order they imply for numeric dates, when they do. */
export function orderOfPattern(pattern: string): DateOrder | undefined {
  const unquoted = pattern.replace(/'[^']*'/g, '');
  const d = unquoted.search(/d/);
  const m = unquoted.search(/M/);
  if (d < 0 || m < 0) return undefined;
  return d < m ? 'dmy' : 'mdy';
}

const KNOWN = 'ISO 8601, yyyy/M/d H:mm, d.M.yyyy or M/d/yyyy with H:mm or h:mm AM/PM, Mar 4, 2025, 04-Mar-2025, 2025年3月4日, epoch seconds or milliseconds';

function clip(s: string): string {
  const t = s.trim();
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}
