import { rule } from '../../rules/power-loss-event.js';
import { MIN, T0, makeEvent, ruleTester, txnSubject } from './helpers.js';

const failed = txnSubject({ status: 'failed' });

ruleTester(rule, {
  valid: [
    { name: 'no events', subject: failed },
    { name: 'power loss long before', subject: failed, events: [makeEvent('POWER_LOSS', -30 * MIN)] },
    { name: 'declined', subject: txnSubject(), events: [makeEvent('POWER_LOSS', MIN)] },
    { name: 'a reboot is context only', subject: failed, events: [makeEvent('REBOOT', MIN)] },
    { name: 'a loss long ago, the link dropped later on its own', subject: failed, events: [makeEvent('POWER_LOSS', -70 * MIN), makeEvent('NETWORK_DOWN', -30 * MIN)] },
    { name: 'the link came back after a loss that took it', subject: failed, events: [makeEvent('POWER_LOSS', -70 * MIN), makeEvent('NETWORK_DOWN', -69.5 * MIN), makeEvent('NETWORK_UP', -10 * MIN)] },
    { name: 'a link failure long after a loss, with approvals in between', subject: txnSubject({ status: 'failed', errorCode: 'COMM_ERROR' }), events: [makeEvent('POWER_LOSS', -40 * MIN)], approved: [{ terminalId: 'TERM1', ts: T0 - 20 * MIN }] },
    { name: 'the link was back after the loss', subject: failed, events: [makeEvent('POWER_LOSS', -9 * MIN), makeEvent('NETWORK_UP', -4 * MIN)] },
    { name: 'a Z3 decline after the link came back', subject: txnSubject({ status: 'declined', responseCode: 'Z3' }), events: [makeEvent('POWER_LOSS', -9 * MIN), makeEvent('NETWORK_UP', -4 * MIN)] },
  ],
  invalid: [
    { name: 'attempts keep failing minutes after the power came back', subject: failed, events: [makeEvent('POWER_LOSS', -9 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS' },
    { name: 'link reported up seconds before: not usable yet', subject: failed, events: [makeEvent('POWER_LOSS', -9 * MIN), makeEvent('NETWORK_UP', -0.3 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS' },
    { name: 'an earlier NETWORK_UP, then the terminal restarted', subject: failed, events: [makeEvent('POWER_LOSS', -9 * MIN), makeEvent('NETWORK_UP', -6 * MIN), makeEvent('REBOOT', -2 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS' },
    { name: 'the terminal declined offline (Z3): no host answered', subject: txnSubject({ status: 'declined', responseCode: 'Z3' }), events: [makeEvent('POWER_LOSS', -5 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS' },
    { name: 'the link went down with the power an hour ago and is not back', subject: failed, events: [makeEvent('POWER_LOSS', -70 * MIN), makeEvent('NETWORK_DOWN', -69.5 * MIN)], cause: 'environment', evidence: 'the link went down with the power' },
    { name: 'on battery since a loss 40 min ago, the Wi-Fi gone, nothing approved since', subject: txnSubject({ status: 'failed', errorCode: 'COMM_ERROR' }), events: [makeEvent('POWER_LOSS', -40 * MIN)], cause: 'environment', evidence: 'the link went down with the power' },
    { name: 'power lost during the attempt', subject: txnSubject({ status: 'terminated' }), events: [makeEvent('POWER_LOSS', 3 * MIN)], cause: 'environment', evidence: 'event POWER_LOSS, 3 min after the transaction' },
  ],
});
