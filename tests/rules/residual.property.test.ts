// "Invalid X" / "missing X" with an X no phrase names ("Invalid Odometer", "业务信息非法") is a data
// error (invalid_field, a residual reading); beside any specific reading it never decides, and the word
// model still reads the words it leaves ("商户合约无效").
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID, S } from '../../rules/reasons.js';

const tables = builtinTables();
const read = makeLookups(tables).read;

describe('residual readings', () => {
  it('an invalid or missing field no phrase names reads as a data error', () => {
    for (const t of ['Invalid Odometer', 'INVALID_CAPTURE_DATE', 'Missing frobnicator', 'frobnicator is not valid', '业务信息非法', '重要字段缺失']) {
      expect(REASON_BY_ID.get(read.message(t, 'iso')[0]?.reason ?? '')?.cause, t).toBe('transaction_data');
    }
  });

  it('never outweighs a specific reading: adding "invalid" or "missing" keeps every phrase\'s reason', () => {
    let n = 0;
    for (const g of tables.phrases) {
      const reason = REASON_BY_ID.get(g.reason)!;
      if (reason.strength <= S.generic || reason.residual) continue;
      for (const p of g.en.filter((x) => /^[a-z][a-z ]*[a-z]$/.test(x))) {
        const alone = read.message(p, 'iso');
        if (alone.length !== 1 || alone[0].reason !== g.reason || alone[0].guessed) continue;
        for (const t of [`${p}, invalid`, `missing: ${p}`]) {
          const hits = read.message(t, 'iso');
          if (!hits.some((h) => h.reason === g.reason)) continue; // the words joined into another phrase
          n++;
          expect(REASON_BY_ID.get(hits[0].reason)!.residual, t).toBeFalsy();
        }
      }
    }
    expect(n).toBeGreaterThan(500);
  });
});
