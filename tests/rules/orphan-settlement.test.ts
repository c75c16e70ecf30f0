import { rule } from '../../rules/orphan-settlement.js';
import { ruleTester, settlementSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'matched but failed settlement', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
    { name: 'duplicate', subject: settlementSubject('duplicate') },
  ],
  invalid: [
    { name: 'orphan with RRN', subject: settlementSubject('orphan_settlement', { rrn: '000123456789', amount: 1234 }), cause: 'reconciliation', evidence: 'RRN 000123456789, 12.34 CNY' },
    { name: 'orphan with txnId only', subject: settlementSubject('orphan_settlement', { rrn: undefined, txnId: 'X9' }), cause: 'reconciliation', evidence: 'has no matching terminal transaction' },
  ],
});
