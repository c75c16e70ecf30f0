// Shared helpers for the fleet3 generator and scorer: seeded randomness, time zones, writers.
// Node built-ins only; nothing from the repository is imported.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export function hashStr(s) {
  let h = 2166136261 >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

// mulberry32, forked per label so adding a terminal does not shift every other stream
export class Rng {
  constructor(seed) { this.s = seed >>> 0; }
  next() {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  fork(label) { return new Rng(hashStr(`${this.s}:${label}`)); }
  int(a, b) { return a + Math.floor(this.next() * (b - a + 1)); }
  float(a, b) { return a + this.next() * (b - a); }
  chance(p) { return this.next() < p; }
  pick(arr) { return arr[Math.floor(this.next() * arr.length)]; }
  weighted(pairs) { // [[value, weight], ...]
    let tot = 0;
    for (const [, w] of pairs) tot += w;
    let r = this.next() * tot;
    for (const [v, w] of pairs) { r -= w; if (r < 0) return v; }
    return pairs[pairs.length - 1][0];
  }
  normal() {
    const u = Math.max(1e-12, this.next()), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  lognormal(median, sigma) { return median * Math.exp(sigma * this.normal()); }
  hex(n) { let s = ''; for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)]; return s; }
  digits(n) { let s = ''; for (let i = 0; i < n; i++) s += String(this.int(0, 9)); return s; }
  alnum(n) { const a = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'; let s = ''; for (let i = 0; i < n; i++) s += a[this.int(0, a.length - 1)]; return s; }
  shuffle(arr) { const a = arr.slice(); for (let i = a.length - 1; i > 0; i--) { const j = this.int(0, i); [a[i], a[j]] = [a[j], a[i]]; } return a; }
}

// ---- time zones (Intl only; no library) ----
const dtfCache = new Map();
function dtf(zone) {
  let f = dtfCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    dtfCache.set(zone, f);
  }
  return f;
}
export function localParts(ms, zone) {
  const o = {};
  for (const p of dtf(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return { y: o.year, mo: o.month, d: o.day, h: o.hour, mi: o.minute, s: o.second };
}
export function offsetMinutes(ms, zone) {
  const p = localParts(ms, zone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}
// wall clock in zone -> epoch ms (a wall time skipped by DST lands an hour later, like a terminal clock would)
export function localToEpoch(y, mo, d, h, mi, s, zone) {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  let off = offsetMinutes(guess, zone);
  let t = guess - off * 60000;
  const off2 = offsetMinutes(t, zone);
  if (off2 !== off) t = guess - off2 * 60000;
  return t;
}
const p2 = (n) => String(n).padStart(2, '0');
export function localDate(ms, zone) { const p = localParts(ms, zone); return `${p.y}-${p2(p.mo)}-${p2(p.d)}`; }
export function addDays(dateStr, n) {
  const [y, m, d] = dateStr.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())}`;
}
export function fmtTime(ms, zone, style) {
  ms = Math.round(ms);
  if (style === 'utc') return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const p = localParts(ms, zone);
  const base = `${p.y}-${p2(p.mo)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}`;
  if (style === 'naive') return base;
  const off = offsetMinutes(ms, zone);
  const sign = off < 0 ? '-' : '+';
  const oa = Math.abs(off);
  const offs = `${sign}${p2(Math.floor(oa / 60))}:${p2(oa % 60)}`;
  if (style === 'ms-offset') return `${base}.${String(ms % 1000).padStart(3, '0')}${offs}`;
  return base + offs;
}
export function isoOffset(ms, zone) { return fmtTime(ms, zone, 'offset'); }

// ---- writers ----
function csvCell(v) {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function serialize(rows, format, columns) {
  if (format === 'ndjson') return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
  if (format === 'json') return '[\n' + rows.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n';
  if (format === 'csv') {
    const cols = columns || [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
  }
  throw new Error(`unknown format ${format}`);
}
export function writeFile(file, text, gzip = false) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gzip ? zlib.gzipSync(Buffer.from(text)) : text);
}
export function readNdjson(file) {
  if (!fs.existsSync(file)) return [];
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t) out.push(JSON.parse(t));
  }
  return out;
}
export function parseArgs(argv, spec) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      if (spec.bool?.includes(k)) out[k] = true;
      else out[k] = inline !== undefined ? inline : argv[++i];
    } else out._.push(a);
  }
  return out;
}
