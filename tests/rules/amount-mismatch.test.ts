import { rule } from '../../rules/amount-mismatch.js';
import { ruleTester, settlementSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'failed settlement', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
  ],
  invalid: [
    { name: 'tip added after batch', subject: settlementSubject('amount_mismatch', { amount: 1150 }, { amountDelta: 150 }), cause: 'reconciliation', evidence: 'settled 11.50 CNY, terminal 10.00 CNY: the settled amount differs by +1.50 CNY' },
    { name: 'delta computed when missing', subject: settlementSubject('amount_mismatch', { amount: 900 }), cause: 'reconciliation', evidence: 'differs by -1.00 CNY' },
    { name: 'zero-decimal currency', subject: settlementSubject('amount_mismatch', { amount: 1100, currency: 'JPY' }, { amountDelta: 100 }), cause: 'reconciliation', evidence: 'settled 1100 JPY' },
  ],
});
