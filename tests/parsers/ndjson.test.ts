import { describe, expect, it } from 'vitest';
import { ndjsonParser } from '../../parsers/ndjson.js';
import { parseAll } from '../helpers.js';

describe('ndjson parser', () => {
  it('yields one row per line with physical line numbers, skipping blank lines', async () => {
    const { items } = await parseAll(ndjsonParser, '{"a":1}\r\n\r\n  \n{"a":2}\n{"a":3}');
    expect(items.map((i) => i.row?.line)).toEqual([1, 4, 5]);
    expect(items[2].row?.fields).toEqual({ a: 3 });
  });

  it('turns a bad line into a problem with its line and raw text, and goes on', async () => {
    const { items } = await parseAll(ndjsonParser, '{"a":1}\n{"a": \n[1,2]\n"x"\n{"a":5}\n');
    expect(items.map((i) => (i.row ? `row@${i.row.line}` : `problem@${i.problem!.line}`))).toEqual([
      'row@1',
      'problem@2',
      'problem@3',
      'problem@4',
      'row@5',
    ]);
    expect(items[1].problem!.reason).toMatch(/invalid JSON/);
    expect(items[1].problem!.raw).toBe('{"a": ');
    expect(items[2].problem!.reason).toMatch(/expected a JSON object, got an array/);
  });

  it('names what a line that is no object holds', async () => {
    const { items } = await parseAll(ndjsonParser, 'null\n"x"\n5\n');
    expect(items.map((i) => i.problem!.reason)).toEqual(['expected a JSON object, got null', 'expected a JSON object, got string', 'expected a JSON object, got number']);
  });

  it('reports a truncated last line (no newline, half an object)', async () => {
    const { items } = await parseAll(ndjsonParser, '{"a":1}\n{"a":2,"b":');
    expect(items[1].problem).toMatchObject({ line: 2 });
  });

  it('keeps multi-byte text intact across chunk boundaries', async () => {
    const { items } = await parseAll(ndjsonParser, '{"m":"余额不足"}\n', 3);
    expect(items[0].row?.fields).toEqual({ m: '余额不足' });
  });
});
