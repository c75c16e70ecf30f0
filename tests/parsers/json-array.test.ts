import fc from 'fast-check';
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

describe('json array parser: damage stays where it is', () => {
  const element = (i: number) => ({ txnId: `T${i}`, terminalId: 'P1', amount: '1.00', nested: { a: [1, 2], b: 'x,]}' } });
  // Ways an element gets broken, each leaving the text around it intact.
  const breaks: Record<string, (s: string) => string> = {
    'a bad token': (s) => s.replace('"1.00"', '1.00.0'),
    'a missing closing brace': (s) => s.slice(0, -1),
    'an unclosed string': (s) => s.replace('"P1"', '"P1'),
    'a missing colon': (s) => s.replace('"amount":', '"amount"'),
    'a stray quote': (s) => s.replace('"P1"', '"P"1"'),
  };
  const layouts: Record<string, (parts: string[]) => string> = {
    'one element per line': (parts) => `[\n${parts.join(',\n')}\n]\n`,
    'pretty-printed': (parts) => `[\n${parts.map((p) => JSON.stringify(JSON.parse(p.replace(/^.*$/, '{}')) ?? {}) && p.replace(/,"/g, ',\n    "').replace(/^\{/, '  {\n    ')).join(',\n')}\n]\n`,
    'all on one line': (parts) => `[${parts.join(',')}]`,
  };
  for (const [layout, join] of Object.entries(layouts)) {
    for (const [what, broken] of Object.entries(breaks)) {
      it(`${layout}, ${what}: 9,999 of 10,000 kept, the reject at its own line`, async () => {
        const parts = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(element(i)));
        parts[1000] = broken(parts[1000]);
        const text = join(parts);
        const { items } = await parseAll(jsonArrayParser, text, 65_536);
        const rows = items.filter((i) => i.row);
        const problems = items.filter((i) => i.problem).map((i) => i.problem!);
        expect(rows).toHaveLength(9_999);
        expect(problems).toHaveLength(1);
        const lines = text.split('\n');
        const brokenLine = lines.findIndex((l) => l.includes('"T1000"') || l.includes('"T1000')) + 1;
        // The element's own start line (its text begins on that line or just before, for pretty output).
        expect(problems[0].line).toBeLessThanOrEqual(brokenLine);
        expect(problems[0].line).toBeGreaterThanOrEqual(brokenLine - 1);
        expect(problems[0].raw).toContain('T1000');
        expect(problems[0].raw).not.toContain('"T1001"');
        expect(rows.map((r) => r.row!.fields.txnId)).not.toContain('T1000');
      });
    }
  }

  it('keeps memory flat: a row it has handed out holds no piece of the input chunks', async () => {
    const { items } = await parseAll(jsonArrayParser, `[${Array.from({ length: 50 }, (_, i) => JSON.stringify(element(i))).join(',')}]`, 1 << 20);
    // JSON.parse builds fresh strings; a value is never a slice of the 1 MiB chunk it came from.
    expect(items.every((i) => i.row && typeof i.row.fields.txnId === 'string')).toBe(true);
  });
});

describe('json array parser: every element is its own row', () => {
  const record = fc.record({ txnId: fc.string({ maxLength: 8 }), terminalId: fc.constantFrom('T1', 'P2'), status: fc.constantFrom('approved', 'failed'), amount: fc.integer({ min: 1, max: 999 }) });
  // Keys in any order: a shuffled copy of the record.
  const object = fc.tuple(record, fc.array(fc.nat(), { minLength: 4, maxLength: 4 })).map(([r, order]) => {
    const entries = Object.entries(r).map((e, i) => ({ e, k: order[i] })).sort((a, b) => a.k - b.k).map((x) => x.e);
    return Object.fromEntries(entries) as Record<string, unknown>;
  });
  const other = fc.oneof(fc.integer(), fc.constantFrom(null, true, false, 'x,]}', ''), fc.array(fc.integer(), { maxLength: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const element = fc.oneof({ arbitrary: object, weight: 3 }, { arbitrary: other, weight: 1 });

  it('for any elements, in any key order, objects are rows and anything else a reject of its own, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(element, { minLength: 1, maxLength: 20 }), fc.constantFrom(', ', ',\n'), fc.constantFrom(1, 7, 4096), async (elements, sep, size) => {
        const texts = elements.map((e) => JSON.stringify(e));
        const { items, info } = await parseAll(jsonArrayParser, `[${texts.join(sep)}]\n`, size);
        expect(items).toHaveLength(elements.length);
        items.forEach((item, i) => {
          const e = elements[i];
          const line = sep === ', ' ? 1 : i + 1;
          if (e !== null && typeof e === 'object' && !Array.isArray(e)) expect(item.row).toMatchObject({ line, fields: e });
          else {
            expect(item.problem).toMatchObject({ line, raw: texts[i] });
            expect(item.problem!.reason).toMatch(new RegExp(`^array element ${i + 1} \\(column \\d+\\) is not a JSON object$`));
          }
        });
        expect(info.warnings ?? []).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('for any key order, a broken element on a one-line array costs itself only', async () => {
    const breaks = [(s: string) => s.slice(0, -1), (s: string) => s.replace(':', ''), (s: string) => s.replace('"X', '"X"')];
    await fc.assert(
      fc.asyncProperty(fc.array(object, { minLength: 2, maxLength: 20 }), fc.nat(), fc.nat({ max: breaks.length - 1 }), async (objects, at, how) => {
        const k = at % objects.length;
        const texts = objects.map((o, i) => JSON.stringify({ ...o, txnId: `X${i}` }).replace(/^\{/, i % 2 ? '{ ' : '{'));
        texts[k] = breaks[how](texts[k]);
        const { items } = await parseAll(jsonArrayParser, `[${texts.join(', ')}]`, 4096);
        expect(items.filter((i) => i.problem)).toHaveLength(1);
        expect(items.filter((i) => i.row).map((i) => i.row!.fields.txnId)).toEqual(objects.map((_, i) => `X${i}`).filter((_, i) => i !== k));
      }),
      { numRuns: 200 },
    );
  });

  it('reads on after a non-object whatever key the next element opens with (QA case keyorder.json)', async () => {
    const el = (id: string) => `{"terminalId": "T1", "txnId": "${id}", "status": "failed", "amount": 1}`;
    const text = `[{"txnId": "A1", "terminalId": "T1", "status": "approved", "amount": 1}, 5, ${['A2', 'A3', 'A4', 'A5'].map(el).join(', ')}]`;
    const { items, info } = await parseAll(jsonArrayParser, text);
    expect(items.map((i) => (i.row ? i.row.fields.txnId : `problem ${i.problem!.raw}`))).toEqual(['A1', 'problem 5', 'A2', 'A3', 'A4', 'A5']);
    expect(info.warnings).toBeUndefined();
  });
});
