import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'duplicate-record',
    causes: ['reconciliation'],
    title: 'Duplicate record',
    description: 'The same transaction appears twice on the terminal or in settlement.',
    needs: ['reconciliation'],
  },
  match(subject) {
    if (subject.outcome !== 'duplicate') return undefined;
    const side = subject.facts.duplicateSide ?? (subject.txn ? 'terminal' : 'settlement');
    const key = subject.txn?.txnId ?? subject.settlement?.rrn ?? subject.settlement?.txnId;
    return {
      cause: 'reconciliation',
      evidence: [{ source: 'reconciliation', text: `duplicate ${side} record${key ? ` for ${key}` : ''}` }],
    };
  },
};
