#!/usr/bin/env node
// Trains the word model behind messages no phrase matches (rules/lib/tokens.ts) and writes
// rules/codes/token-model.json. Training texts: labelled published reason texts given as TSV files
// (text, lang, code, code_system, cause, reason, source, note; kept outside the repository, their sources
// listed in docs/vocabulary.md), plus every description in txlog's own code tables and every phrase of
// rules/codes/phrases.json. Only token counts per reason are written, no text.
//
//   npm run build && node scripts/build-token-model.mjs CORPUS.tsv [MORE.tsv ...] [--exclude-sources a,b] [--min-count 2]
//       [--base rules/codes/token-model.json [--base-ref COMMIT]] [--out FILE]
//
// --base starts from an existing model's counts and adds the new TSVs to them. The shipped model was trained
// on labelled corpora that are no longer kept (the earlier rounds' TSVs), so retraining from scratch on a new
// round alone would lose what it learned from them; --base keeps those counts. The base already counted the
// tables' descriptions and phrases as they stood when it was built (--base-ref, by default the last commit
// that changed the base file): only the descriptions and phrases added since are counted again, so a table
// text does not weigh twice. --min-count applies to the tokens of the new texts only.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { trainTokenModel } from '../dist/rules/lib/tokens.js';
import { REASON_BY_ID } from '../dist/rules/reasons.js';
import { corpusArgs, readCorpus, repoOf, tableDocs, trainingDocs } from './lib/corpus.mjs';

const { opt, files } = corpusArgs();
const exclude = opt('exclude-sources')?.split(',') ?? [];
const out = opt('out') ?? 'rules/codes/token-model.json';
const basePath = opt('base');

const rows = readCorpus(files).filter((r) => !exclude.some((x) => r.source.startsWith(x)));
const published = trainingDocs(rows);
let own = tableDocs();
const sources = new Set(rows.map(repoOf));

/** The own docs (table descriptions, phrases) as they stood at a commit, as a multiset of reason + text. */
function ownDocsAt(ref) {
  const git = (...a) => execFileSync('git', a, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const bag = new Map();
  const put = (reason, text) => {
    const k = `${reason}\u0000${text}`;
    bag.set(k, (bag.get(k) ?? 0) + 1);
  };
  for (const path of git('ls-tree', '--name-only', ref, 'rules/codes/').split('\n').filter((p) => p.endsWith('.json') && !p.endsWith('token-model.json'))) {
    const json = JSON.parse(git('show', `${ref}:${path}`));
    const walk = (v) => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      if (typeof v.reason === 'string' && (Array.isArray(v.en) || Array.isArray(v.zh))) {
        if (!REASON_BY_ID.get(v.reason)?.subject) for (const t of [...(v.en ?? []), ...(v.zh ?? [])]) put(v.reason, t.replace(/\*/g, ''));
        return;
      }
      if (typeof v.reason === 'string' && v.cause !== 'approved') for (const t of [v.en, v.zh]) if (typeof t === 'string' && t) put(v.reason, t);
      for (const x of Object.values(v)) walk(x);
    };
    walk(json);
  }
  return bag;
}

let base;
if (basePath) {
  base = JSON.parse(readFileSync(basePath, 'utf8'));
  const ref = opt('base-ref') ?? execFileSync('git', ['log', '-1', '--format=%H', '--', basePath], { encoding: 'utf8' }).trim();
  const counted = ownDocsAt(ref);
  own = own.filter((d) => {
    const k = `${d.reason}\u0000${d.text}`;
    const n = counted.get(k) ?? 0;
    if (n > 0) counted.set(k, n - 1);
    return n === 0;
  });
  console.log(`base ${basePath} (own texts as of ${ref.slice(0, 10)}): ${base.classes.reduce((s, c) => s + c.docs, 0)} texts; ${own.length} own texts new since`);
}

const fresh = trainTokenModel([...published, ...own], { minCount: Number(opt('min-count') ?? 1) });

/** Adds two count files: classes by reason, token counts summed. */
function merge(a, b) {
  const reasons = [...new Set([...a.classes, ...b.classes].map((c) => c.reason))].sort();
  const idx = new Map(reasons.map((r, i) => [r, i]));
  const docs = reasons.map(() => 0);
  for (const m of [a, b]) for (const c of m.classes) docs[idx.get(c.reason)] += c.docs;
  const counts = new Map();
  for (const m of [a, b]) {
    for (const [tok, list] of Object.entries(m.counts)) {
      let per = counts.get(tok);
      if (!per) counts.set(tok, (per = new Map()));
      for (let i = 0; i < list.length; i += 2) {
        const c = idx.get(m.classes[list[i]].reason);
        per.set(c, (per.get(c) ?? 0) + list[i + 1]);
      }
    }
  }
  const outCounts = {};
  for (const tok of [...counts.keys()].sort()) outCounts[tok] = [...counts.get(tok)].sort((x, y) => x[0] - y[0]).flat();
  return { alpha: a.alpha, classes: reasons.map((reason, i) => ({ reason, docs: docs[i] })), counts: outCounts };
}

const baseNote = base ? ` Started from the previous model's counts (${base.classes.reduce((s, c) => s + c.docs, 0)} texts: ${(base.$comment ?? '').match(/from (\d+ published reason texts of \d+ public sources)/)?.[1] ?? 'earlier labelled corpora'} and txlog's own tables then), adding` : '';
const model = base ? merge(base, fresh) : fresh;
const total = model.classes.reduce((s, c) => s + c.docs, 0);
model.$comment = `Naive Bayes token counts per reason (rules/lib/tokens.ts), built by scripts/build-token-model.mjs.${baseNote || ' From'} ${published.length} published reason texts of ${sources.size} public sources (ISO 8583 libraries' field-39 descriptions, gateway and processor decline lists, UnionPay and Chinese acquirer/POS texts, terminal SDK and device messages; listed in docs/vocabulary.md) and ${own.length} descriptions and phrases of txlog's own tables${base ? ' not in the base' : ''}; ${total} texts in all. Counts only: no text is kept.`;
const { $comment, ...rest } = model;
writeFileSync(out, JSON.stringify({ $comment, ...rest }) + '\n');
console.log(`wrote ${out}: ${model.classes.length} reasons, ${Object.keys(model.counts).length} tokens, ${total} texts (${published.length} new published, ${own.length} own${base ? ' new since the base' : ''})`);
