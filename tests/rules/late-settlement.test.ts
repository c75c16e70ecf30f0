import { rule } from '../../rules/late-settlement.js';
import { missingSubject, ruleTester, settlementSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'missing, no line', subject: missingSubject() },
    { name: 'settled in time', subject: settlementSubject('unsettled', { status: 'settled' }) },
  ],
  invalid: [
    { name: 'settled two days after', subject: { ...settlementSubject('unsettled', { status: 'settled' }), facts: { lateSettlementDays: 2, graceDays: 1 } }, cause: 'cutoff', evidence: 'settled 2 day(s) after the transaction date, past the 1-day window' },
  ],
});
