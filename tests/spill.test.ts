// Failures held past a count wait in a temporary file (src/spill.ts): what comes back is what went in, in
// order, and a run that spills writes the report a run on the heap writes, byte for byte.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { SpillList } from '../src/spill.js';

const work = mkdtempSync(join(tmpdir(), 'txlog-spill-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SpillList', () => {
  // Members that are undefined, odd numbers, nested lists and texts past U+FFFF: what JSON would change.
  const item = fc.record(
    {
      id: fc.string(),
      n: fc.oneof(fc.double(), fc.integer(), fc.constant(-0)),
      maybe: fc.option(fc.string(), { nil: undefined }),
      list: fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 3 }),
      nested: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3, noNullPrototype: true }),
    },
    { requiredKeys: ['id', 'n', 'list', 'nested'], noNullPrototype: true },
  );

  it('gives back every item in the order pushed, on the heap or from the file', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 5000 }), fc.nat({ max: 100 }), (items, after) => {
        const list = new SpillList<(typeof items)[number]>(after);
        for (const i of items) list.push(i);
        expect(list.length).toBe(items.length);
        expect(list.spilled).toBe(items.length >= after + Math.max(1, Math.min(256, after)));
        const back = [...list.drain()];
        expect(back).toStrictEqual(items);
        // Handed out once: the list is empty afterwards.
        expect(list.length).toBe(0);
        expect([...list.drain()]).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('leaves nothing in TMPDIR, also when the reader stops early', () => {
    // A TMPDIR of its own: the shared one sees other test files' directories come and go meanwhile.
    const own = mkdtempSync(join(tmpdir(), 'txlog-spill-test-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      const list = new SpillList<number>(0);
      for (let i = 0; i < 10_000; i++) list.push(i);
      expect(list.spilled).toBe(true);
      expect(readdirSync(own)).toEqual([]);
      for (const i of list.drain()) if (i === 5) break;
      expect(list.length).toBe(0);
      expect(readdirSync(own)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('a run whose held failures spill', () => {
  it.each([
    ['sample fleet', ['fixtures/sample-fleet'], 'Asia/Shanghai'],
    ['settlement problems', ['fixtures/settlement-problems'], 'UTC'],
  ])('%s: the same report and findings as a run that holds them on the heap', async (_, inputs, tz) => {
    const run = (holdInMemory: number | undefined) =>
      analyze({ inputs, out: null, tz, generatedAt: '2026-01-01T00:00:00Z', jobs: 1, holdInMemory }).then((r) => JSON.stringify({ report: r.report, findings: r.findings.toArray() }));
    const heap = await run(undefined);
    expect(await run(0)).toBe(heap);
    expect(await run(1)).toBe(heap);
    expect(await run(7)).toBe(heap);
  });
});
