import { PARSERS, detectFormat } from '../parsers/index.js';
import { openSource, type Source } from '../parsers/source.js';
import type { ParseInfo, RawRow, RowItem } from '../parsers/types.js';
import { TxlogError } from './errors.js';
import { maskPans } from './mask.js';
import type { InputAccount, Reject, SettlementRecord, TerminalEvent, TerminalTxn } from './model.js';
import { camelKey, makeNormalizer, rowKind, type NormalizeOptions, type Normalizer } from './normalize.js';
import { Zone } from './time.js';

export type InputKind = 'terminal' | 'events' | 'settlement';

export interface PlannedInput {
  name: string;
  source: Source;
  format: ParseInfo['format'];
  kind: InputKind;
  forced: boolean;
}

export interface IngestSink {
  txn(txn: TerminalTxn): void;
  event(event: TerminalEvent): void;
  settlement(rec: SettlementRecord): void;
  reject(reject: Reject): void;
}

export interface IngestOptions {
  encoding?: string;
  mapping?: string;
  delimiter?: string;
}

/** Opens an input and decides its format and kind from its first rows (or from the user's flag). */
export async function planInput(name: string, forcedKind: InputKind | undefined, options: IngestOptions): Promise<PlannedInput> {
  const source = await openSource(name, options.encoding);
  const format = detectFormat(name, source.head);
  if (forcedKind) return { name, source, format, kind: forcedKind, forced: true };
  const rows = await firstRows(format, source, options);
  let kinds = { txn: 0, event: 0, settlement: 0 };
  for (const row of rows) kinds[rowKind(canonicalKeys(row.fields, format))]++;
  if (rows.length === 0) kinds = { txn: 1, event: 0, settlement: 0 };
  const kind: InputKind = kinds.settlement > 0 && kinds.settlement >= kinds.txn ? 'settlement' : kinds.txn === 0 && kinds.event > 0 ? 'events' : 'terminal';
  return { name, source, format, kind, forced: false };
}

async function firstRows(format: ParseInfo['format'], source: Source, options: IngestOptions): Promise<RawRow[]> {
  // Detection parses only the head; a cut at its end may look like a bad row, which is ignored here.
  const head = source.head.length < 64 * 1024 ? source.head : source.head.slice(0, source.head.lastIndexOf('\n') + 1);
  const info: ParseInfo = { format, profile: null, skippedLines: 0 };
  const rows: RawRow[] = [];
  const text = (async function* () {
    yield head;
  })();
  try {
    for await (const batch of PARSERS[format].parse(text, { name: source.name, mapping: options.mapping, delimiter: options.delimiter }, info)) {
      for (const item of batch) if (item.row) rows.push(item.row);
      if (rows.length >= 50) break;
    }
  } catch (err) {
    if (err instanceof TxlogError) throw err;
  }
  return rows.slice(0, 50);
}

function canonicalKeys(fields: Record<string, unknown>, format: ParseInfo['format']): Record<string, unknown> {
  if (format === 'csv' || format === 'tsv') return fields;
  let needs = false;
  for (const key in fields) {
    if (key.includes('_') || key.includes(' ') || key.includes('-')) {
      needs = true;
      break;
    }
  }
  if (!needs) return fields;
  const out: Record<string, unknown> = {};
  for (const key in fields) out[camelKey(key)] = fields[key];
  return out;
}

const RAW_LIMIT = 4000;

/** Streams one planned input through its parser and the normalizer into the sink; returns its accounting. */
export async function ingest(input: PlannedInput, normalizeOptions: NormalizeOptions, sink: IngestSink, options: IngestOptions, base: Normalizer = makeNormalizer(normalizeOptions)): Promise<InputAccount> {
  const info: ParseInfo = { format: input.format, profile: null, skippedLines: 0 };
  const account: InputAccount = {
    path: input.name,
    kind: input.kind,
    format: input.format,
    encoding: input.source.encoding,
    compressed: input.source.compressed,
    profile: null,
    read: 0,
    accepted: 0,
    rejected: 0,
    records: { transactions: 0, events: 0, settlement: 0 },
  };
  const file = input.name;
  const reject = (line: number, reason: string, raw: string) => {
    account.rejected++;
    sink.reject({ file, line, reason, raw: maskPans(raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) + '…' : raw) });
  };
  const fromExport = () => info.profile !== null;
  const parser = PARSERS[input.format];
  const batches: AsyncIterable<RowItem[]> = parser.parse(
    input.source.text,
    { name: file, mapping: options.mapping, delimiter: options.delimiter, kind: input.forced ? input.kind : undefined },
    info,
  );
  let normalizer = base;
  let checkedProfile = false;
  const normalizeRow = (kind: ReturnType<typeof rowKind>, fields: Record<string, unknown>, src: { file: string; line: number }) =>
    kind === 'settlement' ? normalizer.settlement(fields, src) : kind === 'event' ? normalizer.event(fields, src) : normalizer.txn(fields, src, fromExport());
  for await (const batch of batches) {
    if (!checkedProfile) {
      // A mapping profile may carry its own zone and date pattern, known once the header is read.
      checkedProfile = true;
      if (info.timeZone || info.dateFormat) {
        normalizer = makeNormalizer({ ...normalizeOptions, zone: info.timeZone ? new Zone(info.timeZone) : normalizeOptions.zone, dateFormat: info.dateFormat });
      }
    }
    for (const item of batch) {
      account.read++;
      if (item.problem) {
        reject(item.problem.line, item.problem.reason, item.problem.raw);
        continue;
      }
      const row = item.row;
      const src = { file, line: row.line };
      const kind = input.kind === 'settlement' ? 'settlement' : input.kind === 'events' ? 'event' : rowKind(row.fields);
      if (kind === 'settlement' && input.kind !== 'settlement') {
        reject(row.line, 'a settlement line in a terminal file: give settlement lines in their own file (or force it with --settlement)', row.raw);
        continue;
      }
      let record = normalizeRow(kind, row.fields, src);
      // snake_case or spaced keys from other tools: camel-case them, only when the row did not go through as is.
      if (typeof record === 'string') {
        const fields = canonicalKeys(row.fields, input.format);
        if (fields !== row.fields) {
          const retry = normalizeRow(input.kind === 'terminal' ? rowKind(fields) : kind, fields, src);
          if (typeof retry !== 'string') record = retry;
        }
      }
      if (typeof record === 'string') {
        reject(row.line, record, row.raw);
        continue;
      }
      account.accepted++;
      if (record.kind === 'settlement') {
        account.records.settlement++;
        sink.settlement(record);
      } else if (record.kind === 'event') {
        account.records.events++;
        sink.event(record);
      } else {
        account.records.transactions++;
        sink.txn(record);
      }
    }
  }
  account.profile = info.profile;
  if (input.kind === 'terminal' && account.records.events > 0) account.kind = account.records.transactions > 0 ? 'mixed' : 'events';
  return account;
}
