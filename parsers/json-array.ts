import { Readable } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import type { FormatParser, RowItem } from './types.js';

/**
 * A JSON array, streamed element by element with stream-json (never parsed whole). stream-json reports no
 * positions, so a light scanner runs over the same text first and queues the line each top-level element
 * starts on; elements come out in order, so the queue's head is the current element's line.
 */
export const jsonArrayParser: FormatParser = {
  id: 'json',
  async *parse(text) {
    const starts: number[] = [];
    const tracker = new ElementLines(starts);
    const tracked = (async function* () {
      for await (const chunk of text) {
        tracker.scan(chunk);
        yield chunk;
      }
    })();
    const parser = Parser.make({ streamValues: false });
    const elements = StreamArray.make();
    // On a syntax error, end the element stream instead of destroying it, so elements already parsed still come out.
    let failure: Error | undefined;
    parser.on('error', (err: Error) => {
      failure = err;
      parser.unpipe(elements);
      elements.end();
    });
    Readable.from(tracked).pipe(parser).pipe(elements);
    let batch: RowItem[] = [];
    let head = 0;
    try {
      for await (const item of elements as AsyncIterable<{ key: number; value: unknown }>) {
        const line = starts[head] ?? tracker.line;
        head++;
        if (head > 4096) {
          starts.splice(0, head);
          head = 0;
        }
        const value = item.value;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          batch.push({ problem: { line, reason: `array element ${item.key + 1} is not a JSON object`, raw: JSON.stringify(value) ?? '' } });
        } else {
          batch.push({ row: { line, fields: value as Record<string, unknown>, raw: JSON.stringify(value) } });
        }
        if (batch.length >= 1024) {
          yield batch;
          batch = [];
        }
      }
    } catch (err) {
      failure ??= err as Error;
    }
    if (failure) {
      const line = starts[head] ?? tracker.line;
      batch.push({
        problem: {
          line,
          reason: `malformed JSON array from line ${line}: ${failure.message}; the rest of the file could not be read (fix the JSON or convert it to NDJSON, where one bad line costs one row)`,
          raw: tracker.excerpt,
        },
      });
    }
    if (batch.length) yield batch;
  },
};

class ElementLines {
  line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private expectValue = false;
  private excerptLine = 0;
  excerpt = '';

  constructor(private readonly starts: number[]) {}

  scan(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) {
        this.line++;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      if (this.expectValue && c !== 93) {
        this.starts.push(this.line);
        this.expectValue = false;
        if (this.excerptLine !== this.line) {
          this.excerptLine = this.line;
          const end = chunk.indexOf('\n', i);
          this.excerpt = chunk.slice(i, end < 0 ? Math.min(chunk.length, i + 200) : Math.min(end, i + 200));
        }
      }
      if (c === 34) this.inString = true;
      else if (c === 91 || c === 123) {
        this.depth++;
        if (this.depth === 1 && c === 91) this.expectValue = true;
      } else if (c === 93 || c === 125) this.depth--;
      else if (c === 44 && this.depth === 1) this.expectValue = true;
    }
  }
}
