import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAUSES } from '../../rules/causes.js';
import type { CauseId } from '../../rules/causes.js';
import { RULES } from '../../rules/index.js';
import type { Subject } from '../../rules/types.js';
import type { TerminalEvent } from '../../src/model.js';
import { Engine } from '../../src/engine.js';
import { HOUR, MIN, makeContext, makeEvent, missingSubject, settlementSubject, txnSubject } from './helpers.js';

// The engine keeps the strongest verdict: declared strength decides, never a rule's place in the list.
const cases: { name: string; subject: Subject; events?: TerminalEvent[]; ruleId: string; cause: CauseId; setAside?: CauseId }[] = [
  { name: 'code 51 beats a network outage nearby (the host answered)', subject: txnSubject({ status: 'failed', responseCode: '51' }), events: [makeEvent('NETWORK_DOWN', -MIN)], ruleId: 'reason', cause: 'cardholder_account' },
  { name: 'the reader\'s own error beats re-enter transaction (19)', subject: txnSubject({ status: 'failed', responseCode: '19', errorCode: 'READER_ERROR' }), ruleId: 'reason', cause: 'terminal_hardware' },
  { name: 'a read error after READER_FAULT is the reader', subject: txnSubject({ status: 'terminated', message: 'Please insert chip card' }), events: [makeEvent('READER_FAULT', -10 * MIN)], ruleId: 'hardware-fault-event', cause: 'terminal_hardware', setAside: 'input_error' },
  { name: 'missing settlement + BATCH_CLOSE_FAILED -> cutoff, even after an earlier power loss', subject: missingSubject(), events: [makeEvent('POWER_LOSS', 2 * HOUR), makeEvent('NETWORK_UP', 3 * HOUR), makeEvent('BATCH_CLOSE_FAILED', 12 * HOUR)], ruleId: 'batch-close-failed', cause: 'cutoff' },
  { name: 'a failed close while the link was down is the network', subject: missingSubject(), events: [makeEvent('NETWORK_DOWN', 11 * HOUR), makeEvent('BATCH_CLOSE_FAILED', 12 * HOUR, { detail: 'host unreachable' })], ruleId: 'batch-close-failed', cause: 'network' },
  { name: 'missing settlement + power loss -> environment', subject: missingSubject(), events: [makeEvent('POWER_LOSS', 2 * HOUR)], ruleId: 'power-loss-before-settlement', cause: 'environment' },
  { name: 'missing settlement, nothing else -> reconciliation', subject: missingSubject(), ruleId: 'settlement-missing', cause: 'reconciliation' },
  { name: 'settlement reason beats the amount mismatch', subject: settlementSubject('amount_mismatch', { reasonCode: 'RISK_REVIEW' }, { amountDelta: 5 }), ruleId: 'settlement-reason', cause: 'merchant_risk', setAside: 'reconciliation' },
  { name: 'amount mismatch without a reason', subject: settlementSubject('amount_mismatch', {}, { amountDelta: 5 }), ruleId: 'amount-mismatch', cause: 'reconciliation' },
  { name: 'settlement message beats held', subject: settlementSubject('settlement_failed', { status: 'held', message: '商户账户冻结' }), ruleId: 'settlement-reason', cause: 'merchant_account', setAside: 'merchant_risk' },
  { name: 'held, no reason', subject: settlementSubject('settlement_failed', { status: 'held' }), ruleId: 'settlement-held', cause: 'merchant_risk' },
  { name: 'orphan', subject: settlementSubject('orphan_settlement'), ruleId: 'orphan-settlement', cause: 'reconciliation' },
  { name: '14 keyed -> input_error over the code\'s card reading', subject: txnSubject({ responseCode: '14', entryMode: 'manual' }), ruleId: 'keyed-entry', cause: 'input_error', setAside: 'card' },
  { name: 'a terminal\'s comm error beats a hardware event nearby', subject: txnSubject({ status: 'timeout', errorCode: 'COMM_TIMEOUT' }), events: [makeEvent('READER_FAULT', MIN)], ruleId: 'reason', cause: 'network', setAside: 'terminal_hardware' },
  { name: 'approved code on a failed attempt: events decide', subject: txnSubject({ status: 'failed', responseCode: '00' }), events: [makeEvent('APP_CRASH', MIN)], ruleId: 'software-fault-event', cause: 'terminal_software' },
  { name: 'power loss beats the network window it opened', subject: txnSubject({ status: 'timeout' }), events: [makeEvent('POWER_LOSS', -5 * MIN), makeEvent('NETWORK_DOWN', -5 * MIN)], ruleId: 'power-loss-event', cause: 'environment', setAside: 'network' },
  { name: 'a network window beats a bare timeout', subject: txnSubject({ status: 'timeout' }), events: [makeEvent('NETWORK_DOWN', -10 * MIN)], ruleId: 'network-outage', cause: 'network' },
  { name: 'message only', subject: txnSubject({ status: 'failed', message: 'Insufficient Balance' }), ruleId: 'reason', cause: 'cardholder_account' },
  { name: 'bare timeout -> network', subject: txnSubject({ status: 'timeout' }), ruleId: 'reason', cause: 'network' },
  { name: 'nothing -> unknown', subject: txnSubject({ status: 'terminated' }), ruleId: 'no-evidence', cause: 'unknown' },
];

describe('engine: the strongest verdict wins', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = new Engine(RULES, makeContext({ events: c.events })).classify(c.subject);
      expect({ ruleId: got.ruleId, cause: got.cause }).toEqual({ ruleId: c.ruleId, cause: c.cause });
      if (c.setAside) expect(got.setAside.map((s) => s.cause)).toContain(c.setAside);
    });
  }

  it('every subject gets exactly one verdict with evidence in both languages and a catalogue cause', () => {
    const ids = CAUSES.map((c) => c.id);
    const statuses = ['declined', 'failed', 'timeout', 'terminated', 'unknown'] as const;
    const codes = ['00', '05', '14', '19', '45', '51', '98', 'A0', 'Z3', 'QQ', '5', ''];
    const errors = ['', 'COMM_TIMEOUT', '-306', '-9999', 'odd', 'READER_ERROR'];
    const messages = ['', '余额不足', 'timeout', '请插卡', 'hello', 'Do not honor', '读卡超时'];
    const eventNames = ['NETWORK_DOWN', 'NETWORK_UP', 'POWER_LOSS', 'READER_FAULT', 'PINPAD_FAULT', 'REBOOT', 'SIGN_ON_FAILED', 'BATCH_CLOSE_FAILED', 'MYSTERY'];
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.constantFrom(...codes),
        fc.constantFrom(...errors),
        fc.constantFrom(...messages),
        fc.constantFrom('iso', 'unionpay', undefined),
        fc.constantFrom('chip', 'swipe', 'manual', undefined),
        fc.array(fc.tuple(fc.constantFrom(...eventNames), fc.integer({ min: -3 * 60, max: 40 * 60 })), { maxLength: 4 }),
        fc.constantFrom('en', 'zh') as fc.Arbitrary<'en' | 'zh'>,
        (status, code, errorCode, message, codeProfile, entryMode, evs, lang) => {
          const subject = txnSubject({ status, responseCode: code || undefined, errorCode: errorCode || undefined, message: message || undefined, codeProfile, entryMode });
          const ctx = makeContext({ events: evs.map(([n, m]) => makeEvent(n, m * MIN)) });
          const r = new Engine(RULES, ctx, lang).classify(subject);
          expect(ids).toContain(r.cause);
          expect(r.evidence.length).toBeGreaterThan(0);
          for (const e of r.evidence) expect(e.text).not.toMatch(/\{\w+\}/);
          expect(RULES.find((x) => x.meta.id === r.ruleId)!.meta.causes).toContain(r.cause);
          for (const s of r.setAside) expect(s.strength).toBeLessThanOrEqual(r.strength);
        },
      ),
      { numRuns: 400 },
    );
  });
});
