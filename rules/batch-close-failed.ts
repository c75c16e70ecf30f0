import type { Rule } from './types.js';
import { BATCH_CLOSED_EVENTS, BATCH_WINDOW_MS, INFORMATIONAL_EVENTS, eventEvidence, eventName } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'batch-close-failed',
    causes: ['cutoff'],
    title: 'Batch close failed after the transaction',
    description: 'An approved transaction missing from settlement, on a terminal that reported a failed batch close (BATCH_CLOSE_FAILED) within 36 h after it and no successful close in between.',
    needs: ['reconciliation', 'events'],
  },
  match(subject, ctx) {
    const txn = subject.txn;
    if (!txn || !subject.facts.missingSettlement) return undefined;
    for (const e of ctx.eventsNear(txn.terminalId, txn.ts, 0, BATCH_WINDOW_MS)) {
      const name = eventName(e);
      // A successful close after the sale should have carried it: the failure is not the explanation.
      if (BATCH_CLOSED_EVENTS.has(name)) return undefined;
      if (INFORMATIONAL_EVENTS.has(name) || ctx.event(name)?.cause !== 'cutoff') continue;
      return { cause: 'cutoff', evidence: [eventEvidence(e, txn.ts, ctx, 'the transaction', 'the batch holding this approved transaction was not closed, so it was never settled')] };
    }
    return undefined;
  },
};
