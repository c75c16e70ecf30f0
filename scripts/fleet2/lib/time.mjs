// Wall-clock arithmetic in one IANA zone with Intl only. A "wall" time is the local clock reading
// encoded as if it were UTC milliseconds (Date.UTC(y, m, d, h, mi, s)); it orders like local time and
// makes day and hour arithmetic trivial. It is turned into an instant (and an offset) only to print.

const MIN = 60000;
export const HOUR = 3600000;
export const DAY = 86400000;

export class Zone {
  constructor(tz) {
    this.tz = tz;
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new Error(`unknown time zone ${JSON.stringify(tz)} (expected an IANA name such as Asia/Shanghai)`);
    }
    this.cache = new Map();
  }

  /** offset in minutes (local - UTC) at an instant */
  offsetAt(instantMs) {
    const key = Math.floor(instantMs / (15 * MIN));
    let off = this.cache.get(key);
    if (off !== undefined) return off;
    const p = {};
    for (const { type, value } of this.fmt.formatToParts(new Date(key * 15 * MIN))) p[type] = value;
    const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    off = Math.round((asUtc - key * 15 * MIN) / MIN);
    this.cache.set(key, off);
    return off;
  }

  /**
   * offset in minutes for a wall time; in a DST fold the first occurrence, in a gap the offset from
   * before the jump, so the time lands after it (02:30 in a spring-forward gap reads 03:30)
   */
  offsetForWall(wallMs) {
    const before = this.offsetAt(wallMs - 12 * HOUR), after = this.offsetAt(wallMs + 12 * HOUR);
    if (before === after) return before;
    const okBefore = this.offsetAt(wallMs - before * MIN) === before;
    const okAfter = this.offsetAt(wallMs - after * MIN) === after;
    if (okBefore && okAfter) return Math.max(before, after);
    if (okBefore) return before;
    if (okAfter) return after;
    return before;
  }

  toInstant(wallMs) { return wallMs - this.offsetForWall(wallMs) * MIN; }
}

const p2 = (n) => (n < 10 ? '0' : '') + n;
const p3 = (n) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

function wallParts(ms) {
  const d = new Date(ms);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
}

function offsetText(min) {
  const s = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${s}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

/**
 * style: 'offset' (2026-11-16T09:12:33+08:00), 'offsetMs' (…33.120+08:00), 'utc' (…01:12:33Z),
 * 'naive' (2026-11-16T09:12:33, local, no offset), 'naiveMs'.
 */
export function formatWall(zone, wallMs, style) {
  if (style === 'utc' || style === 'utcMs') {
    const [y, mo, d, h, mi, s, ms] = wallParts(zone.toInstant(wallMs));
    return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}${style === 'utcMs' ? '.' + p3(ms) : ''}Z`;
  }
  // through the instant, so that a wall time inside a DST gap prints as the clock really showed it
  const instant = zone.toInstant(wallMs);
  const off = zone.offsetAt(instant);
  const [y, mo, d, h, mi, s, ms] = wallParts(instant + off * MIN);
  const base = `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}`;
  switch (style) {
    case 'naive': return base;
    case 'naiveMs': return `${base}.${p3(ms)}`;
    case 'offsetMs': return `${base}.${p3(ms)}${offsetText(off)}`;
    default: return `${base}${offsetText(off)}`;
  }
}

export function isoOffset(zone, wallMs) { return formatWall(zone, wallMs, 'offset'); }

export function dateOf(wallMs) {
  const [y, mo, d] = wallParts(wallMs);
  return `${y}-${p2(mo)}-${p2(d)}`;
}

export function parseDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) throw new Error(`--start must be YYYY-MM-DD, got ${JSON.stringify(s)}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]);
}

/** parts used to build ids: yyyymmdd, yymmdd, mmdd, julian YDDD */
export function idDateParts(wallMs) {
  const [y, mo, d] = wallParts(wallMs);
  const doy = Math.floor((wallMs - Date.UTC(y, 0, 1)) / DAY) + 1;
  return { yyyymmdd: `${y}${p2(mo)}${p2(d)}`, yymmdd: `${String(y).slice(2)}${p2(mo)}${p2(d)}`, mmdd: `${p2(mo)}${p2(d)}`, ydddd: `${String(y).slice(3)}${p3(doy)}`, hh: p2(wallParts(wallMs)[3]) };
}

export function weekday(wallMs) { return new Date(wallMs).getUTCDay(); }
