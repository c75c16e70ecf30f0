import type { Rule } from './types.js';
import { S } from './reasons.js';
import { formatMoney } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'orphan-settlement',
    causes: ['reconciliation'],
    title: 'Settlement record without a terminal record',
    description: 'A settlement line that matches no terminal transaction: a reversal not applied at the terminal, a duplicate transmission, or a lost terminal log.',
    needs: ['reconciliation', 'settlement'],
    strength: S.settlement + 1,
    messages: {
      orphan: { en: 'settlement line ({key}, {amount}, status {status}) has no matching terminal transaction', zh: '结算记录（{key}，{amount}，状态 {status}）没有对应的终端交易' },
    },
  },
  match(subject) {
    const s = subject.settlement;
    if (subject.outcome !== 'orphan_settlement' || !s) return undefined;
    const key = s.rrn ? `RRN ${s.rrn}` : s.txnId ? `txnId ${s.txnId}` : '—';
    return { cause: 'reconciliation', evidence: [{ source: 'reconciliation', message: 'orphan', data: { key, amount: formatMoney(s.amount, s.currency), status: s.status } }] };
  },
};
