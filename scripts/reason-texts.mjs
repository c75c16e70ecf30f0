#!/usr/bin/env node
// How well txlog reads published reason texts: for each row of a TSV (text, lang, code, code_system,
// cause, reason, source, note), the cause txlog gives the text alone (and, with --codes, the code alone),
// against the row's label. Uses the built product's readers (npm run build first).
//
//   node scripts/reason-texts.mjs TSV [--codes] [--sources a,b] [--exclude-sources a,b] [--misses N] [--json]
import { readFileSync } from 'node:fs';
import { builtinTables, makeLookups } from '../dist/rules/tables.js';
import { REASON_BY_ID } from '../dist/rules/reasons.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !args[args.indexOf(a) - 1]?.match(/^--(sources|exclude-sources|misses)$/));
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!file) {
  console.error('usage: node scripts/reason-texts.mjs TSV [--codes] [--sources a,b] [--exclude-sources a,b] [--misses N] [--json]');
  process.exit(2);
}
const codes = args.includes('--codes');
const only = opt('sources')?.split(',');
const exclude = opt('exclude-sources')?.split(',');
const showMisses = Number(opt('misses') ?? 0);

const PROFILE = { iso8583: 'iso', unionpay: 'unionpay', 'jpos-cmf': 'jpos', visa: 'iso', mastercard: 'iso' };
const read = makeLookups(builtinTables()).read;
const [head, ...lines] = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const cols = head.split('\t');
const rows = lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
const matches = (s, list) => list.some((x) => s.startsWith(x));
const picked = rows.filter((r) => (!only || matches(r.source, only)) && (!exclude || !matches(r.source, exclude)));

function causeOfText(r) {
  const profile = PROFILE[r.code_system] ?? 'iso';
  const hits = read.message(r.text, profile).filter((h) => h.reason !== 'uninformative');
  if (!hits.length) return { cause: 'unknown', reason: null };
  const best = hits.sort((a, b) => b.strength - a.strength)[0];
  return { cause: REASON_BY_ID.get(best.reason).cause, reason: best.reason };
}

function causeOfCode(r) {
  const profile = PROFILE[r.code_system];
  if (!profile || !r.code) return null;
  const got = read.responseCode(r.code, profile);
  if (!got) return { cause: 'unknown', reason: null };
  if (!got.hit) return { cause: 'approved', reason: null };
  return { cause: REASON_BY_ID.get(got.hit.reason).cause, reason: got.hit.reason };
}

const tally = (list, fn) => {
  const per = new Map();
  let right = 0;
  let unknown = 0;
  let n = 0;
  const misses = [];
  for (const r of list) {
    const got = fn(r);
    if (got === null) continue;
    n++;
    const ok = got.cause === r.cause;
    if (ok) right++;
    if (got.cause === 'unknown') unknown++;
    const p = per.get(r.cause) ?? { n: 0, right: 0, as: new Map() };
    p.n++;
    if (ok) p.right++;
    else p.as.set(got.cause, (p.as.get(got.cause) ?? 0) + 1);
    per.set(r.cause, p);
    if (!ok) misses.push({ text: r.text, want: r.cause, wantReason: r.reason, got: got.cause, gotReason: got.reason, source: r.source });
  }
  return { n, right, unknown, per, misses };
};

const result = tally(picked, codes ? causeOfCode : causeOfText);
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + '%' : '—');
if (args.includes('--json')) {
  console.log(JSON.stringify({ n: result.n, accuracy: result.right / result.n, unknown: result.unknown / result.n, perCause: Object.fromEntries([...result.per].map(([c, p]) => [c, { n: p.n, right: p.right }])) }));
} else {
  console.log(`${codes ? 'codes' : 'texts'}: ${result.n} rows, right ${result.right} (${pct(result.right, result.n)}), unknown ${result.unknown} (${pct(result.unknown, result.n)})`);
  for (const [c, p] of [...result.per].sort((a, b) => b[1].n - a[1].n)) {
    const as = [...p.as].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  ${c.padEnd(20)} ${String(p.n).padStart(5)}  ${pct(p.right, p.n).padStart(6)}  ${as ? `missed as: ${as}` : ''}`);
  }
  for (const m of result.misses.slice(0, showMisses)) console.log(`  MISS ${m.want}/${m.wantReason} got ${m.got}/${m.gotReason}: ${m.text}  [${m.source.slice(0, 40)}]`);
}
