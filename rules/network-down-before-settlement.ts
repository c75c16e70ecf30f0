import type { Rule } from './types.js';
import { S } from './reasons.js';
import { BATCH_CLOSED_EVENTS, BATCH_WINDOW_MS, HOUR, eventDraft, eventName, unsettledInTime } from './lib/util.js';

// A short drop is retried; an outage of this length spans the batch window.
export const LONG_OUTAGE_MS = 2 * HOUR;

export const rule: Rule = {
  meta: {
    id: 'network-down-before-settlement',
    causes: ['network'],
    title: 'Network down when the batch should have closed',
    description: 'An approved transaction not settled in time, on a terminal whose network went down after it (before any successful batch close, within 36 h) and stayed down for 2 h or more.',
    needs: ['reconciliation', 'events'],
    strength: S.settlement - 4,
    messages: {
      downFor: { en: 'event {event}{detail}, {offsetMs}; the network came back {minutes} min later: the terminal was offline when its batch should have closed', zh: '事件 {event}{detail}，{offsetMs}；{minutes} 分钟后网络才恢复：应批结算时终端离线' },
      downNoUp: { en: 'event {event}{detail}, {offsetMs}; no NETWORK_UP followed: the terminal was offline when its batch should have closed', zh: '事件 {event}{detail}，{offsetMs}；此后未见网络恢复：应批结算时终端离线' },
    },
  },
  match(subject, ctx) {
    const txn = unsettledInTime(subject);
    if (!txn) return undefined;
    const evs = ctx.eventsNear(txn.terminalId, txn.ts, 0, BATCH_WINDOW_MS + LONG_OUTAGE_MS);
    for (let i = 0; i < evs.length; i++) {
      const e = evs[i];
      if (e.ts > txn.ts + BATCH_WINDOW_MS) break;
      const name = eventName(e);
      if (BATCH_CLOSED_EVENTS.has(name)) return undefined;
      if (name !== 'NETWORK_DOWN') continue;
      const up = evs.slice(i + 1).find((x) => eventName(x) === 'NETWORK_UP');
      if (up && up.ts - e.ts < LONG_OUTAGE_MS) continue;
      return { cause: 'network', evidence: [up ? eventDraft(e, txn.ts, ctx, 'downFor', { minutes: Math.round((up.ts - e.ts) / 60_000) }) : eventDraft(e, txn.ts, ctx, 'downNoUp')] };
    }
    return undefined;
  },
};
