import type { Rule } from './types.js';
import { BATCH_CLOSED_EVENTS, BATCH_WINDOW_MS, INFORMATIONAL_EVENTS, eventEvidence, eventName } from './lib/util.js';

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
    const txn = subject.txn;
    if (!txn || !subject.facts.missingSettlement) return undefined;
    for (const e of ctx.eventsNear(txn.terminalId, txn.ts, 0, BATCH_WINDOW_MS)) {
      const name = eventName(e);
      if (BATCH_CLOSED_EVENTS.has(name)) return undefined;
      if (INFORMATIONAL_EVENTS.has(name) || ctx.event(name)?.cause !== 'environment') continue;
      return { cause: 'environment', evidence: [eventEvidence(e, txn.ts, ctx, 'the transaction', 'the terminal lost power before its batch was closed')] };
    }
    return undefined;
  },
};
