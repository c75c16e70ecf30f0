import type { Rule } from './types.js';
import { formatMoney } from './lib/util.js';

// Approved but not settled, and nothing more specific explains it: the two sides disagree.
export const rule: Rule = {
  meta: {
    id: 'settlement-missing',
    causes: ['reconciliation'],
    title: 'Approved but not settled',
    description: 'An approved transaction with no settlement record after the grace window, or whose settlement record failed, was rejected or is still pending, with no reason, event or keyword that explains it.',
    needs: ['reconciliation', 'settlement'],
  },
  match(subject) {
    if (subject.outcome !== 'unsettled' && subject.outcome !== 'settlement_failed') return undefined;
    const s = subject.settlement;
    if (!s) {
      const amount = subject.txn?.amount !== undefined ? ` (${formatMoney(subject.txn.amount, subject.txn.currency)})` : '';
      return {
        cause: 'reconciliation',
        evidence: [{ source: 'reconciliation', text: `approved at the terminal${amount} but no settlement record by the end of the grace window; no batch-close, power or network event explains it` }],
      };
    }
    const reason = [s.reasonCode && `reason code ${s.reasonCode} (not in the settlement-reasons table)`, s.message && `message "${s.message}" (no keyword matched)`]
      .filter(Boolean)
      .join(', ');
    return {
      cause: 'reconciliation',
      evidence: [{ source: 'settlement', code: s.status, text: `settlement status ${s.status}${reason ? `, ${reason}` : ', no reason given'}` }],
    };
  },
};
