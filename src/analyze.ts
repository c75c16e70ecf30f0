import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../rules/index.js';
import { builtinTables, knownProfiles, loadRulesFile, makeLookups, mergeTables } from '../rules/tables.js';
import type { RuleContext, Subject } from '../rules/types.js';
import { Aggregator, FAILED_STATUS, sortedCounts } from './aggregate.js';
import { attributeRootCauses } from './attribution.js';
import { compareWithBaseline, loadBaseline, previousRates } from './changes.js';
import { buildGroupings, cardPatterns } from './groupings.js';
import { describeIncidents, detectIncidents, INCIDENT_BUCKET_MINUTES } from './incidents.js';
import { Engine } from './engine.js';
import { applyContext } from './context.js';
import { fsError, isFsError, TxlogError } from './errors.js';
import { EventIndex } from './events.js';
import { ingest, planInput, type InputKind, type PlannedInput } from './ingest.js';
import type { Finding, InputAccount, Observed, Reject, Report } from './model.js';
import { formatAmount, parseAmount } from './money.js';
import { CardKeys } from './pan.js';
import { Reconciler, SettlementIndex } from './reconcile.js';
import { dedupeInputs, expandInputs } from '../parsers/source.js';
import { OutputSet } from './output/set.js';
import { dayToDate, Zone } from './time.js';
import { VERSION } from './version.js';
import { OUTPUTS, writeOutputs } from './output/index.js';

export interface AnalyzeOptions {
  /** Inputs whose kind is detected from their fields; directories expand to their data files. */
  inputs: readonly string[];
  terminal?: readonly string[];
  events?: readonly string[];
  settlement?: readonly string[];
  /** Output directory; null computes the report without writing files. */
  out: string | null;
  tz?: string;
  currency?: string;
  settlementGraceDays?: number;
  amountTolerance?: string;
  profile?: string;
  rulesFile?: string;
  mapping?: string;
  encoding?: string;
  delimiter?: string;
  /** Sheet of .xlsx inputs (1-based number or name). */
  sheet?: string;
  lang?: 'en' | 'zh';
  generatedAt?: string;
  bucketMinutes?: number;
  /** Exit 1 when the fleet's failure rate is above this. */
  failOnRate?: number;
  /** Exit 1 when more rows than this were rejected (over all inputs). */
  maxRejects?: number;
  /** Exit 1 when the share of rejected rows (over all inputs) is above this. */
  maxRejectRate?: number;
  /** A previous run's report.json: adds what changed since then. */
  baseline?: string;
}

export interface AnalyzeResult {
  exitCode: 0 | 1;
  report: Report;
  findings: Finding[];
  written: string[];
  /** Why the exit code is 1, for the CLI to print. */
  thresholdMessages: string[];
}

const KIND_ORDER: Record<InputKind, number> = { settlement: 0, events: 1, terminal: 2 };

/** TXLOG_TIMING=1 prints how long each phase took (stderr), for tuning on real data. */
function phaseTimer(): (label: string) => void {
  if (!process.env.TXLOG_TIMING) return () => {};
  let last = performance.now();
  return (label) => {
    const now = performance.now();
    process.stderr.write(`txlog: ${label} ${((now - last) / 1000).toFixed(2)} s (heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB)\n`);
    last = now;
  };
}

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const phase = phaseTimer();
  const zone = new Zone(options.tz ?? 'UTC');
  const currency = (options.currency ?? 'CNY').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new TxlogError('CURRENCY_INVALID', `--currency "${options.currency}" is not an ISO 4217 code (e.g. CNY, USD)`);
  const graceDays = options.settlementGraceDays ?? 1;
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new TxlogError('GRACE_INVALID', `--settlement-grace must be a whole number of days >= 0, got ${graceDays}`);
  const toleranceText = options.amountTolerance ?? '0';
  const tolerance = parseAmount(toleranceText, currency);
  if (typeof tolerance === 'string' || tolerance < 0) {
    throw new TxlogError('TOLERANCE_INVALID', `--amount-tolerance must be a non-negative amount in major units like 0.01, got "${toleranceText}"`);
  }
  const toleranceMinor: number = tolerance;
  const bucketMinutes = options.bucketMinutes ?? 60;
  if (!Number.isInteger(bucketMinutes) || bucketMinutes < 1 || bucketMinutes > 1440) {
    throw new TxlogError('BUCKET_INVALID', `--bucket-minutes must be a whole number from 1 to 1440, got ${bucketMinutes}`);
  }
  const tables = options.rulesFile ? mergeTables(builtinTables(), loadRulesFile(options.rulesFile)) : builtinTables();
  const profile = (options.profile ?? 'iso').toLowerCase();
  const profiles = knownProfiles(tables);
  if (!profiles.includes(profile)) {
    throw new TxlogError('PROFILE_UNKNOWN', `unknown code profile "${profile}" (--profile): known profiles are ${profiles.join(', ')}; add one with --rules FILE`);
  }
  const generatedAt = options.generatedAt ?? new Date().toISOString();

  // Settlement first (it is the index), then events, then terminal logs streaming past both.
  const expand = (names: readonly string[]) => expandInputs(names, { exclude: options.out !== null ? [options.out] : [] });
  const requested: { name: string; kind?: InputKind }[] = [
    ...(await expand(options.inputs)).map((name) => ({ name })),
    ...(await expand(options.terminal ?? [])).map((name) => ({ name, kind: 'terminal' as const })),
    ...(await expand(options.events ?? [])).map((name) => ({ name, kind: 'events' as const })),
    ...(await expand(options.settlement ?? [])).map((name) => ({ name, kind: 'settlement' as const })),
  ];
  if (requested.length === 0) throw new TxlogError('NO_INPUT', 'no input given: name terminal, event and settlement files (or - for stdin)');
  if (requested.filter((r) => r.name === '-').length > 1) throw new TxlogError('STDIN_TWICE', 'standard input (-) can be given only once');
  const { unique, duplicates } = await dedupeInputs(requested.map((r) => r.name));
  const warnings = duplicates.map((d) => `${d.name} is the same file as ${d.sameAs} (same content); it was read once`);
  const keep = new Set(unique);
  const inputs = requested.filter((r) => keep.delete(r.name));
  const ingestOptions = { encoding: options.encoding, mapping: options.mapping, delimiter: options.delimiter, sheet: options.sheet };
  const planned: PlannedInput[] = [];
  for (const r of inputs) planned.push(await planInput(r.name, r.kind, ingestOptions));
  // By kind, then by name: the order inputs are named in never changes the result.
  const order = planned.map((p, i) => ({ p, i })).sort((a, b) => KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind] || (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : a.i - b.i));

  // The previous output set stays as it is until this run has written a whole new one.
  const set = options.out !== null ? await OutputSet.open(options.out) : null;
  try {
    return await run();
  } catch (err) {
    await set?.discard();
    throw isFsError(err) ? fsError(err, 'writing the report to --out', options.out ?? '') : err;
  }

  async function run(): Promise<AnalyzeResult> {
  const rejects = new RejectWriter(set === null ? null : set.path('rejects.ndjson'));
  const normalizeOptions = { zone, currency, cards: new CardKeys() };
  const index = new SettlementIndex();
  const events = new EventIndex();
  const aggregator = new Aggregator(zone, bucketMinutes * 60_000, INCIDENT_BUCKET_MINUTES * 60_000);
  const subjects: Subject[] = [];
  const reconciler = new Reconciler(index, { graceDays, toleranceMinor, localDay: (ts) => zone.localDay(ts) }, (s) => subjects.push(s));
  let settlementRecords = 0;
  const sink = {
    txn(txn: Parameters<Reconciler['add']>[0]) {
      aggregator.txn(txn);
      const outcome = FAILED_STATUS[txn.status];
      if (outcome) subjects.push({ outcome, txn, facts: {} });
      else reconciler.add(txn);
    },
    event(event: Parameters<EventIndex['add']>[0]) {
      events.add(event);
      aggregator.event(event);
    },
    settlement(rec: Parameters<SettlementIndex['add']>[0]) {
      settlementRecords++;
      index.add(rec);
    },
    reject(r: Reject) {
      rejects.write(r);
    },
  };

  const accounts: InputAccount[] = [];
  try {
    for (const { p } of order) {
      accounts.push(await ingest(p, normalizeOptions, sink, ingestOptions));
      phase(`read ${p.name}`);
    }
  } finally {
    rejects.close();
  }
  unusable(accounts);
  reconciler.finish();
  events.seal();
  phase('reconcile');

  const lookups = makeLookups(tables);
  const ctx: RuleContext = {
    ...lookups,
    profileOf: (txn) => txn.codeProfile ?? profile,
    eventsNear: (terminalId, ts, before, after) => events.near(terminalId, ts, before, after),
    approvedBetween: (terminalId, from, to) => aggregator.approvedBetween(terminalId, from, to),
    formatTime: (ts) => zone.format(ts),
  };
  const engine = new Engine(RULES, ctx, options.lang ?? 'en');
  const local: Observed[] = new Array(subjects.length);
  for (let i = 0; i < subjects.length; i++) {
    local[i] = toFinding(subjects[i], engine.classify(subjects[i]), zone, profile);
    // The finding keeps what it needs; the subject (a whole normalized record) can go.
    (subjects as (Subject | undefined)[])[i] = undefined;
  }
  phase('classify');
  local.sort((a, b) => compare(a.finding, b.finding));
  // Fleet incidents first (from what each record says): the findings they explain are nobody's root cause.
  const detected = detectIncidents(local, aggregator.fineAttempts, aggregator.terminalCount());
  const inIncidents = local.map((o, i) => (detected.assigned[i] === null ? o : { ...o, finding: { ...o.finding, incident: detected.assigned[i] } }));
  // Then context revises what a record alone could not tell: the outage behind a timeout, the PIN pad behind wrong PINs.
  const findings = applyContext(inIncidents, detected.windows, aggregator, events, zone, options.lang ?? 'en');
  const incidents = describeIncidents(detected.windows, findings, aggregator.fineAttempts, zone, options.lang ?? 'en');
  for (const f of findings) aggregator.finding(f.finding, f.ts, f.minor, f.finding.currency);
  phase('context');

  const unknownEvents = new Map<string, number>();
  for (const [name, n] of events.counts) if (!lookups.event(name)) unknownEvents.set(name, n);
  const localTerminals = aggregator.terminalReports();
  const byId = new Map(localTerminals.map((t) => [t.terminalId, t]));
  for (const { finding } of findings) if (finding.incident !== null) byId.get(finding.terminalId)!.incidentFailures++;
  const previous = options.baseline ? loadBaseline(options.baseline) : undefined;
  const attribution = attributeRootCauses(localTerminals, findings, {
    zone,
    lang: options.lang ?? 'en',
    attempts: (t, from, to) => aggregator.attemptsBetween(t, from, to),
    rates: previousRates(previous) ?? (tables.backgroundRates ? { source: 'expected', byCause: tables.backgroundRates } : undefined),
  });
  const terminals = attribution.terminals;
  const changes = previous && options.baseline ? compareWithBaseline(options.baseline, previous, terminals) : null;
  const list = findings.map((f) => f.finding);
  const summary = aggregator.summary(terminals, list, {
    settlement: {
      provided: settlementRecords > 0,
      records: settlementRecords,
      matched: reconciler.matched,
      notYetDue: reconciler.notYetDue,
      outOfPeriod: reconciler.outOfPeriod,
      asOf: index.maxDay === -Infinity ? null : dayToDate(index.maxDay),
    },
    events: sortedCounts(events.counts),
    unknownEvents: sortedCounts(unknownEvents),
  });
  const totals = accounts.reduce(
    (t, a) => ({ read: t.read + a.read, accepted: t.accepted + a.accepted, rejected: t.rejected + a.rejected, skipped: t.skipped + a.skipped }),
    { read: 0, accepted: 0, rejected: 0, skipped: 0 },
  );
  for (const a of accounts) for (const w of a.warnings) warnings.push(`${a.path}: ${w}`);
  const report: Report = {
    schemaVersion: 2,
    generatedAt,
    tool: { name: 'txlog', version: VERSION },
    options: {
      tz: zone.name,
      currency,
      settlementGraceDays: graceDays,
      amountTolerance: formatAmount(toleranceMinor, currency),
      profile,
      lang: options.lang ?? 'en',
      rulesFile: options.rulesFile ?? null,
      bucketMinutes,
    },
    inputs: accounts,
    totals,
    warnings,
    summary,
    terminals,
    incidents,
    attribution: attribution.summary,
    groupings: buildGroupings(aggregator, findings),
    cards: cardPatterns(findings),
    changes,
    timeline: aggregator.timeline(),
    rules: RULES.map((r) => ({ id: r.meta.id, causes: [...r.meta.causes], title: r.meta.title, findings: engine.hits.get(r.meta.id) ?? 0 })),
  };

  phase('attribute');
  const thresholdMessages: string[] = [];
  if (options.failOnRate !== undefined && summary.failureRate.rate > options.failOnRate) {
    thresholdMessages.push(
      `fleet failure rate ${(summary.failureRate.rate * 100).toFixed(2)}% is above --fail-on-rate ${(options.failOnRate * 100).toFixed(2)}%`,
    );
  }
  if (options.maxRejects !== undefined && totals.rejected > options.maxRejects) {
    thresholdMessages.push(`${totals.rejected} rows were rejected, more than --max-rejects ${options.maxRejects} (see rejects.ndjson)`);
  }
  const rejectRate = totals.read > 0 ? totals.rejected / totals.read : 0;
  if (options.maxRejectRate !== undefined && rejectRate > options.maxRejectRate) {
    thresholdMessages.push(`${(rejectRate * 100).toFixed(2)}% of rows were rejected, more than --max-reject-rate ${(options.maxRejectRate * 100).toFixed(2)}% (see rejects.ndjson)`);
  }
  const result: AnalyzeResult = { exitCode: thresholdMessages.length ? 1 : 0, report, findings: list, written: [], thresholdMessages };
  if (set !== null) {
    await writeOutputs(set.dir, { report, findings: list }, { lang: options.lang ?? 'en' });
    await set.commit();
    result.written = [...OUTPUTS.map((o) => join(set.out, o.file)), join(set.out, 'rejects.ndjson')];
    phase('write outputs');
  }
  return result;
  }
}

/**
 * A job whose input gave nothing usable cannot run: one line naming the input, what happened to its
 * rows and the most common reason (a nightly job must not pass on garbage).
 */
function unusable(accounts: readonly InputAccount[]): void {
  for (const a of accounts) {
    if (a.accepted > 0) continue;
    const rows = a.read === 0 ? 'it holds no rows' : `none of its ${a.read} rows could be used (${a.rejected} rejected${a.skipped ? `, ${a.skipped} skipped` : ''})`;
    const why = a.topRejectReason ? `; most common reason: ${a.topRejectReason}` : '';
    throw new TxlogError('INPUT_UNUSABLE', `input ${a.path}: ${rows}${why}. Fix: check that this is the right file; \`txlog validate ${a.path}\` lists every rejected row.`);
  }
  if (!accounts.some((a) => a.records.transactions > 0 || a.records.settlement > 0)) {
    throw new TxlogError('NO_RECORDS', 'the inputs hold no terminal transactions and no settlement lines (only events): there is nothing to analyze. Fix: add the terminal log or the settlement file.');
  }
}

/** By what a finding says first, so shuffled input gives the same order; where it was read only breaks ties. */
function compare(a: Finding, b: Finding): number {
  return (
    cmp(a.terminalId, b.terminalId) ||
    cmp(a.timestamp ?? '', b.timestamp ?? '') ||
    cmp(a.txnId ?? '', b.txnId ?? '') ||
    cmp(a.rrn ?? '', b.rrn ?? '') ||
    cmp(a.outcome, b.outcome) ||
    cmp(a.settlement?.settlementDate ?? '', b.settlement?.settlementDate ?? '') ||
    cmp(a.settlement?.status ?? '', b.settlement?.status ?? '') ||
    cmp(a.amount ?? '', b.amount ?? '') ||
    cmp(a.src.file, b.src.file) ||
    a.src.line - b.src.line
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toFinding(subject: Subject, c: ReturnType<Engine['classify']>, zone: Zone, profile: string): Observed {
  const txn = subject.txn;
  const s = subject.settlement;
  const currency = txn?.currency ?? s?.currency ?? null;
  const minor = txn?.amount ?? s?.amount ?? 0;
  const finding: Finding = {
    txnId: txn?.txnId ?? s?.txnId ?? null,
    rrn: txn?.rrn ?? s?.rrn ?? null,
    terminalId: txn?.terminalId ?? s!.terminalId,
    merchantId: txn?.merchantId ?? s?.merchantId ?? null,
    timestamp: txn ? zone.format(txn.ts) : null,
    type: txn?.type ?? null,
    amount: txn?.amount !== undefined ? formatAmount(txn.amount, txn.currency) : s ? formatAmount(s.amount, s.currency) : null,
    currency,
    outcome: subject.outcome,
    cause: c.cause,
    ruleId: c.ruleId,
    evidence: c.evidence,
    reasons: c.reasons.map((h) => ({ reason: h.reason, source: h.source, code: h.code ?? null, strength: h.strength })),
    setAside: c.setAside,
    localCause: null,
    localRuleId: null,
    status: txn?.status ?? null,
    responseCode: txn?.responseCode ?? null,
    codeProfile: txn?.responseCode !== undefined ? txn.codeProfile ?? profile : null,
    errorCode: txn?.errorCode ?? null,
    message: txn?.message ?? null,
    entryMode: txn?.entryMode ?? null,
    cardRef: txn?.cardRef ?? null,
    softwareVersion: txn?.softwareVersion ?? null,
    model: txn?.model ?? null,
    connection: txn?.connection ?? null,
    incident: null,
    settlement: s
      ? {
          status: s.status,
          settlementDate: dayToDate(s.settlementDay),
          amount: formatAmount(s.amount, s.currency),
          reasonCode: s.reasonCode ?? null,
          message: s.message ?? null,
        }
      : null,
    src: txn?.src ?? s!.src,
  };
  const observed: Observed = { finding, ts: txn?.ts, minor: Math.abs(minor) };
  if (txn?.cardKey !== undefined) observed.cardKey = txn.cardKey;
  const damaged = txn?.damaged ?? s?.damaged;
  if (damaged) observed.damaged = damaged;
  return observed;
}

/** Rejects stream to disk as they come (there may be millions), in small synchronous writes. */
class RejectWriter {
  private fd: number | null = null;
  private buffer: string[] = [];
  private size = 0;

  constructor(path: string | null) {
    if (path !== null) this.fd = openSync(path, 'w');
  }

  write(r: Reject): void {
    if (this.fd === null) return;
    const line = JSON.stringify({ file: r.file, line: r.line, reason: r.reason, raw: r.raw }) + '\n';
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
