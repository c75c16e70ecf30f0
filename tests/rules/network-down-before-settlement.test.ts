import { rule } from '../../rules/network-down-before-settlement.js';
import { HOUR, MIN, makeEvent, missingSubject, ruleTester } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: missingSubject() },
    { name: 'short blip', subject: missingSubject(), events: [makeEvent('NETWORK_DOWN', HOUR), makeEvent('NETWORK_UP', HOUR + 10 * MIN)] },
    { name: 'after a successful close', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE', HOUR), makeEvent('NETWORK_DOWN', 2 * HOUR)] },
  ],
  invalid: [
    { name: 'down overnight', subject: missingSubject(), events: [makeEvent('NETWORK_DOWN', 10 * HOUR), makeEvent('NETWORK_UP', 20 * HOUR)], cause: 'network', evidence: 'the network came back 600 min later' },
    { name: 'never came back', subject: missingSubject(), events: [makeEvent('NETWORK_DOWN', 10 * HOUR)], cause: 'network', evidence: 'no NETWORK_UP followed' },
  ],
});
