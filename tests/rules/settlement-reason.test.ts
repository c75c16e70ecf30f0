import { rule, SETTLEMENT_REMAP } from '../../rules/settlement-reason.js';
import { describe, expect, it } from 'vitest';
import { builtinTables } from '../../rules/tables.js';
import { reasonOf } from '../../rules/reasons.js';
import { missingSubject, ruleTester, runRule, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no reason', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
    { name: 'an attempt, not a settlement finding', subject: txnSubject({ responseCode: '51' }) },
    { name: 'missing, no line', subject: missingSubject() },
    { name: 'settled late: the line says it settled, not why it was late', subject: settlementSubject('unsettled', { status: 'settled', message: '清算成功' }, { lateSettlementDays: 3 }) },
  ],
  invalid: [
    { name: 'reason code from the table', subject: settlementSubject('settlement_failed', { status: 'held', reasonCode: 'RISK_REVIEW' }), cause: 'merchant_risk', evidence: 'reason code RISK_REVIEW' },
    { name: 'a message in Chinese', subject: settlementSubject('settlement_failed', { status: 'failed', message: '商户账户冻结' }), cause: 'merchant_account', evidence: '商户账户冻结' },
    { name: 'an account reason at settlement is the merchant\'s', subject: settlementSubject('settlement_failed', { status: 'rejected', message: 'Account frozen' }), cause: 'merchant_account', evidence: "the merchant's settlement account" },
    { name: 'pending after the cutoff, in English', subject: settlementSubject('unsettled', { status: 'pending', message: 'batch received after cutoff' }), cause: 'cutoff', evidence: 'batch received after cutoff' },
    { name: 'pending after the cutoff, in Chinese', subject: settlementSubject('unsettled', { status: 'pending', message: '日切后上送，顺延结算' }), cause: 'cutoff', evidence: '日切后上送' },
    { name: 'beats an amount mismatch', subject: settlementSubject('amount_mismatch', { reasonCode: 'RISK_REVIEW' }, { amountDelta: 5 }), cause: 'merchant_risk', evidence: 'RISK_REVIEW' },
    { name: 'a risk review at settlement holds the merchant\'s funds', subject: settlementSubject('unsettled', { status: 'held', message: '风险审查中，资金暂缓' }), cause: 'merchant_risk', evidence: 'merchant risk control' },
    { name: 'reconciliation reason', subject: settlementSubject('settlement_failed', { status: 'failed', message: 'totals do not agree' }), cause: 'reconciliation', evidence: 'totals do not agree' },
  ],
});

// Whatever the acquirer names at settlement is the cause: one case per declared cause, from a phrase of
// one of that cause's reasons (the first plain phrase, so the case reads like a real settlement message).
describe('every declared cause is reachable from a settlement message', () => {
  const declared = ['network', 'issuer_decline', 'card', 'input_error', 'terminal_hardware', 'terminal_software', 'configuration', 'issuer_platform', 'limits', 'fraud', 'merchant_risk', 'merchant_account', 'transaction_data', 'compliance', 'reconciliation', 'cutoff', 'environment'];
  it('declares exactly these causes', () => expect([...rule.meta.causes].sort()).toEqual([...declared].sort()));
  const groups = builtinTables().phrases;
  for (const cause of declared) {
    it(`${cause}`, () => {
      // A subject (a named device or field) reads nothing alone.
      const group = groups.find((g) => reasonOf(g.reason).cause === cause && !reasonOf(g.reason).subject && !SETTLEMENT_REMAP[g.reason] && g.en.some((p) => !p.includes('*')));
      expect(group, `a phrase group for ${cause}`).toBeDefined();
      const text = group!.en.find((p) => !p.includes('*'))!;
      const v = runRule(rule, { subject: settlementSubject('settlement_failed', { status: 'rejected', message: text }) });
      expect(v?.cause, `"${text}"`).toBe(cause === 'cardholder_account' ? 'merchant_account' : cause);
    });
  }
});
