import type { FormatParser, RowItem } from './types.js';

/**
 * NDJSON: plain line splitting plus JSON.parse, the measured floor (architecture.md). Every non-blank line
 * is one row: an object, or a problem with its line number.
 */
export const ndjsonParser: FormatParser = {
  id: 'ndjson',
  async *parse(text) {
    let carry = '';
    let line = 0;
    for await (const chunk of text) {
      const data = carry ? carry + chunk : chunk;
      const batch: RowItem[] = [];
      let start = 0;
      for (;;) {
        const nl = data.indexOf('\n', start);
        if (nl < 0) break;
        line++;
        parseLine(data.slice(start, nl), line, batch);
        start = nl + 1;
      }
      // Copy the remainder so the big chunk it was sliced from can be collected.
      carry = start < data.length ? (' ' + data.slice(start)).slice(1) : '';
      if (batch.length) yield batch;
    }
    if (carry) {
      const batch: RowItem[] = [];
      parseLine(carry, line + 1, batch);
      if (batch.length) yield batch;
    }
  },
};

function parseLine(text: string, line: number, batch: RowItem[]): void {
  const s = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (s.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch (err) {
    batch.push({ problem: { line, reason: `invalid JSON: ${(err as Error).message}`, raw: s } });
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    batch.push({ problem: { line, reason: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`, raw: s } });
    return;
  }
  batch.push({ row: { line, fields: value as Record<string, unknown>, raw: s } });
}
