#!/usr/bin/env node
// How well txlog reads reason texts from sources it has not seen: the corpus is split into folds by source
// repository; for each fold the word model is trained on the other folds (plus txlog's own tables and
// phrases) and the fold is read with it. Prints right / unknown per file and cause, and by guess threshold.
//
//   npm run build && node scripts/eval-texts-cv.mjs CORPUS.tsv [MORE.tsv ...] [--folds 5]
import { TokenModel, trainTokenModel } from '../dist/rules/lib/tokens.js';
import { builtinTables, makeLookups } from '../dist/rules/tables.js';
import { REASON_BY_ID } from '../dist/rules/reasons.js';
import { corpusArgs, readCorpus, repoOf, tableDocs, trainingDocs } from './lib/corpus.mjs';

const { opt, files } = corpusArgs();
const folds = Number(opt('folds') ?? 5);
const rows = readCorpus(files);
const own = tableDocs();
const hash = (s) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7) >>> 0;
const foldOf = (r) => hash(repoOf(r)) % folds;
const causeOf = (reason) => REASON_BY_ID.get(reason)?.cause;

const results = [];
for (let k = 0; k < folds; k++) {
  const test = rows.filter((r) => foldOf(r) === k);
  const model = new TokenModel(trainTokenModel([...trainingDocs(rows.filter((r) => foldOf(r) !== k)), ...own]), causeOf);
  const read = makeLookups(builtinTables(), { wordModel: model }).read;
  for (const r of test) {
    const hits = [...read.message(r.text, 'iso')].filter((h) => h.reason !== 'uninformative' && !h.guessed).sort((a, b) => b.strength - a.strength);
    // As the reader does: a residual reading ("Invalid ...") still lets the model read the rest of the words.
    const residual = hits.length > 0 && hits.every((h) => REASON_BY_ID.get(h.reason)?.residual);
    const g = hits.length && !residual ? undefined : model.guess(read.wordsOf(r.text));
    results.push({ r, cause: hits.length && !residual ? causeOf(hits[0].reason) : undefined, fallback: residual ? causeOf(hits[0].reason) : undefined, guess: g ? { cause: causeOf(g.reason), confidence: g.confidence } : undefined });
  }
}
const pct = (a, b) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
const at = (x, t) => x.cause ?? (x.guess && x.guess.confidence >= t ? x.guess.cause : x.fallback ?? 'unknown');
for (const f of files) {
  const list = results.filter((x) => x.r.file === f);
  const line = [0.5, 0.7, 0.8, 0.9, 0.95, 1.01].map((t) => {
    const right = list.filter((x) => at(x, t) === x.r.cause).length;
    const unknown = list.filter((x) => at(x, t) === 'unknown').length;
    return `>=${t > 1 ? 'never' : t}: ${pct(right, list.length)} right, ${pct(unknown, list.length)} unknown`;
  });
  console.log(`${f} (${list.length} rows; phrases read ${pct(list.filter((x) => x.cause).length, list.length)})\n  ${line.join('\n  ')}`);
}
