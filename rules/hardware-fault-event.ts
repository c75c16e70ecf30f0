import type { Rule } from './types.js';
import { MINUTE, eventEvidence, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// A device fault explains an attempt only when it is reported around it; faults are often logged
// right after the attempt they broke.
export const NEAR_MS = 5 * MINUTE;

export const rule: Rule = {
  meta: {
    id: 'hardware-fault-event',
    causes: ['terminal_hardware'],
    title: 'Hardware fault at the time',
    description: 'A failed, timed-out, terminated or unanswered attempt within 5 min of a hardware fault event (READER_FAULT, PINPAD_FAULT, PRINTER_*, TAMPER_DETECTED, BATTERY_LOW).',
    needs: ['events', 'status'],
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn) return undefined;
    const e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, NEAR_MS, NEAR_MS, (entry) => entry.cause === 'terminal_hardware');
    return e ? { cause: 'terminal_hardware', evidence: [eventEvidence(e, txn.ts, ctx)] } : undefined;
  },
};
