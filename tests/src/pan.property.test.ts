// The quick "no card number here" test must never say so of text that holds one: every shape maskText
// knows is a run of 13+ digits at most three separators apart, so text without such a run is left alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskText, noDigitRun } from '../../src/pan.js';

// Separators: spaces of every width and zero-width ones, tabs, underscores, dashes of every kind, dot, slash, comma, parentheses.
const RUN = /[0-9\uFF10-\uFF19](?:[ \t_\-./,()\u00a0\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u2010-\u2015\u2212\ufe63\uff0d]{0,3}[0-9\uFF10-\uFF19]){12}/;

const RUN_NO_UNDERSCORE = /[0-9\uFF10-\uFF19](?:[ \t\-./,()\u00a0\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u2010-\u2015\u2212\ufe63\uff0d]{0,3}[0-9\uFF10-\uFF19]){12}/;

describe('noDigitRun', () => {
  const piece = fc.oneof(fc.stringMatching(/^[0-9]{1,8}$/), fc.constantFrom(' ', '-', '.', '/', '  ', ' - ', ',', '(', ')', '_', '\u00a0', '\u3000', '\u200b', '\u2013', '\t', 'card ', '卡号', '=', '^', '４', 'x'), fc.string({ maxLength: 4 }));
  const text = fc.array(piece, { maxLength: 20 }).map((p) => p.join(''));

  it('is true exactly when no 13-digit run (separators allowed) is in the text', () => {
    fc.assert(fc.property(text, (s) => {
      // Underscores join card-style groups only: they are left to the safety property below.
      if (!s.includes('_')) expect(noDigitRun(s)).toBe(!RUN.test(s));
      else if (RUN_NO_UNDERSCORE.test(s)) expect(noDigitRun(s)).toBe(false);
    }), { numRuns: 20_000 });
  });

  it('never hides a card number from maskText', () => {
    for (const s of ['4111111111111111', 'card 6222 0212 3456 7890 123', '4111-1111-1111-1111', '3782 822463 10005', ';4111111111111111=2512101', '%B4111111111111111^DOE/J^2512', '４１１１１１１１１１１１１１１１', '4111\u00a01111\u00a01111\u00a01111', '4111\u200b111111111111', 'x4111 1111 1111 1111', '4111_1111_1111_1111',
      // Groups of other lengths and mixed separators.
      '4111 1111 11111111', '41111111 11111111', '411111 1111111111', '4111 1111 1111 111 1', '4111  1111 1111 1111', '4111 - 1111 - 1111 - 1111', '4111,1111,1111,1111', '6222021234 567890003', '37828224631 0005']) {
      expect(noDigitRun(s)).toBe(false);
      expect(maskText(s)).not.toBe(s);
    }
    expect(noDigitRun('TX88000001_261116_00001')).toBe(true);
  });

  it('leaves what only looks grouped: ids joined by underscores, times, amounts, an RRN beside a STAN, cells', () => {
    for (const s of ['TX62000001_261116_00001', '2026-11-16 09:42:43.948', 'RRN 632000000000 STAN 544606', 'amount 1,234,567,890,123.00', '+86 138 0013 8000', '632000000001,544606', '632000000001\t544606', 'ORD-261116-0000000010', '4f553095-4698-8183-b3367392847b', 'A-2611-1600-000001-0']) expect(maskText(s)).toBe(s);
  });

  it('masks a card number cut into any groups, whatever joins them', () => {
    const pan = fc.constantFrom('4111111111111111', '5500005555555559', '378282246310005', '6011000990139424', '4000056655665556');
    const cuts = fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 5 });
    // A bare dash, dot, slash, comma or tab joins card-style groups only: between other groups they are an
    // id's parts (ORD-261116-0000000010) or a line's cells.
    const sep = fc.constantFrom(' ', ' - ', '  ', ' -', '- ');
    fc.assert(fc.property(pan, cuts, sep, (p, at, j) => {
      const points = [...new Set(at.filter((i) => i < p.length))].sort((a, b) => a - b);
      let text = '';
      let from = 0;
      for (const i of points) (text += p.slice(from, i) + j), (from = i);
      text += p.slice(from);
      const masked = maskText(`ref ${text} ok`);
      expect(masked.replace(/[^0-9]/g, '')).not.toContain(p);
      expect(masked).toContain('*');
    }), { numRuns: 2000 });
  });
});
