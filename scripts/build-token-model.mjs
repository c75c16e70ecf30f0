#!/usr/bin/env node
// Trains the word model behind messages no phrase matches (rules/lib/tokens.ts) and writes
// rules/codes/token-model.json. Training texts: labelled published reason texts given as TSV files
// (text, lang, code, code_system, cause, reason, source, note; kept outside the repository, their sources
// listed in docs/vocabulary.md), plus every description in txlog's own code tables and every phrase of
// rules/codes/phrases.json. Only token counts per reason are written, no text.
//
//   npm run build && node scripts/build-token-model.mjs CORPUS.tsv [MORE.tsv ...] [--exclude-sources a,b] [--min-count 2]
import { writeFileSync } from 'node:fs';
import { trainTokenModel } from '../dist/rules/lib/tokens.js';
import { corpusArgs, readCorpus, repoOf, tableDocs, trainingDocs } from './lib/corpus.mjs';

const { opt, files } = corpusArgs();
const exclude = opt('exclude-sources')?.split(',') ?? [];
const out = opt('out') ?? 'rules/codes/token-model.json';

const rows = readCorpus(files).filter((r) => !exclude.some((x) => r.source.startsWith(x)));
const published = trainingDocs(rows);
const own = tableDocs();
const sources = new Set(rows.map(repoOf));
const model = trainTokenModel([...published, ...own], {
  minCount: Number(opt('min-count') ?? 1),
  comment: `Naive Bayes token counts per reason (rules/lib/tokens.ts), built by scripts/build-token-model.mjs from ${published.length} published reason texts of ${sources.size} public sources (ISO 8583 libraries' field-39 descriptions, gateway and processor decline lists, UnionPay and Chinese acquirer/POS texts, terminal SDK and device messages; listed in docs/vocabulary.md) and ${own.length} descriptions and phrases of txlog's own tables. Counts only: no text is kept.`,
});
writeFileSync(out, JSON.stringify(model) + '\n');
console.log(`wrote ${out}: ${model.classes.length} reasons, ${Object.keys(model.counts).length} tokens, ${published.length + own.length} texts (${own.length} from txlog's tables)`);
