import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ingest, planInput } from './ingest.js';
import { CardKeys } from './pan.js';
import { dedupeInputs, expandInputs } from '../parsers/source.js';
import { TxlogError } from './errors.js';
import { Zone } from './time.js';

export interface ValidateOptions {
  inputs: readonly string[];
  tz?: string;
  currency?: string;
  mapping?: string;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  terminalId?: string;
}

/**
 * The data files under the inputs, as `check DIR` finds its cases: a directory is searched with its
 * subdirectories (hidden ones and node_modules left out), and each directory's files are chosen as
 * `analyze DIR` chooses them (data extensions only; expected.json, truth files, rules, mappings and a
 * txlog report's own files skipped). Files and `-` are taken as given.
 */
export async function discoverInputs(names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    const info = name === '-' ? null : await stat(name).catch(() => null);
    if (!info?.isDirectory()) {
      out.push(...(await expandInputs([name]))); // a file, stdin, or a path expandInputs explains
      continue;
    }
    const before = out.length;
    const visit = async (dir: string): Promise<void> => {
      try {
        out.push(...(await expandInputs([dir])));
      } catch (err) {
        if (!(err instanceof TxlogError && err.code === 'INPUT_EMPTY_DIR')) throw err;
      }
      // Dirent.isDirectory() is false for symbolic links, so a link cycle cannot loop.
      const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules');
      for (const e of entries.map((x) => x.name).sort()) await visit(join(dir, e));
    };
    await visit(name);
    if (out.length === before) {
      throw new TxlogError('INPUT_EMPTY_DIR', `input directory ${name} holds no data files in it or below it (*.ndjson, *.json, *.csv, *.tsv, *.xml, *.log, optionally .gz)`);
    }
  }
  return out;
}

/** Parse and normalize only; every reject goes to `report` as `file:line: reason`. */
export async function validate(options: ValidateOptions, report: (line: string) => void) {
  const zone = new Zone(options.tz ?? 'UTC');
  const normalizeOptions = { zone, currency: (options.currency ?? 'CNY').toUpperCase(), cards: new CardKeys() };
  const ingestOptions = { encoding: options.encoding, mapping: options.mapping, delimiter: options.delimiter, sheet: options.sheet, terminalId: options.terminalId };
  const totals = { files: 0, read: 0, accepted: 0, rejected: 0, skipped: 0 };
  const noop = () => {};
  const { unique, duplicates } = await dedupeInputs(await discoverInputs(options.inputs));
  for (const d of duplicates) report(`${d.name}: the same file as ${d.sameAs}; read once`);
  for (const name of unique) {
    const planned = await planInput(name, undefined, ingestOptions);
    const account = await ingest(planned, normalizeOptions, { txn: noop, event: noop, settlement: noop, reject: (r) => report(`${r.file}:${r.line}: ${r.reason}`) }, ingestOptions);
    totals.files++;
    totals.read += account.read;
    totals.accepted += account.accepted;
    totals.rejected += account.rejected;
    totals.skipped += account.skipped;
  }
  return totals;
}
