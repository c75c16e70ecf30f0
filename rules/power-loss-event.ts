import type { Rule } from './types.js';
import { S } from './reasons.js';
import { MINUTE, eventDraft, eventName, hostAnswered, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// Power loss interrupts the attempt in progress, and the attempts after it fail until the shop's router and
// the terminal are back: the link returns with the power (until NETWORK_UP, at most 20 min). Terminals may
// also log the loss late, on restart.
export const BEFORE_MS = 20 * MINUTE;
export const AFTER_MS = 10 * MINUTE;
/** The link reported up is not yet usable: the router and the terminal's session come back a moment later. */
export const SETTLE_MS = MINUTE;
const DOWN_EVENTS: ReadonlySet<string> = new Set(['POWER_LOSS', 'NETWORK_DOWN', 'REBOOT']);

export const rule: Rule = {
  meta: {
    id: 'power-loss-event',
    causes: ['environment'],
    title: 'Power lost during the attempt',
    description:
      'A failed, timed-out, terminated or unanswered attempt from 10 min before a POWER_LOSS (or another environment event) until the link is back after it (a minute after NETWORK_UP, at most 20 min): the link and the device fail with the power.',
    needs: ['events', 'status'],
    // Above a network window: when the power goes, the router goes with it.
    strength: S.comms + 8,
    messages: {
      power: { en: 'event {event}{detail}, {offsetMs}', zh: '事件 {event}{detail}，{offsetMs}' },
    },
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn || hostAnswered(subject, S.decline)) return undefined;
    const e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, BEFORE_MS, AFTER_MS, (entry) => entry.cause === 'environment');
    if (!e) return undefined;
    // Once the link was back after the loss, the loss no longer explains a failure: back means a NETWORK_UP
    // after the last thing that took it down (the loss, a NETWORK_DOWN, the restart that followed).
    if (e.ts < txn.ts) {
      const since = ctx.eventsNear(txn.terminalId, e.ts, 0, txn.ts - e.ts);
      let down = e.ts;
      for (const x of since) if (x.ts < txn.ts && DOWN_EVENTS.has(eventName(x))) down = Math.max(down, x.ts);
      if (since.some((x) => eventName(x) === 'NETWORK_UP' && x.ts > down && x.ts < txn.ts - SETTLE_MS)) return undefined;
    }
    return { cause: 'environment', evidence: [eventDraft(e, txn.ts, ctx, 'power')] };
  },
};
