import type { Rule } from './types.js';
import { formatMoney } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'orphan-settlement',
    causes: ['reconciliation'],
    title: 'Settlement record without a terminal record',
    description: 'A settlement line that matches no terminal transaction: a reversal not applied at the terminal, a duplicate transmission, or a lost terminal log.',
    needs: ['reconciliation', 'settlement'],
  },
  match(subject) {
    const s = subject.settlement;
    if (subject.outcome !== 'orphan_settlement' || !s) return undefined;
    const key = s.rrn ? `RRN ${s.rrn}` : s.txnId ? `txnId ${s.txnId}` : 'no join key';
    return {
      cause: 'reconciliation',
      evidence: [{ source: 'reconciliation', text: `settlement record (${key}, ${formatMoney(s.amount, s.currency)}, status ${s.status}) has no matching terminal transaction` }],
    };
  },
};
