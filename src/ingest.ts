import { PARSERS, detectFormat } from '../parsers/index.js';
import { builtinProfiles, loadProfile, type MappedInfo } from '../parsers/mapping.js';
import { runCore, runCoreSync } from '../parsers/run.js';
import { jsonShape } from '../parsers/json-shape.js';
import { openSource, workbookSheets, type Source } from '../parsers/source.js';
import { skipReason } from '../parsers/profiles/statuses.js';
import type { ParseInfo, RawRow, RowItem, RowSkip } from '../parsers/types.js';
import { defaultedDecimalsWarning, type DefaultedDecimals } from '../parsers/numbers.js';
import { shardOf, type RowShare } from '../parsers/share.js';
import { TxlogError } from './errors.js';
import { maskRaw, maskText } from './pan.js';
import { neverKept, PolicyStats } from './policy.js';
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
  /** Warnings about how the input is read, found while planning (a forced encoding, an unwrapped JSON object). */
  notes?: string[];
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
  /** The terminal the rows of an export that names none come from (--terminal-id); rows that name one keep theirs. */
  terminalId?: string;
}

/** Whether a row names its terminal under any key (terminalId, terminal_id, 终端号 read as such). */
function namesTerminal(fields: Record<string, unknown>): boolean {
  if (fields.terminalId !== undefined) return true;
  for (const key in fields) if (/terminal|终端/i.test(key)) return true;
  return false;
}

/** Opens an input and decides its format and kind from its first rows (or from the user's flag). */
/** `tolerant`: a header problem found while detecting is left for ingest to raise (inspect reports it). */
export async function planInput(name: string, forcedKind: InputKind | undefined, options: IngestOptions, tolerant = false): Promise<PlannedInput> {
  // A forced mapping profile may say how its export is encoded.
  const encoding = options.encoding ?? (options.mapping ? (await loadProfile(options.mapping)).encoding : undefined);
  let source = await openSource(name, encoding, options.sheet);
  // A workbook's sheet arrives as comma-separated text whatever the file is called.
  let format = source.excel ? 'csv' : detectFormat(name, source.head);
  const notes: string[] = [];
  if (format === 'ndjson') {
    // Shorter than the head: the whole text is in it.
    const shape = jsonShape(name, source.head, source.head.length < HEAD_CHARS);
    if (shape) {
      const text = shape.unwrapped;
      source = { ...source, head: text, text: (async function* () { yield text; })() };
      format = 'json';
      notes.push(`it is one JSON object; its records were read from the array under "${shape.key}"${shape.ignored.length ? ` (${shape.ignored.map((k) => `"${k}"`).join(', ')} ignored)` : ''}`);
    }
  }
  const { rows, info } = await firstRows(format, source, options, forcedKind, tolerant).catch(async (err: unknown) => Promise.reject(await withHints(err, source, options)));
  if (source.utf8Instead) notes.push(forcedEncodingNote(source));
  const declared = { ...(await profileDefaults(info, options)), ...(notes.length ? { notes } : {}) };
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

const HEAD_CHARS = 64 * 1024;

function forcedEncodingNote(source: Source): string {
  return `it was read as ${source.encoding} (--encoding), but its bytes are valid UTF-8; if its text looks garbled, drop --encoding or give --encoding utf-8`;
}

/** A header not found may have a cause the parser cannot see: a forced encoding, or a workbook's cover sheet. */
async function withHints(err: unknown, source: Source, options: IngestOptions): Promise<unknown> {
  if (!(err instanceof TxlogError) || err.code !== 'CSV_NO_HEADER') return err;
  const hints: string[] = [];
  if (source.utf8Instead) hints.push(`The file was read as ${source.encoding} (--encoding) but its bytes are valid UTF-8: the forced encoding may be wrong; try without --encoding or with --encoding utf-8.`);
  if (source.excel && source.sheet !== undefined) {
    const others = source.name === '-' ? [] : (await workbookSheets(source.name)).filter((s) => s !== source.sheet);
    const which = options.sheet === undefined ? `the first sheet, "${source.sheet}"` : `sheet "${source.sheet}" (--sheet)`;
    if (others.length) hints.push(`This read ${which}; the workbook's other sheets: ${others.map((s) => `"${s}"`).join(', ')}. If the data is on one of them, pick it with --sheet NAME (e.g. --sheet "${others[0]}").`);
  }
  return hints.length ? new TxlogError(err.code, `${err.message} ${hints.join(' ')}`, err.exitCode) : err;
}

async function firstRows(format: ParseInfo['format'], source: Source, options: IngestOptions, kind: InputKind | undefined, tolerant: boolean): Promise<{ rows: RawRow[]; info: ParseInfo & Partial<MappedInfo> }> {
  // Detection parses only the head; a cut at its end may look like a bad row, which is ignored here.
  const head = source.head.length < HEAD_CHARS ? source.head : source.head.slice(0, Math.max(source.head.lastIndexOf('\n'), source.head.lastIndexOf('\r')) + 1);
  if (head === '' && source.head.length >= HEAD_CHARS && (format === 'csv' || format === 'tsv')) {
    throw new TxlogError(
      'LINE_TOO_LONG',
      `${source.name}: line 1 is longer than ${HEAD_CHARS / 1024} KiB (no line break in its first ${HEAD_CHARS.toLocaleString('en-US')} characters), the most a header row is looked for in; a header is one line naming the columns. Fix: check that this is the right file and that its lines end in line breaks`,
    );
  }
  const info: ParseInfo = { format, profile: null, skippedLines: 0 };
  const rows: RawRow[] = [];
  try {
    // A forced kind is read as ingest will read it (a settlement header is only looked for then).
    const core = await PARSERS[format].open({ name: source.name, mapping: options.mapping, delimiter: source.excel ? ',' : options.delimiter, kind, terminalId: options.terminalId }, info);
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
export function keptRaw(raw: string, stats?: PolicyStats, secret?: SecretCells): string {
  // Masked whole, then cut: a cut through a card number would leave digits enough to give it back.
  let text = secret ? blankCells(raw, secret, stats) : raw;
  if (text.indexOf('"') >= 0) {
    text = text.replace(JSON_MEMBER, (all, key: string) => {
      if (!neverKept(key)) return all;
      stats?.count(stats.dropped, key);
      return `"${key}":"[removed]"`;
    });
  }
  text = maskRaw(text, stats).replace(HEX_DATA, (all) => {
    if (!/[0-9]/.test(all) || !/[A-Fa-f]/.test(all)) return all;
    stats?.count(stats.dropped, '(hex data in a rejected line)');
    return '[hex data removed]';
  });
  return text.length > RAW_LIMIT ? text.slice(0, RAW_LIMIT) + '…' : text;
}

/** The cells of a delimited line whose header names data never kept (a PIN, a CVV, chip data), by position. */
export interface SecretCells {
  delimiter: string;
  columns: ReadonlySet<number>;
}

/** A delimited line with its secret cells emptied (quotes respected; a quote-free line is split as is). */
function blankCells(raw: string, secret: SecretCells, stats?: PolicyStats): string {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && c === secret.delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  let blanked = false;
  for (const k of secret.columns) {
    if (k < cells.length && cells[k] !== '') {
      cells[k] = '[removed]';
      blanked = true;
    }
  }
  if (blanked) stats?.count(stats.dropped, '(never-kept cells in a rejected line)');
  return blanked ? cells.join(secret.delimiter) : raw;
}

// A run of 16 or more hex digits, letters and digits mixed, in a rejected line: a PIN block (16) or chip data
// (EMV TLV) under whatever column name; the rest of the line stays, for the reader to see what is wrong.
const HEX_DATA = /(?<![0-9A-Za-z])[0-9A-Fa-f]{16,}(?![0-9A-Za-z])/g;

/** About how many lines an input holds, from its size and its head's lines; 0 when that cannot be told (stdin, gzip, a short head). */
export function expectedRows(input: PlannedInput): number {
  const total = input.source.progress.total;
  const head = input.source.head;
  if (total === null || input.source.compressed || input.source.excel) return 0;
  let lines = 0;
  for (let i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) lines++;
  if (lines < 16) return 0;
  // Characters for bytes: exact for ASCII; for wider text it errs high, which costs only some room.
  return Math.ceil(total / (head.length / lines));
}

/** Streams one planned input through its parser and the normalizer into the sink; returns its accounting. */
export async function ingest(input: PlannedInput, normalizeOptions: NormalizeOptions, sink: IngestSink, options: IngestOptions): Promise<InputAccount> {
  return (await read(input, normalizeOptions, sink, options)).account;
}

/**
 * One worker's reading of its share of an input: the account counts only its own rows, and the tally holds
 * what `mergeAccounts` needs to make the account one reader would have given.
 */
export async function ingestShare(input: PlannedInput, normalizeOptions: NormalizeOptions, sink: IngestSink, options: IngestOptions, share: RowShare): Promise<SharedAccount> {
  return read(input, normalizeOptions, sink, options, share);
}

/** A share's account of an input and what merging it with the other shares' needs. */
export interface SharedAccount {
  account: InputAccount;
  tally: {
    /** Kinds of reject reason with their count, example and first line (the example of the first wins). */
    rejectKinds: [kind: string, count: number, example: string, line: number][];
    /** Warnings of the input as a whole (the parser's), before the ones made from counts. */
    warnings: string[];
    decimals: DefaultedDecimals | null;
    excel: [field: string, count: number, example: string, line: number][];
    invalidBytes: boolean;
    kind: InputKind;
  };
}

/**
 * The account of an input read by several shares, as one reader would have given it: counts summed, the
 * first examples by line, warnings made again from the sums.
 */
export function mergeAccounts(parts: readonly SharedAccount[]): InputAccount {
  const first = parts[0].account;
  const sum = (f: (a: InputAccount) => number) => parts.reduce((n, p) => n + f(p.account), 0);
  const counts = (f: (a: InputAccount) => Record<string, number>) => {
    const m = new Map<string, number>();
    for (const p of parts) for (const [k, v] of Object.entries(f(p.account))) m.set(k, (m.get(k) ?? 0) + v);
    return sortedMap(m);
  };
  const kinds = firstByLine(parts.map((p) => p.tally.rejectKinds));
  // One reader keeps the first REJECT_KINDS kinds by first line; each share kept a superset of its part of those.
  const kept = [...kinds].sort((a, b) => a[1].line - b[1].line).slice(0, REJECT_KINDS);
  const excel = firstByLine(parts.map((p) => p.tally.excel));
  const decimals = parts[0].tally.decimals;
  const records = {
    transactions: sum((a) => a.records.transactions),
    events: sum((a) => a.records.events),
    settlement: sum((a) => a.records.settlement),
  };
  return {
    ...first,
    kind: accountKind(parts[0].tally.kind, records),
    read: sum((a) => a.read),
    accepted: sum((a) => a.accepted),
    rejected: sum((a) => a.rejected),
    skipped: sum((a) => a.skipped),
    skippedBy: counts((a) => a.skippedBy),
    skips: parts.flatMap((p) => p.account.skips).sort((a, b) => a.line - b.line).slice(0, SKIPS_LISTED),
    records,
    topRejectReason: topReason(kept),
    warnings: accountWarnings(
      parts[0].tally.warnings,
      decimals && { ...decimals, count: parts.reduce((n, p) => n + (p.tally.decimals?.count ?? 0), 0) },
      [...excel].sort((a, b) => a[1].line - b[1].line),
      parts[0].tally.invalidBytes,
      first.encoding,
    ),
    privacy: {
      cardNumbersMasked: sum((a) => a.privacy.cardNumbersMasked),
      idsTokenized: counts((a) => a.privacy.idsTokenized),
      fieldsDropped: counts((a) => a.privacy.fieldsDropped),
    },
  };
}

/** Counts summed by key, each with the example of its earliest line. */
function firstByLine(parts: readonly (readonly [key: string, count: number, example: string, line: number][])[]): Map<string, { count: number; example: string; line: number }> {
  const out = new Map<string, { count: number; example: string; line: number }>();
  for (const part of parts) {
    for (const [key, count, example, line] of part) {
      const e = out.get(key);
      if (!e) out.set(key, { count, example, line });
      else {
        e.count += count;
        if (line < e.line) Object.assign(e, { example, line });
      }
    }
  }
  return out;
}

/** A share met a line it cannot read apart from the others (a date or decimal question opened late): read the input whole. */
export class ShareUnsafe extends Error {}

const REJECT_KINDS = 1000;

async function read(input: PlannedInput, normalizeOptions: NormalizeOptions, sink: IngestSink, options: IngestOptions, share?: RowShare): Promise<SharedAccount> {
  const info: ParseInfo = { format: input.format, profile: null, skippedLines: 0 };
  // The name as the outputs print it: a card number in a file name is masked, as serve masks uploads.
  const file = maskText(input.name);
  const skips: { line: number; reason: string }[] = [];
  const skippedBy = new Map<string, number>();
  let normalizer = makeNormalizer(normalizeOptions);
  const stats = normalizer.stats;
  // A line whose terminal is not plain is read on trial by every share; its counts join ours only if it is ours.
  const trialStats = new PolicyStats();
  let trial = share ? makeNormalizer(normalizeOptions, trialStats) : normalizer;
  let read = 0;
  let accepted = 0;
  let rejected = 0;
  const records = { transactions: 0, events: 0, settlement: 0 };
  const rejectReasons = new Map<string, { count: number; example: string; line: number }>();
  const excelLines = new Map<string, number>();
  const source = input.source;
  const encodingProblem = `the line holds bytes that are not valid ${source.encoding} (shown as U+FFFD); the file is read as ${source.encoding} (${source.encodingReason}). Fix: repair the line, or give the file's encoding with --encoding`;
  const reject = (line: number, reason: string, raw: string) => {
    read++;
    rejected++;
    const masked = maskText(reason, stats);
    // Reasons are counted by their kind (quoted values and numbers left out) for the one-line message; bounded.
    const kind = masked.replace(/"[^"]*"/g, '…').replace(/\d+/g, 'N').slice(0, 120);
    const seen = rejectReasons.get(kind);
    if (seen) seen.count++;
    else if (rejectReasons.size < REJECT_KINDS) rejectReasons.set(kind, { count: 1, example: masked.replace(/"[^"]*"/g, '…'), line });
    sink.reject({ file, line, reason: masked, raw: keptRaw(raw, stats, secretCells()) });
  };
  const skip = (line: number, reason: string) => {
    read++;
    skippedBy.set(reason, (skippedBy.get(reason) ?? 0) + 1);
    if (skips.length < SKIPS_LISTED) skips.push({ line, reason });
  };
  const fromExport = () => info.profile !== null;
  // A delimited input's header is known once parsing starts: the columns of data never kept, found once.
  let secret: SecretCells | undefined | null = null;
  const secretCells = (): SecretCells | undefined => {
    if (secret !== null) return secret;
    const headers = info.headers;
    const delimiter = (info as { delimiter?: string }).delimiter;
    if (!headers || !delimiter) return undefined;
    const columns = new Set<number>();
    headers.forEach((h, k) => neverKept(h) && columns.add(k));
    secret = columns.size ? { delimiter, columns } : undefined;
    return secret;
  };
  const core = await PARSERS[input.format].open({ name: file, mapping: options.mapping, delimiter: source.excel ? ',' : options.delimiter, kind: input.forced ? input.kind : undefined, share, terminalId: options.terminalId }, info);
  // A --mapping may only say how values are read (dateFormat, decimal, timeZone), whatever the format.
  const mapping = options.mapping ? await loadProfile(options.mapping) : undefined;
  let reading: Reading | undefined;
  const normalizeWith = (n: typeof normalizer, kind: ReturnType<typeof rowKind>, fields: Record<string, unknown>, src: { file: string; line: number }) =>
    kind === 'settlement' ? n.settlement(fields, src) : kind === 'event' ? n.event(fields, src) : n.txn(fields, src, fromExport());
  /** The row's record or why it is none; snake_case or spaced keys from other tools are camel-cased only when the row did not go through as is. */
  const normalizeRow = (n: typeof normalizer, kind: ReturnType<typeof rowKind>, row: RawRow, src: { file: string; line: number }) => {
    let record = normalizeWith(n, kind, row.fields, src);
    if (typeof record === 'string') {
      const fields = canonicalKeys(row.fields, input.format);
      if (fields !== row.fields) {
        const retry = normalizeWith(n, input.kind === 'terminal' ? rowKind(fields) : kind, fields, src);
        if (typeof retry !== 'string') record = retry;
      }
    }
    return record;
  };
  const countAmount = (row: RawRow) => {
    const amount = row.fields.amount;
    if (typeof amount === 'string') reading!.decimals.count(amount, row.line);
  };
  const handle = (item: RowItem) => {
    if (item.skip) {
      if (share && !share.counts(item.owner)) return;
      skip(item.skip.line, item.skip.reason);
      sink.skip?.(item.skip);
      return;
    }
    if (item.problem) {
      if (share && !share.counts(item.owner)) return;
      const bad = source.damage.invalidBytes && item.problem.raw.indexOf('\uFFFD') >= 0;
      reject(item.problem.line, bad ? `${item.problem.reason}; ${encodingProblem}` : item.problem.reason, item.problem.raw);
      return;
    }
    const row = item.row;
    // An export of one terminal that names none: its rows are that terminal's (--terminal-id).
    if (options.terminalId !== undefined && !namesTerminal(row.fields)) row.fields.terminalId = options.terminalId;
    const owner = item.owner ?? -1;
    // A row of a plainly written terminal is its owner's alone, whatever it turns out to be.
    if (share && owner >= 0 && owner !== share.k) return;
    const src = { file, line: row.line };
    const kind = input.kind === 'settlement' ? 'settlement' : input.kind === 'events' ? 'event' : rowKind(row.fields);
    // An order never paid or closed without a payment is no attempt (parsers/profiles/statuses.json).
    const notRecord = kind === 'event' ? undefined : skipReason(kind === 'settlement' ? 'settlement' : 'terminal', info.profile, row.fields.status);
    const early = source.damage.invalidBytes && row.raw.indexOf('\uFFFD') >= 0 ? encodingProblem
      : notRecord === undefined && kind === 'settlement' && input.kind !== 'settlement' ? 'a settlement line in a terminal file: give settlement lines in their own file (or force it with --settlement)'
        : undefined;
    if (early !== undefined || notRecord !== undefined) {
      if (share && !share.counts(owner)) return;
      countAmount(row);
      if (early !== undefined) reject(row.line, early, row.raw);
      else {
        skip(row.line, notRecord!);
        sink.skip?.({ line: row.line, reason: notRecord!, raw: row.raw });
      }
      return;
    }
    let record;
    if (share && owner < 0) {
      record = normalizeRow(trial, kind, row, src);
      const mine = typeof record === 'string' ? share.counts(-1) : shardOf(record.terminalId, share.n) === share.k;
      if (!trialStats.empty) {
        if (mine) stats.absorb(trialStats);
        trialStats.reset();
      }
      if (!mine) return;
    } else {
      record = normalizeRow(normalizer, kind, row, src);
      // The parser's reading of the terminal and the record's agree by construction (parsers/share.ts); should they not, the shares would split a terminal.
      if (share && typeof record !== 'string' && shardOf(record.terminalId, share.n) !== owner) throw new ShareUnsafe(`${file}:${row.line}: terminal read as another share's`);
    }
    countAmount(row);
    if (stats.excel.size > excelLines.size) for (const k of stats.excel.keys()) if (!excelLines.has(k)) excelLines.set(k, row.line);
    if (typeof record === 'string') {
      reject(row.line, record, row.raw);
      return;
    }
    read++;
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
        const reads = { ...normalizeOptions, zone: reading.timeZone ? new Zone(reading.timeZone) : normalizeOptions.zone, dateFormat: reading.dateFormat, dates: reading.dates, decimals: reading.decimals };
        normalizer = makeNormalizer(reads, stats);
        trial = share ? makeNormalizer(reads, trialStats) : normalizer;
      }
      for (const item of batch) {
        if (item.row) reading.observe(item.row);
        if (reading.pending()) {
          // Other shares' lines are no longer read here: what they would say to this question is not known.
          if (share?.dropping) throw new ShareUnsafe(`${file}: a date or decimal question opened after the shares parted`);
          held.push(item);
          if (held.length >= HOLD_LIMIT) reading.settle(file);
          if (!reading.pending()) flush();
          continue;
        }
        if (held.length) flush();
        handle(item);
      }
      // Every share has seen the same rows until now and decided the same; from here each reads its own.
      if (share && !reading.pending()) share.dropping = true;
    }
    if (held.length) {
      reading!.settle(file);
      flush();
    }
  } finally {
    // Also when the input stops (an ambiguous date column): inspect shows what was learnt until then.
    if (reading) sink.reading?.((reading as Reading).decisions(), info);
  }
  const decimals = reading?.decimals.unread() ?? null;
  const excel = [...stats.excel].map(([field, e]): [string, number, string, number] => [field, e.count, e.example, excelLines.get(field) ?? 0]);
  const baseWarnings = [...(input.notes ?? []), ...(info.warnings ?? [])];
  const account: InputAccount = {
    path: file,
    kind: accountKind(input.kind, records),
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
    topRejectReason: topReason([...rejectReasons]),
    warnings: accountWarnings(baseWarnings, decimals, [...stats.excel], source.damage.invalidBytes, source.encoding),
    privacy: {
      cardNumbersMasked: stats.masked,
      idsTokenized: sortedMap(stats.tokenized),
      fieldsDropped: sortedMap(stats.dropped),
    },
  };
  return {
    account,
    tally: { rejectKinds: [...rejectReasons].map(([kind, r]) => [kind, r.count, r.example, r.line]), warnings: baseWarnings, decimals, excel, invalidBytes: source.damage.invalidBytes, kind: input.kind },
  };
}

function accountKind(kind: InputKind, records: InputAccount['records']): InputAccount['kind'] {
  if (kind === 'terminal' && records.events > 0) return records.transactions > 0 ? 'mixed' : 'events';
  return kind;
}

function topReason(kinds: [string, { count: number; example: string }][]): string | null {
  return kinds.sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))[0]?.[1].example ?? null;
}

/** The input's warnings: the parser's, then the ones made from counts (amounts read by default, Excel damage, bad bytes). */
function accountWarnings(base: readonly string[], decimals: DefaultedDecimals | null, excel: [string, { count: number; example: string }][], invalidBytes: boolean, encoding: string): string[] {
  const warnings = [...base];
  if (decimals) warnings.push(defaultedDecimalsWarning(decimals));
  for (const [field, e] of excel) {
    warnings.push(
      `${field}: ${e.count} value(s) were changed by Excel into rounded numbers (e.g. "${maskText(e.example)}"); they are kept as given but not used to join, group or find duplicates. Fix: re-export with the column formatted as text`,
    );
  }
  if (invalidBytes) warnings.push(`some bytes are not valid ${encoding}; the lines holding them were rejected`);
  return warnings;
}

function sortedMap(map: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out[k] = v;
  return out;
}
