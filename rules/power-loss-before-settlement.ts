import type { Rule } from './types.js';
import { S } from './reasons.js';
import { eventDraft, faultBeforeBatchClose } from './lib/util.js';

// Auto batch close needs the terminal powered on (terminal-signals.md §5.3).
export const rule: Rule = {
  meta: {
    id: 'power-loss-before-settlement',
    causes: ['environment'],
    title: 'Power lost before the batch was closed',
    description: 'An approved transaction not settled in time, on a terminal that lost power after it and before any successful batch close (within 36 h).',
    needs: ['reconciliation', 'events'],
    strength: S.settlement - 4,
    messages: {
      power: { en: 'event {event}{detail}, {offsetMs}: the terminal lost power before its batch was closed', zh: '事件 {event}{detail}，{offsetMs}：批结算前终端断电' },
    },
  },
  match(subject, ctx) {
    const hit = faultBeforeBatchClose(subject, ctx, 'environment');
    if (!hit) return undefined;
    return { cause: 'environment', evidence: [eventDraft(hit.event, hit.txn.ts, ctx, 'power')] };
  },
};
