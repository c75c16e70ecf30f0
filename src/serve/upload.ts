// Receives the upload form: each file streams to disk as it arrives (never whole in memory), the whole
// request is held to --max-upload, and the small text fields are kept.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { maskText } from '../pan.js';

export const FILE_FIELDS = ['terminal', 'settlement', 'mapping'] as const;
export type FileField = (typeof FILE_FIELDS)[number];
export const TEXT_FIELDS = ['tz', 'currency', 'lang', 'terminalId'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface Upload {
  /** Stored name (inside the job directory) of each file given; empty file inputs are left out. */
  files: Partial<Record<FileField, string>>;
  fields: Partial<Record<TextField, string>>;
}

/** Why an upload could not be taken; the server turns each into its page and status. */
export class UploadError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
  }
}

/**
 * The stored name: the user's base name with only letters, digits, dot, dash, underscore and space kept
 * (no path, no leading dot), so the report names the file as the user knows it and nothing escapes the
 * job directory. The extension is kept because format detection reads it; a card number in the name is
 * masked like any text, since the report names the file.
 */
export function storedName(original: string, field: FileField, taken: ReadonlySet<string>): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  let name = maskText(base.normalize('NFC')).replace(/[^\p{L}\p{N}._\- ]+/gu, '_').replace(/^[.\s-]+/, '').slice(-100).trim();
  if (name === '' || name === '_') name = field === 'mapping' ? 'mapping.json' : `${field}.csv`;
  if (taken.has(name)) name = `${field}-${name}`;
  return name;
}

/** Reads a multipart form into `dir`; rejects with UploadError (status and message) when it cannot. */
export function receiveUpload(req: IncomingMessage, dir: string, maxBytes: number): Promise<Upload> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) return Promise.reject(new UploadError(415, 'not a multipart/form-data upload'));
  const length = Number(req.headers['content-length']);
  // A declared body over the limit is refused before a byte of it is read.
  if (Number.isFinite(length) && length > maxBytes + FORM_OVERHEAD) return Promise.reject(new UploadError(413, 'too large'));

  return new Promise((resolve, reject) => {
    const upload: Upload = { files: {}, fields: {} };
    const writes: Promise<void>[] = [];
    const streams: WriteStream[] = [];
    const taken = new Set<string>();
    let total = 0;
    let failed: UploadError | null = null;
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: maxBytes, files: FILE_FIELDS.length, fields: 10, fieldSize: 200, parts: 16 },
      });
    } catch {
      reject(new UploadError(400, 'the form data could not be read'));
      return;
    }
    const fail = (err: UploadError) => {
      if (failed) return;
      failed = err;
      req.unpipe(bb);
      for (const s of streams) s.destroy();
      // Every file stream has ended (or been destroyed) before the caller deletes the directory.
      Promise.allSettled(writes).then(() => reject(err));
    };
    bb.on('file', (name, stream, info) => {
      const field = FILE_FIELDS.find((f) => f === name);
      if (!field || failed || upload.files[field] || info.filename === undefined || info.filename === '') {
        stream.resume();
        return;
      }
      const stored = storedName(info.filename, field, taken);
      taken.add(stored);
      const out = createWriteStream(join(dir, stored), { flags: 'wx', mode: 0o600 });
      streams.push(out);
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        total += chunk.length;
        if (total > maxBytes) fail(new UploadError(413, 'too large'));
      });
      stream.on('limit', () => fail(new UploadError(413, 'too large')));
      writes.push(
        pipeline(stream, out).then(
          () => {
            // An empty file input in a browser form still sends a part; only a file with bytes counts.
            if (size > 0) upload.files[field] = stored;
          },
          // A disk that refuses the file (full, gone) is an upload that could not be taken.
          () => fail(new UploadError(400, 'the upload could not be stored')),
        ),
      );
    });
    bb.on('field', (name, value) => {
      const field = TEXT_FIELDS.find((f) => f === name);
      if (field) upload.fields[field] = value.trim();
    });
    bb.on('error', () => fail(new UploadError(400, 'the form data could not be read')));
    bb.on('close', () => {
      if (failed) return;
      Promise.all(writes).then(() => (failed ? undefined : resolve(upload)), () => reject(new UploadError(400, 'the upload could not be stored')));
    });
    req.on('aborted', () => fail(new UploadError(400, 'the upload was interrupted')));
    req.pipe(bb);
  });
}

/** Room for the multipart boundaries, part headers and text fields around the files themselves. */
const FORM_OVERHEAD = 64 * 1024;
