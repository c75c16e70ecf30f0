import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FineCounts } from '../../src/fine-counts.js';

describe('FineCounts', () => {
  it('counts as a Map of bucket numbers does, dense or spread far apart, added in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 3e6 }),
        fc.constantFrom(10, 600, 5000, 200_000),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 3 })), { maxLength: 400 }),
        fc.array(fc.tuple(fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 20 }),
        (base, spread, adds, queries) => {
          const c = new FineCounts();
          const ref = new Map<number, number>();
          for (const [at, n] of adds) {
            const b = base + Math.floor(at * spread);
            c.add(b, n);
            ref.set(b, (ref.get(b) ?? 0) + n);
          }
          const keys = [...ref.keys()].sort((a, b) => a - b);
          expect(c.entries()).toEqual(keys.map((k) => [k, ref.get(k)]));
          for (const k of keys) expect(c.has(k) && c.get(k) === ref.get(k)).toBe(true);
          for (const [at, len] of [...queries, [-Infinity, Infinity] as [number, number]]) {
            const from = Number.isFinite(at) ? base + Math.floor(at * spread) : at;
            const to = Number.isFinite(len) ? from + Math.floor(len * spread) : len;
            const want = keys.filter((k) => k >= from && k < to).reduce((s, k) => s + ref.get(k)!, 0);
            expect(c.sumBetween(from, to)).toBe(want);
          }
        },
      ),
    );
  });

  it('holds a terminal seen once a day for years without a span of every bucket between', () => {
    const c = new FineCounts();
    for (let day = 0; day < 2000; day++) c.add(day * 144);
    expect(c.sumBetween(-Infinity, Infinity)).toBe(2000);
    expect(c.sumBetween(144, 288)).toBe(1);
    expect(c.get(143)).toBe(0);
  });
});
