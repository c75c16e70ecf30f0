import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TxlogError } from '../src/errors.js';

const CHUNK = 1 << 20;
/** How much decoded text format and kind detection may look at. */
const HEAD_CHARS = 64 * 1024;

export interface Source {
  name: string;
  compressed: boolean;
  encoding: string;
  /** The first decoded characters, for format and kind detection; also the start of `text`. */
  head: string;
  text: AsyncIterable<string>;
}

// Files in a directory input that are never data: expectations, generator ground truth, rules and mappings.
const NOT_DATA = /^(expected\.json|truth\.(ndjson|json)|readme(\.md)?|(.+\.)?(rules|mapping)\.json)$/i;
const DATA_FILE = /\.(ndjson|jsonl|json|csv|tsv|txt|log|xml)(\.gz)?$/i;

/** Expands directories to their data files (sorted, non-recursive); checks that every input is readable. */
export async function expandInputs(names: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    if (name === '-') {
      out.push(name);
      continue;
    }
    const info = await stat(name).catch((err: NodeJS.ErrnoException) => {
      throw new TxlogError('INPUT_UNREADABLE', `cannot read input ${name}: ${describeFsError(err)}`);
    });
    if (info.isDirectory()) {
      const files = (await readdir(name)).filter((f) => DATA_FILE.test(f) && !NOT_DATA.test(f)).sort();
      if (files.length === 0) {
        throw new TxlogError('INPUT_EMPTY_DIR', `input directory ${name} holds no data files (*.ndjson, *.json, *.csv, *.tsv, optionally .gz)`);
      }
      out.push(...files.map((f) => join(name, f)));
    } else {
      out.push(name);
    }
  }
  return out;
}

function describeFsError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file or directory; check the path';
  if (err.code === 'EACCES') return 'permission denied';
  return err.message;
}

export async function openSource(name: string, forcedEncoding?: string): Promise<Source> {
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
  const rest = (async function* () {
    if (firstChunk.length) yield firstChunk;
    if (first.done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  const compressed = firstChunk.length >= 2 && firstChunk[0] === 0x1f && firstChunk[1] === 0x8b;
  const bytes = compressed ? gunzip(name, rest) : rest;
  return decode(name, bytes, compressed, forcedEncoding);
}

async function* gunzip(name: string, bytes: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const stream = Readable.from(bytes).pipe(createGunzip());
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw new TxlogError('INPUT_CORRUPT', `cannot decompress ${name}: ${(err as Error).message} (is the .gz file truncated?)`);
  }
}

const ENCODING_ALIASES: Record<string, string> = {
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

async function decode(name: string, bytes: AsyncIterable<Buffer>, compressed: boolean, forced?: string): Promise<Source> {
  const it = bytes[Symbol.asyncIterator]();
  // Gather enough bytes to sniff the encoding and the format.
  const pending: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_CHARS) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    pending.push(next.value);
    size += next.value.length;
  }
  let headBytes = Buffer.concat(pending);
  let encoding = forced ? normalizeEncoding(forced) : sniffEncoding(headBytes);
  // A BOM is dropped whatever the encoding: it is never data.
  if (headBytes[0] === 0xef && headBytes[1] === 0xbb && headBytes[2] === 0xbf) headBytes = headBytes.subarray(3);
  else if ((headBytes[0] === 0xff && headBytes[1] === 0xfe) || (headBytes[0] === 0xfe && headBytes[1] === 0xff)) headBytes = headBytes.subarray(2);
  const decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding);
  const headText = decoder.decode(headBytes, { stream: true });
  const text = (async function* () {
    if (headText) yield headText;
    if (!done) {
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        const s = decoder.decode(next.value, { stream: true });
        if (s) yield s;
      }
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  })();
  return { name, compressed, encoding, head: headText.slice(0, HEAD_CHARS), text };
}

/**
 * BOMs decide; otherwise valid UTF-8 wins, and text whose high bytes do not form UTF-8 is GB18030 (a
 * superset of GBK, what Excel writes for Chinese). A few stray bytes in mostly-UTF-8 text (binary noise
 * in a log) do not flip the decision: those lines become rejects.
 */
export function sniffEncoding(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  let valid = 0;
  let invalid = 0;
  const end = buf.length;
  for (let i = 0; i < end; ) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    if (len === 0) {
      invalid++;
      i++;
      continue;
    }
    if (i + len > end) break; // cut at the end of the sample
    let ok = true;
    for (let k = 1; k < len; k++) if ((buf[i + k] & 0xc0) !== 0x80) ok = false;
    if (ok) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  if (invalid === 0 || valid > invalid * 2) return 'utf-8';
  // Mostly invalid UTF-8: GB-encoded Chinese has many two-byte pairs in 0x81–0xFE.
  return looksGb(buf) ? 'gb18030' : 'utf-8';
}

function looksGb(buf: Buffer): boolean {
  let pairs = 0;
  let stray = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b < 0x80) continue;
    const n = buf[i + 1];
    if (b >= 0x81 && b <= 0xfe && n !== undefined && n >= 0x40 && n <= 0xfe && n !== 0x7f) {
      pairs++;
      i++;
    } else {
      stray++;
    }
  }
  return pairs > stray * 2;
}
