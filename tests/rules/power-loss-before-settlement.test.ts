import { rule } from '../../rules/power-loss-before-settlement.js';
import { HOUR, makeEvent, missingSubject, ruleTester, txnSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: missingSubject() },
    { name: 'power loss after a successful close', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE', 5 * HOUR), makeEvent('POWER_LOSS', 6 * HOUR)] },
    { name: 'power loss before the sale', subject: missingSubject(), events: [makeEvent('POWER_LOSS', -HOUR)] },
    { name: 'declined attempt', subject: txnSubject(), events: [makeEvent('POWER_LOSS', HOUR)] },
  ],
  invalid: [
    { name: 'power lost that evening', subject: missingSubject(), events: [makeEvent('POWER_LOSS', 8 * HOUR)], cause: 'environment', evidence: 'lost power before its batch was closed' },
  ],
});
