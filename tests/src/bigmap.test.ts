import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BigMap } from '../../src/bigmap.js';

describe('BigMap', () => {
  const size = BigMap.PART_SIZE;
  afterEach(() => {
    BigMap.PART_SIZE = size;
  });

  it('behaves as a Map across sealed parts (tiny parts stand in for 2^23)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.constantFrom('set', 'delete', 'get'), fc.integer({ min: 0, max: 40 }), fc.integer()), { maxLength: 300 }),
        (part, ops) => {
          BigMap.PART_SIZE = part;
          const big = new BigMap<number, number>();
          const ref = new Map<number, number>();
          for (const [op, k, v] of ops) {
            if (op === 'set') {
              big.set(k, v);
              ref.set(k, v);
            } else if (op === 'delete') expect(big.delete(k)).toBe(ref.delete(k));
            expect(big.get(k)).toBe(ref.get(k));
            expect(big.size).toBe(ref.size);
          }
        },
      ),
    );
  });
});
