import { rule } from '../../rules/settlement-reason-code.js';
import { ruleTester, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no reason code', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
    { name: 'reason code not in the table', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'ZZ_UNKNOWN' }) },
    { name: 'authorization outcome', subject: { ...txnSubject({ responseCode: '51' }), settlement: undefined } },
  ],
  invalid: [
    { name: 'merchant account frozen', subject: settlementSubject('settlement_failed', { status: 'rejected', reasonCode: 'MERCHANT_ACCOUNT_FROZEN' }), cause: 'merchant_account', evidence: 'reason code MERCHANT_ACCOUNT_FROZEN' },
    { name: 'case and spaces are normalised', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'invalid bank account' }), cause: 'merchant_account', evidence: 'Invalid settlement bank account' },
    { name: 'risk hold beats the held fallback', subject: settlementSubject('settlement_failed', { status: 'held', reasonCode: 'RISK_HOLD' }), cause: 'merchant_risk', evidence: 'settlement status held' },
    { name: 'cutoff missed', subject: settlementSubject('unsettled', { status: 'pending', reasonCode: 'CUTOFF_MISSED' }), cause: 'cutoff', evidence: 'CUTOFF_MISSED' },
    { name: 'ISO 95 at settlement', subject: settlementSubject('settlement_failed', { status: 'rejected', reasonCode: '95' }), cause: 'reconciliation', evidence: 'Reconcile error' },
    { name: 'specific reason on an amount mismatch', subject: settlementSubject('amount_mismatch', { reasonCode: 'INVALID_TXN_DATA' }, { amountDelta: 100 }), cause: 'transaction_data', evidence: 'Invalid transaction data' },
    { name: 'KYC', subject: settlementSubject('settlement_failed', { status: 'rejected', reasonCode: 'KYC_INCOMPLETE' }), cause: 'compliance', evidence: 'KYC' },
    { name: 'fraud', subject: settlementSubject('settlement_failed', { status: 'rejected', reasonCode: 'FRAUD_SUSPECTED' }), cause: 'fraud', evidence: 'Suspected fraud' },
    { name: 'platform', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'PLATFORM_ERROR' }), cause: 'issuer_platform', evidence: 'platform error' },
    { name: 'orphan with reason', subject: settlementSubject('orphan_settlement', { reasonCode: 'DUPLICATE' }), cause: 'reconciliation', evidence: 'Duplicate' },
    { name: 'ISO 03 invalid merchant', subject: settlementSubject('settlement_failed', { status: 'rejected', reasonCode: '3' }), cause: 'configuration', evidence: 'Invalid merchant' },
  ],
});
