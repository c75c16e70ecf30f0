import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../src/money.js';
import { wilson } from '../../src/stats.js';
import { parseDay, parseTimestamp, Zone } from '../../src/time.js';
import { TxlogError } from '../../src/errors.js';

describe('parseAmount', () => {
  it.each([
    ['12.30', 'CNY', 1230],
    [12.3, 'CNY', 1230],
    ['¥1,234.56', 'CNY', 123456],
    ['(99.00)', 'CNY', -9900],
    ['-5', 'CNY', -500],
    ['0.00000', 'CNY', 0],
    ['1000', 'JPY', 1000],
    ['1.234', 'KWD', 1234],
    ['CNY 7.5', 'CNY', 750],
    [1e3, 'JPY', 1000],
  ])('%s %s -> %d minor units', (input, currency, expected) => {
    expect(parseAmount(input, currency)).toBe(expected);
  });

  // A JSON number is read as the decimal it spells: 1e-7 and 12.3400001 are not cents, whatever the type.
  it.each([['abc'], ['12.345'], ['1,23'], [''], [true], [1e-7], [12.3400001], ['12.3400001'], [0.1 + 0.2]])('rejects %s with a reason', (input) => {
    expect(typeof parseAmount(input, 'CNY')).toBe('string');
  });

  // A symbol or code names a currency: the same digits in another one are another sum, never this record's.
  it.each([['$5.00', 'CNY'], ['€5.00', 'CNY'], ['USD 12.00', 'CNY'], ['12.00 EUR', 'CNY'], ['£3', 'USD'], ['¥500', 'USD']])('refuses %s in a %s record, naming the currency', (input, currency) => {
    const r = parseAmount(input, currency);
    expect(typeof r).toBe('string');
    expect(r).toContain(`currency is ${currency}`);
  });

  it.each([['$5.00', 'USD', 500], ['$5.00', 'HKD', 500], ['€5.00', 'EUR', 500], ['¥500', 'JPY', 500], ['RMB 12.00', 'CNY', 1200], ['12.00元', 'CNY', 1200]])('reads %s in a %s record', (input, currency, expected) => {
    expect(parseAmount(input, currency)).toBe(expected);
  });

  it('formats minor units back', () => {
    expect(formatAmount(1230, 'CNY')).toBe('12.30');
    expect(formatAmount(5, 'CNY')).toBe('0.05');
    expect(formatAmount(-9900, 'CNY')).toBe('-99.00');
    expect(formatAmount(1000, 'JPY')).toBe('1000');
  });
});

describe('time', () => {
  const shanghai = new Zone('Asia/Shanghai');
  const utc = new Zone('UTC');
  it('honours explicit offsets and reads bare times in the zone', () => {
    expect(parseTimestamp('2026-11-20T14:03:11+08:00', utc)).toBe(Date.UTC(2026, 10, 20, 6, 3, 11));
    expect(parseTimestamp('2026-11-20T14:03:11Z', shanghai)).toBe(Date.UTC(2026, 10, 20, 14, 3, 11));
    expect(parseTimestamp('2026-11-20 14:03:11', shanghai)).toBe(Date.UTC(2026, 10, 20, 6, 3, 11));
    expect(parseTimestamp('2024/5/4 2:18', shanghai)).toBe(Date.UTC(2024, 4, 3, 18, 18));
    expect(parseTimestamp('20241120143011', utc)).toBe(Date.UTC(2024, 10, 20, 14, 30, 11));
    expect(parseTimestamp('2026-11-20T14:03:11.250+0530', utc)).toBe(Date.UTC(2026, 10, 20, 8, 33, 11, 250));
  });
  it('reads wall times across a DST change in the zone', () => {
    const berlin = new Zone('Europe/Berlin');
    expect(parseTimestamp('2026-07-01 12:00', berlin)).toBe(Date.UTC(2026, 6, 1, 10));
    expect(parseTimestamp('2026-01-01 12:00', berlin)).toBe(Date.UTC(2026, 0, 1, 11));
  });
  it.each([['2026-02-30T10:00:00Z'], ['2026-13-01'], ['yesterday'], ['2026-11-20T25:00']])('rejects %s', (s) => {
    expect(typeof parseTimestamp(s, utc)).toBe('string');
  });
  it('formats with the zone offset and computes the local day', () => {
    const t = Date.UTC(2026, 10, 20, 17, 0);
    expect(shanghai.format(t)).toBe('2026-11-21T01:00:00+08:00');
    expect(utc.format(t)).toBe('2026-11-20T17:00:00+00:00');
    expect(shanghai.localDay(t)).toBe(parseDay('2026-11-21'));
  });
  it('refuses an unknown zone with a TxlogError', () => {
    expect(() => new Zone('Mars/Olympus')).toThrow(TxlogError);
  });
});

describe('wilson', () => {
  // Reference values: Newcombe (1998) Table I, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%d/%d -> [%f, %f]', (k, n, low, high) => {
    const w = wilson(k, n);
    expect(w.low).toBeCloseTo(low, 3);
    expect(w.high).toBeCloseTo(high, 3);
  });
  it('is zero-width for no attempts', () => {
    expect(wilson(0, 0)).toEqual({ rate: 0, low: 0, high: 0 });
  });
});

describe('wall-clock times around a clock change', () => {
  // One rule whatever the zone's side of UTC: a skipped time reads forward by the gap, a repeated one as its first occurrence.
  it.each(['America/New_York', 'Europe/Berlin', 'America/Sao_Paulo', 'Australia/Sydney', 'Asia/Shanghai'])('%s: every quarter hour of 2026 follows it', (name) => {
    const zone = new Zone(name);
    const wallOf = (t: number) => t + zone.offsetAt(t) * 60_000;
    for (let wall = Date.UTC(2026, 0, 1); wall < Date.UTC(2027, 0, 1); wall += 15 * 60_000) {
      const t = zone.fromWall(wall);
      const candidates = [-14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
        .flatMap((h) => [0, 30].map((m) => wall - (h * 60 + m) * 60_000))
        .filter((c) => wallOf(c) === wall);
      if (candidates.length > 0) expect(t, `${name} ${new Date(wall).toISOString()}`).toBe(Math.min(...candidates));
      else expect(wallOf(t) - wall, `${name} ${new Date(wall).toISOString()} skipped`).toBe(60 * 60_000);
    }
  });
});
