import { ingest, planInput } from './ingest.js';
import { CardKeys } from './pan.js';
import { dedupeInputs, expandInputs } from '../parsers/source.js';
import { Zone } from './time.js';

export interface ValidateOptions {
  inputs: readonly string[];
  tz?: string;
  currency?: string;
  mapping?: string;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
}

/** Parse and normalize only; every reject goes to `report` as `file:line: reason`. */
export async function validate(options: ValidateOptions, report: (line: string) => void) {
  const zone = new Zone(options.tz ?? 'UTC');
  const normalizeOptions = { zone, currency: (options.currency ?? 'CNY').toUpperCase(), cards: new CardKeys() };
  const ingestOptions = { encoding: options.encoding, mapping: options.mapping, delimiter: options.delimiter, sheet: options.sheet };
  const totals = { read: 0, accepted: 0, rejected: 0, skipped: 0 };
  const noop = () => {};
  const { unique, duplicates } = await dedupeInputs(await expandInputs(options.inputs));
  for (const d of duplicates) report(`${d.name}: the same file as ${d.sameAs}; read once`);
  for (const name of unique) {
    const planned = await planInput(name, undefined, ingestOptions);
    const account = await ingest(planned, normalizeOptions, { txn: noop, event: noop, settlement: noop, reject: (r) => report(`${r.file}:${r.line}: ${r.reason}`) }, ingestOptions);
    totals.read += account.read;
    totals.accepted += account.accepted;
    totals.rejected += account.rejected;
    totals.skipped += account.skipped;
  }
  return totals;
}
