import { ingest, planInput } from './ingest.js';
import { makeNormalizer } from './normalize.js';
import { expandInputs } from '../parsers/source.js';
import { Zone } from './time.js';

export interface ValidateOptions {
  inputs: readonly string[];
  tz?: string;
  currency?: string;
  mapping?: string;
  encoding?: string;
}

/** Parse and normalize only; every reject goes to `report` as `file:line: reason`. */
export async function validate(options: ValidateOptions, report: (line: string) => void) {
  const zone = new Zone(options.tz ?? 'UTC');
  const normalizeOptions = { zone, currency: (options.currency ?? 'CNY').toUpperCase() };
  const normalizer = makeNormalizer(normalizeOptions);
  const ingestOptions = { encoding: options.encoding, mapping: options.mapping };
  const totals = { read: 0, accepted: 0, rejected: 0 };
  const noop = () => {};
  for (const name of await expandInputs(options.inputs)) {
    const planned = await planInput(name, undefined, ingestOptions);
    const account = await ingest(planned, normalizeOptions, { txn: noop, event: noop, settlement: noop, reject: (r) => report(`${r.file}:${r.line}: ${r.reason}`) }, ingestOptions, normalizer);
    totals.read += account.read;
    totals.accepted += account.accepted;
    totals.rejected += account.rejected;
  }
  return totals;
}
