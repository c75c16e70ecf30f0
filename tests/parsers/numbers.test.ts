import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalInference, decimalEvidence } from '../../parsers/numbers.js';
import { parseAmount } from '../../src/money.js';

function read(values: string[], forced?: '.' | ','): (number | string)[] {
  const inf = new DecimalInference('"Betrag"', forced);
  values.forEach((v, i) => inf.observe(v, i + 2));
  return values.map((v) => parseAmount(inf.canonical(v) ?? v, 'EUR'));
}

describe('decimal marks decided from the column', () => {
  it.each([
    ['149,00', ','], ['1.234,56', ','], ['1 234,56', ','], ['2,5', ','],
    ['12.30', '.'], ['1,234.56', '.'], ["1'234.56", '.'], ['1\u00a0234.5', '.'],
    ['1,234', 'ambiguous'], ['1.234', 'ambiguous'], ['12,345,678', 'ambiguous'], ['149', undefined],
  ])('%s -> %s', (v, e) => expect(decimalEvidence(v)).toBe(e));

  it('reads a decimal-comma column, grouping included', () => {
    expect(read(['149,00', '1.234,56', '1 234,56', '7'])).toEqual([14900, 123456, 123456, 700]);
  });

  it('reads 1,234 with the decision made by another value of the column', () => {
    // Decimal comma: 1,234 is 1.234, which has more decimals than EUR allows: a reject, not a guess.
    expect(read(['1,234', '2,50'])).toEqual([expect.stringContaining('more decimals than EUR allows'), 250]);
    expect(read(['1,234', '2.50'])).toEqual([123400, 250]);
    expect(read(['1.234', '2,50'])).toEqual([123400, 250]);
  });

  it('reads 1,234 as thousands when nothing decides, and warns with the fix', () => {
    const inf = new DecimalInference('"Betrag"');
    inf.observe('1,234', 2);
    inf.observe('5', 3);
    expect(parseAmount(inf.canonical('1,234') ?? '1,234', 'EUR')).toBe(123400);
    expect(inf.warning()).toMatch(/"1,234" \(line 2\) could be decimals or thousands.*"decimal": ","/);
  });

  it('a forced mark wins over the values', () => {
    expect(read(['1.234', '1.5'], ',')).toEqual([123400, 150]);
    expect(read(['149,00'], '.')).toEqual([expect.stringContaining('not a decimal amount')]);
  });

  it("Swiss and French grouping", () => {
    expect(read(["1'234.56", '12.00'])).toEqual([123456, 1200]);
  });
});

describe('a mark after a lone zero', () => {
  it('is a decimal mark in any column, never a thousands group: 0,250 is never 250', () => {
    fc.assert(
      fc.property(fc.constantFrom('.', ','), fc.constantFrom('.', ',', undefined), fc.integer({ min: 0, max: 999 }), (mark, column, n) => {
        const digits = String(n).padStart(3, '0');
        const value = `0${mark}${digits}`;
        expect(decimalEvidence(value), value).toBeUndefined();
        const inf = new DecimalInference('"amount"', column);
        const read = parseAmount(inf.canonical(value) ?? value, 'KWD');
        // KWD has three decimals: the value is read exactly, as a fraction of one.
        expect(read, `${value} in a ${column ?? 'undecided'} column`).toBe(n);
      }),
    );
    // With two digits it still decides the column: 0,50 is a decimal comma, so 1,234 after it is 1.234.
    expect(decimalEvidence('0,50')).toBe(',');
    expect(read(['0,50', '1,234'])[1]).toMatch(/more decimals than EUR allows/);
    expect(parseAmount('0,250', 'CNY')).toMatch(/not a decimal amount/);
    expect(parseAmount('1,250', 'CNY')).toBe(125000);
  });
});
