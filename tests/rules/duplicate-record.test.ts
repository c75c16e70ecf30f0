import { rule } from '../../rules/duplicate-record.js';
import { ruleTester, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'orphan', subject: settlementSubject('orphan_settlement') },
    { name: 'declined attempt', subject: txnSubject({ responseCode: '94' }) },
  ],
  invalid: [
    { name: 'settlement duplicate', subject: settlementSubject('duplicate', {}, { duplicateSide: 'settlement' }), cause: 'reconciliation', evidence: 'settlement holds this transaction twice (T1)' },
    { name: 'terminal duplicate', subject: settlementSubject('duplicate', {}, { duplicateSide: 'terminal' }), cause: 'reconciliation', evidence: 'the terminal log holds this transaction twice' },
  ],
});
