#!/usr/bin/env node
// Trains the word model behind messages no phrase matches (rules/lib/tokens.ts) and writes
// rules/codes/token-model.json. Training texts: labelled published reason texts given as TSV files
// (text, lang, code, code_system, cause, reason, source, note; kept outside the repository, see the
// $comment written into the model for their sources), plus every description in txlog's own code tables
// and every phrase of rules/codes/phrases.json. Only token counts per reason are written.
//
//   npm run build && node scripts/build-token-model.mjs CORPUS.tsv [MORE.tsv ...] [--exclude-sources a,b] [--min-count 2]
import { readFileSync, writeFileSync } from 'node:fs';
import { tokens } from '../dist/rules/lib/tokens.js';
import { builtinTables } from '../dist/rules/tables.js';
import { REASON_BY_ID } from '../dist/rules/reasons.js';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const exclude = opt('exclude-sources')?.split(',') ?? [];
const minCount = Number(opt('min-count') ?? 1);
const out = opt('out') ?? 'rules/codes/token-model.json';

const docs = [];
const sources = new Set();
for (const f of files) {
  const [head, ...lines] = readFileSync(f, 'utf8').split('\n').filter(Boolean);
  const cols = head.split('\t');
  for (const l of lines) {
    const r = Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v]));
    if (exclude.some((x) => r.source.startsWith(x))) continue;
    const reason = r.reason.replace(/^new:/, '');
    if (r.cause === 'unknown' || !REASON_BY_ID.has(reason) || REASON_BY_ID.get(reason).cause !== r.cause) continue;
    docs.push({ text: r.text, reason });
    sources.add(r.source.split(':')[0]);
  }
}
const t = builtinTables();
const tables = [...Object.values(t.responseCodes), t.errorCodes, t.settlementReasons, t.events];
let fromTables = 0;
for (const table of tables) {
  for (const e of Object.values(table)) {
    if (!e.reason || e.cause === 'approved') continue;
    for (const text of [e.en, e.zh]) if (text) (docs.push({ text, reason: e.reason }), fromTables++);
  }
}
for (const g of t.phrases) for (const text of [...g.en, ...g.zh]) (docs.push({ text: text.replace(/\*/g, ''), reason: g.reason }), fromTables++);

const classes = [...new Set(docs.map((d) => d.reason))].sort();
const index = new Map(classes.map((c, i) => [c, i]));
const perClass = classes.map(() => 0);
const counts = new Map();
for (const d of docs) {
  const c = index.get(d.reason);
  perClass[c]++;
  for (const tok of tokens(d.text)) {
    let m = counts.get(tok);
    if (!m) counts.set(tok, (m = new Map()));
    m.set(c, (m.get(c) ?? 0) + 1);
  }
}
const json = {};
for (const tok of [...counts.keys()].sort()) {
  const m = counts.get(tok);
  let total = 0;
  for (const v of m.values()) total += v;
  if (total < minCount) continue;
  json[tok] = [...m].sort((a, b) => a[0] - b[0]).flat();
}
const model = {
  $comment: `Naive Bayes token counts per reason (rules/lib/tokens.ts), built by scripts/build-token-model.mjs from ${docs.length - fromTables} published reason texts of ${sources.size} public sources (ISO 8583 libraries' field-39 descriptions, gateway and processor decline lists, UnionPay and Chinese acquirer/POS texts, terminal SDK and device messages; listed in docs/vocabulary.md) and ${fromTables} descriptions and phrases of txlog's own tables. Counts only: no text is kept.`,
  alpha: 0.1,
  classes: classes.map((reason, i) => ({ reason, docs: perClass[i] })),
  counts: json,
};
writeFileSync(out, JSON.stringify(model) + '\n');
console.log(`wrote ${out}: ${classes.length} reasons, ${Object.keys(json).length} tokens, ${docs.length} texts (${fromTables} from txlog's tables)`);
