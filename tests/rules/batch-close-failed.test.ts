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
    { name: 'batch close failed that night', subject: missingSubject(), events: [makeEvent('BATCH_CLOSE_FAILED', 13 * HOUR, { detail: 'host unreachable' })], cause: 'cutoff', evidence: 'event BATCH_CLOSE_FAILED: Batch close (settlement) failed (host unreachable), 13.0 h after the transaction' },
  ],
});
