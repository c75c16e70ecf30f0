import { tzOffset } from '@date-fns/tz';
import { TxlogError } from './errors.js';

const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Offsets are looked up once per zone and hour: Intl is far too slow to call per record. */
export class Zone {
  private readonly cache = new Map<number, number>();

  constructor(readonly name: string) {
    if (!isValidZone(name)) {
      throw new TxlogError(
        'TZ_INVALID',
        `unknown time zone "${name}" (--tz): use an IANA zone name such as UTC, Asia/Shanghai or Europe/Berlin`,
      );
    }
  }

  /** Offset from UTC in minutes at the given instant. */
  offsetAt(instant: number): number {
    if (this.name === 'UTC') return 0;
    const hour = Math.floor(instant / HOUR);
    let offset = this.cache.get(hour);
    if (offset === undefined) {
      offset = tzOffset(this.name, new Date(hour * HOUR));
      this.cache.set(hour, offset);
    }
    return offset;
  }

  /**
   * The instant of a wall-clock time in this zone (wall time given as if it were UTC). Around a clock change,
   * one rule whatever the zone's side of UTC (as Temporal's "compatible"): a time the clocks skipped is read
   * forward by the gap (02:30 on a spring-forward night is 03:30), a time they repeated as its first occurrence.
   */
  fromWall(wallAsUtc: number): number {
    const before = this.offsetAt(wallAsUtc - DAY);
    const after = this.offsetAt(wallAsUtc + DAY);
    if (before === after) return wallAsUtc - this.offsetAt(wallAsUtc - before * 60_000) * 60_000;
    const early = wallAsUtc - before * 60_000;
    const late = wallAsUtc - after * 60_000;
    const earlyHolds = this.offsetAt(early) === before;
    const lateHolds = this.offsetAt(late) === after;
    if (earlyHolds && lateHolds) return Math.min(early, late);
    if (earlyHolds) return early;
    if (lateHolds) return late;
    // Skipped: the wall time read with the offset in force before the change, which lands after it.
    return early;
  }

  /** Days since 1970-01-01 of the instant's local date. */
  localDay(instant: number): number {
    return Math.floor((instant + this.offsetAt(instant) * 60_000) / DAY);
  }

  /** ISO 8601 with this zone's offset, e.g. 2026-11-20T14:03:11+08:00 (milliseconds only when present). */
  format(instant: number): string {
    const offset = this.offsetAt(instant);
    const local = new Date(instant + offset * 60_000).toISOString();
    const body = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${body}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
}

export function isValidZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return !Number.isNaN(tzOffset(name, new Date(0)));
  } catch {
    return false;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function dayToDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` (also `YYYY/M/D`, `YYYYMMDD`) to days since epoch, or undefined. */
export function parseDay(value: string): number | undefined {
  // The common YYYY-MM-DD read from its characters: no trim, no regex, no match array.
  if (value.length === 10 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45) {
    const y = digits(value, 0, 4);
    const mo = digits(value, 5, 7);
    const d = digits(value, 8, 10);
    if (y >= 0 && mo >= 0 && d >= 0) return validYmd(y, mo, d) ? Date.UTC(y, mo - 1, d) / DAY : undefined;
  }
  const s = value.trim();
  const m = DATE_ONLY.exec(s) ?? /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (!validYmd(y, mo, d)) return undefined;
  return Date.UTC(y, mo - 1, d) / DAY;
}

/** The number the ASCII digits from..to spell, or -1 when one is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Years before 1000 are typos or placeholders (0000-01-01), and Date.UTC would read 0–99 as 1900–1999.
export function validYmd(y: number, mo: number, d: number): boolean {
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= MONTH_DAYS[mo - 1] + (leap ? 1 : 0);
}

// Dates as exports write them: ISO 8601 with T or space, slashes (2024/5/4 2:18), compact CUP style
// (20241120143011), optional seconds and fraction, optional Z / ±hh:mm / ±hhmm offset.
const STAMP =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})[T ]?(\d{2})(\d{2})(\d{2})?$/;

/**
 * Parses a timestamp to epoch ms. Without an offset it is read in `zone`. Numbers are epoch seconds or
 * milliseconds. Returns a string reason when it cannot.
 */
export function parseTimestamp(value: unknown, zone: Zone): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 1e9) return `not a timestamp: ${value}`;
    return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
  }
  if (typeof value !== 'string') return 'expected an ISO 8601 timestamp';
  const fast = canonical(value);
  if (fast !== undefined) return fast;
  const s = value.trim();
  const m = STAMP.exec(s);
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, ms = 0;
  let offset: string | undefined;
  if (m) {
    y = +m[1]; mo = +m[2]; d = +m[3];
    if (m[4] !== undefined) { h = +m[4]; mi = +m[5]; }
    if (m[6] !== undefined) sec = +m[6];
    if (m[7] !== undefined) ms = Math.round(+`0.${m[7]}` * 1000);
    offset = m[8];
  } else {
    const c = COMPACT.exec(s);
    if (!c) return `"${clip(s)}" is not an ISO 8601 timestamp (expected e.g. 2026-11-20T14:03:11+08:00)`;
    y = +c[1]; mo = +c[2]; d = +c[3]; h = +c[4]; mi = +c[5]; sec = c[6] ? +c[6] : 0;
  }
  if (y < 1000) return `"${clip(s)}" has the year ${m ? m[1] : y}, before 1000: not a real transaction date`;
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || sec > 60) return `"${clip(s)}" is not a valid date and time`;
  const wall = Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms);
  if (offset === undefined) return zone.fromWall(wall);
  if (offset === 'Z' || offset === 'z') return wall;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const oh = +digits.slice(0, 2);
  const om = digits.length > 2 ? +digits.slice(2, 4) : 0;
  if (oh > 14 || om > 59) return `"${clip(s)}" has an invalid UTC offset`;
  return wall - sign * (oh * 60 + om) * 60_000;
}

const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
const isDigit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * The shape machines write, `2026-11-20T14:03:11[.sss](Z|±hh:mm)`, read without a regex: it is every
 * record of a big log. Anything else (or anything odd about this) goes to the general reader.
 */
function canonical(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  for (let k = 0; k < DIGITS_AT.length; k++) if (!isDigit(s, DIGITS_AT[k])) return undefined;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    if (i + 3 >= n || !isDigit(s, i + 1) || !isDigit(s, i + 2) || !isDigit(s, i + 3)) return undefined;
    ms = (s.charCodeAt(i + 1) - 48) * 100 + d2(s, i + 2);
    i += 4;
  }
  let offset = 0;
  const c = s.charCodeAt(i);
  if (c === 90 && i + 1 === n) offset = 0;
  else if ((c === 43 || c === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58 && isDigit(s, i + 1) && isDigit(s, i + 2) && isDigit(s, i + 4) && isDigit(s, i + 5)) {
    offset = (c === 45 ? -1 : 1) * (d2(s, i + 1) * 60 + d2(s, i + 4));
  } else return undefined;
  const y = d2(s, 0) * 100 + d2(s, 2);
  const mo = d2(s, 5);
  const d = d2(s, 8);
  const h = d2(s, 11);
  const mi = d2(s, 14);
  const sec = d2(s, 17);
  if (h > 23 || mi > 59 || sec > 59 || Math.abs(offset) > 14 * 60) return undefined;
  // A log's times run day by day: the day's start is worked out once per day met, not per record.
  const ymd = (y * 100 + mo) * 100 + d;
  if (ymd !== lastYmd) {
    if (!validYmd(y, mo, d)) return undefined;
    lastYmd = ymd;
    lastDayStart = Date.UTC(y, mo - 1, d);
  }
  // What Date.UTC(y, mo - 1, d, h, mi, sec, ms) gives, in whole milliseconds.
  return lastDayStart + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms - offset * 60_000;
}

let lastYmd = -1;
let lastDayStart = 0;

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
