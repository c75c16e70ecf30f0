import type { Rule } from './types.js';
import { S } from './reasons.js';
import { MINUTE, eventDraft, hostAnswered, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// A crash or failed update breaks the attempts around it, not those an hour later.
export const NEAR_MS = 5 * MINUTE;

export const rule: Rule = {
  meta: {
    id: 'software-fault-event',
    causes: ['terminal_software'],
    title: 'Software fault at the time',
    description: 'A failed, timed-out, terminated or unanswered attempt within 5 min of APP_CRASH, SOFTWARE_UPDATE_FAILED or CLOCK_ERROR.',
    needs: ['events', 'status'],
    strength: S.comms - 5,
    messages: {
      fault: { en: 'event {event}{detail}, {offsetMs}', zh: '事件 {event}{detail}，{offsetMs}' },
    },
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn || hostAnswered(subject, S.decline)) return undefined;
    const e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, NEAR_MS, NEAR_MS, (entry) => entry.cause === 'terminal_software');
    return e ? { cause: 'terminal_software', evidence: [eventDraft(e, txn.ts, ctx, 'fault')] } : undefined;
  },
};
