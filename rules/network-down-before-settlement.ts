import type { Rule } from './types.js';
import { BATCH_CLOSED_EVENTS, BATCH_WINDOW_MS, HOUR, eventEvidence, eventName } from './lib/util.js';

// Only an outage long enough to span a scheduled close explains a missed batch; short blips do not.
export const LONG_OUTAGE_MS = 2 * HOUR;

export const rule: Rule = {
  meta: {
    id: 'network-down-before-settlement',
    causes: ['network'],
    title: 'Terminal offline before the batch was closed',
    description: 'An approved transaction missing from settlement, on a terminal whose network went down after it (before any successful batch close, within 36 h) and stayed down for 2 h or more.',
    needs: ['reconciliation', 'events'],
  },
  match(subject, ctx) {
    const txn = subject.txn;
    if (!txn || !subject.facts.missingSettlement) return undefined;
    const evs = ctx.eventsNear(txn.terminalId, txn.ts, 0, BATCH_WINDOW_MS + LONG_OUTAGE_MS);
    for (let i = 0; i < evs.length; i++) {
      const e = evs[i];
      if (e.ts > txn.ts + BATCH_WINDOW_MS) break;
      const name = eventName(e);
      if (BATCH_CLOSED_EVENTS.has(name)) return undefined;
      if (name !== 'NETWORK_DOWN') continue;
      const up = evs.slice(i + 1).find((x) => eventName(x) === 'NETWORK_UP');
      if (up && up.ts - e.ts < LONG_OUTAGE_MS) continue;
      const span = up ? `network restored ${Math.round((up.ts - e.ts) / 60_000)} min later` : 'no NETWORK_UP followed';
      return { cause: 'network', evidence: [eventEvidence(e, txn.ts, ctx, 'the transaction', `${span}; the terminal was offline when its batch should have closed`)] };
    }
    return undefined;
  },
};
