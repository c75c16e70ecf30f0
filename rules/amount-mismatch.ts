import type { Rule } from './types.js';
import { formatMoney } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'amount-mismatch',
    causes: ['reconciliation'],
    title: 'Settled amount differs from the terminal',
    description: 'The settled amount differs from the terminal amount beyond the tolerance (tip adjusted after batch, partial approval, fees, conversion).',
    needs: ['reconciliation', 'settlement'],
  },
  match(subject) {
    if (subject.outcome !== 'amount_mismatch') return undefined;
    const currency = subject.settlement?.currency ?? subject.txn?.currency ?? '';
    const t = subject.txn?.amount;
    const s = subject.settlement?.amount;
    const delta = subject.facts.amountDelta ?? (t !== undefined && s !== undefined ? s - t : undefined);
    const parts = [
      s !== undefined ? `settled ${formatMoney(s, currency)}` : undefined,
      t !== undefined ? `terminal ${formatMoney(t, currency)}` : undefined,
      delta !== undefined ? `difference ${delta > 0 ? '+' : ''}${formatMoney(delta, currency)}` : undefined,
    ].filter(Boolean);
    return {
      cause: 'reconciliation',
      evidence: [{ source: 'reconciliation', text: `settled amount differs from the terminal amount${parts.length ? ` (${parts.join(', ')})` : ''}` }],
    };
  },
};
