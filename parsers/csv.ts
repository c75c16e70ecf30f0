// CSV/TSV: find the header (skipping export preambles), then split rows with csv-parse and map them with a
// profile or the built-in aliases. Every physical row after the header becomes a row or a problem.
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { finished } from 'node:stream/promises';
import { TxlogError } from '../src/errors.js';
import { REQUIRED, type RecordKind, classifyNonRow, cleanValue, mapHeader } from './headers.js';
import {
  type MappedInfo,
  type Profile,
  type RowMapper,
  builtinProfiles,
  compileAliases,
  compileProfile,
  loadProfile,
  matchesSignature,
} from './mapping.js';
import type { RawRow, FormatParser, ParseInfo, ParseOptions, RowItem } from './types.js';

/** Lines searched for a header row before giving up. */
export const HEADER_SEARCH_LINES = 200;
const DELIMITERS = [',', '\t', ';', '|'];
/** A row longer than this is a runaway quote, not data; bounds memory. */
const MAX_RECORD_BYTES = 1 << 20;
const MAX_RAW_IN_PROBLEM = 4096;
export const FOOTER_REASON = 'summary/footer row, not a transaction';
export const COMMENT_REASON = 'comment line, not a transaction';

/** ParseOptions plus the record kind forced by the user (`--terminal`, `--settlement`, ...), if any. */
export interface CsvParseOptions extends ParseOptions {
  kind?: RecordKind;
}

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
  constructor(
    private readonly forced: Profile | undefined,
    private readonly delimiters: string[],
    private readonly kind: RecordKind | undefined,
  ) {}

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
    if (this.forced) {
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
    const match = mapHeader(cells);
    if (this.kind) match.kinds = match.kinds.filter((k) => k === this.kind);
    if (match.kinds.length > 0) return compileAliases(cells, match);
    const kinds = this.kind ? [this.kind] : (Object.keys(REQUIRED) as RecordKind[]);
    this.note({
      line,
      cells,
      hits: match.hits,
      missing: kinds.map((k) => `${k}: ${match.missing[k].join(', ')}`).join('; '),
    });
    return undefined;
  }
}

function noHeaderError(name: string, finder: HeaderFinder, forced: Profile | undefined, lines: number, kind?: RecordKind): TxlogError {
  const kinds = kind ? [kind] : (Object.keys(REQUIRED) as RecordKind[]);
  const needs = kinds.map((k) => `${k}: ${REQUIRED[k].join(', ')}`).join('; ');
  const best = finder.best;
  const saw = best
    ? `the closest was line ${best.line}: ${JSON.stringify(best.cells)}, which lacks ${best.missing}`
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
      `Fix: rename the columns, pass --mapping FILE (a mapping profile; built-in: ${builtins})` +
      (kind ? '.' : ', or force the kind with --terminal/--settlement.'),
  );
}


function countLf(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}


function clip(raw: string): string {
  return raw.length > MAX_RAW_IN_PROBLEM ? raw.slice(0, MAX_RAW_IN_PROBLEM) + '…' : raw;
}

/** A row's text for the rejects file, rebuilt from its cells (quoting only where CSV needs it). */
function rowText(cells: string[], delimiter: string): string {
  const joined = cells.join(delimiter);
  if (joined.indexOf('"') === -1 && joined.indexOf('\n') === -1 && joined.indexOf('\r') === -1) {
    let n = 0;
    for (let i = joined.indexOf(delimiter); i !== -1; i = joined.indexOf(delimiter, i + 1)) n++;
    if (n === cells.length - 1) return joined;
  }
  return cells
    .map((c) => (/["\r\n]/.test(c) || c.indexOf(delimiter) !== -1 ? '"' + c.replace(/"/g, '""') + '"' : c))
    .join(delimiter);
}

/** What csv-parse had of the row it could not finish (state is public on its Parser for compatibility). */
function partialRecord(parser: object, delimiter: string): string {
  try {
    const state = (parser as { state?: { record?: string[]; field?: { toString(): string } } }).state;
    const done = state?.record ?? [];
    const open = state?.field?.toString() ?? '';
    return [...done.map((c) => rowText([c], delimiter)), '"' + open].join(delimiter);
  } catch {
    return '';
  }
}

/** A row whose text for the rejects file is rebuilt only if something asks for it: most rows never need it. */
class LazyRow implements RawRow {
  readonly #cells: string[];
  readonly #delimiter: string;
  constructor(
    readonly line: number,
    readonly fields: Record<string, unknown>,
    cells: string[],
    delimiter: string,
  ) {
    this.#cells = cells;
    this.#delimiter = delimiter;
  }
  get raw(): string {
    return rowText(this.#cells, this.#delimiter);
  }
}

export const csvParser: FormatParser = {
  id: 'csv',
  async *parse(text: AsyncIterable<string>, options: ParseOptions, info: ParseInfo): AsyncIterable<RowItem[]> {
    const forced = options.mapping ? await loadProfile(options.mapping) : undefined;
    const delim = forcedDelimiter(options.delimiter) ?? forced?.delimiter;
    const kind = (options as CsvParseOptions).kind;
    const finder = new HeaderFinder(forced, delim ? [delim] : DELIMITERS, kind);
    const it = text[Symbol.asyncIterator]();

    // Header search over physical lines, before csv-parse sees anything: preambles hold unbalanced quotes.
    let buf = '';
    let pos = 0;
    let lineNo = 0;
    let eof = false;
    let header: Header | undefined;
    while (!header) {
      const nl = buf.indexOf('\n', pos);
      let line: string;
      if (nl === -1) {
        if (!eof && buf.length - pos < 4 * MAX_RECORD_BYTES) {
          const next = await it.next();
          if (next.done) {
            eof = true;
          } else {
            buf = buf.slice(pos) + next.value;
            pos = 0;
          }
          continue;
        }
        if (pos >= buf.length) break;
        line = buf.slice(pos);
        pos = buf.length;
      } else {
        line = buf.slice(pos, nl);
        pos = nl + 1;
      }
      if (line.endsWith('\r')) line = line.slice(0, -1);
      lineNo++;
      if (forced?.skipLines !== undefined) {
        if (lineNo <= forced.skipLines) continue;
        header = finder.test(line, lineNo);
        break;
      }
      header = finder.test(line, lineNo);
      if (lineNo >= HEADER_SEARCH_LINES || nl === -1) break;
    }
    if (!header) throw noHeaderError(options.name, finder, forced, lineNo, kind);

    const { mapper, delimiter } = header;
    const mapped: MappedInfo = {
      kinds: mapper.kinds,
      delimiter,
      headerLine: header.line,
      ...profileExtras(forced, mapper.profile),
    };
    info.format = delimiter === '\t' ? 'tsv' : 'csv';
    info.profile = mapper.profile;
    info.skippedLines = header.line - 1;
    info.headers = header.cells;
    Object.assign(info, mapped);

    const width = header.cells.length;
    // No `raw`/`info`/`on_record`: each costs csv-parse a third of its speed. Line numbers come from the
    // cells instead: with empty lines kept as records, a record spans 1 + (line feeds inside its cells) lines.
    const parser = parse({
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      max_record_size: MAX_RECORD_BYTES,
    });
    parser.on('error', () => {});

    let cursor = header.line + 1; // line where the next record starts
    let lastLine = header.line; // line count of the text fed so far
    let endsWithLf = true;
    let footer = false;

    const take = (items: RowItem[], atEnd: boolean): void => {
      // csv-parse works synchronously inside write(); reading drains what it pushed and lets the next write in.
      const records: string[][] = [];
      let rec: string[] | null;
      while ((rec = parser.read() as string[] | null) !== null) records.push(rec);
      for (let r = 0; r < records.length; r++) {
        const cells = records[r];
        const line = cursor;
        const original = cells.slice();
        const rawText = () => rowText(original, delimiter);
        let first = -1;
        for (let i = 0; i < cells.length; i++) {
          const v = cells[i];
          if (v.indexOf('\n') !== -1) cursor += countLf(v);
          const c = cleanValue(v);
          cells[i] = c;
          if (first === -1 && c !== '') first = i;
        }
        cursor++;
        if (first === -1) continue; // a blank line, or only delimiters and spaces: not a row
        const nonRow = footer ? 'trailer' : classifyNonRow(cells[first]);
        if (nonRow !== null) {
          if (nonRow === 'trailer') footer = true;
          items.push({ problem: { line, reason: nonRow === 'comment' ? COMMENT_REASON : FOOTER_REASON, raw: rawText() } });
          continue;
        }
        if (cells.length !== width) {
          // Trailing empty cells (Excel padding, a stray delimiter at line end) are not a different row shape.
          if (cells.length < width || cells.slice(width).some((c) => c !== '')) {
            const reason = `expected ${width} columns, got ${cells.length}`;
            const truncated = atEnd && !endsWithLf && r === records.length - 1;
            items.push({
              problem: { line, reason: truncated ? `truncated last line (no line break at end of input): ${reason}` : reason, raw: rawText() },
            });
            continue;
          }
          cells.length = width;
        }
        items.push({ row: new LazyRow(line, mapper.map(cells, line), original, delimiter) });
      }
    };

    const failure = (err: Error & { code?: string }, items: RowItem[], restLines: number): void => {
      take(items, false);
      const start = cursor;
      const end = Math.max(start, lastLine + restLines);
      const what =
        err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `unterminated quoted field: a quote opened in the row at line ${start} is not closed by the end of the input`
          : err.code === 'CSV_MAX_RECORD_SIZE'
            ? `the row at line ${start} runs past ${MAX_RECORD_BYTES} bytes (an unbalanced quote?)`
            : `cannot split rows: ${err.message}`;
      const range = end > start ? `; lines ${start}-${end} (the rest of the input) could not be read as rows` : '';
      items.push({ problem: { line: start, reason: what + range, raw: clip(partialRecord(parser, delimiter)) } });
    };

    // Lines in the rest of the input after csv-parse gave up (counted, not parsed).
    const drain = async (): Promise<number> => {
      let n = 0;
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        n += countLf(next.value);
        if (next.value.length > 0) endsWithLf = next.value.endsWith('\n');
      }
      return n + (endsWithLf ? 0 : 1);
    };

    const feed = (chunk: string): Error | null => {
      if (chunk.length === 0) return null;
      lastLine += countLf(chunk);
      endsWithLf = chunk.endsWith('\n');
      parser.write(chunk);
      return parser.errored;
    };

    let chunk: string | undefined = buf.slice(pos);
    buf = '';
    for (;;) {
      if (chunk === undefined) {
        if (eof) break;
        const next = await it.next();
        if (next.done) break;
        chunk = next.value;
      }
      const err = feed(chunk);
      chunk = undefined;
      const items: RowItem[] = [];
      if (err) {
        failure(err, items, await drain());
        if (items.length > 0) yield items;
        return;
      }
      take(items, false);
      if (items.length > 0) yield items;
    }
    const items: RowItem[] = [];
    try {
      parser.end();
      await finished(parser, { readable: false });
    } catch (err) {
      failure(err as Error, items, endsWithLf ? 0 : 1);
      if (items.length > 0) yield items;
      return;
    }
    take(items, true);
    if (items.length > 0) yield items;
  },
};

function profileExtras(forced: Profile | undefined, name: string | null): Partial<MappedInfo> {
  const p = forced ?? builtinProfiles().find((b) => b.name === name);
  if (!p) return {};
  const out: Partial<MappedInfo> = {};
  if (p.timeZone !== undefined) out.timeZone = p.timeZone;
  if (p.dateFormat !== undefined) out.dateFormat = p.dateFormat;
  if (p.encoding !== undefined) out.encoding = p.encoding;
  return out;
}
