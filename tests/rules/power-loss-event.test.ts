import { rule } from '../../rules/power-loss-event.js';
import { MIN, makeEvent, ruleTester, txnSubject } from './helpers.js';

const failed = txnSubject({ status: 'failed' });

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: failed },
    { name: 'power loss long before', subject: failed, events: [makeEvent('POWER_LOSS', -30 * MIN)] },
    { name: 'declined', subject: txnSubject(), events: [makeEvent('POWER_LOSS', MIN)] },
    { name: 'a reboot is context only', subject: failed, events: [makeEvent('REBOOT', MIN)] },
  ],
  invalid: [
    { name: 'attempts keep failing minutes after the power came back', subject: failed, events: [makeEvent('POWER_LOSS', -9 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS' },
    { name: 'power lost during the attempt', subject: txnSubject({ status: 'terminated' }), events: [makeEvent('POWER_LOSS', 3 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS, 3 min after the transaction' },
  ],
});
