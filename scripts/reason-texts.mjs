#!/usr/bin/env node
// How well txlog reads published reason texts: for each row of a TSV (text, lang, code, code_system,
// cause, reason, source, note), the cause txlog gives the text alone (and, with --codes, the code alone),
// against the row's label. Uses the built product's readers (npm run build first).
//
//   node scripts/reason-texts.mjs TSV [--codes [--all]] [--sources a,b] [--exclude-sources a,b] [--misses N] [--json]
//
// --codes counts the codes a code system defines for every network and rows whose text names a cause;
// --all counts every row with a code (network- and vendor-specific codes, texts labelled unknown).
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
  console.error('usage: node scripts/reason-texts.mjs TSV [--codes [--all]] [--sources a,b] [--exclude-sources a,b] [--misses N] [--json]');
  process.exit(2);
}
const codes = args.includes('--codes');
const only = opt('sources')?.split(',');
const exclude = opt('exclude-sources')?.split(',');
const showMisses = Number(opt('misses') ?? 0);

const PROFILE = { iso8583: 'iso', unionpay: 'unionpay', 'jpos-cmf': 'jpos', visa: 'iso', mastercard: 'iso', 'checkout.com': 'iso' };
// Checkout.com writes a scheme's own field-39 code XX as 200XX: read it as XX. Its other codes (300XX, whose
// 30020 is "Invalid amount", not ISO 20; 20102, 20151...) are the gateway's own.
const CODE_OF = { 'checkout.com': (c) => /^200([0-9A-Z]{2})$/.exec(c)?.[1] };
// What a code system defines for every network (shared/reference/README.md): ISO 8583 00–68, 75 and 90–96 (and the 1993 action codes)
// (69–89, 97–99 and the letter codes differ by network); UnionPay 00–99 and A0 (codes beyond vary by
// acquirer: the X*/Y*/Z* of a bank's MIS interface are not field 39). Others go on a separate line.
const SHARED = {
  // ISO 8583:1993 three-digit action codes are one table for every network that uses that version.
  iso: (c) => (/^\d\d$/.test(c) && (Number(c) <= 68 || c === '75' || (Number(c) >= 90 && Number(c) <= 96))) || /^\d{3}$/.test(c),
  unionpay: (c) => /^\d\d$/.test(c) || c === 'A0',
  jpos: () => true,
};
const countAll = args.includes('--all');
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

/** The row's field-39 code and profile, or null when it has none. */
function codeOf(r) {
  const profile = PROFILE[r.code_system];
  if (!profile || !r.code) return null;
  const code = CODE_OF[r.code_system] ? CODE_OF[r.code_system](r.code.trim()) : r.code.trim();
  if (!code) return null;
  return { code, profile, shared: SHARED[profile](code.length === 1 ? `0${code}` : code.toUpperCase()) };
}

/**
 * Which rows a code-alone score counts: a code the code system defines for every network, whose text names
 * a cause. A row labelled unknown has a text that names none ("出错", "请重试" beside 06 or 30): the
 * label judges the text, and what the code alone says is not measured by it.
 */
function countedCode(r) {
  const c = codeOf(r);
  if (!c) return null;
  if (countAll) return true;
  return c.shared && r.cause !== 'unknown';
}

function causeOfCode(r) {
  const c = codeOf(r);
  if (!c) return null;
  const { code, profile } = c;
  const got = read.responseCode(code, profile);
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

const result = tally(codes ? picked.filter((r) => countedCode(r) === true) : picked, codes ? causeOfCode : causeOfText);
const aside = codes && !countAll ? tally(picked.filter((r) => countedCode(r) === false), causeOfCode) : undefined;
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + '%' : '—');
if (args.includes('--json')) {
  console.log(JSON.stringify({ n: result.n, accuracy: result.right / result.n, unknown: result.unknown / result.n, perCause: Object.fromEntries([...result.per].map(([c, p]) => [c, { n: p.n, right: p.right }])) }));
} else {
  console.log(`${codes ? 'codes' : 'texts'}: ${result.n} rows, right ${result.right} (${pct(result.right, result.n)}), unknown ${result.unknown} (${pct(result.unknown, result.n)})`);
  if (aside) {
    const priv = picked.filter((r) => countedCode(r) === false && !codeOf(r).shared);
    const blank = picked.filter((r) => countedCode(r) === false && codeOf(r).shared);
    console.log(`  not counted (--all counts them): ${priv.length} codes a network or vendor defines for itself, ${blank.length} rows whose text names no cause; on these ${aside.n} the table is right ${aside.right} (${pct(aside.right, aside.n)})`);
  }
  for (const [c, p] of [...result.per].sort((a, b) => b[1].n - a[1].n)) {
    const as = [...p.as].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  ${c.padEnd(20)} ${String(p.n).padStart(5)}  ${pct(p.right, p.n).padStart(6)}  ${as ? `missed as: ${as}` : ''}`);
  }
  for (const m of result.misses.slice(0, showMisses)) console.log(`  MISS ${m.want}/${m.wantReason} got ${m.got}/${m.gotReason}: ${m.text}  [${m.source.slice(0, 40)}]`);
}
