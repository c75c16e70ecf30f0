import { TxlogError } from '../errors.js';

const DAY_MS = 86_400_000;

export const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
export const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
export const PAD4: readonly string[] = Array.from({ length: 10000 }, (_, i) => String(i).padStart(4, '0'));

/**
 * Local wall time <-> ISO 8601 with the zone's offset. Wall times are "local ms as if UTC"; the offset is
 * looked up through Intl once per 15-minute bucket, so a whole run costs a few hundred Intl calls.
 */
export class Clock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly offsetCache = new Map<number, number>();
  private readonly dateCache = new Map<number, string>();
  private readonly offsetText = new Map<number, string>();

  constructor(readonly tz: string) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new TxlogError('GENERATE_OPTIONS', `Unknown time zone: expected an IANA name like Asia/Shanghai, got "${tz}". Fix: pass --tz with a valid zone.`);
    }
  }

  /** Offset of the zone at a UTC instant, in ms (east positive). */
  offsetAt(utcMs: number): number {
    const bucket = Math.floor(utcMs / 900_000);
    const hit = this.offsetCache.get(bucket);
    if (hit !== undefined) return hit;
    const at = bucket * 900_000;
    const parts = this.fmt.formatToParts(new Date(at));
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    const off = Math.round((wall - at) / 60_000) * 60_000;
    this.offsetCache.set(bucket, off);
    return off;
  }

  /** UTC instant of a local wall time (gaps resolve forward, overlaps to the first occurrence). */
  toUtc(wallMs: number): number {
    const first = this.offsetAt(wallMs);
    let utc = wallMs - first;
    const second = this.offsetAt(utc);
    if (second !== first) utc = wallMs - second;
    return utc;
  }

  offsetString(offMs: number): string {
    let s = this.offsetText.get(offMs);
    if (s === undefined) {
      const m = Math.round(offMs / 60_000);
      const a = Math.abs(m);
      s = `${m < 0 ? '-' : '+'}${PAD2[Math.floor(a / 60)]}:${PAD2[a % 60]}`;
      this.offsetText.set(offMs, s);
    }
    return s;
  }

  /** `YYYY-MM-DD` of a wall-time day number (days since 1970-01-01). */
  dateOf(dayNo: number): string {
    let s = this.dateCache.get(dayNo);
    if (s === undefined) {
      s = new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
      this.dateCache.set(dayNo, s);
    }
    return s;
  }

  /** The day's fixed offset when it does not change during that local day, else null (DST day). */
  fixedOffsetForDay(dayWallMs: number): number | null {
    const a = this.offsetAt(this.toUtc(dayWallMs));
    const b = this.offsetAt(this.toUtc(dayWallMs + DAY_MS - 1000));
    return a === b ? a : null;
  }

  /** ISO 8601 with offset for a local wall time. */
  iso(wallMs: number): string {
    const utc = this.toUtc(wallMs);
    const off = this.offsetAt(utc);
    const wall = utc + off;
    const dayNo = Math.floor(wall / DAY_MS);
    return `${this.dateOf(dayNo)}T${timeOfDay(wall - dayNo * DAY_MS)}${this.offsetString(off)}`;
  }
}

/** `HH:MM:SS.mmm` of ms since local midnight. */
export function timeOfDay(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${PAD2[Math.floor(s / 3600)]}:${PAD2[Math.floor(s / 60) % 60]}:${PAD2[s % 60]}.${PAD3[ms - s * 1000]}`;
}
