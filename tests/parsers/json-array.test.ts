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

  it('turns a broken array into one problem at the broken element, keeping the rows before it', async () => {
    const { items } = await parseAll(jsonArrayParser, '[\n{"a":1},\n{"a":2,,},\n{"a":3}\n]');
    expect(items[0].row?.line).toBe(2);
    const problem = items.find((i) => i.problem)!.problem!;
    expect(problem.line).toBe(3);
    expect(problem.reason).toMatch(/malformed JSON array from line 3/);
    expect(items).toHaveLength(2);
  });

  it('handles a truncated file', async () => {
    const { items } = await parseAll(jsonArrayParser, '[{"a":1},{"a":');
    expect(items[0].row).toBeDefined();
    expect(items[1].problem?.reason).toMatch(/malformed JSON array/);
  });
});
