import type { Rule } from './types.js';
import { S } from './reasons.js';
import { formatMoney } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'amount-mismatch',
    causes: ['reconciliation'],
    title: 'Settled amount differs from the terminal',
    description: 'The settled amount differs from the terminal amount beyond the tolerance (tip adjusted after batch, partial approval, fees, conversion).',
    needs: ['reconciliation', 'settlement'],
    strength: S.settlement - 2,
    messages: {
      mismatch: { en: 'settled {settled}, terminal {terminal}: the settled amount differs by {delta}', zh: '结算金额 {settled}，终端金额 {terminal}：相差 {delta}' },
      currency: { en: 'settled {settled}, terminal {terminal}: settled in another currency than the terminal, so the amounts cannot be compared', zh: '结算金额 {settled}，终端金额 {terminal}：结算币种与终端币种不同，金额无法比较' },
    },
  },
  match(subject) {
    if (subject.outcome !== 'amount_mismatch') return undefined;
    // Each amount in its own currency: the two may differ (facts.currencyDiffers).
    const { txn, settlement } = subject;
    const t = txn?.amount;
    const s = settlement?.amount;
    const settled = s !== undefined && settlement ? formatMoney(s, settlement.currency) : '—';
    const terminal = t !== undefined && txn ? formatMoney(t, txn.currency) : '—';
    if (subject.facts.currencyDiffers) {
      return { cause: 'reconciliation', evidence: [{ source: 'reconciliation', message: 'currency', data: { settled, terminal } }] };
    }
    const currency = settlement?.currency ?? txn?.currency ?? '';
    const delta = subject.facts.amountDelta ?? (t !== undefined && s !== undefined ? s - t : 0);
    return {
      cause: 'reconciliation',
      evidence: [{
        source: 'reconciliation',
        message: 'mismatch',
        data: { settled, terminal, delta: `${delta > 0 ? '+' : ''}${formatMoney(delta, currency)}` },
      }],
    };
  },
};
