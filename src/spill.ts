// A list that holds its first items on the heap and writes the rest to a temporary file, read back once in
// the order they came. The failures a run holds until every input is read (classification needs the
// approvals after them, and the run's as-of day) grow with the log: a nightly job of tens of millions of
// records would otherwise keep millions of whole records on the heap, next to the settlement index.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { fsError, isFsError } from './errors.js';

/**
 * Items kept on the heap before the list writes to disk: a merchant's file never spills, and a nightly job
 * keeps some 20-30 MB of them (at 200,000, a 12M-line run held 200 MB of waiting records per pass, and half
 * as much again of their garbage, at its peak).
 */
export const SPILL_AFTER = 20_000;
// Items serialized together: one header and one write per batch, not per item; few enough that a batch is
// written while its items are young (a larger one lives long enough to be promoted, then is old garbage).
const BATCH = 256;

export class SpillList<T> {
  private readonly head: T[] = [];
  private batch: T[] = [];
  private fd: number | null = null;
  private written = 0;
  private count = 0;

  // A list told to hold few items (tests) writes in batches as small: what it holds stays small.
  private readonly batchSize: number;

  /** `after`: items kept on the heap; past it they are written to a file under TMPDIR. */
  constructor(private readonly after = SPILL_AFTER) {
    this.batchSize = Math.max(1, Math.min(BATCH, after));
  }

  get length(): number {
    return this.count;
  }

  /** Whether any item went to disk. */
  get spilled(): boolean {
    return this.fd !== null;
  }

  push(item: T): void {
    this.count++;
    if (this.head.length < this.after) {
      this.head.push(item);
      return;
    }
    this.batch.push(item);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /**
   * Every item in the order pushed, each handed out once: the list lets go of what it has handed out, and
   * is empty afterwards. v8 serialization keeps what JSON would change (undefined members, key order).
   */
  *drain(): Generator<T> {
    try {
      for (let i = 0; i < this.head.length; i++) {
        const item = this.head[i];
        (this.head as (T | undefined)[])[i] = undefined;
        yield item;
      }
      this.head.length = 0;
      if (this.fd !== null) {
        const length = Buffer.alloc(4);
        let at = 0;
        while (at < this.written) {
          this.readAt(length, at);
          const bytes = Buffer.allocUnsafe(length.readUInt32LE(0));
          this.readAt(bytes, at + 4);
          at += 4 + bytes.length;
          for (const item of deserialize(bytes) as T[]) yield item;
        }
      }
      const tail = this.batch;
      this.batch = [];
      for (const item of tail) yield item;
    } finally {
      this.dispose();
    }
  }

  /** Closes the file (already unlinked); the list is empty. */
  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.head.length = 0;
    this.batch = [];
    this.count = this.written = 0;
  }

  private flush(): void {
    const bytes = serialize(this.batch);
    this.batch = [];
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length, 0);
    try {
      const fd = this.fd ?? (this.fd = openUnlinked());
      writeAll(fd, length);
      writeAll(fd, bytes);
    } catch (err) {
      throw isFsError(err) ? fsError(err, 'holding failed transactions in a temporary file under TMPDIR (set TMPDIR to a disk with room)') : err;
    }
    this.written += 4 + bytes.length;
  }

  private readAt(buf: Buffer, position: number): void {
    let done = 0;
    while (done < buf.length) {
      const n = readSync(this.fd!, buf, done, buf.length - done, position + done);
      if (n === 0) throw new Error(`temporary file ended at ${position + done} of ${this.written} bytes`);
      done += n;
    }
  }
}

/** A file only this process can reach, gone from the directory at once: nothing is left behind, whatever ends the run. */
export function openUnlinked(): number {
  const dir = mkdtempSync(join(tmpdir(), 'txlog-'));
  try {
    return openSync(join(dir, 'held'), 'w+', 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}
