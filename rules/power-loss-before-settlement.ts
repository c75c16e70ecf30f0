import type { Rule } from './types.js';
import { eventEvidence, faultBeforeBatchClose } from './lib/util.js';

// Auto batch close needs the terminal powered on (terminal-signals.md §5.3).
export const rule: Rule = {
  meta: {
    id: 'power-loss-before-settlement',
    causes: ['environment'],
    title: 'Power lost before the batch was closed',
    description: 'An approved transaction missing from settlement, on a terminal that lost power after it and before any successful batch close (within 36 h).',
    needs: ['reconciliation', 'events'],
  },
  match(subject, ctx) {
    const hit = faultBeforeBatchClose(subject, ctx, 'environment');
    if (!hit) return undefined;
    return { cause: 'environment', evidence: [eventEvidence(hit.event, hit.txn.ts, ctx, 'the transaction', 'the terminal lost power before its batch was closed')] };
  },
};
