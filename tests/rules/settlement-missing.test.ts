import { rule } from '../../rules/settlement-missing.js';
import { missingSubject, ruleTester, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'declined attempt', subject: txnSubject() },
    { name: 'orphan', subject: settlementSubject('orphan_settlement') },
    { name: 'amount mismatch', subject: settlementSubject('amount_mismatch') },
  ],
  invalid: [
    { name: 'no settlement record', subject: missingSubject(), cause: 'reconciliation', evidence: 'approved at the terminal (10.00 CNY) but no settlement line' },
    { name: 'rejected, no reason', subject: settlementSubject('settlement_failed', { status: 'rejected' }), cause: 'reconciliation', evidence: 'settlement status rejected, no reason given that txlog can read' },
    { name: 'unknown reason code', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'E77', message: 'see portal' }), cause: 'reconciliation', evidence: 'no reason given that txlog can read (E77, see portal)' },
    { name: 'still pending', subject: settlementSubject('unsettled', { status: 'pending' }), cause: 'reconciliation', evidence: 'settlement status pending' },
  ],
});
