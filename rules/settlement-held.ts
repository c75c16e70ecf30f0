import type { Rule } from './types.js';
import { S } from './reasons.js';
import { isSettlementOutcome } from './lib/util.js';

// Acquirers hold funds for risk review; with no reason given, a hold is the acquirer's risk decision.
export const rule: Rule = {
  meta: {
    id: 'settlement-held',
    causes: ['merchant_risk'],
    title: 'Settlement held',
    description: 'The acquirer holds the settlement and gives no reason that the vocabulary reads: a merchant risk hold.',
    needs: ['settlement'],
    strength: S.settlement - 5,
    messages: {
      held: { en: 'settlement status held by the acquirer, no reason txlog can read{given}', zh: '收单机构暂缓结算，未给出可识别的原因{given}' },
    },
  },
  match(subject) {
    const s = subject.settlement;
    if (!s || s.status !== 'held' || !isSettlementOutcome(subject)) return undefined;
    const given = [s.reasonCode, s.message].filter(Boolean).join(', ');
    return { cause: 'merchant_risk', evidence: [{ source: 'settlement', code: 'held', message: 'held', data: { given: given ? ` (${given.slice(0, 80)})` : '' } }] };
  },
};
