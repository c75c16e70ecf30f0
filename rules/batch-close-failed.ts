import type { Rule } from './types.js';
import { eventEvidence, faultBeforeBatchClose } from './lib/util.js';

export const rule: Rule = {
  meta: {
    id: 'batch-close-failed',
    causes: ['cutoff'],
    title: 'Batch close failed after the transaction',
    description: 'An approved transaction missing from settlement, on a terminal that reported a failed batch close (BATCH_CLOSE_FAILED) within 36 h after it and no successful close in between.',
    needs: ['reconciliation', 'events'],
  },
  match(subject, ctx) {
    const hit = faultBeforeBatchClose(subject, ctx, 'cutoff');
    if (!hit) return undefined;
    return { cause: 'cutoff', evidence: [eventEvidence(hit.event, hit.txn.ts, ctx, 'the transaction', 'the batch holding this approved transaction was not closed, so it was never settled')] };
  },
};
