import type { Rule } from './types.js';
import { S } from './reasons.js';
import { HOUR, MINUTE, INFORMATIONAL_EVENTS, eventDraft, eventName, hostAnswered, unansweredTxn } from './lib/util.js';

// Keys stay out of sync until the next successful sign-on; terminals sign on at least daily, and 8 h
// covers a shift.
export const LOOKBACK_MS = 8 * HOUR;
export const AFTER_MS = 1 * MINUTE;
const SIGNED_ON = new Set(['SIGN_ON', 'SIGN_ON_OK', 'SIGNED_ON', 'KEY_SYNC', 'KEY_SYNC_OK']);

export const rule: Rule = {
  meta: {
    id: 'sign-on-failed',
    causes: ['configuration'],
    title: 'Sign-on or key sync failed',
    description: 'A failed, timed-out, terminated or unanswered attempt after a SIGN_ON_FAILED or KEY_SYNC_FAILED within the last 8 h with no successful sign-on since.',
    needs: ['events', 'status'],
    strength: S.comms - 5,
    messages: {
      failed: { en: 'event {event}{detail}, {offsetMs}, no successful sign-on since: the keys are out of sync', zh: '事件 {event}{detail}，{offsetMs}，之后未成功签到：密钥不同步' },
    },
  },
  match(subject, ctx) {
    const txn = unansweredTxn(subject);
    if (!txn || hostAnswered(subject, S.specific)) return undefined;
    let failed;
    for (const e of ctx.eventsNear(txn.terminalId, txn.ts, LOOKBACK_MS, AFTER_MS)) {
      const name = eventName(e);
      if (SIGNED_ON.has(name) && e.ts <= txn.ts) failed = undefined;
      else if (!INFORMATIONAL_EVENTS.has(name) && ctx.event(name)?.cause === 'configuration') failed ??= e;
    }
    return failed ? { cause: 'configuration', evidence: [eventDraft(failed, txn.ts, ctx, 'failed')] } : undefined;
  },
};
