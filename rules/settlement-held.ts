import type { Rule } from './types.js';
import { isSettlementOutcome } from './lib/util.js';

// Acquirers hold funds for risk review; with no reason given, a hold is the acquirer's risk decision.
export const rule: Rule = {
  meta: {
    id: 'settlement-held',
    causes: ['merchant_risk'],
    title: 'Settlement held',
    description: 'The acquirer holds the settlement and gives no reason that a table or keyword explains: a merchant risk hold.',
    needs: ['settlement'],
  },
  match(subject) {
    const s = subject.settlement;
    if (!s || s.status !== 'held' || !isSettlementOutcome(subject)) return undefined;
    const reason = [s.reasonCode && `reason code ${s.reasonCode}`, s.message && `message "${s.message}"`].filter(Boolean).join(', ');
    return {
      cause: 'merchant_risk',
      evidence: [{ source: 'settlement', code: 'held', text: `settlement status held by the acquirer${reason ? ` (${reason}, not in the reason tables)` : ', no reason given'}` }],
    };
  },
};
