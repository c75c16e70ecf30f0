// CSV/TSV: find the header (skipping export preambles), then cut physical lines into records and map them
// with a profile or the built-in aliases. Every non-blank physical line after the header becomes a row, a
// reject or a skipped non-record. An open quote may carry a record over several lines, but only while the
// record it makes has the header's shape and the lines it takes in do not read as records of their own;
// otherwise the line that opened it is the reject and reading goes on at the next line, so one bad quote
// costs one row. A trailer line (`---`, 总交易单数) starts a footer only if no record follows it: the lines
// after it are held until a record or the end of the input says which they are.
import { parse as parseSync } from 'csv-parse/sync';
import { TxlogError } from '../src/errors.js';
import { REQUIRED, type RecordKind, classifyNonRow, cleanValue, mapHeader, normalizeHeader, repeatedColumns } from './headers.js';
import { LineSplitter, type Line } from './lines.js';
import {
  type MappedInfo,
  type Profile,
  type RowMapper,
  builtinProfiles,
  compileAliases,
  compileProfile,
  hasColumns,
  loadProfile,
  matchesSignature,
} from './mapping.js';
import { csvOwner } from './share.js';
import type { FormatParser, ParseInfo, ParseOptions, ParserCore, RowItem } from './types.js';

/** Lines searched for a header row before giving up. */
export const HEADER_SEARCH_LINES = 200;
const DELIMITERS = [',', '\t', ';', '|'];
/** How far a quoted cell may carry a record across line breaks before the quote is taken as unclosed. */
const MAX_RECORD_LINES = 64;
const MAX_RECORD_CHARS = 64 << 10;
const MAX_RAW_IN_PROBLEM = 4096;
export const FOOTER_REASON = 'summary/footer row, not a transaction';
export const COMMENT_REASON = 'comment line, not a transaction';
export const PREAMBLE_REASON = 'export preamble before the header row';
export const SEPARATOR_REASON = 'separator line among the data, not a transaction';
export const REPEATED_HEADER_REASON = 'the header row again (files joined, or an export in pages), not a transaction';
/** Lines held after a trailer while waiting for a record; past this they are taken as the footer they look like. */
const MAX_FOOTER_LINES = 1000;

interface Header {
  mapper: RowMapper;
  delimiter: string;
  line: number;
  cells: string[];
}

interface Candidate {
  line: number;
  cells: string[];
  hits: number;
  missing: string;
  /** Everything of a terminal log or settlement file is there but a terminal column: one terminal's export. */
  lacksOnlyTerminal?: boolean;
}

function splitHeaderLine(line: string, delimiter: string): string[] {
  try {
    const rows = parseSync(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return (rows[0] ?? []).map(cleanValue);
  } catch {
    return line.split(delimiter).map(cleanValue);
  }
}

function forcedDelimiter(d: string | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (d === 'tab' || d === '\\t') return '\t';
  return d;
}

class HeaderFinder {
  best: Candidate | undefined;
  private readonly builtinForced: boolean;
  constructor(
    private readonly forced: Profile | undefined,
    private readonly delimiters: string[],
    private readonly kind: RecordKind | undefined,
    private readonly terminalGiven = false,
  ) {
    this.builtinForced = forced !== undefined && builtinProfiles().some((p) => p === forced);
  }

  /** The header this line is, if any; remembers the best near miss for the error message. */
  test(line: string, lineNo: number): Header | undefined {
    if (line.trim() === '') return undefined;
    let found: Header | undefined;
    for (const delimiter of this.delimiters) {
      const cells = splitHeaderLine(line, delimiter);
      if (cells.length < 2) continue;
      const mapper = this.mapperFor(cells, lineNo);
      if (mapper && (!found || cells.length > found.cells.length)) found = { mapper, delimiter, line: lineNo, cells };
    }
    return found;
  }

  private note(c: Candidate): void {
    if (!this.best || c.hits > this.best.hits) this.best = c;
  }

  private mapperFor(cells: string[], line: number): RowMapper | undefined {
    // A mapping file that names its header signature (match.headers) is for the files that carry it; the
    // other inputs of the run are read as if none was given (a mapping for the settlement export, say, and a
    // terminal log that needs none). A built-in asked for by name is what the user says the file is.
    if (this.forced && !(this.forced.match && !this.builtinForced && !matchesSignature(this.forced, cells))) {
      const m = compileProfile(this.forced, cells);
      if (!('absent' in m)) return m;
      const hits = cells.length - m.absent.length;
      this.note({ line, cells, hits, missing: `columns named by profile ${this.forced.name}: ${m.absent.join(', ')}` });
      return undefined;
    }
    for (const p of builtinProfiles()) {
      if (!matchesSignature(p, cells) || (this.kind && p.kind !== this.kind)) continue;
      const m = compileProfile(p, cells);
      if (!('absent' in m)) return m;
    }
    const match = mapHeader(cells, this.terminalGiven);
    if (this.kind) match.kinds = match.kinds.filter((k) => k === this.kind);
    if (match.kinds.length > 0) return compileAliases(cells, match);
    const kinds = this.kind ? [this.kind] : (Object.keys(REQUIRED) as RecordKind[]);
    this.note({
      line,
      cells,
      hits: match.hits,
      missing: kinds.map((k) => `${k}: ${match.missing[k].join(', ')}`).join('; '),
      lacksOnlyTerminal: kinds.some((k) => k !== 'events' && match.missing[k].length === 1 && match.missing[k][0] === 'terminalId'),
    });
    return undefined;
  }
}

function noHeaderError(name: string, finder: HeaderFinder, forced: Profile | undefined, lines: number, kind?: RecordKind): TxlogError {
  const kinds = kind ? [kind] : (Object.keys(REQUIRED) as RecordKind[]);
  const needs = kinds.map((k) => `${k}: ${REQUIRED[k].join(', ')}`).join('; ');
  const best = finder.best;
  const saw = best
    ? `the closest was line ${best.line}: ${JSON.stringify(best.cells.map((c) => (c.length > 40 ? c.slice(0, 40) + '…' : c)).slice(0, 30))}, which lacks ${best.missing}`
    : lines === 0
      ? 'the input is empty'
      : 'no line looked like a header';
  const builtins = builtinProfiles()
    .map((p) => p.name)
    .join(', ');
  if (forced) {
    return new TxlogError(
      'CSV_NO_HEADER',
      `${name}: mapping profile ${forced.name} does not fit: no header row in the first ${HEADER_SEARCH_LINES} lines ` +
        `has the columns it names; ${saw}. Fix: check the profile's column names against the file's header.`,
    );
  }
  return new TxlogError(
    'CSV_NO_HEADER',
    `${name}: no header row found in the first ${Math.min(lines, HEADER_SEARCH_LINES)} lines; ${saw}. ` +
      `A header must name the fields of ${kind ? `a ${kind} file` : 'one record kind'} (${needs}; English or Chinese aliases accepted). ` +
      (best?.lacksOnlyTerminal ? 'Only a terminal column is missing: if the export comes from one terminal, name it with --terminal-id ID (as the settlement side writes it). Otherwise: ' : '') +
      `Fix: rename the columns, pass --mapping FILE (a mapping profile; built-in: ${builtins})` +
      (kind ? '.' : ', or force the kind with --terminal/--settlement.'),
  );
}

function clip(raw: string): string {
  return raw.length > MAX_RAW_IN_PROBLEM ? raw.slice(0, MAX_RAW_IN_PROBLEM) + '…' : raw;
}

/**
 * Where a quote leaves a line, read the way csv-parse with relax_quotes reads it: a quote opens a quoted
 * cell only as the cell's first character; inside, `""` is a quote and any other quote closes the cell.
 */
interface QuoteState {
  inQuote: boolean;
  cellStart: boolean;
}

function scanQuotes(text: string, delimiter: number, s: QuoteState): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (s.inQuote) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else s.inQuote = false;
      }
    } else if (c === delimiter) s.cellStart = true;
    else {
      if (c === 34 && s.cellStart) s.inQuote = true;
      s.cellStart = false;
    }
  }
}

interface OpenRecord {
  lines: Line[];
  chars: number;
  state: QuoteState;
}

export const csvParser: FormatParser = {
  id: 'csv',
  async open(options: ParseOptions, info: ParseInfo) {
    const mapping = options.mapping ? await loadProfile(options.mapping) : undefined;
    return new CsvCore(options, info, mapping);
  },
};

class CsvCore implements ParserCore {
  // Cells are cut from lines and records keep them: each line is its own string, not a slice of a chunk.
  // With a share, lines are copied here once kept (most of another share's lines are dropped unread).
  private readonly lines: LineSplitter;
  private readonly buf: Line[] = [];
  private readonly finder: HeaderFinder;
  private readonly forced: Profile | undefined;
  /** The --mapping as given: a profile (also `forced`) or a reading overlay without columns. */
  private readonly mapping: Profile | undefined;
  private header: Header | undefined;
  private delimiterCode = 44;
  private width = 0;
  /** With a share: the cell the terminal id is read from as is (-1: none such, every line is parsed). */
  private terminalColumn = -1;
  private searched = 0;
  private preamble: Line[] = [];
  private open: OpenRecord | undefined;
  /** Since a trailer line and no record after it: every worker reads these lines (ownerOf). */
  private footer = false;
  /** The items after a trailer (it first), held until a record (they were among the data) or the end (a footer). */
  private held: RowItem[] | undefined;
  private readonly trailers = new WeakSet<RowItem>();
  private trailerSeen = false;
  private out: (RowItem | null)[] = [];
  /** Quoted single-line records of this batch, split by csv-parse in one call. */
  private quoted: { slot: number; line: Line }[] = [];

  constructor(
    private readonly options: ParseOptions,
    private readonly info: ParseInfo,
    mapping: Profile | undefined,
  ) {
    this.mapping = mapping;
    this.lines = new LineSplitter(undefined, options.share === undefined);
    const forced = mapping && hasColumns(mapping) ? mapping : undefined;
    this.forced = forced;
    const delim = forcedDelimiter(options.delimiter) ?? mapping?.delimiter;
    this.finder = new HeaderFinder(forced, delim ? [delim] : DELIMITERS, options.kind, options.terminalId !== undefined);
  }

  push(text: string): RowItem[] {
    this.lines.push(text, this.buf);
    return this.process(false);
  }

  end(): RowItem[] {
    this.lines.end(this.buf);
    return this.process(true);
  }

  private process(atEnd: boolean): RowItem[] {
    let i = 0;
    if (!this.header) i = this.findHeader(atEnd);
    for (; i < this.buf.length; i++) this.line(this.buf[i]);
    this.buf.length = 0;
    if (atEnd && this.open) this.closeOpen(true);
    this.splitQuoted();
    const out = this.out.filter((x): x is RowItem => x !== null);
    this.out = [];
    if (this.held || this.trailerSeen) {
      this.trailerSeen = false;
      return this.settleFooter(out, atEnd);
    }
    this.footer = false;
    return out;
  }

  /** Items in line order, with those after a trailer held until it is known whether a record follows. */
  private settleFooter(items: RowItem[], atEnd: boolean): RowItem[] {
    const out: RowItem[] = [];
    for (const item of items) {
      if (this.held) {
        if (item.row && this.shaped(item.row.fields)) {
          // A record after it: the trailer was a separator, the lines between are read as they are.
          for (const h of this.held) out.push(this.trailers.has(h) ? { skip: { ...h.skip!, reason: SEPARATOR_REASON } } : h);
          this.held = undefined;
          out.push(item);
          continue;
        }
        this.held.push(item);
        if (this.held.length > MAX_FOOTER_LINES) {
          for (const h of this.held) out.push(asFooter(h));
          this.held = [];
        }
      } else if (this.trailers.has(item)) this.held = [item];
      else out.push(item);
    }
    if (atEnd && this.held) {
      for (const h of this.held) out.push(asFooter(h));
      this.held = undefined;
    }
    this.footer = this.held !== undefined;
    return out;
  }

  /** Mapped fields that read as a record of the header's kinds: required fields filled, a time that looks like one. */
  private shaped(fields: Record<string, unknown>): boolean {
    return this.header!.mapper.kinds.some((kind) => {
      for (const f of REQUIRED[kind]) if (!f.split('|').some((one) => filled(fields[one]))) return false;
      const time = fields[kind === 'settlement' ? 'settlementDate' : 'timestamp'];
      if (typeof time !== 'string' || !(TIME_LIKE.test(time) || EPOCH_LIKE.test(time))) return false;
      return kind === 'events' || /\d/.test(String(fields.amount));
    });
  }

  /** Cleaned cells as a row if they read as a record of the header's columns, else undefined. */
  private shapedRow(cells: string[], line: number, text: string): RowItem | undefined {
    if (!this.fits(cells)) return undefined;
    const fields = this.header!.mapper.map(cells.slice(0, this.width), line);
    return this.shaped(fields) ? { row: { line, fields, raw: text } } : undefined;
  }

  /** Looks for the header among the lines read so far; returns the index of the first line after it. */
  private findHeader(atEnd: boolean): number {
    const skipLines = this.forced?.skipLines;
    for (let i = 0; i < this.buf.length; i++) {
      const l = this.buf[i];
      this.searched = l.line;
      let header: Header | undefined;
      if (skipLines === undefined || l.line > skipLines) header = this.finder.test(l.text, l.line);
      if (header) {
        this.useHeader(header);
        this.buf.splice(0, i + 1);
        return 0;
      }
      if (l.text.trim() !== '') this.preamble.push(l);
      if ((skipLines !== undefined && l.line > skipLines) || l.line >= HEADER_SEARCH_LINES) {
        throw noHeaderError(this.options.name, this.finder, this.forced, l.line, this.options.kind);
      }
    }
    if (atEnd) throw noHeaderError(this.options.name, this.finder, this.forced, this.searched, this.options.kind);
    // The header may come in the next chunk; these lines were looked at (and kept if not blank).
    this.buf.length = 0;
    return 0;
  }

  private useHeader(header: Header): void {
    this.header = header;
    this.delimiterCode = header.delimiter.charCodeAt(0);
    this.width = header.cells.length;
    this.terminalColumn = this.options.share ? (header.mapper.plainColumns?.terminalId ?? -1) : -1;
    const mapped: MappedInfo = {
      kinds: header.mapper.kinds,
      delimiter: header.delimiter,
      headerLine: header.line,
      columns: header.mapper.sources,
      ...profileExtras(this.mapping, header.mapper.profile),
    };
    this.info.format = header.delimiter === '\t' ? 'tsv' : 'csv';
    this.info.profile = header.mapper.profile;
    this.info.skippedLines = header.line - 1;
    this.info.headers = header.cells;
    Object.assign(this.info, mapped);
    if (header.mapper.profile === null) {
      for (const r of repeatedColumns(header.cells, mapHeader(header.cells, true))) {
        (this.info.warnings ??= []).push(
          `the header "${r.header}" is on column ${r.read} and again on column${r.kept.length > 1 ? 's' : ''} ${r.kept.join(', ')}: column ${r.read} is read, the other${r.kept.length > 1 ? 's are' : ' is'} kept as extra fields; rename or drop the column that is not meant`,
        );
      }
    }
    for (const l of this.preamble) this.out.push({ skip: { line: l.line, reason: PREAMBLE_REASON, raw: clip(l.text) } });
    this.preamble = [];
  }

  private line(l: Line): void {
    const share = this.options.share;
    // With a share: the owner of a quote-free record line, read before the line is copied or split.
    const owner = share && !this.open && !l.oversize && this.terminalColumn >= 0 && l.text.indexOf('"') < 0 ? this.ownerOf(l.text) : -1;
    if (owner >= 0 && !share!.keeps(owner)) return;
    // A quoted trailer is known only once the batch is split: from it on, every worker reads every line.
    if (share && owner < 0 && !this.open && !l.oversize && l.text.indexOf('"') >= 0 && this.quotedTrailer(l.text)) this.footer = true;
    // Cells are cut from lines and records keep them: a kept line is its own string, not a slice of a chunk.
    if (share && !l.oversize && l.text.length >= 13) l.text = (' ' + l.text).slice(1);
    if (this.open) {
      this.continueOpen(l);
      return;
    }
    if (l.oversize) {
      this.out.push({ problem: { line: l.line, reason: `line is longer than ${4} MiB (an unclosed quote or a runaway cell): not a row`, raw: clip(l.text) } });
      return;
    }
    const text = l.text;
    if (text.indexOf('"') < 0) {
      const item = this.record(text.split(this.header!.delimiter), l.line, text, l.eol === '');
      if (item && owner >= 0) item.owner = owner;
      this.out.push(item);
      return;
    }
    const state: QuoteState = { inQuote: false, cellStart: true };
    scanQuotes(text, this.delimiterCode, state);
    if (!state.inQuote) {
      // Split with the others of this batch by csv-parse; a placeholder keeps the order.
      this.quoted.push({ slot: this.out.length, line: l });
      this.out.push(null);
      return;
    }
    this.open = { lines: [l], chars: text.length, state };
  }

  /**
   * The share of a quote-free line's terminal cell, -1 where the line is not plainly a record: after a
   * trailer, or with a first cell that makes it a comment, footer or summary (every worker must see those).
   */
  private ownerOf(text: string): number {
    if (this.footer) return -1;
    const d = text.indexOf(this.header!.delimiter);
    if (d <= 0) return -1;
    const nonRow = classifyNonRow(cleanValue(text.slice(0, d)));
    // Until the lines after a trailer are known to be a footer or data, every worker reads them.
    if (nonRow === 'trailer') this.footer = true;
    if (nonRow !== null) return -1;
    return csvOwner(text, this.header!.delimiter, this.terminalColumn, this.options.share!);
  }

  private quotedTrailer(text: string): boolean {
    const d = text.indexOf(this.header!.delimiter);
    return classifyNonRow(cleanValue((d < 0 ? text : text.slice(0, d)).replace(/"/g, ''))) === 'trailer';
  }

  private continueOpen(l: Line): void {
    const open = this.open!;
    open.lines.push(l);
    open.chars += l.text.length + 1;
    if (l.oversize || open.lines.length > MAX_RECORD_LINES || open.chars > MAX_RECORD_CHARS) {
      this.closeOpen(true);
      return;
    }
    if (this.readsAsRecord(l)) {
      this.closeOpen(true, `line ${l.line} reads as a record of its own`);
      return;
    }
    scanQuotes(' ' + l.text, this.delimiterCode, open.state);
    if (!open.state.inQuote) this.closeOpen(false);
  }

  /**
   * A line an open quote would take in that is a whole record by itself: the header's columns, a first cell
   * without a quote (the closing line of a legit cell opened in the first column has it there) and the
   * record shape. Only lines inside an open quote are tried, so the common path pays nothing.
   */
  private readsAsRecord(l: Line): boolean {
    if (l.oversize) return false;
    const d = l.text.indexOf(this.header!.delimiter);
    if (d < 0 || l.text.lastIndexOf('"', d) >= 0) return false;
    const cells = splitQuoted(l.text, this.header!.delimiter);
    if (!cells) return false;
    for (let i = 0; i < cells.length; i++) cells[i] = cleanValue(cells[i]);
    return this.shapedRow(cells, l.line, l.text) !== undefined;
  }

  /** An open quote closed (or never will): keep the record if it has the header's shape, else resynchronize. */
  private closeOpen(broken: boolean, why?: string): void {
    const open = this.open!;
    this.open = undefined;
    const first = open.lines[0];
    if (!broken) {
      // The record keeps its own line breaks inside the quoted cell.
      const text = open.lines.map((l, i) => (i === 0 ? '' : open.lines[i - 1].eol || '\n') + l.text).join('');
      const cells = splitQuoted(text, this.header!.delimiter);
      if (cells && this.fits(cells)) {
        this.out.push(this.record(cells, first.line, text));
        return;
      }
    }
    this.out.push({
      problem: {
        line: first.line,
        reason: `a quote opened in this row is not closed where the row should end (${why ?? `the next ${open.lines.length - 1} line(s) would not make one row of ${this.width} columns`}); the row is rejected and reading resumes at line ${first.line + 1}`,
        raw: clip(first.text),
      },
    });
    for (const l of open.lines.slice(1)) this.line(l);
  }

  /**
   * The header's own cells, as headers compare (case, spaces and punctuation aside): files appended one to
   * another keep each one's header. A first cell of another length is no header: most rows stop there.
   */
  private isHeaderAgain(cells: string[]): boolean {
    const h = this.header!.cells;
    if (cells.length < h.length || (cells[0] !== h[0] && (cells[0].length !== h[0].length || normalizeHeader(cells[0]) !== normalizeHeader(h[0])))) return false;
    for (let i = 1; i < h.length; i++) if (cells[i] !== h[i] && normalizeHeader(cells[i]) !== normalizeHeader(h[i])) return false;
    return true;
  }

  private fits(cells: string[]): boolean {
    if (cells.length === this.width) return true;
    return cells.length > this.width && cells.slice(this.width).every((c) => c.trim() === '');
  }

  private splitQuoted(): void {
    if (this.quoted.length === 0) return;
    const batch = this.quoted;
    this.quoted = [];
    let records: string[][] | undefined;
    try {
      records = parseSync(batch.map((q) => q.line.text).join('\n'), { delimiter: this.header!.delimiter, relax_quotes: true, relax_column_count: true, record_delimiter: '\n', skip_empty_lines: false }) as string[][];
    } catch {
      records = undefined;
    }
    batch.forEach((q, k) => {
      // csv-parse and the quote scanner agree on what a record is; should they not, split that line alone.
      const cells = records && records.length === batch.length ? records[k] : splitQuoted(q.line.text, this.header!.delimiter);
      this.out[q.slot] = cells
        ? this.record(cells, q.line.line, q.line.text, q.line.eol === '')
        : { problem: { line: q.line.line, reason: 'cannot split this line into cells', raw: clip(q.line.text) } };
    });
  }

  /** One record's cells as a row, a reject or a skip; null for a blank line. */
  private record(cells: string[], line: number, text: string, unterminated = false): RowItem | null {
    let first = -1;
    for (let i = 0; i < cells.length; i++) {
      const c = cleanValue(cells[i]);
      cells[i] = c;
      if (first === -1 && c !== '') first = i;
    }
    // A blank line, or only delimiters and spaces: not a row.
    if (first === -1) return null;
    if (this.isHeaderAgain(cells)) return { skip: { line, reason: REPEATED_HEADER_REASON, raw: clip(text) } };
    const nonRow = classifyNonRow(cells[first]);
    if (nonRow !== null) {
      // A row that reads as a record is one, whatever a cell looks like (a shop named `---`).
      const row = nonRow === 'comment' ? undefined : this.shapedRow(cells, line, text);
      if (row) return row;
      const item: RowItem = { skip: { line, reason: nonRow === 'comment' ? COMMENT_REASON : FOOTER_REASON, raw: clip(text) } };
      if (nonRow === 'trailer') {
        this.trailers.add(item);
        this.trailerSeen = true;
      }
      return item;
    }
    if (cells.length !== this.width) {
      // Trailing empty cells (Excel padding, a stray delimiter at line end) are not a different row shape.
      if (!this.fits(cells)) {
        const reason = `expected ${this.width} columns, got ${cells.length}`;
        return { problem: { line, reason: unterminated ? `truncated last line (no line break at end of input): ${reason}` : reason, raw: clip(text) } };
      }
      cells.length = this.width;
    }
    return { row: { line, fields: this.header!.mapper.map(cells, line), raw: text } };
  }
}

const TIME_LIKE = /\d\s*[-/.:年]\s*\d/;
const EPOCH_LIKE = /^\d{9,}$/;

function filled(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** What an item after a trailer is when no record follows: part of the footer. */
function asFooter(item: RowItem): RowItem {
  if (item.skip) return { skip: { ...item.skip, reason: FOOTER_REASON } };
  const { line, raw } = item.row ?? item.problem!;
  return { skip: { line, reason: FOOTER_REASON, raw: clip(raw) } };
}

function splitQuoted(text: string, delimiter: string): string[] | undefined {
  try {
    const rows = parseSync(text, { delimiter, relax_quotes: true, relax_column_count: true, record_delimiter: '\n' }) as string[][];
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Reading options of the profile in use; a --mapping overlay's own settings win over a built-in's. */
function profileExtras(mapping: Profile | undefined, name: string | null): Partial<MappedInfo> {
  const out: Partial<MappedInfo> = {};
  for (const p of [builtinProfiles().find((b) => b.name === name), mapping]) {
    if (!p) continue;
    if (p.timeZone !== undefined) out.timeZone = p.timeZone;
    if (p.dateFormat !== undefined) out.dateFormat = p.dateFormat;
    if (p.decimal !== undefined) out.decimal = p.decimal;
    if (p.encoding !== undefined) out.encoding = p.encoding;
  }
  return out;
}
