// The same failure, whatever channel carries it: TabFormer's Errors? text, an ISO 8583 response code, a
// Chinese terminal message, or a Stripe decline code (documented_headers.md) gives the same cause, in every
// entry mode the meaning allows, and a multi-reason text gives the same cause in any order and spelling.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import type { TerminalTxn } from '../../src/model.js';
import { Engine } from '../../src/engine.js';
import { makeContext, txnSubject } from './helpers.js';

const engine = new Engine(RULES, makeContext());
const causeOf = (over: Partial<TerminalTxn>): string => engine.classify(txnSubject(over)).cause;

type Entry = 'swipe' | 'chip' | 'manual';
interface Meaning {
  name: string;
  /** Cause per entry mode (one cause: the same in every mode). */
  cause: string | Record<Entry, string>;
  tabformer: string;
  iso?: string;
  zh: string;
  stripe?: string;
}
const MEANINGS: Meaning[] = [
  { name: 'insufficient funds', cause: 'cardholder_account', tabformer: 'Insufficient Balance', iso: '51', zh: '余额不足', stripe: 'insufficient_funds' },
  { name: 'wrong PIN', cause: 'input_error', tabformer: 'Bad PIN', iso: '55', zh: '密码错误', stripe: 'incorrect_pin' },
  { name: 'bad card number', cause: { swipe: 'card', chip: 'card', manual: 'input_error' }, tabformer: 'Bad Card Number', iso: '14', zh: '卡号错误', stripe: 'incorrect_number' },
  { name: 'bad expiry', cause: { swipe: 'card', chip: 'card', manual: 'input_error' }, tabformer: 'Bad Expiration', zh: '有效期错误', stripe: 'invalid_expiry_year' },
  { name: 'bad CVV', cause: 'input_error', tabformer: 'Bad CVV', iso: 'N7', zh: 'CVN校验失败', stripe: 'incorrect_cvc' },
  { name: 'bad postcode', cause: 'input_error', tabformer: 'Bad Zipcode', zh: '邮编不符', stripe: 'incorrect_zip' },
  { name: 'technical glitch', cause: 'issuer_platform', tabformer: 'Technical Glitch', iso: '96', zh: '系统异常' },
];
const ENTRIES: Entry[] = ['swipe', 'chip', 'manual'];
const expected = (m: Meaning, e: Entry) => (typeof m.cause === 'string' ? m.cause : m.cause[e]);

/** Each channel of a meaning as the fields a record carries it in. */
function channels(m: Meaning): [string, Partial<TerminalTxn>][] {
  const out: [string, Partial<TerminalTxn>][] = [
    ['TabFormer Errors?', { message: m.tabformer }],
    ['Chinese message', { message: m.zh }],
  ];
  if (m.iso) out.push(['ISO code', { responseCode: m.iso }], ['ISO code quoted in a message', { message: `Declined (RC=${m.iso})` }]);
  if (m.stripe) out.push(['Stripe decline code', { message: m.stripe }]);
  return out;
}

describe('one failure, every channel, one cause', () => {
  for (const m of MEANINGS) {
    it(`${m.name}`, () => {
      for (const e of ENTRIES) {
        const got = channels(m).map(([ch, f]) => `${ch}: ${causeOf({ ...f, entryMode: e })}`);
        expect(got, `entry ${e}`).toEqual(channels(m).map(([ch]) => `${ch}: ${expected(m, e)}`));
      }
    });
  }
});

describe('properties', () => {
  const meaning = fc.constantFrom(...MEANINGS);
  const entry = fc.constantFrom(...ENTRIES);
  // Exports write the same words in other cases and spacing.
  const spelled = (text: string) =>
    fc.constantFrom<(s: string) => string>((s) => s, (s) => s.toUpperCase(), (s) => s.toLowerCase(), (s) => ` ${s} `, (s) => s.replace(/ /g, '  ')).map((f) => f(text));

  it('any channel of a meaning gives the cause of its TabFormer text, in any spelling', () => {
    fc.assert(
      fc.property(meaning, entry, fc.nat(), (m, e, pick) => {
        const list = channels(m);
        const [, fields] = list[pick % list.length];
        const text = fields.message;
        const base = causeOf({ message: m.tabformer, entryMode: e });
        expect(base).toBe(expected(m, e));
        if (text === undefined) expect(causeOf({ ...fields, entryMode: e })).toBe(base);
        else fc.assert(fc.property(spelled(text), (s) => causeOf({ message: s, entryMode: e }) === base), { numRuns: 5 });
      }),
      { numRuns: 120 },
    );
  });

  it('a comma-joined Errors? text gives the same cause whatever the order of its reasons', () => {
    fc.assert(
      fc.property(fc.uniqueArray(meaning, { minLength: 2, maxLength: 3, selector: (m) => m.name }), entry, (ms, e) => {
        const one = causeOf({ message: ms.map((m) => m.tabformer).join(','), entryMode: e });
        const reversed = causeOf({ message: [...ms].reverse().map((m) => m.tabformer).join(','), entryMode: e });
        expect(reversed).toBe(one);
        // And the cause is one of its parts' causes: never something none of them says.
        expect(ms.map((m) => expected(m, e))).toContain(one);
      }),
      { numRuns: 150 },
    );
  });
});
