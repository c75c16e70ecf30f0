import { rule } from '../../rules/sign-on-failed.js';
import { HOUR, makeEvent, ruleTester, txnSubject } from './helpers.js';

const failed = txnSubject({ status: 'failed' });

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: failed },
    { name: 'signed on again since', subject: failed, events: [makeEvent('SIGN_ON_FAILED', -3 * HOUR), makeEvent('SIGN_ON', -2 * HOUR)] },
    { name: 'too long ago', subject: failed, events: [makeEvent('SIGN_ON_FAILED', -9 * HOUR)] },
    { name: 'declined', subject: txnSubject(), events: [makeEvent('SIGN_ON_FAILED', -HOUR)] },
  ],
  invalid: [
    { name: 'sign-on failed this morning', subject: failed, events: [makeEvent('SIGN_ON_FAILED', -2 * HOUR)], cause: 'configuration', evidence: 'event SIGN_ON_FAILED, 2.0 h before the transaction, no successful sign-on since' },
    { name: 'key sync failed after the last sign-on', subject: failed, events: [makeEvent('SIGN_ON', -5 * HOUR), makeEvent('KEY_SYNC_FAILED', -4 * HOUR)], cause: 'configuration', evidence: 'KEY_SYNC_FAILED' },
  ],
});
