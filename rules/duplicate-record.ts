import type { Rule } from './types.js';
import { S } from './reasons.js';

export const rule: Rule = {
  meta: {
    id: 'duplicate-record',
    causes: ['reconciliation'],
    title: 'Duplicate record',
    description: 'The same transaction appears twice on the terminal or in settlement.',
    needs: ['reconciliation'],
    strength: S.settlement + 1,
    messages: {
      terminal: { en: 'the terminal log holds this transaction twice ({key})', zh: '终端日志中此交易出现两次（{key}）' },
      settlement: { en: 'settlement holds this transaction twice ({key})', zh: '结算中此交易出现两次（{key}）' },
    },
  },
  match(subject) {
    if (subject.outcome !== 'duplicate') return undefined;
    const side = subject.facts.duplicateSide ?? (subject.txn ? 'terminal' : 'settlement');
    const key = subject.txn?.txnId ?? subject.settlement?.rrn ?? subject.settlement?.txnId ?? '—';
    return { cause: 'reconciliation', evidence: [{ source: 'reconciliation', message: side, data: { key } }] };
  },
};
