// What was detected for each uploaded file, as the page shows it: what `analyze` returned (report.json
// `inputs[]`, the head of rejects.ndjson), the header row read again from the file's head, and what
// `txlog inspect` decided from the values (withInspection: dates, decimal mark, mapping alternatives).
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';
import { mapHeader } from '../../parsers/headers.js';
import { PARSERS } from '../../parsers/index.js';
import { loadProfile, type ColumnSpec } from '../../parsers/mapping.js';
import { runCoreSync } from '../../parsers/run.js';
import type { ParseInfo } from '../../parsers/types.js';
import type { InputAccount } from '../model.js';
import { maskText } from '../pan.js';
import type { InspectFile } from '../inspect.js';

export interface DetectedFile {
  /** The form field the file came in. */
  role: 'terminal' | 'settlement';
  name: string;
  kind: InputAccount['kind'];
  format: InputAccount['format'];
  encoding: string;
  encodingReason: string;
  compressed: boolean;
  profile: string | null;
  /** CSV/TSV only: the delimiter and the header row as read. */
  delimiter: string | null;
  headerLine: number | null;
  /** Per canonical field, the column(s) it is read from (and other columns that could be it); null when the format names its fields (JSON). */
  mapping: { field: string; from: string; alternatives?: string[] }[] | null;
  /** From `txlog inspect`: the date shape and decimal mark inferred from the values, what it could not decide, the command. */
  dates?: string | null;
  decimal?: string | null;
  undecided?: string[];
  command?: string | null;
  /** Header columns no field reads (kept as extra). */
  unmapped: string[];
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
  /** Why rows were skipped (preamble, summary footer, comments), most first. */
  skippedBy: { reason: string; count: number }[];
  /** The first rejects: line and reason, never the row's text. */
  rejects: { line: number; reason: string }[];
  warnings: string[];
}

export interface HeaderSniff {
  delimiter: string | null;
  headerLine: number | null;
  mapping: { field: string; from: string }[] | null;
  unmapped: string[];
}

const HEAD_BYTES = 256 * 1024;

/**
 * Reads a CSV/TSV file's header again from its first bytes, as the parser found it, with the field each
 * column maps to. Only the head is read; a file the parser cannot place gives no mapping.
 */
export async function sniffHeader(path: string, account: InputAccount, mappingPath?: string): Promise<HeaderSniff> {
  const none: HeaderSniff = { delimiter: null, headerLine: null, mapping: null, unmapped: [] };
  if (account.format !== 'csv' && account.format !== 'tsv') return none;
  let bytes = await readHead(path);
  if (account.compressed) bytes = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  let text: string;
  try {
    text = new TextDecoder(account.encoding).decode(bytes);
  } catch {
    return none;
  }
  const head = text.slice(0, text.lastIndexOf('\n') + 1) || text;
  const info: ParseInfo & { delimiter?: string; headerLine?: number } = { format: account.format, profile: null, skippedLines: 0 };
  try {
    const core = await PARSERS[account.format].open({ name: account.path, mapping: mappingPath }, info);
    runCoreSync(core, [head]);
  } catch {
    // The full run read the file; a head cut short of its header says nothing new.
  }
  const headers = info.headers;
  if (!headers) return none;
  const result: HeaderSniff = { delimiter: info.delimiter ?? null, headerLine: info.headerLine ?? null, mapping: [], unmapped: [] };
  const used = new Set<string>();
  if (info.profile !== null) {
    const profile = await loadProfile(mappingPath ?? info.profile).catch(() => null);
    for (const [field, spec] of Object.entries(profile?.columns ?? {}) as [string, ColumnSpec][]) {
      const { from, columns } = describeSpec(spec);
      columns.forEach((c) => used.add(c));
      result.mapping!.push({ field, from });
    }
    result.unmapped = headers.filter((h) => h !== '' && !used.has(h));
    return result;
  }
  const match = mapHeader(headers);
  match.fields.forEach((field, col) => {
    if (field) result.mapping!.push({ field, from: headers[col] });
  });
  const combined = match.combined.timestamp;
  if (combined) result.mapping!.push({ field: 'timestamp', from: combined.map((c) => headers[c]).join(' + ') });
  result.unmapped = headers.filter((h, col) => h !== '' && match.fields[col] === null && !combined?.includes(col));
  return result;
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function describeSpec(spec: ColumnSpec): { from: string; columns: string[] } {
  if (typeof spec === 'string') return { from: spec, columns: [spec] };
  if (Array.isArray(spec)) return { from: spec.join(' + '), columns: spec };
  if ('join' in spec) return { from: spec.join.join(` ${JSON.stringify(spec.with)} `), columns: spec.join };
  if ('template' in spec) {
    const columns = [...spec.template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
    return { from: spec.template, columns };
  }
  if ('first' in spec) return { from: spec.first.join(' | '), columns: spec.first };
  if ('const' in spec) return { from: `= ${JSON.stringify(spec.const)}`, columns: [] };
  return { from: `#line${spec.prefix ? ` (${spec.prefix}…)` : ''}`, columns: [] };
}

/**
 * The detection for each uploaded file from the report's input accounts. Every text that came from the
 * upload (names, headers, reasons) is masked again: a header cell can be anything.
 */
export function detectedFiles(
  inputs: readonly InputAccount[],
  uploads: readonly { role: DetectedFile['role']; name: string; sniff: HeaderSniff }[],
  rejects: readonly { file: string; line: number; reason: string }[],
): DetectedFile[] {
  const out: DetectedFile[] = [];
  for (const u of uploads) {
    const a = inputs.find((i) => i.path === u.name);
    if (!a) continue;
    out.push({
      role: u.role,
      name: maskText(a.path),
      kind: a.kind,
      format: a.format,
      encoding: a.encoding,
      encodingReason: maskText(a.encodingReason),
      compressed: a.compressed,
      profile: a.profile,
      delimiter: u.sniff.delimiter,
      headerLine: u.sniff.headerLine,
      mapping: u.sniff.mapping?.map((m) => ({ field: m.field, from: maskText(m.from) })) ?? null,
      unmapped: u.sniff.unmapped.map((h) => maskText(h)),
      read: a.read,
      accepted: a.accepted,
      rejected: a.rejected,
      skipped: a.skipped,
      skippedBy: Object.entries(a.skippedBy).map(([reason, count]) => ({ reason, count })).sort((x, y) => y.count - x.count),
      rejects: rejects.filter((r) => r.file === a.path).slice(0, REJECTS_SHOWN).map((r) => ({ line: r.line, reason: maskText(r.reason) })),
      warnings: a.warnings.map((w) => maskText(w)),
    });
  }
  return out;
}

export const REJECTS_SHOWN = 10;

/** The first rejects from rejects.ndjson's text (line and reason only: the raw row stays out of pages). */
export function firstRejects(ndjson: string, limit = 200): { file: string; line: number; reason: string }[] {
  const out: { file: string; line: number; reason: string }[] = [];
  for (const line of ndjson.split('\n')) {
    if (out.length >= limit) break;
    if (line === '') continue;
    try {
      const r = JSON.parse(line) as { file: string; line: number; reason: string };
      out.push({ file: String(r.file), line: Number(r.line), reason: String(r.reason) });
    } catch {
      // A reject line is written by txlog itself; a broken one is left out rather than shown.
    }
  }
  return out;
}

/**
 * Overlays what `txlog inspect` found (the same reading code, run on the uploaded file): the field mapping
 * with its alternatives, the date format and decimal mark decided from the values, what stays undecided.
 */
export function withInspection(file: DetectedFile, found: InspectFile | undefined): DetectedFile {
  if (!found) return file;
  const date = found.dates.timestamp ?? found.dates.settlementDate;
  return {
    ...file,
    mapping: found.fields.length ? found.fields.map((f) => ({ field: f.field, from: maskText(f.source), alternatives: f.alternatives.map((a) => maskText(a)) })) : file.mapping,
    dates: found.dates.dateFormat ?? (date ? `${date.column}: ${date.format ?? '?'} (${maskText(date.why)})` : null),
    decimal: found.format === 'csv' || found.format === 'tsv' ? `"${found.decimal.mark}" (${maskText(found.decimal.why)})` : null,
    undecided: found.undecided.map((u) => maskText(u)),
    command: null,
  };
}

