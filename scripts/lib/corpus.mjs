// Labelled reason texts (TSV: text, lang, code, code_system, cause, reason, source, note), kept outside the
// repository, and txlog's own table descriptions and phrases as training texts for the word model.
import { readFileSync } from 'node:fs';
import { builtinTables } from '../../dist/rules/tables.js';
import { REASON_BY_ID } from '../../dist/rules/reasons.js';

export function readCorpus(files) {
  const rows = [];
  for (const f of files) {
    const [head, ...lines] = readFileSync(f, 'utf8').split('\n').filter(Boolean);
    const cols = head.split('\t');
    for (const l of lines) rows.push({ ...Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])), file: f });
  }
  return rows;
}

/** The source a row comes from: `owner/repo` of `owner/repo@commit:path`, or `fileid:N` of `fileid:N (path)` (a file the search index holds without naming its repository: each file id is a source of its own). */
export const repoOf = (r) => (r.source.startsWith('fileid:') ? r.source.split(' ')[0] : r.source.split(':')[0]);

/** Rows usable for training: a known reason whose cause agrees with the row's. */
export function trainingDocs(rows) {
  const out = [];
  for (const r of rows) {
    const reason = r.reason.replace(/^new:/, '');
    if (r.cause === 'unknown' || !REASON_BY_ID.has(reason) || REASON_BY_ID.get(reason).cause !== r.cause) continue;
    out.push({ text: r.text, reason });
  }
  return out;
}

/** Every code table description and phrase, as a training text of its reason. */
export function tableDocs() {
  const t = builtinTables();
  const docs = [];
  for (const table of [...Object.values(t.responseCodes), t.errorCodes, t.settlementReasons, t.events]) {
    for (const e of Object.values(table)) {
      if (!e.reason || e.cause === 'approved') continue;
      for (const text of [e.en, e.zh]) if (text) docs.push({ text, reason: e.reason });
    }
  }
  // A subject (a kind of card) names no reason alone: not a class the word model should guess.
  for (const g of t.phrases) if (!REASON_BY_ID.get(g.reason)?.subject) for (const text of [...g.en, ...g.zh]) docs.push({ text: text.replace(/\*/g, ''), reason: g.reason });
  return docs;
}

/** The corpus scripts' command line: TSV files, and `--name value` options. */
export function corpusArgs(args = process.argv.slice(2)) {
  const opt = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  return { args, opt, files };
}
