// The packed key table must answer exactly as a Map keyed by (terminal, key) would, for any keys:
// colliding hashes, keys of another terminal, wide characters, re-filed keys, growth past its first sizes.
// An id of digits only is the same key with or without leading zeros (Excel drops them from one file).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../src/keytable.js';

describe('KeyTable', () => {
  it.each([
    ['keeps its own terminals', false],
    ["reads each slot's terminal from its caller", true],
  ])('answers as a Map of (terminal, key) does (%s)', (_name, external) => {
    const key = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.stringMatching(/^[0-9]{1,14}$/),
      fc.stringMatching(/^0{1,3}[0-9]{0,4}$/),
      fc.constantFrom('632000000001', '0632000000001', 'TX1_261116_00001', '0TX1', '订单-1', 'é', '0', '00'),
    );
    const canonical = (k: string) => (/^[0-9]+$/.test(k) ? k.replace(/^0+(?=.)/, '') : k);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), key, fc.integer({ min: 0, max: 2 })), { maxLength: 400 }), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 4 }), (ops, expects) => {
        // The settlement index's way: the slot's terminal is set before its key is filed.
        const owners: number[] = [];
        const table = external ? new KeyTable({ ownerOf: (slot) => owners[slot] }) : new KeyTable();
        const model = new Map<string, number>();
        const keyOfSlot = new Map<number, string>();
        ops.forEach(([t, k, lookFirst], slot) => {
          // A lookup before filing (the index's way: a miss remembers where the key goes), with room made
          // between the two at times; room made ahead, for too few or too many slots, changes nothing but the room.
          if (lookFirst > 0) expect(table.get(t, k)).toBe(model.get(`${t}\u0000${canonical(k)}`) ?? -1);
          if (expects.length && slot % 50 === 0) table.expect(expects[(slot / 50) % expects.length]);
          if (lookFirst === 2) table.get((t + 1) % 4, k);
          owners[slot] = t;
          table.set(t, k, slot);
          model.set(`${t}\u0000${canonical(k)}`, slot);
          keyOfSlot.set(slot, k);
        });
        for (const [t, k] of ops) expect(table.get(t, k)).toBe(model.get(`${t}\u0000${canonical(k)}`));
        for (const [t, k] of ops) expect(table.get(t + 4, k)).toBe(-1);
        for (const [slot, k] of keyOfSlot) expect(table.keyOf(slot)).toBe(k);
        expect(table.keyOf(ops.length + 5)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('holds a million keys and finds each', () => {
    const table = new KeyTable();
    for (let i = 0; i < 1_000_000; i++) table.set(i % 500, String(632000000000 + i), i);
    for (let i = 0; i < 1_000_000; i += 997) expect(table.get(i % 500, String(632000000000 + i))).toBe(i);
    expect(table.get(1, '632000000000')).toBe(-1);
  });
});
