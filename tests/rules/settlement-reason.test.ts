import { rule } from '../../rules/settlement-reason.js';
import { missingSubject, ruleTester, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no reason', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
    { name: 'an attempt, not a settlement finding', subject: txnSubject({ responseCode: '51' }) },
    { name: 'missing, no line', subject: missingSubject() },
  ],
  invalid: [
    { name: 'reason code from the table', subject: settlementSubject('settlement_failed', { status: 'held', reasonCode: 'RISK_REVIEW' }), cause: 'merchant_risk', evidence: 'reason code RISK_REVIEW' },
    { name: 'a message in Chinese', subject: settlementSubject('settlement_failed', { status: 'failed', message: '商户账户冻结' }), cause: 'merchant_account', evidence: '商户账户冻结' },
    { name: 'an account reason at settlement is the merchant\'s', subject: settlementSubject('settlement_failed', { status: 'rejected', message: 'Account frozen' }), cause: 'merchant_account', evidence: "the merchant's settlement account" },
    { name: 'pending after the cutoff, in English', subject: settlementSubject('unsettled', { status: 'pending', message: 'batch received after cutoff' }), cause: 'cutoff', evidence: 'batch received after cutoff' },
    { name: 'pending after the cutoff, in Chinese', subject: settlementSubject('unsettled', { status: 'pending', message: '日切后上送，顺延结算' }), cause: 'cutoff', evidence: '日切后上送' },
    { name: 'beats an amount mismatch', subject: settlementSubject('amount_mismatch', { reasonCode: 'RISK_REVIEW' }, { amountDelta: 5 }), cause: 'merchant_risk', evidence: 'RISK_REVIEW' },
    { name: 'reconciliation reason', subject: settlementSubject('settlement_failed', { status: 'failed', message: 'totals do not agree' }), cause: 'reconciliation', evidence: 'totals do not agree' },
  ],
});
