import type { Rule } from './types.js';
import { CAUSES } from './causes.js';
import { isSettlementOutcome } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'settlement-message',
    // Keyword tables can name any cause; an account problem at settlement is the merchant's.
    causes: CAUSES.map((c) => c.id).filter((id) => id !== 'unknown' && id !== 'cardholder_account'),
    title: 'Settlement reason message',
    description: 'A settlement finding whose settlement record carries a reason message matching a keyword takes the keyword\'s cause; a cardholder-account keyword reads as the merchant\'s settlement account.',
    needs: ['settlement', 'message'],
  },
  match(subject, ctx) {
    const s = subject.settlement;
    if (!s?.message || !isSettlementOutcome(subject)) return undefined;
    const hit = ctx.keyword(s.message);
    if (!hit) return undefined;
    // The cardholder's account was settled at authorization; an account that blocks settlement is the merchant's.
    const remapped = hit.entry.cause === 'cardholder_account';
    return {
      cause: remapped ? 'merchant_account' : hit.entry.cause,
      evidence: [{
        source: 'settlement',
        code: hit.match,
        text: `settlement status ${s.status}, message "${s.message}" contains "${hit.match}"${remapped ? ' (an account problem at settlement is the merchant\'s settlement account)' : ''}`,
      }],
    };
  },
};
