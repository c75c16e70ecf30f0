import type { CauseId } from '../causes.js';
import type { Outcome, TerminalEvent, TerminalTxn } from '../../src/model.js';
import type { ReasonHit } from '../signals.js';
import { REASON_BY_ID } from '../reasons.js';
import type { CodeEntry, EvidenceDraft, RuleContext, Subject } from '../types.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Outcomes of a terminal attempt that did not succeed (the authorization side). */
const TXN_OUTCOMES: ReadonlySet<Outcome> = new Set(['declined', 'failed', 'timeout', 'terminated', 'unknown_outcome']);
/** Outcomes found by reconciling approved transactions with the acquirer's settlement. */
const SETTLEMENT_OUTCOMES: ReadonlySet<Outcome> = new Set(['unsettled', 'settlement_failed', 'amount_mismatch', 'orphan_settlement', 'duplicate']);
/** Outcomes where the host may never have answered, so device events can explain them. */
const NO_ANSWER_OUTCOMES: ReadonlySet<Outcome> = new Set(['failed', 'timeout', 'terminated', 'unknown_outcome']);

/** The transaction of an authorization-side finding. */
export function failedTxn(s: Subject): TerminalTxn | undefined {
  return s.txn && TXN_OUTCOMES.has(s.outcome) ? s.txn : undefined;
}

/** The transaction of a failed/timeout/terminated/unknown finding, where device events may be the cause. */
export function unansweredTxn(s: Subject): TerminalTxn | undefined {
  if (!s.txn) return undefined;
  if (NO_ANSWER_OUTCOMES.has(s.outcome)) return s.txn;
  // A Z3/Y3 decline is the terminal's own: it could not go online, so no host answered.
  return s.outcome === 'declined' && declinedOffline(s) ? s.txn : undefined;
}

function declinedOffline(s: Subject): boolean {
  return (s.reasons ?? []).some((h) => h.reason === 'offline_unable_online');
}

export function isSettlementOutcome(s: Subject): boolean {
  return SETTLEMENT_OUTCOMES.has(s.outcome);
}

/** Whether the host answered the attempt with a code or text that gives a specific reason (not a timeout). */
export function hostAnswered(s: Subject, minStrength: number): boolean {
  if (declinedOffline(s)) return false;
  // A timeout or a lost connection in the message is the terminal talking about the link, not the host.
  return (s.reasons ?? []).some((h) => {
    if (h.source !== 'responseCode' && h.source !== 'message') return false;
    const cause = REASON_BY_ID.get(h.reason)?.cause;
    // A plain "declined" is weak evidence of why, but it is the host's answer.
    return cause !== 'network' && (h.strength >= minStrength || cause === 'issuer_decline');
  });
}

/**
 * Events that report a return to normal or routine work. They close windows (NETWORK_UP ends a
 * NETWORK_DOWN) but never explain a failure on their own, whatever cause the events table relates them to.
 */
export const INFORMATIONAL_EVENTS: ReadonlySet<string> = new Set([
  'NETWORK_UP', 'REBOOT', 'SOFTWARE_UPDATE', 'SIGN_ON', 'SIGN_ON_OK', 'SIGNED_ON', 'KEY_SYNC', 'KEY_SYNC_OK', 'BATCH_CLOSE', 'BATCH_CLOSED', 'POWER_ON', 'POWER_RESTORED',
]);

// A day's batch is closed once, usually within a day of the sale; 36 h covers a late-evening sale whose
// batch closes the next night.
export const BATCH_WINDOW_MS = 36 * HOUR;
/** A successful close after a sale should have carried it to settlement. */
export const BATCH_CLOSED_EVENTS: ReadonlySet<string> = new Set(['BATCH_CLOSE', 'BATCH_CLOSED']);

/** Approved, money-moving, and not settled in time: missing from settlement, or settled past the window. */
export function unsettledInTime(subject: Subject): TerminalTxn | undefined {
  const txn = subject.txn;
  return txn && (subject.facts.missingSettlement || subject.facts.lateSettlementDays !== undefined) ? txn : undefined;
}

/**
 * For an approved transaction not settled in time: the first fault event of `cause` after it and before
 * the next successful batch close (a close after the sale should have carried it).
 */
export function faultBeforeBatchClose(subject: Subject, ctx: RuleContext, cause: CauseId): { txn: TerminalTxn; event: TerminalEvent } | undefined {
  const txn = unsettledInTime(subject);
  if (!txn) return undefined;
  for (const e of ctx.eventsNear(txn.terminalId, txn.ts, 0, BATCH_WINDOW_MS)) {
    const name = eventName(e);
    if (BATCH_CLOSED_EVENTS.has(name)) return undefined;
    if (INFORMATIONAL_EVENTS.has(name) || ctx.event(name)?.cause !== cause) continue;
    return { txn, event: e };
  }
  return undefined;
}

export function eventName(e: TerminalEvent): string {
  return e.event.trim().toUpperCase();
}

export function describeEntry(entry: CodeEntry): string {
  return entry.zh ? `${entry.en} (${entry.zh})` : entry.en;
}

/** An event as evidence: its name, detail and time relative to the transaction, in a rule's message. */
export function eventDraft(e: TerminalEvent, txnTs: number, ctx: RuleContext, message: string, data: Record<string, string | number> = {}): EvidenceDraft {
  return {
    source: 'event',
    code: eventName(e),
    message,
    data: { event: eventName(e), detail: e.detail ? ` (${e.detail.slice(0, 80)})` : '', offsetMs: e.ts - txnTs, ...data },
    at: ctx.formatTime(e.ts),
  };
}

/** Of the events near ts that the events table relates to `cause` (not informational), the closest in time. */
export function nearestFaultEvent(
  ctx: RuleContext,
  terminalId: string,
  ts: number,
  beforeMs: number,
  afterMs: number,
  accept: (entry: CodeEntry, name: string) => boolean,
): TerminalEvent | undefined {
  let best: TerminalEvent | undefined;
  for (const e of ctx.eventsNear(terminalId, ts, beforeMs, afterMs)) {
    const name = eventName(e);
    if (INFORMATIONAL_EVENTS.has(name)) continue;
    const entry = ctx.event(name);
    if (!entry || !accept(entry, name)) continue;
    if (!best || Math.abs(e.ts - ts) < Math.abs(best.ts - ts)) best = e;
  }
  return best;
}

/**
 * The reasons of an attempt as evidence, strongest first: the first says what decided, the rest (one per
 * reason) are listed as "also read". Messages `responseCode`, `errorCode`, `message`, `status`, `also`.
 */
export function reasonDrafts(hits: readonly ReasonHit[], txn: TerminalTxn, ctx: RuleContext): EvidenceDraft[] {
  const out: EvidenceDraft[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    if (seen.has(h.reason)) continue;
    seen.add(h.reason);
    if (out.length === 0) {
      const data: Record<string, string | number> = { reason: h.reason, code: h.code ?? '' };
      if (h.source === 'responseCode') data.profile = h.profile ?? ctx.profileOf(txn);
      if (h.source === 'message') data.text = (txn.message ?? '').slice(0, 160);
      if (h.guessed) data.words = h.code ?? '';
      const key = h.guessed && h.source === 'message' ? 'guess' : h.source === 'responseCode' || h.source === 'errorCode' || h.source === 'message' || h.source === 'status' ? h.source : 'message';
      out.push({ source: h.source, code: h.code, message: key, data });
    } else if (out.length < 4) {
      out.push({ source: h.source, code: h.code, message: 'also', data: { reason: h.reason, code: h.code ?? h.source } });
    }
  }
  return out;
}

// Minor-unit exponents that differ from 2 (ISO 4217); enough for evidence text.
const EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, UGX: 0, XAF: 0, XOF: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3, IQD: 3, LYD: 3 };

export function formatMoney(minor: number, currency: string): string {
  const exp = EXPONENT[currency.toUpperCase()] ?? 2;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (exp === 0) return `${sign}${abs} ${currency}`;
  const unit = 10 ** exp;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exp, '0')} ${currency}`;
}

/** A cardholder retrying: the same card within this long, or any card this soon after, is one episode. */
export const SAME_CARD_MS = 15 * MINUTE;
export const SAME_MOMENT_MS = 90_000;

/**
 * Findings (time-sorted) counted as cardholder episodes: one person entering a wrong PIN four times is one
 * episode, not four. Returns, per finding, whether it starts a new episode.
 */
export function episodeStarts(list: readonly { ts?: number; cardKey?: string }[]): boolean[] {
  const lastByCard = new Map<string, number>();
  let last = -Infinity;
  return list.map((f) => {
    const ts = f.ts ?? Number.NaN;
    let starts = !(ts - last < SAME_MOMENT_MS);
    if (f.cardKey !== undefined) {
      const prev = lastByCard.get(f.cardKey);
      starts = prev === undefined || !(ts - prev < SAME_CARD_MS);
      lastByCard.set(f.cardKey, ts);
    }
    last = ts;
    return starts;
  });
}
