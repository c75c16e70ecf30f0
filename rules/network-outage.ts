import type { Rule } from './types.js';
import { S } from './reasons.js';
import { HOUR, MINUTE, eventDraft, eventName, hostAnswered, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// An outage longer than this without NETWORK_UP is more likely a lost NETWORK_UP than a real outage.
export const OUTAGE_LOOKBACK_MS = 2 * HOUR;
// Terminals often log NETWORK_DOWN only after the attempt that found the link dead timed out.
export const DOWN_LOGGED_LATE_MS = 2 * MINUTE;
// Signal and other network events explain failures only close to the attempt.
export const NEAR_MS = 5 * MINUTE;

export const rule: Rule = {
  meta: {
    id: 'network-outage',
    causes: ['network'],
    title: 'Network down at the time',
    description:
      'A failed, timed-out, terminated or unanswered attempt inside a NETWORK_DOWN window (down within the last 2 h, or logged up to 2 min after, with no NETWORK_UP in between), or within 5 min of SIGNAL_LOW or another network event, unless the host answered with a specific reason.',
    needs: ['events', 'status'],
    strength: S.comms + 5,
    messages: {
      down: { en: 'event {event}{detail}, {offsetMs}, no NETWORK_UP in between: the link was down', zh: '事件 {event}{detail}，{offsetMs}，其间未恢复：网络中断' },
      near: { en: 'event {event}{detail}, {offsetMs}', zh: '事件 {event}{detail}，{offsetMs}' },
    },
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    // A specific answer from the host (no funds, wrong PIN) means the link worked.
    if (!txn || hostAnswered(subject, S.decline)) return undefined;
    const evs = ctx.eventsNear(txn.terminalId, txn.ts, OUTAGE_LOOKBACK_MS, DOWN_LOGGED_LATE_MS);
    // The latest NETWORK_DOWN / NETWORK_UP at or before the attempt decides whether the link was down.
    let down;
    for (const e of evs) {
      const name = eventName(e);
      if (e.ts <= txn.ts) {
        if (name === 'NETWORK_DOWN') down = e;
        else if (name === 'NETWORK_UP') down = undefined;
      } else if (!down && name === 'NETWORK_DOWN') {
        down = e;
        break;
      }
    }
    if (down) return { cause: 'network', evidence: [eventDraft(down, txn.ts, ctx, 'down')] };
    const near = nearestFaultEvent(ctx, txn.terminalId, txn.ts, NEAR_MS, NEAR_MS, (entry, name) => entry.cause === 'network' && name !== 'NETWORK_DOWN');
    if (near) return { cause: 'network', evidence: [eventDraft(near, txn.ts, ctx, 'near')] };
    return undefined;
  },
};
