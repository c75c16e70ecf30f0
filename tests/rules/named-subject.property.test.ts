// Subjects say what a generic word is about. A named field (reasons that declare invalidAs: "card number",
// 商户号) beside "invalid" / 非法 / 错误 in one clause, with nothing else read, is that field wrong, however many
// words stand between ("The credit card number that was sent to the host was invalid").
// A named device (reasons that declare failsAs: "card reader") says what failed when the rest of the text
// only says how: "The card reader initialization error", "Card reader is not connected", "The card reader
// status error" (and the name alone) are the reader's fault, "Card reader timed out" the wait for the cardholder at it. What the
// text names besides still decides ("Card reader battery too low", "the reader's configuration"), and a link
// to the host side stays the link's. Checked on every plain phrase of every named device.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinTables, makeLookups } from '../../rules/tables.js';
import { REASON_BY_ID } from '../../rules/reasons.js';

const tables = builtinTables();
const read = makeLookups(tables).read;
const causeOf = (t: string) => REASON_BY_ID.get(read.message(t, 'iso')[0]?.reason ?? '')?.cause;
const devices = tables.phrases.filter((g) => REASON_BY_ID.get(g.reason)!.failsAs);
const names = devices.flatMap((g) => g.en.filter((x) => /^[a-z][a-z ]*[a-z]\*?$/.test(x)).map((x) => ({ name: x.replace(/\*$/, ''), reason: REASON_BY_ID.get(g.reason)! })));
// Ways of failing that, alone, read as the terminal's software, its link or nothing at all.
const FAILURES = ['initialization error', 'failed to initialize', 'is not connected', 'connection failed', 'status error', 'general error', 'error', 'malfunction'];
const TIMEOUTS = ['timeout', 'time out error', 'timed out'];

describe('a named device', () => {
  it('alone, on a failed attempt, is the device\'s fault (as 读卡器 alone is)', () => {
    expect(names.length).toBeGreaterThan(5);
    // Round 9's subjects (quietAlone: "device", 线程, 最终选择) need a word of failing beside them (round9-mechanisms.test.ts).
    for (const { name, reason } of names.filter((n) => !n.reason.quietAlone)) expect(causeOf(name), name).toBe(REASON_BY_ID.get(reason.failsAs!)!.cause);
    expect(causeOf('读卡器')).toBe('terminal_hardware');
  });

  it('beside a way of failing that could be anyone\'s, is the device\'s fault; beside a timeout, the wait at it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...FAILURES), fc.constantFrom('The ', '', 'ERR: '), fc.boolean(), (n, failure, lead, after) => {
        const text = after ? `${lead}${n.name} ${failure}` : `${failure} ${n.name}`.replace(/^error /, 'error on ');
        expect(causeOf(text), text).toBe(REASON_BY_ID.get(n.reason.failsAs!)!.cause);
      }),
    );
    for (const { name, reason } of names) for (const t of TIMEOUTS) expect(causeOf(`${name} ${t}`), `${name} ${t}`).toBe(REASON_BY_ID.get(reason.timeoutAs!)!.cause);
  });

  it('leaves alone what the text names besides, and the link to the host side', () => {
    // Without the device, the same words read as before.
    expect(causeOf('Initialization error')).toBe('terminal_software');
    expect(causeOf('Not connected')).toBe('network');
    expect(causeOf('The card reader battery too low error.')).toBe('terminal_hardware');
    expect(REASON_BY_ID.get(read.message('The card reader battery too low error.', 'iso')[0].reason)!.id).toBe('battery_low');
    expect(causeOf('The card is not supported by the current reader’s configuration.')).toBe('card');
    expect(causeOf('Please insert card in chip reader')).toBe('input_error');
    expect(causeOf('The card reader detected a communication failure between itself and the back end system')).toBe('network');
    expect(causeOf('Card reader not supported')).toBe('configuration');
  });
});

const fields = tables.phrases.filter((g) => REASON_BY_ID.get(g.reason)!.invalidAs);
const fieldNames = fields.flatMap((g) => g.en.filter((x) => /^[a-z][a-z ]*[a-z]$/.test(x)).map((x) => ({ name: x, reason: REASON_BY_ID.get(g.reason)! })));
const fieldNamesZh = fields.flatMap((g) => g.zh.map((x) => ({ name: x, reason: REASON_BY_ID.get(g.reason)! })));
const FILLER = ['', 'that was sent ', 'provided in the request ', 'you entered '];

describe('a named field', () => {
  it('alone names no reason', () => {
    expect(fieldNames.length).toBeGreaterThan(10);
    for (const { name } of [...fieldNames, ...fieldNamesZh]) expect(read.message(name, 'iso').filter((h) => h.reason !== 'uninformative'), name).toEqual([]);
  });

  it('beside "invalid" in one clause, words between or not, is that field wrong', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fieldNames), fc.constantFrom(...FILLER), fc.constantFrom('is invalid', 'was invalid', 'is not valid', 'error'), (f, filler, verdict) => {
        const text = `The ${f.name} ${filler}${verdict}`;
        expect(causeOf(text), text).toBe(REASON_BY_ID.get(f.reason.invalidAs!)!.cause);
      }),
    );
    for (const { name, reason } of fieldNamesZh) for (const t of [`${name}非法`, `错误的${name}`]) expect(causeOf(t), t).toBe(REASON_BY_ID.get(reason.invalidAs!)!.cause);
  });

  it('leaves a reading that names something else, and another clause, alone', () => {
    expect(causeOf('Card number sent, PIN tries exceeded')).toBe('input_error');
    expect(causeOf('Amount, Bad PIN')).toBe('input_error');
    expect(causeOf('Invalid; the amount')).toBe('transaction_data');
  });
});
