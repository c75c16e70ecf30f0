import type { Rule } from './types.js';
import { builtinTables, causesOf } from './tables.js';
import { describeEntry, isSettlementOutcome } from './lib/util.js';

// The acquirer's own reason is the strongest evidence for anything found at settlement (causes.md §1).
export const rule: Rule = {
  meta: {
    id: 'settlement-reason-code',
    causes: causesOf(builtinTables().settlementReasons),
    title: 'Settlement reason code',
    description: 'A settlement finding whose settlement record carries a reason code from the settlement-reasons table takes that code\'s cause.',
    needs: ['settlement'],
  },
  match(subject, ctx) {
    const s = subject.settlement;
    if (!s?.reasonCode || !isSettlementOutcome(subject)) return undefined;
    const entry = ctx.settlementReason(s.reasonCode);
    if (!entry || entry.cause === 'approved') return undefined;
    return {
      cause: entry.cause,
      evidence: [{ source: 'settlement', code: s.reasonCode, text: `settlement status ${s.status}, reason code ${s.reasonCode}: ${describeEntry(entry)}` }],
    };
  },
};
