import type { Rule, Subject } from './types.js';
import { REASON_BY_ID, S } from './reasons.js';
import { INFORMATIONAL_EVENTS, MINUTE, eventDraft, eventName, hostAnswered, nearestFaultEvent, unansweredTxn } from './lib/util.js';

// Power loss interrupts the attempt in progress, and the attempts after it fail until the shop's router and
// the terminal are back: the link returns with the power (until NETWORK_UP, at most 20 min). Terminals may
// also log the loss late, on restart.
export const BEFORE_MS = 20 * MINUTE;
export const AFTER_MS = 10 * MINUTE;
/** The link reported up is not yet usable: the router and the terminal's session come back a moment later. */
export const SETTLE_MS = MINUTE;
const DOWN_EVENTS: ReadonlySet<string> = new Set(['POWER_LOSS', 'NETWORK_DOWN', 'REBOOT']);
/** A NETWORK_DOWN this soon after a power loss is the power's doing (the router went dark with it). */
const TOOK_LINK_MS = 2 * MINUTE;
const LINK_LOOKBACK_MS = 6 * 60 * MINUTE;

/** The attempt itself says the link failed (no carrier, host unreachable, a communication error or timeout). */
function linkFailure(subject: Subject): boolean {
  return (subject.reasons ?? []).some((h) => REASON_BY_ID.get(h.reason)?.device === 'link');
}

export const rule: Rule = {
  meta: {
    id: 'power-loss-event',
    causes: ['environment'],
    title: 'Power lost during the attempt',
    description:
      'A failed, timed-out, terminated or unanswered attempt from 10 min before a POWER_LOSS (or another environment event) until the link is back after it (a minute after NETWORK_UP; at most 20 min, or up to 6 h when a NETWORK_DOWN followed the loss within 2 min, or the attempt failed on its link with nothing approved at the terminal since the loss): the link and the device fail with the power.',
    needs: ['events', 'status'],
    // Above a network window: when the power goes, the router goes with it.
    strength: S.comms + 8,
    messages: {
      power: { en: 'event {event}{detail}, {offsetMs}', zh: '事件 {event}{detail}，{offsetMs}' },
      withLink: { en: 'event {event}{detail}, {offsetMs}; the link went down with the power and was not back yet', zh: '事件 {event}{detail}，{offsetMs}；网络随断电中断，尚未恢复' },
    },
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn || hostAnswered(subject, S.decline)) return undefined;
    const environment = (entry: { cause: string }) => entry.cause === 'environment';
    let e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, BEFORE_MS, AFTER_MS, environment);
    let withLink = false;
    if (!e) {
      // A loss that took the link with it (NETWORK_DOWN right after) explains failures until the link is back,
      // however long the shop's router stays dark.
      const earlier = ctx.eventsNear(txn.terminalId, txn.ts, LINK_LOOKBACK_MS, 0);
      for (let i = earlier.length - 1; i >= 0 && !e; i--) {
        const x = earlier[i];
        const name = eventName(x);
        if (x.ts >= txn.ts || INFORMATIONAL_EVENTS.has(name) || ctx.event(name)?.cause !== 'environment') continue;
        // The link went with the power: NETWORK_DOWN right after it, or this attempt's own link failure
        // with nothing approved at the terminal since the loss (on battery, the shop's router is dark).
        const tookLink = ctx.eventsNear(txn.terminalId, x.ts, 0, TOOK_LINK_MS).some((d) => eventName(d) === 'NETWORK_DOWN' && d.ts >= x.ts);
        if (tookLink || (linkFailure(subject) && !ctx.approvedBetween(txn.terminalId, x.ts, txn.ts))) {
          e = x;
          withLink = true;
        }
      }
    }
    if (!e) return undefined;
    // Once the link was back after the loss, the loss no longer explains a failure: back means a NETWORK_UP
    // after the last thing that took it down (the loss, a NETWORK_DOWN, the restart that followed).
    if (e.ts < txn.ts) {
      const since = ctx.eventsNear(txn.terminalId, e.ts, 0, txn.ts - e.ts);
      let down = e.ts;
      for (const x of since) if (x.ts < txn.ts && DOWN_EVENTS.has(eventName(x))) down = Math.max(down, x.ts);
      if (since.some((x) => eventName(x) === 'NETWORK_UP' && x.ts > down && x.ts < txn.ts - SETTLE_MS)) return undefined;
    }
    return { cause: 'environment', evidence: [eventDraft(e, txn.ts, ctx, withLink ? 'withLink' : 'power')] };
  },
};
