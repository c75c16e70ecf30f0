import { rule } from '../../rules/chip-card-swiped.js';
import { ruleTester, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'chip read declined 51', subject: txnSubject({ responseCode: '51', entryMode: 'chip' }) },
    { name: 'prompt text but inserted', subject: txnSubject({ message: '请插卡', entryMode: 'chip' }) },
    { name: 'swiped, code names another cause', subject: txnSubject({ responseCode: '51', entryMode: 'swipe', message: '请插卡' }) },
  ],
  invalid: [
    { name: 'code 45 under iso (unionpay meaning)', subject: txnSubject({ responseCode: '45' }), cause: 'input_error', evidence: 'response code 45 (iso has no 45' },
    { name: 'code 45 swiped', subject: txnSubject({ responseCode: '45', entryMode: 'swipe' }), cause: 'input_error', evidence: 'entry mode swipe' },
  ],
});
