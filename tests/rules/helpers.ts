import { describe, expect, it } from 'vitest';
import type { Outcome, SettlementRecord, TerminalEvent, TerminalTxn } from '../../src/model.js';
import type { CauseId } from '../../rules/causes.js';
import { builtinTables, DEFAULT_PROFILE, makeLookups } from '../../rules/tables.js';
import type { Rule, RuleContext, Subject, SubjectFacts, Tables, Verdict } from '../../rules/types.js';
import { readSubject } from '../../rules/signals.js';
import { REASON_BY_ID } from '../../rules/reasons.js';
import { renderEvidence } from '../../src/engine.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** 2024-05-04T10:00:00Z: every builder's default time. */
export const T0 = Date.UTC(2024, 4, 4, 10, 0, 0);

const src = { file: 'test.ndjson', line: 1 };

export function makeTxn(over: Partial<TerminalTxn> = {}): TerminalTxn {
  return { kind: 'txn', txnId: 'T1', terminalId: 'TERM1', ts: T0, type: 'sale', amount: 1000, currency: 'CNY', status: 'declined', src, ...over };
}

export function makeSettlement(over: Partial<SettlementRecord> = {}): SettlementRecord {
  return { kind: 'settlement', txnId: 'T1', rrn: 'R1', terminalId: 'TERM1', settlementDay: 19847, amount: 1000, currency: 'CNY', status: 'settled', src, ...over };
}

/** An event `offsetMs` after T0 (negative: before). */
export function makeEvent(event: string, offsetMs = 0, over: Partial<TerminalEvent> = {}): TerminalEvent {
  return { kind: 'event', terminalId: 'TERM1', ts: T0 + offsetMs, event, src, ...over };
}

const OUTCOME_OF: Record<TerminalTxn['status'], Outcome> = {
  approved: 'unsettled',
  declined: 'declined',
  failed: 'failed',
  timeout: 'timeout',
  terminated: 'terminated',
  reversed: 'failed',
  unknown: 'unknown_outcome',
};

/** A failed terminal attempt; the outcome follows the status unless given. */
export function txnSubject(over: Partial<TerminalTxn> = {}, outcome?: Outcome): Subject {
  const txn = makeTxn(over);
  return { outcome: outcome ?? OUTCOME_OF[txn.status], txn, facts: {} };
}

/** An approved transaction with no settlement record after grace. */
export function missingSubject(over: Partial<TerminalTxn> = {}): Subject {
  return { outcome: 'unsettled', txn: makeTxn({ status: 'approved', ...over }), facts: { missingSettlement: true } };
}

/** A settlement-side finding with its settlement record (and the approved txn unless orphan). */
export function settlementSubject(outcome: Outcome, over: Partial<SettlementRecord> = {}, facts: SubjectFacts = {}): Subject {
  const settlement = makeSettlement(over);
  return outcome === 'orphan_settlement'
    ? { outcome, settlement, facts }
    : { outcome, txn: makeTxn({ status: 'approved' }), settlement, facts };
}

export interface ContextOptions {
  tables?: Tables;
  events?: readonly TerminalEvent[];
  profile?: string;
  /** Approved attempts at the terminal (time only matters). */
  approved?: readonly { terminalId: string; ts: number }[];
}

export function makeContext(opts: ContextOptions = {}): RuleContext {
  const lookups = makeLookups(opts.tables ?? builtinTables());
  const events = [...(opts.events ?? [])].sort((a, b) => a.ts - b.ts);
  const profile = opts.profile ?? DEFAULT_PROFILE;
  return {
    ...lookups,
    profileOf: (txn) => txn.codeProfile ?? profile,
    eventsNear: (terminalId, ts, beforeMs, afterMs) => events.filter((e) => e.terminalId === terminalId && e.ts >= ts - beforeMs && e.ts <= ts + afterMs),
    approvedBetween: (terminalId, from, to) => (opts.approved ?? []).some((a) => a.terminalId === terminalId && a.ts >= from && a.ts < to),
    formatTime: (ts) => new Date(ts).toISOString(),
  };
}

export interface RuleCase {
  name: string;
  subject: Subject;
  events?: readonly TerminalEvent[];
  tables?: Tables;
  profile?: string;
  approved?: readonly { terminalId: string; ts: number }[];
}

export interface InvalidCase extends RuleCase {
  cause: CauseId;
  /** Substring expected in one evidence text. */
  evidence: string;
}

/** A rule's verdict as the engine gets it: the subject's signals read into reasons first. */
export function runRule(rule: Rule, c: RuleCase): Verdict | undefined {
  const ctx = makeContext({ tables: c.tables, events: c.events, profile: c.profile, approved: c.approved });
  const subject = { ...c.subject, reasons: readSubject(c.subject, ctx.read, ctx.profileOf) };
  return rule.match(subject, ctx);
}

/** A verdict's evidence as people read it, in English (and Chinese, to check both are written). */
export function evidenceText(rule: Rule, v: Verdict, lang: 'en' | 'zh' = 'en'): string {
  return v.evidence.map((d) => renderEvidence(rule, d, lang).text).join(' | ');
}

/** ESLint's RuleTester shape: `valid` cases must not match; `invalid` ones must, with cause and evidence. */
export function ruleTester(rule: Rule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    if (cases.valid.length > 0) {
      describe('valid (no verdict)', () => {
        for (const c of cases.valid) {
          it(c.name, () => {
            expect(runRule(rule, c)).toBeUndefined();
          });
        }
      });
    }
    describe('invalid (verdict)', () => {
      for (const c of cases.invalid) {
        it(`${c.name} -> ${c.cause}`, () => {
          const v = runRule(rule, c);
          expect(v, 'rule did not match').toBeDefined();
          expect(v!.cause).toBe(c.cause);
          expect(rule.meta.causes).toContain(v!.cause);
          expect(v!.evidence.length).toBeGreaterThan(0);
          expect(evidenceText(rule, v!)).toContain(c.evidence);
          // Every message is written in both languages and every slot is filled.
          for (const lang of ['en', 'zh'] as const) expect(evidenceText(rule, v!, lang)).not.toMatch(/\{\w+\}/);
        });
      }
    });
  });
}

const builtinRead = makeLookups(builtinTables()).read;

/** The cause a message alone reads as from the vocabulary (table texts and phrases; the word model's guesses left out), or `unknown`. */
export function phraseCause(text: string): string | undefined {
  const hits = builtinRead.message(text, 'iso').filter((h) => h.reason !== 'uninformative' && !h.guessed);
  const best = [...hits].sort((a, b) => b.strength - a.strength)[0];
  return best ? REASON_BY_ID.get(best.reason)?.cause : 'unknown';
}
