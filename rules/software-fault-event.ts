import type { Rule } from './types.js';
import { MINUTE, eventEvidence, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// A crash or failed update breaks the attempts around it, not those an hour later.
export const NEAR_MS = 5 * MINUTE;

export const rule: Rule = {
  meta: {
    id: 'software-fault-event',
    causes: ['terminal_software'],
    title: 'Software fault at the time',
    description: 'A failed, timed-out, terminated or unanswered attempt within 5 min of APP_CRASH, SOFTWARE_UPDATE_FAILED or CLOCK_ERROR.',
    needs: ['events', 'status'],
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn) return undefined;
    const e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, NEAR_MS, NEAR_MS, (entry) => entry.cause === 'terminal_software');
    return e ? { cause: 'terminal_software', evidence: [eventEvidence(e, txn.ts, ctx)] } : undefined;
  },
};
