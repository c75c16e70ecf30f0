// The quick "no card number here" test must never say so of text that holds one: every shape maskText
// knows is a run of 13+ digits at most two separators apart, so text without such a run is left alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskText, noDigitRun } from '../../src/pan.js';

const RUN = /[0-9\uFF10-\uFF19](?:[ \-./]{0,2}[0-9\uFF10-\uFF19]){12}/;

describe('noDigitRun', () => {
  const piece = fc.oneof(fc.stringMatching(/^[0-9]{1,8}$/), fc.constantFrom(' ', '-', '.', '/', '  ', '_', 'card ', '卡号', '=', '^', '４', 'x'), fc.string({ maxLength: 4 }));
  const text = fc.array(piece, { maxLength: 20 }).map((p) => p.join(''));

  it('is true exactly when no 13-digit run (separators allowed) is in the text', () => {
    fc.assert(fc.property(text, (s) => {
      expect(noDigitRun(s)).toBe(!RUN.test(s));
    }), { numRuns: 20_000 });
  });

  it('never hides a card number from maskText', () => {
    for (const s of ['4111111111111111', 'card 6222 0212 3456 7890 123', '4111-1111-1111-1111', '3782 822463 10005', ';4111111111111111=2512101', '%B4111111111111111^DOE/J^2512', '４１１１１１１１１１１１１１１１']) {
      expect(noDigitRun(s)).toBe(false);
      expect(maskText(s)).not.toBe(s);
    }
    expect(noDigitRun('TX88000001_261116_00001')).toBe(true);
  });
});
