import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { RULES } from '../rules/index.js';
import { builtinTables, knownProfiles, loadRulesFile, makeLookups, mergeTables } from '../rules/tables.js';
import type { RuleContext, Subject } from '../rules/types.js';
import { Aggregator, FAILED_STATUS, sortedCounts, tallyFindings } from './aggregate.js';
import { attributeRootCauses } from './attribution.js';
import { compareWithBaseline, loadBaseline, previousRates } from './changes.js';
import { buildGroupings, cardPatterns } from './groupings.js';
import { describeIncidents, detectIncidents, INCIDENT_BUCKET_MINUTES } from './incidents.js';
import { Engine } from './engine.js';
import { applyContext } from './context.js';
import { fsError, isFsError, TxlogError } from './errors.js';
import { EventIndex, faultEventsOf } from './events.js';
import { expectedRows, ingest, ingestShare, planInput, ShareUnsafe, type InputKind, type PlannedInput, type SharedAccount } from './ingest.js';
import { RowShare } from '../parsers/share.js';
import type { Finding, InputAccount, Reject, Report, TerminalTxn } from './model.js';
import { FindingTable, RevisedList, findingsOf, type Findings, type FullObserved, type Revision } from './finding-table.js';
import { formatAmount, parseAmount } from './money.js';
import { CardKeys, maskText } from './pan.js';
import { Reconciler, SettlementIndex, type RunFacts } from './reconcile.js';
import { dedupeInputs, expandInputs } from '../parsers/source.js';
import { currencyProblem } from './currency.js';
import { OutputSet } from './output/set.js';
import { dayToDate, Zone } from './time.js';
import { VERSION } from './version.js';
import { mergeCollected, mergePartials, passPart, PARTIAL_FILE, preparePartialDir, rulesDigest, shardFilter, writePartial, type CollectedPart, type Shard } from './shard.js';
import { copyFile } from 'node:fs/promises';
import { Progress, type ProgressOut } from './progress.js';
import { SpillList } from './spill.js';
import { OUTPUTS, writeOutputs } from './output/index.js';
import { collectShared, jobsFor } from './jobs.js';
import { boundHeapGrowth } from './heap.js';

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
  /** The terminal of an export that names none (--terminal-id). */
  terminalId?: string;
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
  /** Where to draw progress while reading (the CLI passes stderr when it is a terminal). */
  progress?: ProgressOut;
  /** Keep only the terminals of this shard (both sides: settlement lines carry the terminal). */
  shard?: Shard;
  /** Write this shard's mergeable state here instead of a report (`out` is then ignored); see `merge`. */
  partial?: string;
  /** Bytes the run may take (default half the machine's memory); past it the input is read in passes. */
  memoryLimit?: number;
  /** Threads that read the inputs (default: one per core for large inputs); the report is the same for any. */
  jobs?: number;
  /** Failures held on the heap while the inputs are read; the rest wait in a temporary file (tests set it low). */
  holdInMemory?: number;
}

export interface AnalyzeResult {
  exitCode: 0 | 1;
  report: Report;
  findings: Findings;
  written: string[];
  /** Why the exit code is 1, for the CLI to print. */
  thresholdMessages: string[];
  /** How many passes over the input the run took (more than 1 under --memory-limit). */
  passes: number;
  /** Threads that read the input. */
  jobs: number;
}

const KIND_ORDER: Record<InputKind, number> = { settlement: 0, events: 1, terminal: 2 };

/** TXLOG_TIMING=1 prints how long each phase took (stderr), for tuning on real data. */
function phaseTimer(): (label: string) => void {
  if (!process.env.TXLOG_TIMING) return () => {};
  let last = performance.now();
  return (label) => {
    const now = performance.now();
    process.stderr.write(`txlog: ${label} ${((now - last) / 1000).toFixed(2)} s (heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB, rss ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB)\n`);
    last = now;
  };
}

/** A shard's run with --partial: its state is written, no report is made. */
export interface PartialResult {
  exitCode: 0;
  written: string[];
}

/**
 * The run's zone and default currency. Zone: --tz when given; else the zone the inputs' mapping profiles
 * declare (the WeChat and Alipay bills: Asia/Shanghai), so local dates and hour groups come out in the
 * zone the times were written in; inputs without a declared zone are read in it too (a warning says so).
 * Profiles that declare different zones and no --tz: stop, naming them (no zone is right for both).
 * No profile zone: UTC. Currency: records that name none take their profile's (CNY for the Chinese
 * bills, USD for TabFormer), else --currency; the run's currency (report options, --amount-tolerance) is
 * --currency, else the one currency every input's profile declares, else CNY. Amounts are only ever
 * summed within one currency.
 */
// A date and time with no offset after it (2026-11-16 10:00:00, 2026/11/16 10:00).
const NAIVE_TIME = /\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?![\d:.]|\s*(?:Z|z|[+-]\d{2}))/;

/** A Chinese input (GBK, or Chinese in its head) whose head shows times written without an offset. */
function chineseWithLocalTimes(source: Pick<PlannedInput['source'], 'encoding' | 'head'>): boolean {
  const head = source.head.slice(0, 4000);
  return (source.encoding === 'gb18030' || /[\u4e00-\u9fff]/.test(head)) && NAIVE_TIME.test(head);
}

// An ISO 8601 time with its offset, as logs write it (2026-11-16T10:00:00+08:00, 2026-11-16 10:00:00.123+0800).
const OFFSET_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})(?![\d:])/g;
// Offsets with no whole-hour Etc zone, by the zone that keeps them all year.
const HALF_HOUR_ZONES: Record<number, string> = { 330: 'Asia/Kolkata', 345: 'Asia/Kathmandu', 570: 'Australia/Darwin', 210: 'Asia/Tehran', 390: 'Asia/Yangon', 525: 'Australia/Eucla' };

/** The one offset every time in the inputs' heads carries, other than UTC's, with a zone that keeps it; null else. */
function oneOffset(planned: readonly { source?: Pick<PlannedInput['source'], 'head'> }[]): { text: string; zone: string } | null {
  const seen = new Set<number>();
  let text = '';
  for (const p of planned) {
    if (!p.source) continue;
    for (const m of p.source.head.slice(0, 64 * 1024).matchAll(OFFSET_TIME)) {
      const o = m[1].toUpperCase() === 'Z' ? 0 : (m[1][0] === '-' ? -1 : 1) * (Number(m[1].slice(1, 3)) * 60 + Number(m[1].slice(-2)));
      seen.add(o);
      text = m[1];
      if (seen.size > 1) return null;
    }
  }
  const [o] = [...seen];
  if (seen.size !== 1 || o === 0) return null;
  const zone = o % 60 === 0 && Math.abs(o) <= 14 * 60 ? `Etc/GMT${o > 0 ? '-' : '+'}${Math.abs(o) / 60}` : HALF_HOUR_ZONES[o];
  return zone ? { text, zone } : null;
}

export function runDefaults(
  options: Pick<AnalyzeOptions, 'tz' | 'currency'>,
  planned: readonly (Pick<PlannedInput, 'name' | 'profile' | 'timeZone' | 'currency'> & { source?: Pick<PlannedInput['source'], 'encoding' | 'head'> })[],
): { zone: Zone; currency: string; notes: string[] } {
  const notes: string[] = [];
  let zoneName = options.tz;
  if (zoneName === undefined) {
    const zones = [...new Set(planned.flatMap((p) => (p.timeZone ? [p.timeZone] : [])))];
    if (zones.length > 1) {
      const by = planned.filter((p) => p.timeZone).map((p) => `${p.name}: ${p.timeZone} (profile ${p.profile})`);
      throw new TxlogError(
        'TZ_AMBIGUOUS',
        `the inputs' profiles read times in different zones (${by.join('; ')}); local dates and hour groups need one zone: give --tz, e.g. --tz ${zones[0]}`,
      );
    }
    zoneName = zones[0] ?? 'UTC';
    // Times that all carry one offset (+08:00) say where the terminals are: their local dates and hours are
    // read at it, not at UTC (a day's cut at 00:00 UTC is 08:00 in Shanghai, and settlement days shift).
    const offset = zones.length === 0 ? oneOffset(planned) : null;
    if (offset !== null) {
      zoneName = offset.zone;
      notes.push(`no --tz given: every time in the inputs carries the offset ${offset.text}, so local dates and hours are read at it (${offset.zone}); give --tz for the terminals' zone if it keeps daylight saving time`);
    }
    // A Chinese export writes China time without an offset; read as UTC its hours would be eight off, silently.
    const chinese = zones.length === 0 ? planned.filter((p) => p.source && chineseWithLocalTimes(p.source)).map((p) => p.name) : [];
    if (chinese.length > 0) notes.push(`no --tz given: times without an offset in ${chinese.join(', ')} were read as UTC; these look like Chinese exports, which write China time: give --tz Asia/Shanghai if they do`);
    if (zones.length === 1) {
      const others = planned.filter((p) => !p.timeZone).map((p) => p.name);
      if (others.length > 0) notes.push(`no --tz given: times without an offset in ${others.join(', ')} were read in ${zoneName}, the zone of the ${planned.find((p) => p.timeZone)!.profile} profile, and dates and hours are reported in it; give --tz to choose another`);
    }
  }
  let currency = options.currency?.toUpperCase();
  if (currency === undefined) {
    const declared = [...new Set(planned.map((p) => p.currency))];
    currency = declared.length === 1 && declared[0] !== undefined ? declared[0] : 'CNY';
  }
  return { zone: new Zone(zoneName), currency, notes };
}

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeResult> {
  if (options.partial) throw new TxlogError('PARTIAL_API', 'analyze() makes a report; use analyzeShard() for --partial');
  boundHeapGrowth();
  const p = await plan(options);
  const passes = passesFor(p, options);
  // The previous output set stays as it is until this run has written a whole new one.
  const set = options.out !== null ? await OutputSet.open(options.out) : null;
  try {
    const rejectPath = set === null ? null : set.path('rejects.ndjson');
    const cards = new CardKeys();
    // Worker threads read in shares; should one find the input cannot be read apart, it is read here whole.
    const wanted = jobsFor(p, options, passes);
    const shared = wanted > 1 ? await collectShared(p, options, rejectPath, cards, wanted) : null;
    const jobs = shared === null ? 1 : wanted;
    // Read in shares, its inputs were opened: reading them whole takes a new plan.
    const whole = shared === null && wanted > 1 ? await plan(options) : p;
    const state = shared ?? (passes === 1 ? await collectPlanned(whole, options, rejectPath, cards) : await collectInPasses(whole, options, rejectPath, cards, passes));
    const result = await conclude(state, { ...p.settings, tables: p.tables, generatedAt: p.generatedAt, baseline: options.baseline, failOnRate: options.failOnRate, maxRejects: options.maxRejects, maxRejectRate: options.maxRejectRate }, set, p.phase);
    return { ...result, passes, jobs };
  } catch (err) {
    await set?.discard();
    throw isFsError(err) ? fsError(err, 'writing the report to --out', options.out ?? '') : err;
  }
}

/**
 * The first pass reads every row and keeps the terminals that hash to it, as a shard does: it states the
 * run's facts (the as-of day, the period the log covers), every row's account and every reject. The other
 * passes read as a thread's share does, parsing only the rows of their terminals, and classify with those
 * facts. The merge is the state of one pass over all of them (tests/shard.test.ts holds the report
 * byte-identical).
 */
async function collectInPasses(p: Plan, options: AnalyzeOptions, rejectPath: string | null, cards: CardKeys, passes: number): Promise<Collected> {
  const { first, facts } = await firstPass(collectOptionsOf(p, { ...options, shard: { k: 0, n: passes } }, rejectPath, cards));
  first.warnings.unshift(...p.warnings);
  const parts: CollectedPart[] = [first];
  for (let k = 1; k < passes; k++) {
    let part: CollectedPart;
    try {
      // The run's phase clock, so each phase's time is its own (a new plan starts a clock of its own).
      const ok = { ...collectOptionsOf(await plan(options), { ...options, shard: undefined }, null, cards), phase: p.phase };
      part = passPart(classifyRead(await readInputs(ok, { k, n: passes }), ok, facts));
    } catch (err) {
      if (!(err instanceof ShareUnsafe)) throw err;
      // An input that cannot be read apart (a date or decimal question opened late): read it whole.
      part = passPart(await collectPlanned(await plan(options), { ...options, shard: { k, n: passes } }, null, cards));
    }
    parts.push(part);
  }
  return mergeCollected(parts, p.settings, options.holdInMemory);
}

// Its own function, so what the pass read (the index, the held records) is garbage before the next pass reads,
// and the pass's Collected with it: the caller holds only its part (a snapshot found the pass's finding table
// kept beside its part's copy while the later passes read).
async function firstPass(o: CollectOptions): Promise<{ first: CollectedPart; facts: RunFacts }> {
  const read = await readInputs(o);
  unusable(read.accounts);
  const facts = read.reconciler.facts();
  return { first: passPart(classifyRead(read, o, facts)), facts };
}

/** Phase A only, for one shard of a run split by terminal: writes `options.partial` for `merge`. */
export async function analyzeShard(options: AnalyzeOptions & { partial: string }): Promise<PartialResult> {
  boundHeapGrowth();
  const p = await plan(options);
  await preparePartialDir(options.partial);
  const cards = new CardKeys();
  if (!cards.keyed) {
    throw new TxlogError('CARD_KEY_NEEDED', '--partial needs TXLOG_CARD_KEY set (the same secret for every shard): cards are matched across shards by a keyed hash of the number');
  }
  // Every shard reads every row; shard 0 writes the rejects.
  const state = await collectPlanned(p, options, (options.shard?.k ?? 0) === 0 ? join(options.partial, 'rejects.ndjson') : null, cards);
  await writePartial(options.partial, state, { ...p.settings, shard: options.shard ?? { k: 0, n: 1 }, run: { cardKey: cards.check, rules: await rulesDigest(p.settings.rulesFile) } });
  return { exitCode: 0, written: [join(options.partial, PARTIAL_FILE)] };
}

/**
 * Merges the partial directories of every shard and concludes as one run would have: the same report,
 * byte for byte. Output options are the merge's; analysis options are the shards' (they must agree).
 */
export async function merge(dirs: readonly string[], options: Pick<AnalyzeOptions, 'out' | 'generatedAt' | 'baseline' | 'failOnRate' | 'maxRejects' | 'maxRejectRate'>): Promise<AnalyzeResult> {
  boundHeapGrowth();
  const merged = await mergePartials(dirs);
  const s = merged.settings;
  const tables = s.rulesFile ? mergeTables(builtinTables(), loadRulesFile(s.rulesFile)) : builtinTables();
  const set = options.out !== null ? await OutputSet.open(options.out) : null;
  try {
    if (set !== null) await copyFile(merged.rejectsFile!, set.path('rejects.ndjson'));
    return await conclude(merged.state, { ...s, tables, generatedAt: options.generatedAt ?? new Date().toISOString(), baseline: options.baseline, failOnRate: options.failOnRate, maxRejects: options.maxRejects, maxRejectRate: options.maxRejectRate }, set);
  } catch (err) {
    await set?.discard();
    throw isFsError(err) ? fsError(err, 'writing the report to --out', options.out ?? '') : err;
  }
}

/** What the options and the inputs' headers decide before any row is read. */
export interface Plan {
  settings: Settings;
  tables: ReturnType<typeof builtinTables>;
  order: readonly { p: PlannedInput }[];
  ingestOptions: CollectOptions['ingestOptions'];
  warnings: string[];
  generatedAt: string;
  phase: (label: string) => void;
}

const KIND_FLAG: Record<InputKind, string> = { terminal: '--terminal', events: '--events', settlement: '--settlement' };

/**
 * A file named more than once is read once. Named with two kinds (one of them forced), it cannot be read
 * as both, and keeping either would drop what the user asked for, so the run stops. One warning per file.
 */
function sameFiles(requested: readonly { name: string; kind?: InputKind }[], duplicates: readonly { name: string; sameAs: string }[]): string[] {
  const groups = new Map<string, Set<string>>();
  for (const d of duplicates) {
    const g = groups.get(d.sameAs) ?? new Set([d.sameAs]);
    groups.set(d.sameAs, g.add(d.name));
  }
  const warnings: string[] = [];
  for (const [first, names] of groups) {
    const uses = requested.filter((r) => names.has(r.name));
    const as = (r: { name: string; kind?: InputKind }): string => (r.kind ? `${KIND_FLAG[r.kind]} ${r.name}` : r.name);
    const kinds = new Set(uses.map((r) => r.kind ?? 'detected'));
    if (kinds.size > 1) {
      const listed = [...new Set(uses.map(as))];
      const same = names.size === 1 ? 'name the same file' : 'are the same file (same content)';
      throw new TxlogError(
        'INPUT_KINDS_CONFLICT',
        `${listed.join(' and ')} ${same} with different kinds: give it once, with the kind it is (${first} to have it detected, or ${Object.values(KIND_FLAG).join(' / ')} ${first} to force it)`,
      );
    }
    const others = [...names].filter((n) => n !== first);
    warnings.push(
      others.length === 0 ? `${first} is named ${uses.length} times; it was read once` : `${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} the same file as ${first} (same content); it was read once`,
    );
  }
  return warnings;
}

/** Checks the options, plans every input (kind, format, encoding, profile) and settles zone and currency. */
export async function plan(options: AnalyzeOptions): Promise<Plan> {
  const phase = phaseTimer();
  // Checked before any input is opened; the run's zone and currency are settled once the inputs are planned.
  if (options.tz !== undefined) new Zone(options.tz);
  const currencyWrong = options.currency === undefined ? null : currencyProblem(options.currency.trim().toUpperCase());
  if (currencyWrong) throw new TxlogError('CURRENCY_INVALID', `--currency "${options.currency}": ${currencyWrong}`);
  const graceDays = options.settlementGraceDays ?? 1;
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new TxlogError('GRACE_INVALID', `--settlement-grace must be a whole number of days >= 0, got ${graceDays}`);
  const toleranceText = options.amountTolerance ?? '0';
  const tolerance = parseAmount(toleranceText, (options.currency ?? 'CNY').toUpperCase());
  if (typeof tolerance === 'string' || tolerance < 0) {
    throw new TxlogError('TOLERANCE_INVALID', `--amount-tolerance must be a non-negative amount in major units like 0.01, got "${toleranceText}"`);
  }
  let toleranceMinor: number = tolerance;
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
  const expand = (names: readonly string[]) => expandInputs(names, { exclude: [options.out, options.partial].filter((d): d is string => typeof d === 'string') });
  const requested: { name: string; kind?: InputKind }[] = [
    ...(await expand(options.inputs)).map((name) => ({ name })),
    ...(await expand(options.terminal ?? [])).map((name) => ({ name, kind: 'terminal' as const })),
    ...(await expand(options.events ?? [])).map((name) => ({ name, kind: 'events' as const })),
    ...(await expand(options.settlement ?? [])).map((name) => ({ name, kind: 'settlement' as const })),
  ];
  if (requested.length === 0) throw new TxlogError('NO_INPUT', 'no input given: name terminal, event and settlement files (or - for stdin)');
  if (requested.filter((r) => r.name === '-').length > 1) throw new TxlogError('STDIN_TWICE', 'standard input (-) can be given only once');
  const { unique, duplicates } = await dedupeInputs(requested.map((r) => r.name));
  const warnings = sameFiles(requested, duplicates).map((w) => maskText(w));
  const keep = new Set(unique);
  const inputs = requested.filter((r) => keep.delete(r.name));
  const ingestOptions = { encoding: options.encoding, mapping: options.mapping, delimiter: options.delimiter, sheet: options.sheet, terminalId: options.terminalId };
  const planned: PlannedInput[] = [];
  for (const r of inputs) planned.push(await planInput(r.name, r.kind, ingestOptions));
  const { zone, currency, notes } = runDefaults(options, planned);
  warnings.push(...notes);
  // In the run's currency's minor units (its exponent), now that it is known.
  const inRunCurrency = parseAmount(toleranceText, currency);
  if (typeof inRunCurrency === 'number') toleranceMinor = inRunCurrency;
  // By kind, then by name: the order inputs are named in never changes the result.
  const order = planned.map((p, i) => ({ p, i })).sort((a, b) => KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind] || (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : a.i - b.i));

  const settings: Settings = { tz: zone.name, currency, graceDays, toleranceMinor, profile, lang: options.lang ?? 'en', rulesFile: options.rulesFile ?? null, bucketMinutes };
  return { settings, tables, order, ingestOptions, warnings, generatedAt, phase };
}

// What a run holds while it reads, per input byte: the settlement index (~110 bytes a line of ~95,
// scripts/bench/index-bytes.mjs) and what the terminal log leaves held (failures and approvals waiting,
// past what spills to disk, and the fleet's sums: ~0.06 measured at 10M records).
const INDEX_BYTES_PER_SETTLEMENT_BYTE = 1.25;
const HELD_BYTES_PER_TERMINAL_BYTE = 0.1;
const MAX_PASSES = 64;
const GZIP_RATIO = 8;

/**
 * Passes over the input that keep what a pass holds under the memory limit (most of it, the rest is the
 * findings and the fleet sums). One when a shard is asked for, or an input cannot be read twice (stdin).
 */
export function passesFor(p: Pick<Plan, 'order'>, options: Pick<AnalyzeOptions, 'memoryLimit' | 'shard'>): number {
  if (options.shard) return 1;
  const held = heldBytes(p);
  if (held === null) return 1;
  return Math.min(MAX_PASSES, Math.max(1, Math.ceil(held / (memoryLimitOf(options) * 0.6))));
}

/**
 * The default keeps a nightly job's peak near 1.5 GB however large the log (a pass costs a read of the
 * input, and only the first parses every row), and under half of a smaller machine.
 */
export const DEFAULT_MEMORY_CAP = 1.5 * 2 ** 30;

export function memoryLimitOf(options: Pick<AnalyzeOptions, 'memoryLimit'>): number {
  return options.memoryLimit ?? Math.min(DEFAULT_MEMORY_CAP, Math.floor(totalmem() / 2));
}

/** What reading the inputs holds at its peak, estimated from their sizes; null when a size is not known (stdin). */
export function heldBytes(p: Pick<Plan, 'order'>): number | null {
  let held = 0;
  for (const { p: input } of p.order) {
    const stored = input.source.progress.total;
    if (stored === null) return null;
    // A gzipped log is some eight times its size once read (what the run holds is of the text).
    const size = input.source.compressed ? stored * GZIP_RATIO : stored;
    held += size * (input.kind === 'settlement' ? INDEX_BYTES_PER_SETTLEMENT_BYTE : input.kind === 'terminal' ? HELD_BYTES_PER_TERMINAL_BYTE : 0);
  }
  return held;
}

/** Phase A over the planned inputs: the settings' zone and windows, this run's card keys and shard. */
async function collectPlanned(plan: Plan, options: AnalyzeOptions, rejectPath: string | null, cards: CardKeys): Promise<Collected> {
  const state = await collect(collectOptionsOf(plan, options, rejectPath, cards));
  state.warnings.unshift(...plan.warnings);
  return state;
}

export function collectOptionsOf(plan: Plan, options: Pick<AnalyzeOptions, 'shard' | 'progress' | 'holdInMemory'>, rejectPath: string | null, cards: CardKeys): CollectOptions {
  const s = plan.settings;
  return {
    order: plan.order, zone: new Zone(s.tz), currency: s.currency, graceDays: s.graceDays, toleranceMinor: s.toleranceMinor, cards, ingestOptions: plan.ingestOptions,
    rejectPath, shard: options.shard, progress: options.progress, tables: plan.tables, profile: s.profile, lang: s.lang, bucketMinutes: s.bucketMinutes, phase: plan.phase,
    holdInMemory: options.holdInMemory,
  };
}

/** What a run is analyzed with; partials record it and a merge reuses it. */
export interface Settings {
  tz: string;
  currency: string;
  graceDays: number;
  toleranceMinor: number;
  profile: string;
  lang: 'en' | 'zh';
  rulesFile: string | null;
  bucketMinutes: number;
}

interface ConcludeOptions extends Settings {
  tables: ReturnType<typeof builtinTables>;
  generatedAt: string;
  baseline?: string;
  failOnRate?: number;
  maxRejects?: number;
  maxRejectRate?: number;
}

/**
 * Phase A's result: what reading, reconciling and classifying one shard (or the whole input) gives, all
 * of it mergeable across shards: sums, terminals' own state, findings as each record alone explains them.
 */
export interface Collected {
  accounts: InputAccount[];
  warnings: string[];
  aggregator: Aggregator;
  events: EventIndex;
  /** In the findings' order (FindingTable.sort), before incidents and context. */
  local: FindingTable;
  hits: Map<string, number>;
  /** `looseKeys`: joins found only with the leading zeros of an id ignored (one file lost them). */
  settlement: { observed: number; records: number; matched: number; notYetDue: number; outOfPeriod: number; looseKeys: number; maxDay: number };
}

export interface CollectOptions {
  order: readonly { p: PlannedInput }[];
  zone: Zone;
  currency: string;
  graceDays: number;
  toleranceMinor: number;
  cards: CardKeys;
  ingestOptions: { encoding?: string; mapping?: string; delimiter?: string };
  rejectPath: string | null;
  shard?: Shard;
  progress?: ProgressOut;
  tables: ReturnType<typeof builtinTables>;
  profile: string;
  lang: 'en' | 'zh';
  bucketMinutes: number;
  phase: (label: string) => void;
  /** Failures held on the heap before the rest go to a temporary file (default SPILL_AFTER; tests set it low). */
  holdInMemory?: number;
  /** Handed the running count of records read (a worker reports it to the thread that draws progress). */
  onRecords?: (counter: { records: number }) => void;
}

/**
 * Phase A: read every input, keep the records of this shard's terminals (all of them without --shard),
 * reconcile and classify. Facts about the input as a whole (row accounts, the as-of day, the period the
 * terminal log covers) come from every record, so each shard states them as a whole run would.
 */
async function collect(o: CollectOptions): Promise<Collected> {
  const r = await readInputs(o);
  unusable(r.accounts);
  return classifyRead(r, o, r.reconciler.facts());
}

/** What reading the inputs gives, before the decisions that need the whole run's facts (`RunFacts`). */
export interface ReadInputs {
  accounts: InputAccount[];
  /** With a share: each input's account with what merging it needs. */
  shared: SharedAccount[];
  events: EventIndex;
  aggregator: Aggregator;
  /** The failures held for classification (past a count, in a temporary file). */
  subjects: SpillList<Subject>;
  reconciler: Reconciler;
  settlementRecords: number;
}

/**
 * Reads every input into the index, the events, the fleet sums and the held failures. With `share`, only the
 * rows of that share's terminals (a worker's; parsers/share.ts), and the reconciler defers what needs the
 * whole run; else, under --shard, the rows of its terminals, observing the others for the run's facts.
 */
export async function readInputs(o: CollectOptions, share?: { k: number; n: number }): Promise<ReadInputs> {
  const { zone, phase } = o;
  const rejects = new RejectWriter(o.rejectPath);
  const normalizeOptions = { zone, currency: o.currency, cards: o.cards };
  const index = new SettlementIndex();
  // A share holds about its part of the lines; under --shard every line passes, and a shard keeps its part.
  const parts = share?.n ?? o.shard?.n ?? 1;
  index.expected = Math.ceil(o.order.reduce((n, { p }) => n + (p.kind === 'settlement' ? expectedRows(p) : 0), 0) / parts);
  const events = new EventIndex();
  const aggregator = new Aggregator(zone, o.bucketMinutes * 60_000, INCIDENT_BUCKET_MINUTES * 60_000);
  const subjects = new SpillList<Subject>(o.holdInMemory);
  const hold = (s: Subject) => subjects.push(s);
  const settlementGiven = share ? o.order.some(({ p }) => p.kind === 'settlement') : undefined;
  const reconciler = new Reconciler(index, { graceDays: o.graceDays, toleranceMinor: o.toleranceMinor, localDay: (ts) => zone.localDay(ts), settlementGiven, holdInMemory: o.holdInMemory }, hold);
  let settlementRecords = 0;
  const mine = !share && o.shard && o.shard.n > 1 ? shardFilter(o.shard) : () => true;
  const progress = o.progress ? new Progress(o.order.map(({ p }) => p.source), o.progress) : null;
  const counter = progress ?? { records: 0 };
  const sink = {
    txn(txn: Parameters<Reconciler['add']>[0]) {
      counter.records++;
      const outcome = FAILED_STATUS[txn.status];
      if (!mine(txn.terminalId)) {
        if (!outcome) reconciler.observe(txn);
        return;
      }
      aggregator.txn(txn);
      if (outcome) hold({ outcome, txn, facts: {} });
      else reconciler.add(txn);
    },
    event(event: Parameters<EventIndex['add']>[0]) {
      counter.records++;
      if (!mine(event.terminalId)) return;
      events.add(event);
      aggregator.event(event);
    },
    settlement(rec: Parameters<SettlementIndex['add']>[0]) {
      counter.records++;
      if (!mine(rec.terminalId)) {
        index.observe(rec);
        return;
      }
      settlementRecords++;
      index.add(rec);
    },
    reject(r: Reject) {
      rejects.write(r);
    },
  };

  const accounts: InputAccount[] = [];
  const shared: SharedAccount[] = [];
  progress?.start();
  o.onRecords?.(counter);
  try {
    for (const { p } of o.order) {
      if (share) {
        const a = await ingestShare(p, normalizeOptions, sink, o.ingestOptions, new RowShare(share.k, share.n));
        shared.push(a);
        accounts.push(a.account);
      } else accounts.push(await ingest(p, normalizeOptions, sink, o.ingestOptions));
      phase(`read ${p.name}`);
    }
  } finally {
    progress?.stop();
    rejects.close();
  }
  return { accounts, shared, events, aggregator, subjects, reconciler, settlementRecords };
}

/** Reconciles what is left with the run's facts, then classifies every held failure: the collected state. */
export function classifyRead(r: ReadInputs, o: Pick<CollectOptions, 'zone' | 'phase' | 'tables' | 'profile' | 'lang' | 'holdInMemory'>, facts: RunFacts): Collected {
  const { zone, phase } = o;
  const { reconciler, events, aggregator, subjects } = r;
  reconciler.finish(facts);
  events.seal();
  phase('reconcile');

  const ctx: RuleContext = {
    ...lookupsOf(o.tables),
    profileOf: (txn) => txn.codeProfile ?? o.profile,
    eventsNear: (terminalId, ts, before, after) => events.near(terminalId, ts, before, after),
    approvedBetween: (terminalId, from, to) => aggregator.approvedBetween(terminalId, from, to),
    formatTime: (ts) => zone.format(ts),
  };
  const engine = new Engine(RULES, ctx, o.lang);
  const local = new FindingTable(o.holdInMemory);
  const shared = new SharedReasons();
  const strings = new SharedStrings();
  // The finding keeps what it needs; the subject (a whole normalized record) goes as it is classified.
  for (const subject of subjects.drain()) {
    if (subject.txn) strings.share(subject.txn);
    local.push(toFinding(subject, engine.classify(subject), zone, o.profile, shared));
  }
  local.sort();
  phase('classify');
  return {
    accounts: r.accounts,
    warnings: accountWarnings(r.accounts),
    aggregator,
    events,
    local,
    hits: engine.hits,
    settlement: { observed: facts.settlementLines, records: r.settlementRecords, matched: reconciler.matched, notYetDue: reconciler.notYetDue, outOfPeriod: reconciler.outOfPeriod, looseKeys: reconciler.looseKeys, maxDay: facts.asOf },
  };
}

/** Each input's warnings, named by its path. */
export function accountWarnings(accounts: readonly InputAccount[]): string[] {
  const warnings: string[] = [];
  for (const a of accounts) for (const w of a.warnings) warnings.push(`${a.path}: ${w}`);
  return warnings;
}

/**
 * Phase B, from the collected state of one run or of every shard merged: fleet incidents, context,
 * attribution, groupings, then the Report and the output set.
 */
export async function conclude(state: Collected, o: ConcludeOptions, set: OutputSet | null, phase: (label: string) => void = () => {}): Promise<AnalyzeResult> {
  const zone = new Zone(o.tz);
  const { aggregator, events, local, accounts } = state;
  // Fleet incidents first (from what each record says): the findings they explain are nobody's root cause.
  const detected = detectIncidents(local, aggregator.fineAttempts, aggregator.terminalCount());
  const assigned = new Map<number, Revision>();
  detected.assigned.forEach((id, i) => id !== null && assigned.set(i, { incident: id }));
  const inIncidents = new RevisedList(local, assigned);
  // Then context revises what a record alone could not tell: the outage behind a timeout, the PIN pad behind wrong PINs.
  const findings = applyContext(inIncidents, detected.windows, aggregator, events, zone, o.lang);
  const incidents = describeIncidents(detected.windows, findings, aggregator.fineAttempts, zone, o.lang);
  const tally = tallyFindings(findings, (ts) => aggregator.bucketStart(ts));
  phase('context');

  const lookups = lookupsOf(o.tables);
  const unknownEvents = new Map<string, number>();
  for (const [name, n] of events.counts) if (!lookups.event(name)) unknownEvents.set(name, n);
  const localTerminals = aggregator.terminalReports(tally);
  const previous = o.baseline ? loadBaseline(o.baseline) : undefined;
  const attribution = attributeRootCauses(localTerminals, findings, {
    zone,
    lang: o.lang,
    attempts: (t, from, to) => aggregator.attemptsBetween(t, from, to),
    fleetAttempts: (from, to) => aggregator.fleetAttemptsBetween(from, to),
    faultEvents: (t) => faultEventsOf(events, lookups, t),
    rates: previousRates(previous) ?? (o.tables.backgroundRates ? { source: 'expected', byCause: o.tables.backgroundRates } : undefined),
  });
  const terminals = attribution.terminals;
  const changes = previous && o.baseline ? compareWithBaseline(maskText(o.baseline), previous, terminals) : null;
  const list = findingsOf(findings);
  const st = state.settlement;
  const summary = aggregator.summary(terminals, findings, tally, {
    settlement: {
      provided: st.observed > 0,
      records: st.records,
      matched: st.matched,
      notYetDue: st.notYetDue,
      outOfPeriod: st.outOfPeriod,
      asOf: st.maxDay === -Infinity ? null : dayToDate(st.maxDay),
    },
    events: sortedCounts(events.counts),
    unknownEvents: sortedCounts(unknownEvents),
  });
  const totals = accounts.reduce(
    (t, a) => ({ read: t.read + a.read, accepted: t.accepted + a.accepted, rejected: t.rejected + a.rejected, skipped: t.skipped + a.skipped }),
    { read: 0, accepted: 0, rejected: 0, skipped: 0 },
  );
  const report: Report = {
    schemaVersion: 2,
    generatedAt: o.generatedAt,
    tool: { name: 'txlog', version: VERSION },
    options: {
      tz: o.tz,
      currency: o.currency,
      settlementGraceDays: o.graceDays,
      amountTolerance: formatAmount(o.toleranceMinor, o.currency),
      profile: o.profile,
      lang: o.lang,
      // Paths are printed as serve prints uploaded names: a card number in a file name is masked.
      rulesFile: o.rulesFile === null ? null : maskText(o.rulesFile),
      bucketMinutes: o.bucketMinutes,
    },
    inputs: accounts,
    totals,
    warnings: st.looseKeys > 0 ? [...state.warnings, looseKeysWarning(st.looseKeys)] : state.warnings,
    summary,
    terminals,
    incidents,
    attribution: attribution.summary,
    groupings: buildGroupings(aggregator, findings),
    cards: cardPatterns(findings),
    changes,
    timeline: aggregator.timeline(tally),
    rules: RULES.map((r) => ({ id: r.meta.id, causes: [...r.meta.causes], title: r.meta.title, findings: state.hits.get(r.meta.id) ?? 0 })),
  };

  phase('attribute');
  const thresholdMessages: string[] = [];
  if (o.failOnRate !== undefined && summary.failureRate.rate > o.failOnRate) {
    thresholdMessages.push(
      `fleet failure rate ${(summary.failureRate.rate * 100).toFixed(2)}% is above --fail-on-rate ${(o.failOnRate * 100).toFixed(2)}%`,
    );
  }
  if (o.maxRejects !== undefined && totals.rejected > o.maxRejects) {
    thresholdMessages.push(`${totals.rejected} rows were rejected, more than --max-rejects ${o.maxRejects} (see rejects.ndjson)`);
  }
  const rejectRate = totals.read > 0 ? totals.rejected / totals.read : 0;
  if (o.maxRejectRate !== undefined && rejectRate > o.maxRejectRate) {
    thresholdMessages.push(`${(rejectRate * 100).toFixed(2)}% of rows were rejected, more than --max-reject-rate ${(o.maxRejectRate * 100).toFixed(2)}% (see rejects.ndjson)`);
  }
  const result: AnalyzeResult = { exitCode: thresholdMessages.length ? 1 : 0, report, findings: list, written: [], thresholdMessages, passes: 1, jobs: 1 };
  if (set !== null) {
    await writeOutputs(set.dir, { report, findings: list }, { lang: o.lang });
    await set.commit();
    result.written = [...OUTPUTS.map((f) => join(set.out, f.file)), join(set.out, 'rejects.ndjson')];
    phase('write outputs');
  }
  return result;
}

function looseKeysWarning(n: number): string {
  return `${n} settlement ${n === 1 ? 'line was' : 'lines were'} joined by a terminal id, RRN or transaction id whose leading zeros one file lost (0123 and 123): Excel drops them from a column of numbers. They are matched; export ids as text to keep them`;
}

/**
 * A job whose input gave nothing usable cannot run: one line naming the input, what happened to its
 * rows and the most common reason (a nightly job must not pass on garbage).
 */
export function unusable(accounts: readonly InputAccount[]): void {
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

// Building the readers (the phrase matcher above all) takes a few hundred ms: once per code tables.
const lookupsCache = new WeakMap<object, ReturnType<typeof makeLookups>>();
function lookupsOf(tables: ReturnType<typeof builtinTables>): ReturnType<typeof makeLookups> {
  let l = lookupsCache.get(tables);
  if (!l) lookupsCache.set(tables, (l = makeLookups(tables)));
  return l;
}

/**
 * One copy of each repeated text of the transactions a run holds until classification (a terminal's id,
 * its model, the code and message of a decline): a parsed record has its own copy of every value, and
 * hundreds of thousands of failures repeat a few hundred of them. Equal strings, so nothing changes.
 */
class SharedStrings {
  private readonly seen = new Map<string, string>();

  private one(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    const kept = this.seen.get(v);
    if (kept !== undefined) return kept;
    if (this.seen.size < 200_000) this.seen.set(v, v);
    return v;
  }

  share(txn: TerminalTxn): void {
    txn.terminalId = this.one(txn.terminalId)!;
    txn.currency = this.one(txn.currency)!;
    txn.merchantId = this.one(txn.merchantId);
    txn.responseCode = this.one(txn.responseCode);
    txn.codeProfile = this.one(txn.codeProfile);
    txn.errorCode = this.one(txn.errorCode);
    txn.message = this.one(txn.message);
    txn.softwareVersion = this.one(txn.softwareVersion);
    txn.model = this.one(txn.model);
    txn.connection = this.one(txn.connection);
    txn.batchId = this.one(txn.batchId);
  }
}

/**
 * Reason lists and evidence as findings show them, one frozen copy of each distinct one: a log repeats a few
 * hundred (every decline 51 at any terminal has the same evidence), and a finding held until the report is
 * written would otherwise carry its own copy.
 */
class SharedReasons {
  private readonly lists = new Map<string, Finding['reasons']>();
  private readonly evidences = new Map<string, Finding['evidence']>();

  reasons(hits: ReturnType<Engine['classify']>['reasons']): Finding['reasons'] {
    let key = '';
    for (const h of hits) key += `${h.reason}\u0001${h.source}\u0001${h.code ?? '\u0003'}\u0001${h.strength}\u0002`;
    let list = this.lists.get(key);
    if (list === undefined) {
      list = Object.freeze(hits.map((h) => Object.freeze({ reason: h.reason, source: h.source, code: h.code ?? null, strength: h.strength }))) as Finding['reasons'];
      if (this.lists.size < 100_000) this.lists.set(key, list);
    }
    return list;
  }

  evidence(list: Finding['evidence']): Finding['evidence'] {
    // Evidence of an event carries its time: nearly unique, not worth a key.
    if (list.some((e) => e.at !== undefined)) return list;
    const key = JSON.stringify(list);
    let kept = this.evidences.get(key);
    if (kept === undefined) {
      kept = Object.freeze(list.map((e) => Object.freeze({ ...e, ...(e.data ? { data: Object.freeze({ ...e.data }) } : {}) }))) as Finding['evidence'];
      if (this.evidences.size < 100_000) this.evidences.set(key, kept);
    }
    return kept;
  }
}

function toFinding(subject: Subject, c: ReturnType<Engine['classify']>, zone: Zone, profile: string, shared: SharedReasons): FullObserved {
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
    evidence: shared.evidence(c.evidence),
    reasons: shared.reasons(c.reasons),
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
  const observed: FullObserved = { finding, ts: txn?.ts, minor: Math.abs(minor) };
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
