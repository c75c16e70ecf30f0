import { rule } from '../../rules/manual-entry-card-number.js';
import { ruleTester, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: '14 on a chip read', subject: txnSubject({ responseCode: '14', entryMode: 'chip' }) },
    { name: '14 without entry mode', subject: txnSubject({ responseCode: '14' }) },
    { name: 'manual with another code', subject: txnSubject({ responseCode: '51', entryMode: 'manual' }) },
    { name: 'approved', subject: { ...txnSubject({ responseCode: '14', entryMode: 'manual', status: 'approved' }), outcome: 'unsettled' } },
  ],
  invalid: [
    { name: '14 keyed', subject: txnSubject({ responseCode: '14', entryMode: 'manual' }), cause: 'input_error', evidence: 'entry mode manual' },
    { name: '14 keyed, unionpay', subject: txnSubject({ responseCode: ' 14 ', entryMode: 'manual', codeProfile: 'unionpay' }), cause: 'input_error', evidence: 'response code 14 (unionpay)' },
  ],
});
