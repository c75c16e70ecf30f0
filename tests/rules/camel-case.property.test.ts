// An SDK name in camelCase or PascalCase ("CardNotReadable", "EmvAppBlocked") reads as its words, as the
// same name in SNAKE_CASE does; only when the text as written gives no reason, so a brand written as one
// word ("PayPal") keeps its own reading. Checked on every plain multi-word phrase of the shipped vocabulary.
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const pascal = (p: string) => p.split(' ').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

describe('camelCase names', () => {
  it('read as their words, like their SNAKE_CASE spelling', () => {
    let n = 0;
    for (const g of tables.phrases.filter((x) => x.reason !== 'uninformative')) {
      for (const p of g.en.filter((x) => /^[a-z]{2,}( [a-z]{2,})+$/.test(x))) {
        const words = read.message(p, 'iso');
        const snake = read.message(p.toUpperCase().replace(/ /g, '_'), 'iso');
        if (words.length !== 1 || words[0].reason !== g.reason || words[0].guessed || snake[0]?.reason !== g.reason) continue;
        n++;
        expect(read.message(pascal(p), 'iso')[0]?.reason, pascal(p)).toBe(g.reason);
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('do not override what the text as written says', () => {
    expect(read.message('PayPal Create Transaction Error Failed', 'iso').filter((h) => h.reason !== 'uninformative')).toEqual([]);
    expect(read.message('CardNotReadable', 'iso')[0].reason).toBe('card_read_error');
  });
});
