import { rule } from '../../rules/no-evidence.js';
import { ruleTester, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [],
  invalid: [
    { name: 'bare failure', subject: txnSubject({ status: 'terminated' }), cause: 'unknown', evidence: 'outcome terminated, terminal status terminated | no response code | no terminal error code | no message' },
    { name: 'unknown code and text', subject: txnSubject({ responseCode: 'QQ', errorCode: 'E1', message: 'hm' }), cause: 'unknown', evidence: 'response code QQ (iso) gives no reason for this outcome' },
    { name: 'approved code on a declined attempt', subject: txnSubject({ responseCode: '00' }), cause: 'unknown', evidence: 'response code 00 (iso) gives no reason' },
    { name: 'settlement side', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'X', message: 'y' }), cause: 'unknown', evidence: 'settlement status failed, reason code X' },
  ],
});
