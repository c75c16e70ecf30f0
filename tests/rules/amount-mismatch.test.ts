import { rule } from '../../rules/amount-mismatch.js';
import { describe, expect, it } from 'vitest';
import { evidenceText, ruleTester, runRule, settlementSubject } from './helpers.js';

ruleTester(rule, {
  valid: [
    { name: 'failed settlement', subject: settlementSubject('settlement_failed', { status: 'failed' }) },
  ],
  invalid: [
    { name: 'tip added after batch', subject: settlementSubject('amount_mismatch', { amount: 1150 }, { amountDelta: 150 }), cause: 'reconciliation', evidence: 'settled 11.50 CNY, terminal 10.00 CNY: the settled amount differs by +1.50 CNY' },
    { name: 'delta computed when missing', subject: settlementSubject('amount_mismatch', { amount: 900 }), cause: 'reconciliation', evidence: 'differs by -1.00 CNY' },
    { name: 'settled in another currency: each amount in its own', subject: settlementSubject('amount_mismatch', { amount: 9900, currency: 'USD' }, { currencyDiffers: true }), cause: 'reconciliation', evidence: 'settled 99.00 USD, terminal 10.00 CNY: settled in another currency' },
    { name: 'zero-decimal currency', subject: settlementSubject('amount_mismatch', { amount: 1100, currency: 'JPY' }, { amountDelta: 100 }), cause: 'reconciliation', evidence: 'settled 1100 JPY' },
  ],
});

describe('amount-mismatch across currencies', () => {
  it('names each amount in its own currency in both languages and states no delta', () => {
    const v = runRule(rule, { name: 'jpy', subject: settlementSubject('amount_mismatch', { amount: 1000, currency: 'JPY' }, { currencyDiffers: true }) });
    expect(evidenceText(rule, v!)).toBe('settled 1000 JPY, terminal 10.00 CNY: settled in another currency than the terminal, so the amounts cannot be compared');
    expect(evidenceText(rule, v!, 'zh')).toContain('结算金额 1000 JPY，终端金额 10.00 CNY');
    expect(evidenceText(rule, v!)).not.toContain('differs by');
  });
});
