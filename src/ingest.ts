import { PARSERS, detectFormat } from '../parsers/index.js';
import { builtinProfiles, loadProfile, type MappedInfo } from '../parsers/mapping.js';
import { runCore, runCoreSync } from '../parsers/run.js';
import { openSource, type Source } from '../parsers/source.js';
import { skipReason } from '../parsers/profiles/statuses.js';
import type { ParseInfo, RawRow, RowItem, RowSkip } from '../parsers/types.js';
import { TxlogError } from './errors.js';
import { maskRaw, maskText } from './pan.js';
import { neverKept, type PolicyStats } from './policy.js';
import type { InputAccount, Reject, SettlementRecord, TerminalEvent, TerminalTxn } from './model.js';
import { camelKey, makeNormalizer, rowKind, type NormalizeOptions } from './normalize.js';
import { Zone } from './time.js';
import { HOLD_LIMIT, readingOf, type Reading, type ReadingDecisions } from './reading.js';

export type InputKind = 'terminal' | 'events' | 'settlement';

export interface PlannedInput {
  name: string;
  source: Source;
  format: ParseInfo['format'];
  kind: InputKind;
  forced: boolean;
  /** The mapping profile its header chose (or --mapping), with the zone and currency the profile declares. */
  profile?: string | null;
  timeZone?: string;
  currency?: string;
}

export interface IngestSink {
  txn(txn: TerminalTxn): void;
  event(event: TerminalEvent): void;
  settlement(rec: SettlementRecord): void;
  reject(reject: Reject): void;
  /** How the input's values were read (date shapes, decimal mark) and what the parser learnt; for inspect. */
  reading?(decisions: ReadingDecisions, info: ParseInfo): void;
  /** A recognised non-record (preamble, footer, comment) with its text; for inspect. */
  skip?(skip: RowSkip): void;
}

export interface IngestOptions {
  encoding?: string;
  mapping?: string;
  delimiter?: string;
  /** Sheet of an .xlsx workbook (1-based number or name); default the first. */
  sheet?: string;
}

/** Opens an input and decides its format and kind from its first rows (or from the user's flag). */
/** `tolerant`: a header problem found while detecting is left for ingest to raise (inspect reports it). */
export async function planInput(name: string, forcedKind: InputKind | undefined, options: IngestOptions, tolerant = false): Promise<PlannedInput> {
  // A forced mapping profile may say how its export is encoded.
  const encoding = options.encoding ?? (options.mapping ? (await loadProfile(options.mapping)).encoding : undefined);
  const source = await openSource(name, encoding, options.sheet);
  // A workbook's sheet arrives as comma-separated text whatever the file is called.
  const format = source.excel ? 'csv' : detectFormat(name, source.head);
  const { rows, info } = await firstRows(format, source, options, forcedKind, tolerant);
  const declared = await profileDefaults(info, options);
  if (forcedKind) return { name, source, format, kind: forcedKind, forced: true, ...declared };
  let kinds = { txn: 0, event: 0, settlement: 0 };
  for (const row of rows) kinds[rowKind(canonicalKeys(row.fields, format))]++;
  if (rows.length === 0) kinds = { txn: 1, event: 0, settlement: 0 };
  const kind: InputKind = kinds.settlement > 0 && kinds.settlement >= kinds.txn ? 'settlement' : kinds.txn === 0 && kinds.event > 0 ? 'events' : 'terminal';
  return { name, source, format, kind, forced: false, ...declared };
}

/** The zone and default currency the input's mapping profile declares (WeChat and Alipay bills: Asia/Shanghai, CNY). */
async function profileDefaults(info: ParseInfo & Partial<MappedInfo>, options: IngestOptions): Promise<Pick<PlannedInput, 'profile' | 'timeZone' | 'currency'>> {
  const out: Pick<PlannedInput, 'profile' | 'timeZone' | 'currency'> = { profile: info.profile };
  if (info.timeZone) out.timeZone = info.timeZone;
  if (info.profile === null) return out;
  const profile = options.mapping ? await loadProfile(options.mapping) : builtinProfiles().find((p) => p.name === info.profile);
  const currency = profile?.defaults.currency;
  if (currency) out.currency = currency.toUpperCase();
  return out;
}

async function firstRows(format: ParseInfo['format'], source: Source, options: IngestOptions, kind: InputKind | undefined, tolerant: boolean): Promise<{ rows: RawRow[]; info: ParseInfo & Partial<MappedInfo> }> {
  // Detection parses only the head; a cut at its end may look like a bad row, which is ignored here.
  const head = source.head.length < 64 * 1024 ? source.head : source.head.slice(0, source.head.lastIndexOf('\n') + 1);
  const info: ParseInfo = { format, profile: null, skippedLines: 0 };
  const rows: RawRow[] = [];
  try {
    // A forced kind is read as ingest will read it (a settlement header is only looked for then).
    const core = await PARSERS[format].open({ name: source.name, mapping: options.mapping, delimiter: source.excel ? ',' : options.delimiter, kind }, info);
    for (const item of runCoreSync(core, [head])) {
      if (item.row) rows.push(item.row);
      if (rows.length >= 50) break;
    }
  } catch (err) {
    if (err instanceof TxlogError && !(tolerant && err.code === 'CSV_NO_HEADER')) throw err;
  }
  return { rows, info };
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
const SKIPS_LISTED = 100;

// `"pinBlock": "..."` and the like in a rejected row's text: the value goes, whatever it is.
const JSON_MEMBER = /"((?:[^"\\]|\\.){1,40})"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/g;

/** A rejected row's text as it may be kept: never-kept members removed, card numbers masked, clipped. */
export function keptRaw(raw: string, stats?: PolicyStats): string {
  let text = raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) + '…' : raw;
  if (text.indexOf('"') >= 0) {
    text = text.replace(JSON_MEMBER, (all, key: string) => {
      if (!neverKept(key)) return all;
      stats?.count(stats.dropped, key);
      return `"${key}":"[removed]"`;
    });
  }
  return maskRaw(text, stats);
}

/** Streams one planned input through its parser and the normalizer into the sink; returns its accounting. */
export async function ingest(input: PlannedInput, normalizeOptions: NormalizeOptions, sink: IngestSink, options: IngestOptions): Promise<InputAccount> {
  const info: ParseInfo = { format: input.format, profile: null, skippedLines: 0 };
  const file = input.name;
  const skips: { line: number; reason: string }[] = [];
  const skippedBy = new Map<string, number>();
  let normalizer = makeNormalizer(normalizeOptions);
  const stats = normalizer.stats;
  let read = 0;
  let accepted = 0;
  let rejected = 0;
  const records = { transactions: 0, events: 0, settlement: 0 };
  const rejectReasons = new Map<string, { count: number; example: string }>();
  const source = input.source;
  const encodingProblem = `the line holds bytes that are not valid ${source.encoding} (shown as U+FFFD); the file is read as ${source.encoding} (${source.encodingReason}). Fix: repair the line, or give the file's encoding with --encoding`;
  const reject = (line: number, reason: string, raw: string) => {
    rejected++;
    const masked = maskText(reason, stats);
    // Reasons are counted by their kind (quoted values and numbers left out) for the one-line message; bounded.
    const kind = masked.replace(/"[^"]*"/g, '…').replace(/\d+/g, 'N').slice(0, 120);
    const seen = rejectReasons.get(kind);
    if (seen) seen.count++;
    else if (rejectReasons.size < 1000) rejectReasons.set(kind, { count: 1, example: masked.replace(/"[^"]*"/g, '…') });
    sink.reject({ file, line, reason: masked, raw: keptRaw(raw, stats) });
  };
  const skip = (line: number, reason: string) => {
    skippedBy.set(reason, (skippedBy.get(reason) ?? 0) + 1);
    if (skips.length < SKIPS_LISTED) skips.push({ line, reason });
  };
  const fromExport = () => info.profile !== null;
  const core = await PARSERS[input.format].open({ name: file, mapping: options.mapping, delimiter: source.excel ? ',' : options.delimiter, kind: input.forced ? input.kind : undefined }, info);
  // A --mapping may only say how values are read (dateFormat, decimal, timeZone), whatever the format.
  const mapping = options.mapping ? await loadProfile(options.mapping) : undefined;
  let reading: Reading | undefined;
  const normalizeRow = (kind: ReturnType<typeof rowKind>, fields: Record<string, unknown>, src: { file: string; line: number }) =>
    kind === 'settlement' ? normalizer.settlement(fields, src) : kind === 'event' ? normalizer.event(fields, src) : normalizer.txn(fields, src, fromExport());
  const handle = (item: RowItem) => {
    if (item.skip) {
      skippedBy.set(item.skip.reason, (skippedBy.get(item.skip.reason) ?? 0) + 1);
      if (skips.length < SKIPS_LISTED) skips.push({ line: item.skip.line, reason: item.skip.reason });
      sink.skip?.(item.skip);
      return;
    }
    if (item.problem) {
      const bad = source.damage.invalidBytes && item.problem.raw.indexOf('\uFFFD') >= 0;
      reject(item.problem.line, bad ? `${item.problem.reason}; ${encodingProblem}` : item.problem.reason, item.problem.raw);
      return;
    }
    const row = item.row;
    if (source.damage.invalidBytes && row.raw.indexOf('\uFFFD') >= 0) {
      reject(row.line, encodingProblem, row.raw);
      return;
    }
    const src = { file, line: row.line };
    const kind = input.kind === 'settlement' ? 'settlement' : input.kind === 'events' ? 'event' : rowKind(row.fields);
    // An order never paid or closed without a payment is no attempt (parsers/profiles/statuses.json).
    const notRecord = kind === 'event' ? undefined : skipReason(kind === 'settlement' ? 'settlement' : 'terminal', info.profile, row.fields.status);
    if (notRecord !== undefined) {
      skip(row.line, notRecord);
      sink.skip?.({ line: row.line, reason: notRecord, raw: row.raw });
      return;
    }
    if (kind === 'settlement' && input.kind !== 'settlement') {
      reject(row.line, 'a settlement line in a terminal file: give settlement lines in their own file (or force it with --settlement)', row.raw);
      return;
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
      return;
    }
    accepted++;
    if (record.kind === 'settlement') {
      records.settlement++;
      sink.settlement(record);
    } else if (record.kind === 'event') {
      records.events++;
      sink.event(record);
    } else {
      records.transactions++;
      sink.txn(record);
    }
  };
  // Rows wait here while a column's day/month order or decimal mark is still open (see parsers/dates.ts).
  let held: RowItem[] = [];
  const flush = () => {
    const items = held;
    held = [];
    for (const item of items) handle(item);
  };
  try {
    for await (const batch of runCore(core, source.text)) {
      if (!reading) {
        // The header (and a profile's zone, date pattern and decimal mark) is known once the first batch is out.
        reading = readingOf(info, mapping, source.excel === true);
        normalizer = makeNormalizer(
          { ...normalizeOptions, zone: reading.timeZone ? new Zone(reading.timeZone) : normalizeOptions.zone, dateFormat: reading.dateFormat, dates: reading.dates, decimals: reading.decimals },
          stats,
        );
      }
      for (const item of batch) {
        read++;
        if (item.row) reading.observe(item.row);
        if (reading.pending()) {
          held.push(item);
          if (held.length >= HOLD_LIMIT) reading.settle(file);
          if (!reading.pending()) flush();
          continue;
        }
        if (held.length) flush();
        handle(item);
      }
    }
    if (held.length) {
      reading!.settle(file);
      flush();
    }
  } finally {
    // Also when the input stops (an ambiguous date column): inspect shows what was learnt until then.
    if (reading) sink.reading?.((reading as Reading).decisions(), info);
  }
  const decimalWarning = reading?.decimals.warning();
  if (decimalWarning) (info.warnings ??= []).push(decimalWarning);
  const warnings = [...(info.warnings ?? [])];
  for (const [field, e] of stats.excel) {
    warnings.push(
      `${field}: ${e.count} value(s) were changed by Excel into rounded numbers (e.g. "${maskText(e.example)}"); they are kept as given but not used to join, group or find duplicates. Fix: re-export with the column formatted as text`,
    );
  }
  if (source.damage.invalidBytes) warnings.push(`some bytes are not valid ${source.encoding}; the lines holding them were rejected`);
  let kindOut: InputAccount['kind'] = input.kind;
  if (input.kind === 'terminal' && records.events > 0) kindOut = records.transactions > 0 ? 'mixed' : 'events';
  return {
    path: input.name,
    kind: kindOut,
    format: input.format,
    encoding: source.encoding,
    encodingReason: source.encodingReason,
    compressed: source.compressed,
    profile: info.profile,
    read,
    accepted,
    rejected,
    skipped: read - accepted - rejected,
    skippedBy: sortedMap(skippedBy),
    skips,
    records,
    topRejectReason: [...rejectReasons].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))[0]?.[1].example ?? null,
    warnings,
    privacy: {
      cardNumbersMasked: stats.masked,
      idsTokenized: sortedMap(stats.tokenized),
      fieldsDropped: sortedMap(stats.dropped),
    },
  };
}

function sortedMap(map: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out[k] = v;
  return out;
}
