// What txlog would detect in a file, before a run (DuckDB's sniff_csv): encoding and why, delimiter,
// preamble, header, footer, kind, the field mapping with its alternatives, the date shape and decimal
// mark decided from the values, the first records as read, the rows that would be rejected and why, a
// ready-to-run analyze command and a mapping skeleton for what could not be decided. One plain async
// function over file paths; the CLI and the upload page render its result.
import { z } from 'zod';
import { FOOTER_REASON } from '../parsers/csv.js';
import { aliasCandidates, CANONICAL_FIELDS, REQUIRED } from '../parsers/headers.js';
import type { MappedInfo } from '../parsers/mapping.js';
import { expandInputs } from '../parsers/source.js';
import type { ParseInfo, RowSkip } from '../parsers/types.js';
import { TxlogError } from './errors.js';
import { ingest, planInput, type IngestOptions } from './ingest.js';
import type { SettlementRecord, TerminalEvent, TerminalTxn } from './model.js';
import { formatAmount } from './money.js';
import { maskRaw, maskText, CardKeys } from './pan.js';
import { AmbiguousDates, type ReadingDecisions } from './reading.js';
import { dayToDate, Zone } from './time.js';

export const PREVIEW_RECORDS = 5;
export const REJECTS_LISTED = 20;
/** The mapping file's JSON Schema as installed with txlog (docs/ ships in the package), for editor completion. */
export const MAPPING_SCHEMA_REF = new URL('../../docs/mapping.schema.json', import.meta.url).href;

const DateShape = z.object({
  column: z.string(),
  format: z.string().nullable(),
  order: z.enum(['dmy', 'mdy']).nullable(),
  why: z.string(),
  values: z.number().int(),
  ambiguous: z.number().int(),
});

const Line = z.object({ line: z.number().int(), reason: z.string(), text: z.string().nullable() });

export const InspectFile = z.object({
  path: z.string(),
  /** Set when the file cannot be analyzed as it is (no header, ambiguous dates): the message and fix. */
  problem: z.object({ code: z.string(), message: z.string() }).nullable(),
  format: z.enum(['ndjson', 'json', 'csv', 'tsv', 'xml']),
  workbook: z.boolean(),
  encoding: z.string(),
  encodingReason: z.string(),
  compressed: z.boolean(),
  kind: z.enum(['terminal', 'events', 'settlement', 'mixed']),
  profile: z.string().nullable(),
  delimiter: z.string().nullable(),
  headerLine: z.number().int().nullable(),
  header: z.array(z.string()).nullable(),
  preamble: z.array(Line),
  footer: z.array(Line),
  /** Other recognised non-records among the data (comments, orders never paid): skipped with their meaning. */
  skippedRows: z.array(Line),
  /** Each canonical field the file maps: where it comes from and the other columns that could have been it. */
  fields: z.array(z.object({ field: z.string(), source: z.string(), alternatives: z.array(z.string()) })),
  /** Required fields of the detected kind that nothing maps. */
  missing: z.array(z.string()),
  /** Header columns no field takes (they go to `extra`). */
  unmapped: z.array(z.string()),
  timeZone: z.string(),
  dates: z.object({ dateFormat: z.string().nullable(), timestamp: DateShape.nullable(), settlementDate: DateShape.nullable() }),
  decimal: z.object({ mark: z.enum(['.', ',']), column: z.string(), why: z.string(), ambiguous: z.number().int() }),
  counts: z.object({ read: z.number().int(), accepted: z.number().int(), rejected: z.number().int(), skipped: z.number().int() }),
  preview: z.array(z.object({ line: z.number().int(), kind: z.enum(['txn', 'event', 'settlement']), fields: z.record(z.string(), z.union([z.string(), z.number()])) })),
  rejects: z.object({
    byReason: z.array(z.object({ reason: z.string(), count: z.number().int(), firstLine: z.number().int() })),
    first: z.array(z.object({ line: z.number().int(), reason: z.string(), raw: z.string() })),
  }),
  warnings: z.array(z.string()),
  /** What a run needs that the values could not decide, in words. */
  undecided: z.array(z.string()),
  mappingSkeleton: z.record(z.string(), z.unknown()).nullable(),
  command: z.string(),
});
export type InspectFile = z.infer<typeof InspectFile>;

export const InspectResult = z.object({ files: z.array(InspectFile) });
export type InspectResult = z.infer<typeof InspectResult>;

export interface InspectOptions extends IngestOptions {
  tz?: string;
  currency?: string;
}

/** Inspects every file (directories expand as for analyze). Throws TxlogError only for a file that cannot be read at all. */
export async function inspect(paths: readonly string[], options: InspectOptions = {}): Promise<InspectResult> {
  const files: InspectFile[] = [];
  for (const path of await expandInputs(paths)) files.push(await inspectOne(path, options));
  return { files };
}

const UNREADABLE = new Set(['INPUT_UNREADABLE', 'INPUT_CORRUPT', 'INPUT_UNSUPPORTED', 'ENCODING_INVALID', 'MAPPING_INVALID', 'MAPPING_NOT_FOUND', 'TZ_INVALID', 'SHEET_NOT_FOUND']);

/** Rejects whose reasons differ only in their numbers, with each number's lowest and highest value. */
interface ReasonKind {
  count: number;
  firstLine: number;
  /** The reason's text around its numbers. */
  parts: string[];
  low: string[];
  high: string[];
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** The kind as read: each number the one all its rejects had, or the range they span ("got 3-4"). */
function reasonOfKind(v: ReasonKind): string {
  let out = v.parts[0];
  for (let k = 1; k < v.parts.length; k++) out += (v.low[k - 1] === v.high[k - 1] ? v.low[k - 1] : `${v.low[k - 1]}-${v.high[k - 1]}`) + v.parts[k];
  return out.slice(0, 200);
}

async function inspectOne(path: string, options: InspectOptions): Promise<InspectFile> {
  const zone = new Zone(options.tz ?? 'UTC');
  const currency = (options.currency ?? 'CNY').toUpperCase();
  const planned = await planInput(path, undefined, options, true);
  const source = planned.source;
  const preview: InspectFile['preview'] = [];
  const first: InspectFile['rejects']['first'] = [];
  const byReason = new Map<string, ReasonKind>();
  const skips: RowSkip[] = [];
  let decisions: ReadingDecisions | undefined;
  let info: (ParseInfo & Partial<MappedInfo>) | undefined;
  let problem: InspectFile['problem'] = null;
  let account: Awaited<ReturnType<typeof ingest>> | undefined;
  let ambiguous: AmbiguousDates | undefined;
  const kept: { kind: 'txn' | 'event' | 'settlement'; r: TerminalTxn | TerminalEvent | SettlementRecord }[] = [];
  const keep = (kind: 'txn' | 'event' | 'settlement', r: TerminalTxn | TerminalEvent | SettlementRecord) => {
    if (kept.length < PREVIEW_RECORDS) kept.push({ kind, r });
  };
  try {
    account = await ingest(
      planned,
      { zone, currency, cards: new CardKeys() },
      {
        txn: (r) => keep('txn', r),
        event: (r) => keep('event', r),
        settlement: (r) => keep('settlement', r),
        reject: (r) => {
          if (first.length < REJECTS_LISTED) first.push({ line: r.line, reason: r.reason, raw: r.raw });
          // Counted by kind of reason (quoted values left out, numbers apart), as analyze's summary does.
          const masked = r.reason.replace(/"[^"]*"/g, '…');
          const numbers = masked.match(/\d+/g) ?? [];
          const kind = masked.replace(/\d+/g, 'N').slice(0, 160);
          const seen = byReason.get(kind);
          if (seen) {
            seen.count++;
            numbers.forEach((n, k) => {
              if (compareDigits(n, seen.low[k]) < 0) seen.low[k] = n;
              if (compareDigits(n, seen.high[k]) > 0) seen.high[k] = n;
            });
          } else if (byReason.size < 200) byReason.set(kind, { count: 1, firstLine: r.line, parts: masked.split(/\d+/), low: numbers, high: [...numbers] });
        },
        reading: (d, i) => {
          decisions = d;
          info = i;
        },
        skip: (s) => skips.push(s),
      },
      options,
    );
  } catch (err) {
    if (!(err instanceof TxlogError) || UNREADABLE.has(err.code)) throw err;
    problem = { code: err.code, message: err.message };
    if (err instanceof AmbiguousDates) ambiguous = err;
  }
  // analyze stops on a file none of whose rows it can use; inspect says so rather than suggest that run.
  if (problem === null && account && account.read > 0 && account.accepted === 0) {
    const why = account.topRejectReason ? `; most common reason: ${account.topRejectReason}` : '';
    problem = { code: 'INPUT_UNUSABLE', message: `none of its ${account.read} rows can be used (${account.rejected} rejected${account.skipped ? `, ${account.skipped} skipped` : ''})${why}. Fix: see the rejected rows below; a mapping (--mapping) can say how to read the columns` };
  } else if (problem === null && account && account.read === 0) {
    // A header alone, blank lines, an empty array: analyze stops on it too.
    problem = { code: 'INPUT_UNUSABLE', message: 'it holds no rows (a header alone, blank lines or an empty array). Fix: check that this is the right file, or that the export was not cut off' };
  }
  const mapped = info;
  const header = mapped?.headers ?? null;
  const sources = mapped?.columns ?? {};
  const candidates = header ? aliasCandidates(header) : {};
  const fields = CANONICAL_FIELDS.filter((f) => sources[f] !== undefined).map((f) => ({
    field: f,
    source: sources[f]!,
    alternatives: (candidates[f] ?? []).filter((c) => !sources[f]!.split(' + ').includes(c)),
  }));
  const usedCols = new Set(Object.values(sources).flatMap((s) => (s ? s.split(' + ') : [])));
  const kind = account?.kind ?? planned.kind;
  const requiredKind = kind === 'mixed' ? 'terminal' : kind;
  const missing = header ? REQUIRED[requiredKind].filter((f) => !f.split('|').some((one) => sources[one] !== undefined)) : [];
  const headerLine = mapped?.headerLine ?? null;
  const preamble = skips.filter((s) => headerLine !== null && s.line < headerLine).map(line);
  const after = skips.filter((s) => headerLine === null || s.line > headerLine);
  const footer = after.filter((s) => s.reason === FOOTER_REASON).map(line);
  const skippedRows = after.filter((s) => s.reason !== FOOTER_REASON).map(line);
  const timeZone = mapped?.timeZone ?? zone.name;
  // Shown in the zone the times were read in (a profile's, else --tz).
  const shown = timeZone === zone.name ? zone : new Zone(timeZone);
  for (const { kind: k, r } of kept) preview.push({ line: r.src.line, kind: k, fields: previewFields(r, shown) });

  const undecided: string[] = [];
  let skeleton: Record<string, unknown> | null = null;
  if (ambiguous) {
    undecided.push(`day/month order of ${ambiguous.column}: day first is ${ambiguous.patterns.dmy}, month first ${ambiguous.patterns.mdy}`);
    skeleton = { $schema: MAPPING_SCHEMA_REF, dateFormat: ambiguous.patterns.dmy };
  } else if (problem?.code === 'CSV_NO_HEADER') {
    undecided.push('which columns hold the required fields');
    skeleton = noHeaderSkeleton(source.head, options.delimiter);
  }
  const dec = decisions?.decimal;
  if (dec && dec.ambiguous > 0 && dec.why.startsWith('no value has decimals')) {
    undecided.push(`decimal mark of ${dec.column}: read as thousands separators ("1,234" = 1234); if they are decimals set "decimal"`);
    skeleton ??= { $schema: MAPPING_SCHEMA_REF };
    skeleton.decimal = '.';
  }
  const warnings = account ? account.warnings : [];
  return {
    path,
    problem,
    format: planned.format,
    workbook: source.excel === true,
    encoding: source.encoding,
    encodingReason: source.encodingReason,
    compressed: source.compressed,
    kind,
    profile: mapped?.profile ?? null,
    delimiter: mapped?.delimiter ?? null,
    headerLine,
    header,
    preamble,
    footer,
    skippedRows,
    fields,
    missing,
    unmapped: header ? header.filter((h) => h !== '' && !usedCols.has(h)) : [],
    timeZone,
    dates: {
      dateFormat: decisions?.dateFormat ?? mapped?.dateFormat ?? null,
      timestamp: decisions?.timestamp ?? null,
      settlementDate: decisions?.settlementDate ?? null,
    },
    decimal: dec ?? { mark: '.', column: 'amount', why: 'no amounts read', ambiguous: 0 },
    counts: account
      ? { read: account.read, accepted: account.accepted, rejected: account.rejected, skipped: account.skipped }
      : { read: 0, accepted: 0, rejected: 0, skipped: 0 },
    preview,
    rejects: {
      byReason: [...byReason.values()].map((v) => ({ reason: reasonOfKind(v), count: v.count, firstLine: v.firstLine })).sort((a, b) => b.count - a.count || a.firstLine - b.firstLine),
      first,
    },
    warnings,
    undecided,
    mappingSkeleton: skeleton,
    command: analyzeCommand(path, options, skeleton !== null),
  };
}

function line(s: RowSkip): { line: number; reason: string; text: string | null } {
  return { line: s.line, reason: s.reason, text: s.raw === undefined ? null : maskRaw(s.raw) };
}

/** A record as txlog reads it, for people: instants in the zone, amounts in major units, card masked. */
function previewFields(r: TerminalTxn | TerminalEvent | SettlementRecord, zone: Zone): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined || k === 'src' || k === 'cardKey' || k === 'kind' || k === 'damaged') continue;
    if (k === 'ts' && typeof v === 'number') out.timestamp = zone.format(v);
    else if (k === 'settlementDay' && typeof v === 'number') out.settlementDate = dayToDate(v);
    else if (k === 'amount' && typeof v === 'number') out.amount = formatAmount(v, (r as { currency: string }).currency);
    else if (k === 'extra' && typeof v === 'object') for (const [ek, ev] of Object.entries(v as Record<string, string>)) out[`extra.${ek}`] = ev;
    else out[k] = typeof v === 'number' ? v : maskText(String(v));
  }
  return out;
}

function noHeaderSkeleton(head: string, delimiter: string | undefined): Record<string, unknown> {
  const firstLine = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const d = delimiter ?? [',', '\t', ';', '|'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const cells = firstLine.split(d).map((c) => c.trim().replace(/^"|"$/g, ''));
  return {
    $schema: MAPPING_SCHEMA_REF,
    name: 'my-export',
    description: 'which export this reads',
    columns: { terminalId: '?', timestamp: '?', status: '?', amount: '?' },
    $comment: `replace each ? with one of the header names: ${cells.slice(0, 40).join(', ')}`,
  };
}

function shellQuote(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function analyzeCommand(path: string, o: InspectOptions, needsMapping: boolean): string {
  const parts = ['txlog', 'analyze', shellQuote(path)];
  if (o.mapping) parts.push('--mapping', shellQuote(o.mapping));
  else if (needsMapping) parts.push('--mapping', 'mapping.json');
  if (o.encoding) parts.push('--encoding', shellQuote(o.encoding));
  if (o.delimiter) parts.push('--delimiter', shellQuote(o.delimiter));
  if (o.sheet) parts.push('--sheet', shellQuote(o.sheet));
  if (o.terminalId) parts.push('--terminal-id', shellQuote(o.terminalId));
  if (o.tz) parts.push('--tz', shellQuote(o.tz));
  if (o.currency) parts.push('--currency', shellQuote(o.currency));
  return parts.join(' ');
}

/** The human rendering of an inspect result (the CLI's stdout without --json). */
export function renderInspect(result: InspectResult): string {
  const out: string[] = [];
  for (const f of result.files) {
    out.push(`${f.path}`);
    out.push(`  encoding   ${f.encoding}${f.compressed ? ' (gzip)' : ''}: ${f.encodingReason}`);
    out.push(`  format     ${f.workbook ? 'xlsx workbook' : f.format}${f.delimiter ? `, delimiter ${JSON.stringify(f.delimiter)}` : ''}`);
    out.push(`  kind       ${f.kind}${f.profile ? `, profile ${f.profile}` : ', built-in header aliases'}`);
    if (f.preamble.length) out.push(`  preamble   lines ${span(f.preamble.map((p) => p.line))} (skipped)`);
    if (f.headerLine !== null) out.push(`  header     line ${f.headerLine}: ${(f.header ?? []).join(' | ')}`);
    if (f.footer.length) out.push(`  footer     lines ${span(f.footer.map((p) => p.line))} (skipped): ${f.footer[0].text ?? f.footer[0].reason}`);
    if (f.skippedRows.length) {
      const reasons = [...new Set(f.skippedRows.map((r) => r.reason))];
      out.push(`  skipped    ${f.skippedRows.length} row(s) among the data: ${reasons.join('; ')} (lines ${span(f.skippedRows.map((r) => r.line).slice(0, 20))}${f.skippedRows.length > 20 ? ', …' : ''})`);
    }
    if (f.fields.length) {
      out.push('  mapping');
      const w = Math.max(...f.fields.map((x) => x.field.length));
      for (const x of f.fields) out.push(`    ${x.field.padEnd(w)}  <- ${x.source}${x.alternatives.length ? `   (also possible: ${x.alternatives.join(', ')})` : ''}`);
      if (f.unmapped.length) out.push(`    ${'(extra)'.padEnd(w)}  <- ${f.unmapped.join(', ')}`);
    }
    if (f.missing.length) out.push(`  missing    ${f.missing.join(', ')}`);
    const ts = f.dates.timestamp;
    out.push(`  dates      ${f.dates.dateFormat ? `dateFormat ${f.dates.dateFormat} (from ${f.profile ? `profile ${f.profile}` : 'the mapping'})` : ts ? `${ts.format ?? '?'} (${ts.why})` : 'ISO 8601 (no other shape to infer)'}; offset-less times read in ${f.timeZone}`);
    if (f.dates.settlementDate) out.push(`  settled on ${f.dates.settlementDate.format ?? '?'} (${f.dates.settlementDate.why})`);
    out.push(`  decimal    ${JSON.stringify(f.decimal.mark)} (${f.decimal.why})`);
    out.push(`  rows       ${f.counts.read} read = ${f.counts.accepted} accepted + ${f.counts.rejected} rejected + ${f.counts.skipped} skipped`);
    if (f.problem) out.push(`  PROBLEM    ${f.problem.message}`);
    if (f.preview.length) {
      out.push('  first records as read');
      for (const p of f.preview) out.push(`    line ${p.line}: ${Object.entries(p.fields).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    }
    if (f.rejects.byReason.length) {
      out.push(`  would be rejected (${f.counts.rejected})`);
      for (const r of f.rejects.byReason.slice(0, 10)) out.push(`    ${r.count} x ${r.reason} (first: line ${r.firstLine})`);
      for (const r of f.rejects.first.slice(0, 5)) out.push(`    line ${r.line}: ${r.raw.length > 100 ? r.raw.slice(0, 100) + '…' : r.raw}`);
    }
    for (const w of f.warnings) out.push(`  warning    ${w}`);
    for (const u of f.undecided) out.push(`  undecided  ${u}`);
    if (f.mappingSkeleton) {
      out.push('  mapping skeleton (save as mapping.json, fill in, pass with --mapping):');
      for (const l of JSON.stringify(f.mappingSkeleton, null, 2).split('\n')) out.push(`    ${l}`);
    }
    // A file with a problem is not ready to run; the command is then the one to run once it is fixed.
    out.push(`  ${f.problem ? 'then run  ' : 'run       '} ${f.command}`);
    out.push('');
  }
  return out.join('\n');
}

function span(lines: number[]): string {
  if (lines.length === 0) return '';
  const parts: string[] = [];
  let start = lines[0];
  let prev = lines[0];
  for (const l of [...lines.slice(1), Infinity]) {
    if (l === prev + 1) {
      prev = l;
      continue;
    }
    parts.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = prev = l;
  }
  return parts.join(', ');
}
