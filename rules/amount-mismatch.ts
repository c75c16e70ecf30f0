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
    },
  },
  match(subject) {
    if (subject.outcome !== 'amount_mismatch') return undefined;
    const currency = subject.settlement?.currency ?? subject.txn?.currency ?? '';
    const t = subject.txn?.amount;
    const s = subject.settlement?.amount;
    const delta = subject.facts.amountDelta ?? (t !== undefined && s !== undefined ? s - t : 0);
    return {
      cause: 'reconciliation',
      evidence: [{
        source: 'reconciliation',
        message: 'mismatch',
        data: { settled: s !== undefined ? formatMoney(s, currency) : '—', terminal: t !== undefined ? formatMoney(t, currency) : '—', delta: `${delta > 0 ? '+' : ''}${formatMoney(delta, currency)}` },
      }],
    };
  },
};
