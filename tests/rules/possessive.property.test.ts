// The possessive 的 says nothing about a reason: "无效的卡号" reads as "无效卡号", "过期的卡" as "过期卡". Checked on
// every Chinese phrase of the shipped vocabulary, with 的 taken out or put in after its first two characters.
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const first = (t: string) => read.message(t, 'iso')[0]?.reason;

describe('的', () => {
  it('a phrase reads the same with or without 的', () => {
    let n = 0;
    for (const g of tables.phrases) {
      for (const p of g.zh.filter((x) => /^[\u4e00-\u9fff]{4,}$/.test(x))) {
        const alone = read.message(p, 'iso');
        if (alone.length !== 1 || alone[0].reason !== g.reason || alone[0].guessed) continue;
        const without = p.replace(/的/g, '');
        const withIt = p.includes('的') ? p : `${p.slice(0, 2)}的${p.slice(2)}`;
        n++;
        expect(first(without), without).toBe(g.reason);
        expect(first(withIt), withIt).toBe(g.reason);
      }
    }
    expect(n).toBeGreaterThan(500);
  });
});
