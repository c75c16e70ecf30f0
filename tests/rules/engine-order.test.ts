import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAUSES } from '../../rules/causes.js';
import type { CauseId } from '../../rules/causes.js';
import { RULES } from '../../rules/index.js';
import type { RuleContext, Subject } from '../../rules/types.js';
import type { TerminalEvent } from '../../src/model.js';
import { HOUR, MIN, makeContext, makeEvent, missingSubject, settlementSubject, txnSubject } from './helpers.js';

/** What the engine does: first verdict in registry order. */
function classify(subject: Subject, ctx: RuleContext): { ruleId: string; cause: CauseId } {
  for (const r of RULES) {
    const v = r.match(subject, ctx);
    if (v) return { ruleId: r.meta.id, cause: v.cause };
  }
  throw new Error('no rule matched');
}

const cases: { name: string; subject: Subject; events?: TerminalEvent[]; ruleId: string; cause: CauseId }[] = [
  { name: 'code 51 beats a network outage nearby', subject: txnSubject({ status: 'failed', responseCode: '51' }), events: [makeEvent('NETWORK_DOWN', -MIN)], ruleId: 'response-code', cause: 'cardholder_account' },
  { name: 'missing settlement + BATCH_CLOSE_FAILED -> cutoff, even after a power loss', subject: missingSubject(), events: [makeEvent('POWER_LOSS', 2 * HOUR), makeEvent('BATCH_CLOSE_FAILED', 12 * HOUR)], ruleId: 'batch-close-failed', cause: 'cutoff' },
  { name: 'missing settlement + power loss -> environment', subject: missingSubject(), events: [makeEvent('POWER_LOSS', 2 * HOUR)], ruleId: 'power-loss-before-settlement', cause: 'environment' },
  { name: 'missing settlement, nothing else -> reconciliation', subject: missingSubject(), ruleId: 'settlement-missing', cause: 'reconciliation' },
  { name: 'settlement reason beats the amount mismatch', subject: settlementSubject('amount_mismatch', { reasonCode: 'RISK_REVIEW' }, { amountDelta: 5 }), ruleId: 'settlement-reason-code', cause: 'merchant_risk' },
  { name: 'amount mismatch without a reason', subject: settlementSubject('amount_mismatch', {}, { amountDelta: 5 }), ruleId: 'amount-mismatch', cause: 'reconciliation' },
  { name: 'settlement message beats held', subject: settlementSubject('settlement_failed', { status: 'held', message: '商户账户冻结' }), ruleId: 'settlement-message', cause: 'merchant_account' },
  { name: 'held, no reason', subject: settlementSubject('settlement_failed', { status: 'held' }), ruleId: 'settlement-held', cause: 'merchant_risk' },
  { name: 'orphan', subject: settlementSubject('orphan_settlement'), ruleId: 'orphan-settlement', cause: 'reconciliation' },
  { name: '14 keyed -> input_error before the table', subject: txnSubject({ responseCode: '14', entryMode: 'manual' }), ruleId: 'manual-entry-card-number', cause: 'input_error' },
  { name: '14 read from chip -> card', subject: txnSubject({ responseCode: '14', entryMode: 'chip' }), ruleId: 'response-code', cause: 'card' },
  { name: 'Z3: terminal could not go online', subject: txnSubject({ responseCode: 'Z3', status: 'failed' }), ruleId: 'response-code', cause: 'network' },
  { name: 'error code beats a hardware event', subject: txnSubject({ status: 'timeout', errorCode: 'COMM_TIMEOUT' }), events: [makeEvent('READER_FAULT', MIN)], ruleId: 'terminal-error-code', cause: 'network' },
  { name: 'approved code on a failed attempt falls through to events', subject: txnSubject({ status: 'failed', responseCode: '00' }), events: [makeEvent('APP_CRASH', MIN)], ruleId: 'software-fault-event', cause: 'terminal_software' },
  { name: 'network window beats a hardware event', subject: txnSubject({ status: 'failed' }), events: [makeEvent('NETWORK_DOWN', -10 * MIN), makeEvent('PRINTER_FAULT', MIN)], ruleId: 'network-outage', cause: 'network' },
  { name: 'event beats the message', subject: txnSubject({ status: 'terminated', message: '用户取消' }), events: [makeEvent('PINPAD_FAULT', 0)], ruleId: 'hardware-fault-event', cause: 'terminal_hardware' },
  { name: 'message only', subject: txnSubject({ status: 'failed', message: 'Insufficient Balance' }), ruleId: 'message-keyword', cause: 'cardholder_account' },
  { name: 'message names the cause of a timeout', subject: txnSubject({ status: 'timeout', message: '发卡方超时' }), ruleId: 'message-keyword', cause: 'issuer_platform' },
  { name: 'bare timeout -> network', subject: txnSubject({ status: 'timeout' }), ruleId: 'timeout-status', cause: 'network' },
  { name: 'nothing -> unknown', subject: txnSubject({ status: 'terminated' }), ruleId: 'no-evidence', cause: 'unknown' },
];

describe('registry order', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(classify(c.subject, makeContext({ events: c.events }))).toEqual({ ruleId: c.ruleId, cause: c.cause });
    });
  }

  it('every subject gets exactly one verdict with evidence and a catalogue cause', () => {
    const ids = CAUSES.map((c) => c.id);
    const statuses = ['declined', 'failed', 'timeout', 'terminated', 'unknown'] as const;
    const codes = ['00', '05', '14', '45', '51', '98', 'A0', 'Z3', 'QQ', '5', ''];
    const errors = ['', 'COMM_TIMEOUT', '-306', '-9999', 'odd'];
    const messages = ['', '余额不足', 'timeout', '请插卡', 'hello'];
    const eventNames = ['NETWORK_DOWN', 'NETWORK_UP', 'POWER_LOSS', 'READER_FAULT', 'REBOOT', 'SIGN_ON_FAILED', 'BATCH_CLOSE_FAILED', 'MYSTERY'];
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.constantFrom(...codes),
        fc.constantFrom(...errors),
        fc.constantFrom(...messages),
        fc.constantFrom('iso', 'unionpay', undefined),
        fc.constantFrom('chip', 'swipe', 'manual', undefined),
        fc.array(fc.tuple(fc.constantFrom(...eventNames), fc.integer({ min: -3 * 60, max: 40 * 60 })), { maxLength: 4 }),
        (status, code, errorCode, message, codeProfile, entryMode, evs) => {
          const subject = txnSubject({ status, responseCode: code || undefined, errorCode: errorCode || undefined, message: message || undefined, codeProfile, entryMode });
          const events = evs.map(([n, m]) => makeEvent(n, m * MIN));
          const ctx = makeContext({ events });
          const r = classify(subject, ctx);
          expect(ids).toContain(r.cause);
          const v = RULES.find((x) => x.meta.id === r.ruleId)!.match(subject, ctx)!;
          expect(v.evidence.length).toBeGreaterThan(0);
          expect(RULES.find((x) => x.meta.id === r.ruleId)!.meta.causes).toContain(r.cause);
        },
      ),
      { numRuns: 300 },
    );
  });
});
