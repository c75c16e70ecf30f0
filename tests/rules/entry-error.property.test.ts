// "输入错误" / "entered incorrectly" with no field named is an entry error (input_error); beside a phrase that
// names what was typed wrong (the PIN, the card number, the amount, the expiry) that phrase decides. Checked
// on every plain phrase of those reasons in the shipped vocabulary, in both languages.
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const FIELDS = ['wrong_pin', 'pin_tries_exceeded', 'card_number_typed_wrong', 'wrong_amount', 'wrong_expiry', 'wrong_cvv'];

describe('entry errors', () => {
  it('alone, a wrong entry with no field named is an entry error', () => {
    for (const t of ['输入错误', '原流水号输入错误', '查询条件输入错误', 'Input has an entry error', '輸入有誤']) expect(read.message(t, 'iso')[0]?.reason, t).toBe('entry_error');
  });

  it('a named field decides over the generic entry error', () => {
    let n = 0;
    for (const g of tables.phrases.filter((x) => FIELDS.includes(x.reason))) {
      for (const [p, suffix] of [...g.en.filter((x) => /^[a-z][a-z ]*[a-z]$/.test(x)).map((x) => [x, ', entered incorrectly']), ...g.zh.map((x) => [x, '，输入错误'])]) {
        const alone = read.message(p, 'iso');
        if (alone.length !== 1 || alone[0].reason !== g.reason || alone[0].guessed) continue;
        const hits = read.message(`${p}${suffix}`, 'iso');
        if (!hits.some((h) => h.reason === g.reason && h.code === p)) continue; // the words joined into another phrase
        n++;
        expect(hits[0].reason, `${p}${suffix}`).toBe(g.reason);
      }
    }
    expect(n).toBeGreaterThan(40);
  });
});
