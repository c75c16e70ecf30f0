import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { TxlogError } from '../src/errors.js';
import { isXlsx, isZip, sheetText } from './xlsx.js';

const CHUNK = 1 << 20;
/** How much decoded text format and kind detection may look at. */
const HEAD_CHARS = 64 * 1024;
/** How many bytes the encoding is decided from: well past one screenful, so one noisy line cannot decide. */
const SNIFF_BYTES = 1 << 20;
const TEXT_PIECE = 48 << 10;

export interface Source {
  name: string;
  compressed: boolean;
  encoding: string;
  /** Why that encoding: a BOM, --encoding, or what the bytes showed. */
  encodingReason: string;
  /** The first decoded characters, for format and kind detection; also the start of `text`. */
  head: string;
  text: AsyncIterable<string>;
  /**
   * Set once bytes that are not valid in `encoding` were met (they decode to U+FFFD): rows holding
   * U+FFFD are then rejected instead of carrying garbled text into causes.
   */
  damage: { invalidBytes: boolean };
  /** Bytes of the file read so far (before decompression) and its size when known, for progress. */
  progress: { bytesRead: number; total: number | null };
  /** Text made from an .xlsx workbook's first (or chosen) sheet: numbers in date columns may be Excel serials. */
  excel?: boolean;
  /** The workbook sheet this text is. */
  sheet?: string;
  /** The encoding was forced with --encoding, yet the bytes are clean UTF-8: the flag may be wrong. */
  utf8Instead?: boolean;
}

// Files in a directory input that are never data: expectations, generator ground truth, rules and mappings.
const NOT_DATA = /^(expected\.json|truth\.(ndjson|json)|readme(\.md)?|(.+\.)?(rules|mapping)\.json)$/i;
const DATA_FILE = /\.(ndjson|jsonl|json|csv|tsv|txt|log|xml)(\.gz)?$|\.xlsx$/i;
/** What `analyze` writes: in a directory that holds a txlog report.json these are its output, not input. */
export const OUTPUT_FILES = new Set(['report.json', 'findings.ndjson', 'rejects.ndjson', 'terminals.csv', 'report.md', 'report.html']);

export interface ExpandOptions {
  /** Output directories (`--out`): never read as input. */
  exclude?: readonly string[];
}

/** Expands directories to their data files (sorted, non-recursive); checks that every input is readable. */
export async function expandInputs(names: readonly string[], options: ExpandOptions = {}): Promise<string[]> {
  const excluded = await Promise.all((options.exclude ?? []).map((d) => realpath(d).catch(() => resolve(d))));
  const inExcluded = async (path: string) => {
    const real = await realpath(path).catch(() => resolve(path));
    return excluded.find((d) => real === d || real.startsWith(d + sep));
  };
  const out: string[] = [];
  for (const name of names) {
    if (name === '-') {
      out.push(name);
      continue;
    }
    const info = await stat(name).catch((err: NodeJS.ErrnoException) => {
      throw new TxlogError('INPUT_UNREADABLE', `cannot read input ${name}: ${describeFsError(err)}`);
    });
    const outDir = await inExcluded(name);
    if (outDir) {
      throw new TxlogError(
        'INPUT_IS_OUTPUT',
        `input ${name} is ${info.isDirectory() ? 'the' : 'inside the'} output directory (--out ${outDir}); txlog never reads its own output as input. Fix: write the report elsewhere with --out, or move the input out of it.`,
      );
    }
    if (info.isDirectory()) {
      const entries = await readdir(name, { withFileTypes: true });
      const ownOutput = entries.some((e) => e.name === 'report.json') && (await isTxlogReport(join(name, 'report.json')));
      const candidates = entries
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && DATA_FILE.test(e.name) && !NOT_DATA.test(e.name))
        .filter((e) => !(ownOutput && OUTPUT_FILES.has(e.name)))
        .map((e) => e.name)
        .sort();
      // A txlog output copied among the logs (findings.ndjson, rejects.ndjson) is no data, wherever it sits.
      const files: string[] = [];
      for (const f of candidates) {
        const path = join(name, f);
        // An empty rejects.ndjson says nothing of what it is; under a name txlog writes, it is txlog's.
        const emptyOutput = OUTPUT_FILES.has(f) && (await stat(path)).size === 0;
        if (!emptyOutput && (await txlogOutputKind(path)) === null) files.push(f);
      }
      if (files.length === 0) {
        throw new TxlogError('INPUT_EMPTY_DIR', `input directory ${name} holds no data files (*.ndjson, *.json, *.csv, *.tsv, *.xml, *.log, optionally .gz)`);
      }
      out.push(...files.map((f) => join(name, f)));
    } else {
      // Only a file is looked into: the bytes a pipe gives are gone once read.
      const kind = info.isFile() ? await txlogOutputKind(name) : null;
      if (kind !== null) {
        throw new TxlogError('INPUT_IS_OUTPUT', `input ${name} is txlog's own ${kind}, not a log: txlog never reads its own output as input. Fix: give the terminal, event and settlement files the report was made from.`);
      }
      out.push(name);
    }
  }
  return out;
}

/** Whether a file is one txlog writes (its first line says so): findings, rejects, or a report. */
async function txlogOutputKind(path: string): Promise<string | null> {
  let head: string;
  try {
    const fh = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(2048), 0, 2048, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
  const first = head.split('\n', 1)[0];
  if (/^\{"txnId":.*"outcome":.*"cause":.*"ruleId":.*"evidence":\[.*"localCause":/.test(first)) return 'findings file (findings.ndjson)';
  if (/^\{"file":"[^"]*","line":\d+,"reason":"/.test(first)) return 'rejects file (rejects.ndjson)';
  if (/^\{\s*"schemaVersion"\s*:\s*\d+\s*,\s*"generatedAt"[\s\S]*"tool"\s*:\s*\{\s*"name"\s*:\s*"txlog"/.test(head)) return 'report (report.json)';
  return null;
}

async function isTxlogReport(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(512), 0, 512, 0);
      return /"tool"\s*:\s*\{\s*"name"\s*:\s*"txlog"/.test(buffer.subarray(0, bytesRead).toString('utf8'));
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

export interface Duplicate {
  name: string;
  sameAs: string;
}

/**
 * The same file named twice (the same path, a link to it, or a copy with identical bytes) is read once:
 * counting its rows twice would double every rate's numerator and denominator and invent duplicates.
 * Only files of equal size are hashed, so the check costs nothing in the usual case.
 */
export async function dedupeInputs(names: readonly string[]): Promise<{ unique: string[]; duplicates: Duplicate[] }> {
  const unique: string[] = [];
  const duplicates: Duplicate[] = [];
  const byInode = new Map<string, string>();
  const bySize = new Map<number, string[]>();
  const hashes = new Map<string, string>();
  const hashOf = async (path: string) => {
    let h = hashes.get(path);
    if (h === undefined) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
      h = hash.digest('hex');
      hashes.set(path, h);
    }
    return h;
  };
  for (const name of names) {
    if (name === '-') {
      unique.push(name);
      continue;
    }
    const st = await stat(name);
    // A pipe (a FIFO, <(…)) can be read once: hashing it would consume what analyze is to read.
    if (!st.isFile()) {
      unique.push(name);
      continue;
    }
    const inode = `${st.dev}:${st.ino}`;
    const same = byInode.get(inode);
    if (same !== undefined) {
      duplicates.push({ name, sameAs: same });
      continue;
    }
    let copyOf: string | undefined;
    for (const other of bySize.get(st.size) ?? []) {
      if ((await hashOf(other)) === (await hashOf(name))) {
        copyOf = other;
        break;
      }
    }
    if (copyOf !== undefined) {
      duplicates.push({ name, sameAs: copyOf });
      continue;
    }
    byInode.set(inode, name);
    bySize.set(st.size, [...(bySize.get(st.size) ?? []), name]);
    unique.push(name);
  }
  return { unique, duplicates };
}

function describeFsError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file or directory; check the path';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message;
}

export async function openSource(name: string, forcedEncoding?: string, sheet?: string): Promise<Source> {
  const raw: AsyncIterable<Buffer> =
    name === '-' ? (process.stdin as AsyncIterable<Buffer>) : createReadStream(name, { highWaterMark: CHUNK });
  const iterator = raw[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (err) {
    throw new TxlogError('INPUT_UNREADABLE', `cannot read input ${name}: ${describeFsError(err as NodeJS.ErrnoException)}`);
  }
  const firstChunk = first.done ? Buffer.alloc(0) : first.value;
  // A pipe's size says nothing of what it will give: like stdin, its total is not known (and it is read once).
  const progress = { bytesRead: firstChunk.length, total: name === '-' ? null : await stat(name).then((st) => (st.isFile() ? st.size : null), () => null) };
  const rest = (async function* () {
    if (firstChunk.length) yield firstChunk;
    if (first.done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      progress.bytesRead += next.value.length;
      yield next.value;
    }
  })();
  if (startsWith(firstChunk, OLE2)) {
    throw new TxlogError(
      'INPUT_UNSUPPORTED',
      `${name} is a legacy Excel 97-2003 workbook (.xls), which txlog cannot read: open it in Excel, WPS or LibreOffice and save it as .xlsx or as CSV (UTF-8), then give that file`,
    );
  }
  if (isXlsx(firstChunk)) return { ...(await workbook(name, rest, sheet)), progress };
  if (isZip(firstChunk)) {
    throw new TxlogError('INPUT_UNSUPPORTED', `${name} is a zip archive but not an .xlsx workbook (no xl/ entry): unpack it and give the files inside`);
  }
  const compressed = firstChunk.length >= 2 && firstChunk[0] === 0x1f && firstChunk[1] === 0x8b;
  const bytes = compressed ? gunzip(name, rest) : rest;
  return { ...(await decode(name, bytes, compressed, forcedEncoding)), progress };
}

/**
 * The names of a workbook's sheets, in order; for messages only (it reads the whole workbook), so a
 * workbook that cannot be read gives an empty list.
 */
export async function workbookSheets(name: string): Promise<string[]> {
  const { default: Excel } = await import('exceljs');
  const names: string[] = [];
  try {
    const reader = new Excel.stream.xlsx.WorkbookReader(createReadStream(name), { sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
    for await (const ws of reader) {
      names.push((ws as { name?: string }).name ?? `Sheet${names.length + 1}`);
      for await (const _ of ws as AsyncIterable<unknown>) void _;
    }
  } catch {
    return names;
  }
  return names;
}

/** A workbook's sheet as a text source; its head is gathered like a text file's. */
async function workbook(name: string, bytes: AsyncIterable<Buffer>, sheet?: string): Promise<Omit<Source, 'progress'>> {
  const { sheet: label, text } = await sheetText(name, bytes, sheet);
  const it = text[Symbol.asyncIterator]();
  const first: string[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_CHARS) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    first.push(next.value);
    size += next.value.length;
  }
  const head = first.join('');
  const all = (async function* () {
    if (head) yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  return {
    name,
    compressed: false,
    encoding: 'utf-8',
    encodingReason: `an .xlsx workbook (its text is Unicode); sheet "${label}" read as CSV rows`,
    head: head.slice(0, HEAD_CHARS),
    text: all,
    damage: { invalidBytes: false },
    excel: true,
    sheet: label,
  };
}

async function* gunzip(name: string, bytes: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const stream = Readable.from(bytes).pipe(createGunzip());
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw new TxlogError('INPUT_CORRUPT', `cannot decompress ${name}: ${(err as Error).message} (is the .gz file truncated?)`);
  }
}

export const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  utf8: 'utf-8', 'utf-8': 'utf-8', gbk: 'gb18030', gb2312: 'gb18030', gb18030: 'gb18030',
  'utf-16le': 'utf-16le', 'utf16le': 'utf-16le', 'utf-16be': 'utf-16be', latin1: 'latin1', 'iso-8859-1': 'latin1',
};

export function normalizeEncoding(name: string): string {
  const key = name.toLowerCase();
  const enc = ENCODING_ALIASES[key];
  if (!enc) {
    throw new TxlogError('ENCODING_INVALID', `unknown encoding "${name}" (--encoding): use one of utf-8, gbk, gb18030, utf-16le, utf-16be, latin1`);
  }
  return enc;
}

async function decode(name: string, bytes: AsyncIterable<Buffer>, compressed: boolean, forced?: string): Promise<Omit<Source, 'progress'>> {
  const it = bytes[Symbol.asyncIterator]();
  // Gather enough bytes to decide the encoding and the format.
  const pending: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    pending.push(next.value);
    size += next.value.length;
  }
  let headBytes = Buffer.concat(pending);
  const sniffed = forced ? { encoding: normalizeEncoding(forced), reason: 'forced with --encoding' } : sniffEncoding(headBytes);
  const encoding = sniffed.encoding;
  // UTF-16 text is half NULs; every other encoding txlog reads has none in text worth reading.
  const binary = encoding.startsWith('utf-16') ? binaryUtf16(headBytes, encoding) : binaryHead(headBytes);
  if (binary) {
    throw new TxlogError(
      'INPUT_BINARY',
      `${name} is binary, not text (${binary}): give the CSV, TSV, NDJSON or JSON export itself, or an .xlsx workbook`,
    );
  }
  // A BOM is dropped whatever the encoding: it is never data.
  if (headBytes[0] === 0xef && headBytes[1] === 0xbb && headBytes[2] === 0xbf) headBytes = headBytes.subarray(3);
  else if ((headBytes[0] === 0xff && headBytes[1] === 0xfe) || (headBytes[0] === 0xfe && headBytes[1] === 0xff)) headBytes = headBytes.subarray(2);
  const decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding);
  const damage = { invalidBytes: false };
  const utf8 = encoding === 'utf-8';
  // UTF-8 is checked on the bytes (exact, and fast); other encodings by the replacement character.
  const check = utf8 ? new Utf8Check() : undefined;
  const decodeChunk = (b: Buffer, stream: boolean): string => {
    if (check && !check.valid(b, !stream)) damage.invalidBytes = true;
    const s = decoder.decode(b, { stream });
    if (!utf8 && !damage.invalidBytes && s.indexOf('\uFFFD') >= 0) damage.invalidBytes = true;
    return s;
  };
  const headText = decodeChunk(headBytes, !done);
  const text = (async function* () {
    if (headText) yield headText;
    if (!done) {
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        // Decoded in pieces small enough to be young objects: a 1 MiB string is born in the old generation,
        // and a log read as such strings makes the collector sweep the old generation every few chunks.
        const b = next.value;
        for (let at = 0; at < b.length; at += TEXT_PIECE) {
          const s = decodeChunk(at === 0 && b.length <= TEXT_PIECE ? b : b.subarray(at, at + TEXT_PIECE), true);
          if (s) yield s;
        }
      }
      const tail = decodeChunk(Buffer.alloc(0), false);
      if (tail) yield tail;
    }
  })();
  // --encoding that turns clean UTF-8 into other characters is more likely wrong than the file.
  const utf8Instead = forced && !utf8 && !encoding.startsWith('utf-16') && hasHighBytes(headBytes) && isUtf8(completeUtf8(headBytes, done));
  return { name, compressed, encoding, encodingReason: sniffed.reason, head: headText.slice(0, HEAD_CHARS), text, damage, ...(utf8Instead ? { utf8Instead } : {}) };
}

/** OLE2 compound file: Excel 97-2003 workbooks (and old Word documents). */
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const MAGIC: readonly [Buffer, string][] = [
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'it starts like a PNG image'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'it starts like a JPEG image'],
  [Buffer.from('GIF8'), 'it starts like a GIF image'],
  [Buffer.from('%PDF'), 'it starts like a PDF document'],
  [Buffer.from([0x1f, 0x8b]), 'it is still gzip data once decompressed: it was compressed twice'],
  [Buffer.from('PK'), 'it starts like a zip archive'],
  [Buffer.from('7z'), 'it starts like a 7-Zip archive'],
  [Buffer.from('Rar!'), 'it starts like a RAR archive'],
];

function startsWith(b: Buffer, magic: Buffer): boolean {
  return b.length >= magic.length && b.subarray(0, magic.length).equals(magic);
}

const BINARY_SAMPLE = 8192;
/** Fewer bytes than this say too little to call a valid text binary by its share of controls. */
const MIN_TELLING = 64;

/**
 * Why the head is not text, or null. Text has next to no control bytes; images, archives and random bytes
 * have one in ten or so, spread over every line. A line of noise in a text file, or a few bad records, is
 * rejects, not a binary file: so the control bytes must be in the first line and in most lines, and the bytes
 * not UTF-8 (or the file must open like a known binary format). Tab, line ends, form feed and ESC (colour codes in captured logs)
 * are text.
 */
/** A head read as UTF-16 whose characters are mostly controls (a file of NULs looks like UTF-16 by its bytes). */
function binaryUtf16(b: Buffer, encoding: string): string | null {
  const text = new TextDecoder(encoding).decode(b.subarray(0, Math.min(b.length, BINARY_SAMPLE) & ~1));
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) control++;
  }
  return text.length >= MIN_TELLING && control > text.length * 0.3 ? `${control} of its first ${text.length} characters are control characters` : null;
}

function binaryHead(b: Buffer): string | null {
  const n = Math.min(b.length, BINARY_SAMPLE);
  let control = 0;
  let lines = 0;
  let dirtyLines = 0;
  let dirty = false;
  let firstDirty = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? b[i] : 0x0a;
    if (c === 0x0a) {
      if (i > 0 && (i === n || b[i - 1] !== 0x0a)) lines++;
      if (dirty) dirtyLines++;
      if (lines === 1 && dirty) firstDirty = true;
      dirty = false;
    } else if ((c < 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0c && c !== 0x1b) || c === 0x7f) {
      control++;
      dirty = true;
    }
  }
  if (n === 0 || control < Math.max(2, n * 0.05)) return null;
  const what = MAGIC.find(([magic]) => startsWith(b, magic));
  // Valid UTF-8 with control bytes is text a tool wrote badly, row by row: its rows are rejects; but not
  // when controls are a third of a head long enough to tell (a file of NULs is valid UTF-8 too; a line or
  // two of noise is rejects).
  const mostlyControl = n >= MIN_TELLING && control > n * 0.3;
  if (!what && !mostlyControl && !(firstDirty && dirtyLines * 2 > lines && !isUtf8(completeUtf8(b.subarray(0, n), n === b.length)))) return null;
  const counted = `${control} of its first ${n} bytes are control characters`;
  return what ? `${what[1]}; ${counted}` : counted;
}

function hasHighBytes(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return true;
  return false;
}

/** The head without a UTF-8 sequence cut at its end (when more bytes follow), so a clean file checks clean. */
function completeUtf8(b: Buffer, done: boolean): Buffer {
  if (done) return b;
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 3 && (b[i] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  return i >= 0 && b[i] >= 0xc0 ? b.subarray(0, i) : b;
}

/** Validates a UTF-8 byte stream chunk by chunk (a sequence may straddle two chunks). */
class Utf8Check {
  private carry: Buffer | undefined;

  valid(chunk: Buffer, last: boolean): boolean {
    let b = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (!last) {
      // Hold back an incomplete sequence at the end.
      let i = b.length - 1;
      let back = 0;
      while (i >= 0 && back < 3 && (b[i] & 0xc0) === 0x80) {
        i--;
        back++;
      }
      if (i >= 0 && b[i] >= 0xc0) {
        const need = b[i] >= 0xf0 ? 4 : b[i] >= 0xe0 ? 3 : 2;
        if (b.length - i < need) {
          this.carry = Buffer.from(b.subarray(i));
          b = b.subarray(0, i);
        }
      }
    }
    return isUtf8(b);
  }
}

export interface Sniffed {
  encoding: string;
  reason: string;
}

/**
 * The encoding by evidence, line by line: a BOM decides; otherwise each line with non-ASCII bytes votes
 * for UTF-8 (valid UTF-8), GB18030 (not UTF-8 but valid GB18030, what Excel writes for Chinese) or
 * neither (noise). GB18030 wins only when its lines outnumber both the UTF-8 lines and the noise, so a
 * binary line on top of a UTF-8 file leaves it UTF-8 (that line is then rejected).
 */
export function sniffEncoding(buf: Buffer): Sniffed {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8', reason: 'UTF-8 byte order mark' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', reason: 'UTF-16LE byte order mark' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', reason: 'UTF-16BE byte order mark' };
  const utf16 = utf16WithoutBom(buf);
  if (utf16) return { encoding: utf16, reason: 'every other byte is zero (UTF-16 without a byte order mark)' };
  let u = 0;
  let g = 0;
  let noise = 0;
  let start = 0;
  const gb = new TextDecoder('gb18030', { fatal: true });
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    const last = end < 0;
    if (last) end = buf.length;
    let high = false;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        high = true;
        break;
      }
    }
    // A sample cut at SNIFF_BYTES may end inside a character: its last line does not vote.
    if (high && !(last && buf.length >= SNIFF_BYTES)) {
      const line = buf.subarray(start, end);
      if (isUtf8(line)) u++;
      else {
        let isGb = false;
        try {
          gb.decode(line);
          isGb = true;
        } catch {
          isGb = false;
        }
        if (isGb) g++;
        else noise++;
      }
    }
    start = end + 1;
  }
  // Reasons say what decided, not how many lines voted: the counts depend on which lines come first.
  if (g > 0 && g > u && g > noise) {
    return { encoding: 'gb18030', reason: `its non-ASCII lines are valid GB18030 and not UTF-8${u ? ' (a few are UTF-8)' : ''}` };
  }
  if (g === 0 && noise === 0) return { encoding: 'utf-8', reason: u ? 'valid UTF-8' : 'ASCII only' };
  return { encoding: 'utf-8', reason: 'valid UTF-8 apart from some lines, which are rejected' };
}

function utf16WithoutBom(buf: Buffer): string | undefined {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) even++;
    if (buf[i + 1] === 0) odd++;
  }
  const half = n / 2;
  if (odd > half * 0.4 && even < half * 0.05) return 'utf-16le';
  if (even > half * 0.4 && odd < half * 0.05) return 'utf-16be';
  return undefined;
}
