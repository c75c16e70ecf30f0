import { rule } from '../../rules/no-evidence.js';
import { ruleTester, settlementSubject, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [],
  invalid: [
    { name: 'bare failure', subject: txnSubject({ status: 'terminated' }), cause: 'unknown', evidence: 'outcome terminated, terminal status terminated | no response code | no terminal error code | no message' },
    { name: 'unknown code and text', subject: txnSubject({ responseCode: 'QQ', errorCode: 'E1', message: 'hm' }), cause: 'unknown', evidence: 'response code QQ is not in the iso table' },
    { name: 'approved code on a declined attempt', subject: txnSubject({ responseCode: '00' }), cause: 'unknown', evidence: 'means approved, which does not explain' },
    { name: 'settlement side', subject: settlementSubject('settlement_failed', { status: 'failed', reasonCode: 'X', message: 'y' }), cause: 'unknown', evidence: 'reason code X not in the table' },
  ],
});
