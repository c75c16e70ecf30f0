import { z } from 'zod';
import { CauseId } from './causes.js';
import type { EvidenceSource, Outcome, SettlementRecord, TerminalEvent, TerminalTxn } from '../src/model.js';
import type { ReasonHit, Readers } from './signals.js';

/** What a rule reads; the README's rule table and the contract test use it. */
export type Need = 'status' | 'responseCode' | 'errorCode' | 'message' | 'events' | 'settlement' | 'entryMode' | 'reconciliation' | 'context' | 'fleet';

/** A sentence in both languages; `{name}` is filled from the evidence's data (`{reason}`, `{cause}` by their labels). */
export interface Message {
  en: string;
  zh: string;
}

export interface RuleMeta {
  /** Stable kebab-case id, equal to the file name under rules/ (rules/context/ for context rules). */
  id: string;
  /** The causes this rule can decide (one for most rules; a table-driven rule lists its table's causes). */
  causes: readonly CauseId[];
  title: string;
  description: string;
  needs: readonly Need[];
  /**
   * How specific this rule's evidence is, on the scale of rules/reasons.ts: when rules disagree about a
   * finding the strongest verdict wins, and the others are listed as set aside. A verdict may state its
   * own strength (a rule that reads reasons takes theirs).
   */
  strength: number;
  /** Every sentence the rule's evidence can say, by key. */
  messages: Readonly<Record<string, Message>>;
}

/** One failed or unsettled transaction (or orphan settlement line) with the facts reconciliation derived once. */
export interface Subject {
  outcome: Outcome;
  /** Absent for an orphan settlement line. */
  txn?: TerminalTxn;
  /** The settlement record this finding is about (the matched one, the orphan, the duplicate). */
  settlement?: SettlementRecord;
  facts: SubjectFacts;
  /** Its signals read into reasons, once, before any rule runs (the engine fills this). */
  reasons?: readonly ReasonHit[];
}

export interface SubjectFacts {
  /** Approved, money-moving, and no settlement record by the end of the grace window. */
  missingSettlement?: boolean;
  /** Settled, but on a business day after the grace window: days past the transaction's local date. */
  lateSettlementDays?: number;
  /** The run's --settlement-grace, for evidence about late settlement. */
  graceDays?: number;
  /** Settled amount minus terminal amount, minor units. */
  amountDelta?: number;
  /** Settled in another currency than the terminal's: the amounts are not compared, so no amountDelta. */
  currencyDiffers?: boolean;
  /** Which side holds the duplicate, for outcome `duplicate`. */
  duplicateSide?: 'terminal' | 'settlement';
  /** The terminal's local business date of the transaction, YYYY-MM-DD. */
  localDate?: string;
}

/** A piece of evidence as a rule states it: a message of its meta with the data to fill in. */
export interface EvidenceDraft {
  source: EvidenceSource;
  code?: string;
  message: string;
  data?: Record<string, string | number>;
  /** ISO 8601 time of an event, when the evidence is one. */
  at?: string;
}

export interface Verdict {
  cause: CauseId;
  /** Overrides meta.strength for this verdict. */
  strength?: number;
  evidence: EvidenceDraft[];
}

export interface RuleContext {
  /** Response code read through a profile (falls back to `iso` for codes the profile lacks). */
  responseCode(code: string, profile: string): CodeEntry | undefined;
  /** The profile to read a transaction's code with: its own `codeProfile`, else the run's `--profile`. */
  profileOf(txn: TerminalTxn): string;
  terminalError(code: string): CodeEntry | undefined;
  event(name: string): CodeEntry | undefined;
  settlementReason(code: string): CodeEntry | undefined;
  /** The first of the user's keyword entries (--rules) whose pattern occurs in the text. */
  keyword(text: string): KeywordHit | undefined;
  /** Every signal read into the reason vocabulary (rules/signals.ts). */
  read: Readers;
  /** The terminal's events with ts in [ts - beforeMs, ts + afterMs], oldest first. */
  eventsNear(terminalId: string, ts: number, beforeMs: number, afterMs: number): readonly TerminalEvent[];
  /** Whether the terminal had an approved attempt in [from, to) (counted in 10-minute buckets lying wholly inside). */
  approvedBetween(terminalId: string, from: number, to: number): boolean;
  /** ISO 8601 with offset in the run's --tz. */
  formatTime(ts: number): string;
}

export interface KeywordHit {
  entry: KeywordEntry;
  /** The text that matched. */
  match: string;
}

export interface Rule {
  meta: RuleMeta;
  match(subject: Subject, ctx: RuleContext): Verdict | undefined;
}

/** `approved` marks codes that mean success (00, 08, 10, 11, Y1...): never a cause on their own. */
export const CodeCause = z.union([CauseId, z.literal('approved')]);
export type CodeCause = z.infer<typeof CodeCause>;

export const CodeEntry = z.object({
  cause: CodeCause,
  /** What the code means in the reason vocabulary (rules/reasons.ts); the cause rules read this. */
  reason: z.string().optional(),
  en: z.string(),
  zh: z.string().optional(),
  /** Where the mapping comes from (reference source keys, "user"). */
  source: z.string().optional(),
});
export type CodeEntry = z.infer<typeof CodeEntry>;

export const CodeTable = z.record(z.string(), CodeEntry);
export type CodeTable = z.infer<typeof CodeTable>;

export const CodeRange = z.object({ from: z.number().int(), to: z.number().int(), entry: CodeEntry });
export type CodeRange = z.infer<typeof CodeRange>;

export const KeywordEntry = z.object({
  /** Plain substring, matched case-insensitively, unless `regex` is true. */
  pattern: z.string().min(1),
  regex: z.boolean().optional(),
  cause: CauseId,
  lang: z.enum(['en', 'zh']).optional(),
  note: z.string().optional(),
});
export type KeywordEntry = z.infer<typeof KeywordEntry>;

/** Everything rules read as data. Built-in tables come from rules/codes/; `--rules FILE` is a partial of this. */
export const Tables = z.object({
  responseCodes: z.record(z.string(), CodeTable),
  errorCodes: CodeTable,
  errorCodeRanges: z.array(CodeRange),
  events: CodeTable,
  settlementReasons: CodeTable,
  keywords: z.array(KeywordEntry),
  /** Phrases that name reasons in free text (rules/codes/phrases.json plus the user's). */
  phrases: z.array(z.object({ reason: z.string(), en: z.array(z.string()), zh: z.array(z.string()), source: z.string().optional() })),
  /** Expected rates per attempt for small fleets (rules/causes.ts EXPECTED_RATES), overridden by the user's. */
  backgroundRates: z.record(z.string(), z.number()).optional(),
});
export type Tables = z.infer<typeof Tables>;

/** A finding as context rules see it: what the record alone said, with its time and reasons. */
export interface ContextFinding {
  index: number;
  terminalId: string;
  ts?: number;
  cause: CauseId;
  ruleId: string;
  outcome: Outcome;
  reasons: readonly { reason: string; source: EvidenceSource; code: string | null; strength: number }[];
  /** Id of the fleet incident whose window and causes it falls in. */
  incident: string | null;
  /** Card identity (keyed hash), to tell one cardholder's retries from many cardholders. */
  cardKey?: string;
}

export interface ContextIncident {
  id: string;
  start: number;
  end: number;
  causes: readonly CauseId[];
  /** Terminals with findings of the incident's causes inside it. */
  terminals: number;
}

/** What context rules read: every finding, the fleet's incidents and attempts, the terminals' events. */
export interface ContextView {
  findings: readonly ContextFinding[];
  incidents: readonly ContextIncident[];
  /** The terminal's attempts with ts in [from, to). */
  attempts(terminalId: string, from: number, to: number): number;
  /** The terminal's attempts over the whole run. */
  terminalAttempts(terminalId: string): number;
  fleetAttempts: number;
  /** Every terminal's attempts with ts in [from, to). */
  fleetAttemptsBetween(from: number, to: number): number;
  eventsNear(terminalId: string, ts: number, beforeMs: number, afterMs: number): readonly TerminalEvent[];
  formatTime(ts: number): string;
}

/** A context rule's change to one finding: the new cause, and evidence naming the context. */
export interface Revision {
  index: number;
  cause: CauseId;
  evidence: EvidenceDraft[];
  /** The fleet incident that now explains the finding (an outage behind a timeout). */
  incident?: string;
}

/**
 * Same contract as a cause rule (meta + a pure function), run once after the per-transaction pass and the
 * fleet statistics: it returns revisions and edits nothing.
 */
export interface ContextRule {
  meta: RuleMeta;
  revise(view: ContextView): Revision[];
}
