import { rule } from '../../rules/software-fault-event.js';
import { MIN, makeEvent, ruleTester, txnSubject } from './helpers.js';

const failed = txnSubject({ status: 'failed' });

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: failed },
    { name: 'a successful update is context only', subject: failed, events: [makeEvent('SOFTWARE_UPDATE', -MIN)] },
    { name: 'crash far away', subject: failed, events: [makeEvent('APP_CRASH', 20 * MIN)] },
  ],
  invalid: [
    { name: 'app crash', subject: txnSubject({ status: 'unknown' }), events: [makeEvent('APP_CRASH', MIN)], cause: 'terminal_software', evidence: 'event APP_CRASH, 1 min after the transaction' },
    { name: 'failed update', subject: failed, events: [makeEvent('SOFTWARE_UPDATE_FAILED', -2 * MIN)], cause: 'terminal_software', evidence: 'SOFTWARE_UPDATE_FAILED' },
  ],
});
