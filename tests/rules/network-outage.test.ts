import { rule } from '../../rules/network-outage.js';
import { HOUR, MIN, makeEvent, ruleTester, txnSubject } from './helpers.js';

const failed = txnSubject({ status: 'failed' });

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: failed },
    { name: 'network came back before the attempt', subject: failed, events: [makeEvent('NETWORK_DOWN', -30 * MIN), makeEvent('NETWORK_UP', -10 * MIN)] },
    { name: 'down too long ago', subject: failed, events: [makeEvent('NETWORK_DOWN', -3 * HOUR)] },
    { name: 'declined: the host answered', subject: txnSubject({ status: 'declined' }), events: [makeEvent('NETWORK_DOWN', -MIN)] },
    { name: 'other terminal', subject: failed, events: [makeEvent('NETWORK_DOWN', -MIN, { terminalId: 'TERM9' })] },
    { name: 'NETWORK_UP alone is context only', subject: failed, events: [makeEvent('NETWORK_UP', -MIN)] },
  ],
  invalid: [
    { name: 'inside a down window', subject: failed, events: [makeEvent('NETWORK_DOWN', -20 * MIN)], cause: 'network', evidence: 'event NETWORK_DOWN, 20 min before the transaction, no NETWORK_UP in between: the link was down' },
    { name: 'down logged just after the timeout', subject: txnSubject({ status: 'timeout' }), events: [makeEvent('NETWORK_DOWN', 30_000)], cause: 'network', evidence: '30 s after' },
    { name: 'up then down again', subject: failed, events: [makeEvent('NETWORK_DOWN', -HOUR), makeEvent('NETWORK_UP', -50 * MIN), makeEvent('NETWORK_DOWN', -5 * MIN)], cause: 'network', evidence: '5 min before' },
    { name: 'signal low nearby', subject: txnSubject({ status: 'unknown' }), events: [makeEvent('SIGNAL_LOW', -2 * MIN, { detail: '-109 dBm' })], cause: 'network', evidence: 'event SIGNAL_LOW (-109 dBm), 2 min before the transaction' },
  ],
});
