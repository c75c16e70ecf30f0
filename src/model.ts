import { z } from 'zod';
import { CauseId } from '../rules/causes.js';
import { cardField, idField, textField } from './policy.js';

// The nouns of architecture.md. Each zod schema shares its name with its type.

export const Provenance = z.object({ file: z.string(), line: z.number().int() });
export type Provenance = z.infer<typeof Provenance>;

export const TxnType = z.enum(['sale', 'refund', 'void', 'preauth', 'completion', 'reversal', 'balance']);
export type TxnType = z.infer<typeof TxnType>;

/** `unknown` is not in formats.md's list; it is what an export says when the terminal never learnt the result. */
export const TxnStatus = z.enum(['approved', 'declined', 'failed', 'timeout', 'terminated', 'reversed', 'unknown']);
export type TxnStatus = z.infer<typeof TxnStatus>;

export const EntryMode = z.enum(['chip', 'contactless', 'swipe', 'manual', 'fallback', 'qr']);
export type EntryMode = z.infer<typeof EntryMode>;

export const SettlementStatus = z.enum(['settled', 'failed', 'rejected', 'held', 'pending']);
export type SettlementStatus = z.infer<typeof SettlementStatus>;

/**
 * One normalized terminal transaction attempt. Time is epoch ms; money is integer minor units. Every string
 * field declares its data policy (policy.ts): `id` fields come out exactly as they came in.
 */
export const TerminalTxn = z.object({
  kind: z.literal('txn'),
  txnId: idField(),
  terminalId: idField(),
  merchantId: idField().optional(),
  ts: z.number(),
  type: TxnType,
  amount: z.number().int().optional(),
  currency: z.string(),
  status: TxnStatus,
  responseCode: textField().optional(),
  codeProfile: textField().optional(),
  errorCode: textField().optional(),
  message: textField().optional(),
  entryMode: EntryMode.optional(),
  rrn: idField().optional(),
  stan: idField().optional(),
  authCode: idField().optional(),
  batchId: idField().optional(),
  cardRef: cardField().optional(),
  /** Keyed hash of the card for grouping (pan.ts CardKeys); never written out. */
  cardKey: z.string().optional(),
  softwareVersion: textField().optional(),
  model: textField().optional(),
  connection: textField().optional(),
  signalDbm: z.number().optional(),
  latencyMs: z.number().optional(),
  extra: z.record(z.string(), z.string()).optional(),
  /** Id fields Excel turned into floats (3.10001E+11): kept for people, never used to join or group. */
  damaged: z.array(z.string()).optional(),
  src: Provenance,
});
export type TerminalTxn = z.infer<typeof TerminalTxn>;

export const TerminalEvent = z.object({
  kind: z.literal('event'),
  terminalId: idField(),
  ts: z.number(),
  event: textField(),
  detail: textField().optional(),
  damaged: z.array(z.string()).optional(),
  src: Provenance,
});
export type TerminalEvent = z.infer<typeof TerminalEvent>;

export const SettlementRecord = z.object({
  kind: z.literal('settlement'),
  txnId: idField().optional(),
  rrn: idField().optional(),
  terminalId: idField(),
  merchantId: idField().optional(),
  /** Business date as days since 1970-01-01. */
  settlementDay: z.number().int(),
  batchId: idField().optional(),
  amount: z.number().int(),
  currency: z.string(),
  status: SettlementStatus,
  reasonCode: textField().optional(),
  message: textField().optional(),
  damaged: z.array(z.string()).optional(),
  src: Provenance,
});
export type SettlementRecord = z.infer<typeof SettlementRecord>;

export const Reject = z.object({
  file: z.string(),
  line: z.number().int(),
  reason: z.string(),
  raw: z.string(),
});
export type Reject = z.infer<typeof Reject>;

export const Outcome = z.enum([
  'declined',
  'failed',
  'timeout',
  'terminated',
  'unknown_outcome',
  'unsettled',
  'settlement_failed',
  'amount_mismatch',
  'orphan_settlement',
  'duplicate',
]);
export type Outcome = z.infer<typeof Outcome>;

export const EvidenceSource = z.enum(['settlement', 'responseCode', 'errorCode', 'event', 'message', 'status', 'reconciliation', 'context']);
export type EvidenceSource = z.infer<typeof EvidenceSource>;

export const Evidence = z.object({
  source: EvidenceSource,
  /** The code, event name or phrase that was read. */
  code: z.string().optional(),
  /** The rule that states it and the id of its message (rule meta.messages), with the data filled in. */
  rule: z.string().optional(),
  message: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** The sentence in the report's language. */
  text: z.string(),
  /** ISO 8601 time of an event, when the evidence is one. */
  at: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Finding = z.object({
  txnId: z.string().nullable(),
  rrn: z.string().nullable(),
  terminalId: z.string(),
  merchantId: z.string().nullable(),
  timestamp: z.string().nullable(),
  type: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  outcome: Outcome,
  cause: CauseId,
  ruleId: z.string(),
  evidence: z.array(Evidence),
  /** Each raw signal as read: the reason it gives and how specific that is (rules/reasons.ts). */
  reasons: z.array(z.object({ reason: z.string(), source: EvidenceSource, code: z.string().nullable(), strength: z.number() })),
  /** Verdicts for other causes the winning one outranked. */
  setAside: z.array(z.object({ cause: CauseId, ruleId: z.string(), strength: z.number() })),
  /** What the record alone says, when context (an incident, a device fault) changed the cause; else null. */
  localCause: CauseId.nullable(),
  localRuleId: z.string().nullable(),
  status: z.string().nullable(),
  responseCode: z.string().nullable(),
  codeProfile: z.string().nullable(),
  errorCode: z.string().nullable(),
  message: z.string().nullable(),
  entryMode: z.string().nullable(),
  cardRef: z.string().nullable(),
  settlement: z
    .object({ status: z.string(), settlementDate: z.string(), amount: z.string(), reasonCode: z.string().nullable(), message: z.string().nullable() })
    .nullable(),
  /** Terminal context at the time of the attempt, for groupings by software, model and link. */
  softwareVersion: z.string().nullable(),
  model: z.string().nullable(),
  connection: z.string().nullable(),
  /** Id of the fleet incident that explains this finding; such findings never make a terminal's root cause. */
  incident: z.string().nullable(),
  src: Provenance,
});
export type Finding = z.infer<typeof Finding>;

export const Counts = z.record(z.string(), z.number().int());
export type Counts = z.infer<typeof Counts>;

export const InputAccount = z.object({
  path: z.string(),
  kind: z.enum(['terminal', 'events', 'settlement', 'mixed']),
  format: z.enum(['ndjson', 'json', 'csv', 'tsv', 'xml']),
  encoding: z.string(),
  /** Why that encoding: a BOM, --encoding, or what the bytes showed. */
  encodingReason: z.string(),
  compressed: z.boolean(),
  profile: z.string().nullable(),
  /** Rows: read = accepted + rejected + skipped. */
  read: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** Recognised non-records (preamble lines, summary footers, comments), each with its line. */
  skipped: z.number().int(),
  skippedBy: Counts,
  skips: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  records: z.object({ transactions: z.number().int(), events: z.number().int(), settlement: z.number().int() }),
  /** The most frequent kind of reject reason, for the one-line message when nothing could be used. */
  topRejectReason: z.string().nullable(),
  /** Things about the input as a whole, told once (Excel-damaged ids, an unclosed array, bad bytes). */
  warnings: z.array(z.string()),
  /** What the data policies did: card numbers masked in text, ids that were card numbers, fields never kept. */
  privacy: z.object({ cardNumbersMasked: z.number().int(), idsTokenized: Counts, fieldsDropped: Counts }),
});
export type InputAccount = z.infer<typeof InputAccount>;

/** An amount in one currency, in major units ("12.30"). Totals are lists of these: never summed across currencies. */
export const Money = z.object({ currency: z.string(), amount: z.string() });
export type Money = z.infer<typeof Money>;

export const RateInterval = z.object({ rate: z.number(), low: z.number(), high: z.number() });
export type RateInterval = z.infer<typeof RateInterval>;


export const Baseline = z.enum(['fleet', 'expected', 'previous']);
export type Baseline = z.infer<typeof Baseline>;

export const RootCause = z.object({
  cause: CauseId,
  /** Findings of this cause at the terminal inside the tested window, not explained by a fleet incident. */
  findings: z.number().int(),
  /** The terminal's attempts inside the tested window. */
  attempts: z.number().int(),
  rate: z.number(),
  rateInterval: z.object({ low: z.number(), high: z.number() }),
  /**
   * The rate the terminal is measured against: the rest of the fleet's, leaving out terminals already
   * significant for this cause (`baseline` fleet); a documented background rate when the fleet is too small
   * to be one (`expected`); or the rate of a previous run given with --baseline (`previous`).
   */
  fleetRate: z.number(),
  baseline: Baseline,
  /**
   * The rate the binomial test used: the baseline raised to the upper end of its Wilson interval and, for
   * cardholder-side causes, to the fleet's 90th percentile of terminal rates. p = P(X >= findings | attempts,
   * testedRate) x windowsTested.
   */
  testedRate: z.number(),
  ratio: z.number().nullable(),
  /** Findings above what the baseline predicts for this many attempts: the ranking key. */
  excess: z.number(),
  test: z.literal('binomial-greater'),
  /** Where the findings concentrate: the whole period, one local day, or a stretch of hours. */
  scope: z.enum(['period', 'day', 'window']),
  /** Windows tried for this terminal and cause; the p-value is corrected for them (Bonferroni). */
  windowsTested: z.number().int(),
  pValue: z.number(),
  /** Benjamini-Hochberg adjusted over every terminal and cause tested in this run. */
  qValue: z.number(),
  /** The tested window, with the share of the terminal's findings of this cause inside it. */
  window: z.object({ start: z.string(), end: z.string(), share: z.number(), findings: z.number().int() }).nullable(),
  /** The terminal's findings of this cause over the whole period. */
  totalFindings: z.number().int(),
  /**
   * Present when the root cause rests on the terminal's fault events (power losses, link drops) rather than on
   * findings: then `findings` and `totalFindings` count those events, one per occasion.
   */
  basis: z.literal('events').optional(),
  /** The codes and events behind these findings, most frequent first. */
  signals: z.array(z.object({ source: z.string(), code: z.string(), count: z.number().int() })),
  /** The numbers above as sentences, in the report's language. */
  evidence: z.array(z.string()),
  whoActs: z.array(z.string()),
  retryable: z.string().nullable(),
  remediation: z.object({ en: z.string(), zh: z.string() }),
});
export type RootCause = z.infer<typeof RootCause>;

export const TerminalReport = z.object({
  terminalId: z.string(),
  merchantId: z.string().nullable(),
  attempts: z.number().int(),
  approved: z.number().int(),
  failures: z.number().int(),
  /** Failures explained by fleet incidents (they are not this terminal's doing). */
  incidentFailures: z.number().int(),
  failureRate: RateInterval,
  unsettled: z.number().int(),
  unsettledAmount: z.array(Money),
  failedAmount: z.array(Money),
  findings: z.number().int(),
  byCause: Counts,
  byOutcome: Counts,
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  model: z.string().nullable(),
  connection: z.string().nullable(),
  events: Counts,
  /**
   * Attempts and failures per local hour of day (index 0–23, in --tz), failures as counted in `failures`.
   * Added within schemaVersion 2: new fields never change what existing ones mean, so readers of version 2
   * keep working; a field that changes meaning or disappears bumps the version.
   */
  hours: z.object({ attempts: z.array(z.number().int()).length(24), failures: z.array(z.number().int()).length(24) }),
  /**
   * `attention`: has root causes; `ok`: nothing stands out; `insufficient_data`: too few attempts to tell;
   * `id_damaged`: its id was changed by Excel (3.10001E+11), so several terminals may hide behind it and
   * nothing is concluded about it.
   */
  assessment: z.enum(['attention', 'ok', 'insufficient_data', 'id_damaged']),
  rootCauses: z.array(RootCause),
});
export type TerminalReport = z.infer<typeof TerminalReport>;

export const Incident = z.object({
  id: z.string(),
  start: z.string(),
  end: z.string(),
  causes: z.array(CauseId),
  terminals: z.array(z.string()),
  merchants: z.array(z.string()),
  failures: z.number().int(),
  byCause: Counts,
  /** Fleet rate of these causes inside the window and in ordinary time, per attempt. */
  rate: z.number(),
  baselineRate: z.number(),
  evidence: z.array(z.string()),
});
export type Incident = z.infer<typeof Incident>;

export const Summary = z.object({
  terminals: z.number().int(),
  attempts: z.number().int(),
  approved: z.number().int(),
  failures: z.number().int(),
  failureRate: RateInterval,
  unsettled: z.number().int(),
  unsettledAmount: z.array(Money),
  failedAmount: z.array(Money),
  findings: z.number().int(),
  byCause: Counts,
  byOutcome: Counts,
  classified: z.number().int(),
  unknown: z.number().int(),
  /** Attempts per currency. */
  currencies: Counts,
  period: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  settlement: z.object({
    provided: z.boolean(),
    records: z.number().int(),
    matched: z.number().int(),
    notYetDue: z.number().int(),
    /** Settlement lines for days the terminal log does not cover: neither matched nor orphans. */
    outOfPeriod: z.number().int(),
    asOf: z.string().nullable(),
  }),
  events: Counts,
  unknownEvents: Counts,
});
export type Summary = z.infer<typeof Summary>;

/** Failures per time bucket, for the HTML chart and later for incident detection. */
export const TimeBucket = z.object({ start: z.string(), attempts: z.number().int(), failures: z.number().int(), byCause: Counts });
export type TimeBucket = z.infer<typeof TimeBucket>;

export const GroupStat = z.object({
  value: z.string(),
  attempts: z.number().int(),
  failures: z.number().int(),
  failureRate: RateInterval,
  byCause: Counts,
  /** Causes whose rate in this group stands significantly above the rest of the fleet. */
  flags: z.array(z.object({ cause: CauseId, findings: z.number().int(), rate: z.number(), restRate: z.number(), ratio: z.number().nullable(), qValue: z.number() })),
});
export type GroupStat = z.infer<typeof GroupStat>;

export const Grouping = z.object({
  dimension: z.enum(['softwareVersion', 'model', 'connection', 'merchantId', 'entryMode', 'hour']),
  groups: z.array(GroupStat),
});
export type Grouping = z.infer<typeof Grouping>;

/** A card failing on several terminals points at the card, not the terminals. */
export const CardPattern = z.object({ cardRef: z.string(), terminals: z.array(z.string()), failures: z.number().int(), byCause: Counts });
export type CardPattern = z.infer<typeof CardPattern>;

export const Changes = z.object({
  baseline: z.object({ path: z.string(), generatedAt: z.string(), period: z.object({ start: z.string().nullable(), end: z.string().nullable() }) }),
  /** Terminals whose failure rate rose significantly since the baseline run. */
  rose: z.array(z.object({ terminalId: z.string(), before: z.number(), after: z.number(), attemptsBefore: z.number().int(), attemptsAfter: z.number().int(), pValue: z.number(), qValue: z.number() })),
  newRootCauses: z.array(z.object({ terminalId: z.string(), cause: CauseId })),
  resolvedRootCauses: z.array(z.object({ terminalId: z.string(), cause: CauseId })),
  newTerminals: z.array(z.string()),
  missingTerminals: z.array(z.string()),
});
export type Changes = z.infer<typeof Changes>;

export const RuleStat = z.object({ id: z.string(), causes: z.array(CauseId), title: z.string(), findings: z.number().int() });
export type RuleStat = z.infer<typeof RuleStat>;

export const Report = z.object({
  schemaVersion: z.literal(2),
  generatedAt: z.string(),
  tool: z.object({ name: z.literal('txlog'), version: z.string() }),
  options: z.object({
    tz: z.string(),
    currency: z.string(),
    settlementGraceDays: z.number(),
    amountTolerance: z.string(),
    profile: z.string(),
    lang: z.enum(['en', 'zh']),
    rulesFile: z.string().nullable(),
    bucketMinutes: z.number().int(),
  }),
  inputs: z.array(InputAccount),
  totals: z.object({ read: z.number().int(), accepted: z.number().int(), rejected: z.number().int(), skipped: z.number().int() }),
  /** Things about the inputs people should know: files given twice, Excel-damaged ids, bad bytes. */
  warnings: z.array(z.string()),
  summary: Summary,
  terminals: z.array(TerminalReport),
  incidents: z.array(Incident),
  /** How root causes and incidents were decided, so every figure can be recomputed. */
  attribution: z.object({
    test: z.literal('binomial-greater'),
    correction: z.literal('bonferroni-over-windows, benjamini-hochberg'),
    alpha: z.number(),
    minAttempts: z.number().int(),
    minFindings: z.number().int(),
    minRatio: z.number(),
    backgroundMinRatio: z.number(),
    issuerSideMinFindings: z.number().int(),
    terminalSideMinFindings: z.number().int(),
    terminalSideRareRate: z.number(),
    /** Window lengths tried besides the whole period and each local day. */
    windowHours: z.array(z.number()),
    /** How the baseline was chosen this run, and the rates used when they were not the fleet's. */
    baseline: Baseline,
    baselineRates: Counts.or(z.record(z.string(), z.number())),
    tests: z.number().int(),
    /** Of those, terminal and cause pairs tested on fault events rather than findings. */
    eventTests: z.number().int(),
    incidentBucketMinutes: z.number().int(),
  }),
  groupings: z.array(Grouping),
  cards: z.array(CardPattern),
  changes: Changes.nullable(),
  timeline: z.array(TimeBucket),
  rules: z.array(RuleStat),
});
export type Report = z.infer<typeof Report>;
