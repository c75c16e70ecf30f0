import { describe, expect, it } from 'vitest';
import { rule } from '../../../rules/context/device-fault-excess.js';
import { renderEvidence } from '../../../src/engine.js';
import type { TerminalEvent } from '../../../src/model.js';
import { makeView, reason } from './helpers.js';

const T0 = Date.UTC(2024, 4, 4, 0, 0, 0);
const H = 3_600_000;
const wrongPin = (terminalId: string, ts: number, cardKey: string) => ({ terminalId, ts, cardKey, cause: 'input_error' as const, outcome: 'declined' as const, reasons: [reason('wrong_pin', 70)] });
/** Background: one wrong PIN now and then at every terminal. */
const background = Array.from({ length: 50 }, (_, t) => wrongPin(`T${t}`, T0 + (t % 20) * H, `bg${t}`));

describe('device-fault-excess', () => {
  it('a third of the PINs wrong for four hours at one terminal -> the PIN pad, for that stretch only', () => {
    const burst = Array.from({ length: 25 }, (_, i) => wrongPin('T7', T0 + 10 * H + i * 9 * 60_000, `c${i}`));
    const view = makeView([...background, ...burst], { perTerminal: 1800 });
    const out = rule.revise(view);
    const revised = new Set(out.map((r) => r.index));
    expect(out.every((r) => r.cause === 'terminal_hardware')).toBe(true);
    expect(revised.size).toBeGreaterThanOrEqual(24);
    // The same terminal's ordinary wrong PIN earlier in the day stays the cardholder's.
    expect(revised.has(7)).toBe(false);
    expect(renderEvidence(rule, out[0].evidence[0], 'en').text).toMatch(/cardholders of \d+ attempts .* the PIN pad is failing/);
    expect(renderEvidence(rule, out[0].evidence[0], 'zh').text).toMatch(/密码键盘故障/);
  });

  it('after PINPAD_FAULT a shorter burst is enough, and the event is named', () => {
    const events: TerminalEvent[] = [{ kind: 'event', terminalId: 'T7', ts: T0 + 10 * H - 60_000, event: 'PINPAD_FAULT', src: { file: 'e', line: 1 } }];
    const burst = Array.from({ length: 4 }, (_, i) => wrongPin('T7', T0 + 10 * H + i * 4 * 60_000, `c${i}`));
    const out = rule.revise(makeView([...background, ...burst], { perTerminal: 1800, events }));
    expect(out).toHaveLength(4);
    expect(renderEvidence(rule, out[0].evidence[0], 'en').text).toMatch(/after PINPAD_FAULT/);
  });

  it('the PIN pad reporting its own fault beside a few wrong PINs is an anchor like an event', () => {
    const burst = Array.from({ length: 4 }, (_, i) => wrongPin('T60', T0 + 8 * H + i * 2 * H, `c${i}`));
    const fault = { terminalId: 'T60', ts: T0 + 13 * H, cardKey: 'cf', cause: 'terminal_hardware' as const, outcome: 'failed' as const, reasons: [{ reason: 'pinpad_fault', source: 'errorCode' as const, code: 'PED_ERR', strength: 80 }] };
    // Without it the same four cardholders are not enough for the whole fleet's bar.
    expect(rule.revise(makeView([...background, ...burst], { perTerminal: 1800 }))).toEqual([]);
    const out = rule.revise(makeView([...background, ...burst, fault], { perTerminal: 1800 }));
    expect(out).toHaveLength(4);
    expect(out.every((r) => r.cause === 'terminal_hardware')).toBe(true);
    expect(renderEvidence(rule, out[0].evidence[0], 'en').text).toMatch(/the PIN pad itself reported PED_ERR at .*: the PIN pad is failing/);
    // A fault report on another terminal anchors nothing here.
    expect(rule.revise(makeView([...background, ...burst, { ...fault, terminalId: 'T61' }], { perTerminal: 1800 }))).toEqual([]);
  });

  it('one cardholder retrying a wrong PIN four times is one cardholder, not a broken PIN pad', () => {
    const retries = Array.from({ length: 4 }, (_, i) => wrongPin('T7', T0 + 10 * H + i * 30_000, 'same-card'));
    expect(rule.revise(makeView([...background, ...retries], { perTerminal: 1800 }))).toEqual([]);
  });

  it('duplicate transmissions (94) piling up at one terminal -> its software reusing trace numbers', () => {
    const dup = (terminalId: string, ts: number, cardKey: string) => ({ terminalId, ts, cardKey, cause: 'reconciliation' as const, outcome: 'declined' as const, reasons: [reason('duplicate_transmission', 70)] });
    const rare = Array.from({ length: 10 }, (_, t) => dup(`T${t * 3}`, T0 + t * 2 * H, `bg${t}`));
    const burst = Array.from({ length: 12 }, (_, i) => dup('T8', T0 + 9 * H + i * 20 * 60_000, `c${i}`));
    const out = rule.revise(makeView([...rare, ...burst], { perTerminal: 1800 }));
    expect(out.length).toBeGreaterThanOrEqual(11);
    expect(new Set(out.map((r) => r.cause))).toEqual(new Set(['terminal_software']));
    expect(renderEvidence(rule, out[0].evidence[0], 'en').text).toMatch(/the terminal software is failing/);
    // A duplicate now and then elsewhere stays a duplicate.
    expect(out.every((r) => r.index >= rare.length)).toBe(true);
  });

  it('background wrong PINs everywhere change nothing', () => {
    expect(rule.revise(makeView(background, { perTerminal: 1800 }))).toEqual([]);
  });
});
