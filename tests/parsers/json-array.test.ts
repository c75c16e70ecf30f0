import { describe, expect, it } from 'vitest';
import { jsonArrayParser } from '../../parsers/json-array.js';
import { parseAll } from '../helpers.js';

describe('json array parser', () => {
  it('streams elements with the line each starts on', async () => {
    const text = '[\n  {"a": 1},\n  {\n    "a": "x,]}"\n  },\n  {"a": 3}\n]\n';
    const { items } = await parseAll(jsonArrayParser, text, 5);
    expect(items.map((i) => i.row?.line)).toEqual([2, 3, 6]);
    expect(items[1].row?.fields).toEqual({ a: 'x,]}' });
  });

  it('makes a non-object element a problem and goes on', async () => {
    const { items } = await parseAll(jsonArrayParser, '[{"a":1},\n42,\n{"a":2}]');
    expect(items.map((i) => (i.row ? 'row' : `problem@${i.problem!.line}`))).toEqual(['row', 'problem@2', 'row']);
  });

  it('makes a broken element one problem with its own line and text, and reads the elements after it', async () => {
    const { items } = await parseAll(jsonArrayParser, '[\n{"a":1},\n{"a":2,,},\n{"a":3}\n]');
    expect(items.map((i) => (i.row ? `row@${i.row.line}` : `problem@${i.problem!.line}`))).toEqual(['row@2', 'problem@3', 'row@4']);
    expect(items[1].problem!.raw).toBe('{"a":2,,}');
    expect(items[1].problem!.reason).toMatch(/^element 2: invalid JSON/);
  });

  it('handles a truncated file', async () => {
    const { items } = await parseAll(jsonArrayParser, '[{"a":1},{"a":');
    expect(items[0].row).toBeDefined();
    expect(items[1].problem?.reason).toMatch(/the array ends inside element 2/);
  });
});
