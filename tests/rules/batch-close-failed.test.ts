import { rule } from '../../rules/batch-close-failed.js';
import { HOUR, makeEvent, missingSubject, ruleTester, settlementSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'missing, no events', subject: missingSubject() },
    { name: 'failure before the transaction', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE_FAILED', -HOUR)] },
    { name: 'failure too late (over 36 h)', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE_FAILED', 37 * HOUR)] },
    { name: 'successful close in between', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE', 10 * HOUR), makeEvent('BATCH_CLOSE_FAILED', 30 * HOUR)] },
    { name: 'other terminal', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE_FAILED', HOUR, { terminalId: 'TERM2' })] },
    { name: 'settlement record present', subject: settlementSubject('settlement_failed', { status: 'failed' }), events: [makeEvent('BATCH_CLOSE_FAILED', HOUR)] },
  ],
  invalid: [
    { name: 'batch close failed that night', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE_FAILED', 13 * HOUR)], cause: 'cutoff', evidence: 'batch close failed, 13.0 h after the transaction: the batch holding this approved transaction was not closed in time' },
    { name: 'settled two days late after a failed close', subject: { ...settlementSubject('unsettled', { status: 'settled' }), facts: { lateSettlementDays: 2, graceDays: 1 } }, events: [makeEvent('BATCH_CLOSE_FAILED', 13 * HOUR)], cause: 'cutoff', evidence: 'not closed in time' },
    // The close's own detail, or the link state when it failed, says why it failed.
    { name: 'its detail says the host was unreachable', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE_FAILED', 13 * HOUR, { detail: 'host unreachable' })], cause: 'network', evidence: 'could not reach the host' },
    { name: 'the link was down when it failed', subject: missingSubject(), events: [makeEvent('NETWORK_DOWN', 12 * HOUR), makeEvent('BATCH_CLOSE_FAILED', 13 * HOUR)], cause: 'network', evidence: 'batch close failed, 13.0 h after the transaction: the terminal could not reach the host' },
    { name: 'the power was lost before it', subject: missingSubject(), events: [makeEvent('POWER_LOSS', 12 * HOUR), makeEvent('BATCH_CLOSE_FAILED', 13 * HOUR)], cause: 'environment', evidence: 'after a power loss' },
  ],
});
