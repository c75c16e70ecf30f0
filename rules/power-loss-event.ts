import type { Rule } from './types.js';
import { MINUTE, eventEvidence, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// Power loss interrupts the attempt in progress, and attempts keep failing while the supply is unstable
// (brown-outs, the router still down) for some minutes after; terminals may also log it late, on restart.
export const BEFORE_MS = 15 * MINUTE;
export const AFTER_MS = 10 * MINUTE;

export const rule: Rule = {
  meta: {
    id: 'power-loss-event',
    causes: ['environment'],
    title: 'Power lost during the attempt',
    description: 'A failed, timed-out, terminated or unanswered attempt with a POWER_LOSS (or other environment event) from 2 min before to 10 min after it.',
    needs: ['events', 'status'],
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn) return undefined;
    const e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, BEFORE_MS, AFTER_MS, (entry) => entry.cause === 'environment');
    return e ? { cause: 'environment', evidence: [eventEvidence(e, txn.ts, ctx)] } : undefined;
  },
};
