import { LineSplitter, MAX_LINE, type Line } from './lines.js';
import { ndjsonOwner, type RowShare } from './share.js';
import type { FormatParser, RowItem } from './types.js';

/**
 * NDJSON: plain line splitting plus JSON.parse, the measured floor (architecture.md). Every non-blank line
 * is one row: an object, or a problem with its line number.
 */
export const ndjsonParser: FormatParser = {
  id: 'ndjson',
  open(options) {
    const lines = new LineSplitter();
    const buf: Line[] = [];
    const share = options.share;
    const take = (): RowItem[] => {
      const out: RowItem[] = [];
      if (share) for (const l of buf) shareLine(l, out, share);
      else for (const l of buf) parseLine(l, out);
      buf.length = 0;
      return out;
    };
    return {
      push(text) {
        lines.push(text, buf);
        return take();
      },
      end() {
        lines.end(buf);
        return take();
      },
    };
  },
};

function shareLine(l: Line, out: RowItem[], share: RowShare): void {
  const owner = l.oversize ? -1 : ndjsonOwner(l.text, share);
  if (!share.keeps(owner)) return;
  const at = out.length;
  parseLine(l, out);
  if (out.length > at) out[at].owner = owner;
}

function parseLine({ text, line, oversize }: Line, out: RowItem[]): void {
  if (oversize) {
    out.push({ problem: { line, reason: `line is longer than ${MAX_LINE >> 20} MiB: not a record`, raw: text } });
    return;
  }
  const c = text.charCodeAt(0);
  // `{` first is nearly every line; only the rest needs the blank test.
  if (c !== 123 && text.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    out.push({ problem: { line, reason: `invalid JSON: ${(err as Error).message}`, raw: text } });
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({ problem: { line, reason: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`, raw: text } });
    return;
  }
  out.push({ row: { line, fields: value as Record<string, unknown>, raw: text } });
}
