import { rule } from '../../rules/settlement-held.js';
import { ruleTester, settlementSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'failed, not held', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
    { name: 'pending', subject: settlementSubject('unsettled', { status: 'pending' }) },
  ],
  invalid: [
    { name: 'held without reason', subject: settlementSubject('settlement_failed', { status: 'held' }), cause: 'merchant_risk', evidence: 'held by the acquirer, no reason txlog can read' },
    { name: 'held with an unknown reason', subject: settlementSubject('unsettled', { status: 'held', reasonCode: 'X42' }), cause: 'merchant_risk', evidence: 'no reason txlog can read (X42)' },
  ],
});
