import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { CauseId } from '../rules/causes.js';
import { TxlogError } from './errors.js';
import { Clock, PAD2, PAD3, PAD4, timeOfDay } from './generate/clock.js';
import { Rng } from './generate/rng.js';

// A synthetic fleet: terminal log, terminal events, acquirer settlement and the truth of every failed or
// unsettled case, streamed so a million transactions cost flat memory. Nothing in the output names a
// cause: the analyzer has to infer it from codes, events, messages and settlement.

export interface GenerateOptions {
  out: string;
  terminals: number;
  days: number;
  seed: number;
  /** First local business date, `YYYY-MM-DD`. */
  start: string;
  /** IANA zone the timestamps' offsets are computed for. */
  tz: string;
  /** Total terminal records to write; default terminals × days × 120. */
  transactions?: number;
  /** Scales every failure and fault rate (1 = default mix). */
  faultRate?: number;
  /**
   * Consecutive nightly runs of one fleet (default 1). Night N starts `(N - 1) × days` days after `start`;
   * the fleet (terminals, merchants, models, each terminal's fault) comes from `seed` alone, the traffic from
   * `seed` and `night`. From night 2 on, one more terminal, healthy on night 1, has a fault that begins that
   * night (truth.json `newFaults`); the ones that began on earlier nights persist.
   */
  night?: number;
  generatedAt?: string;
}

/** One injected terminal fault, as recorded in truth.json. Days count from the night's first day (0). */
export interface TruthFault {
  cause: CauseId;
  fromDay: number;
  toDay: number;
  /** Local `HH:MM`: the fault is active only from this time of day (on each of its days). */
  fromTime?: string;
  /** Local `HH:MM`, exclusive. */
  toTime?: string;
  variant?: string;
  /** The night the fault began on (only for faults that began after night 1). */
  sinceNight?: number;
}

/** Ground truth for one terminal: every terminal of the fleet has one. */
export interface TruthTerminal {
  terminalId: string;
  merchantId: string;
  /** The cause a report should name first for this terminal; null for a healthy terminal. */
  rootCause: CauseId | null;
  faults: TruthFault[];
  /** Settlement faults of the terminal's merchant: naming them as a root cause is not a false alarm. */
  merchantFaults: { cause: CauseId; day: number }[];
  /** Terminal records written for it. */
  attempts: number;
  /** Failures the fault itself produced (faulty terminals only). */
  injected?: number;
  /**
   * Whether the fault's failures stand out at all: at least 5 of them and the terminal's count of the cause
   * improbable under the healthy fleet's rate (Poisson tail < 1e-5). A fault that yields two failures on a
   * quiet terminal cannot be found from the logs; scorers should report such terminals apart.
   */
  detectable?: boolean;
}

export type TruthOutcome =
  | 'declined'
  | 'failed'
  | 'timeout'
  | 'terminated'
  | 'unsettled'
  | 'settlement_failed'
  | 'amount_mismatch'
  | 'orphan_settlement'
  | 'duplicate';

export interface GenerateSummary {
  out: string;
  files: { terminal: string; events: string; settlement: string; truth: string; truthSummary: string };
  transactions: number;
  events: number;
  settlementRows: number;
  truthCases: number;
  byCause: Partial<Record<CauseId, number>>;
  byOutcome: Partial<Record<TruthOutcome, number>>;
  elapsedMs: number;
}

const DAY_MS = 86_400_000;
const ASCII = /^[\x20-\x7e]*$/;
const MIN = 60_000;
const HOUR = 3_600_000;
const FLUSH_AT = 1 << 19;

type Category = 'restaurant' | 'retail' | 'convenience' | 'supermarket';
type FaultProfile = 'network' | 'terminal_hardware' | 'terminal_software' | 'configuration' | 'environment' | 'cutoff' | 'input_error';
type HardwareVariant = 'printer' | 'reader' | 'pinpad';
type WinKind = 'netdown' | 'printer' | 'reader' | 'crash' | 'signon' | 'power';
type Forced =
  | 'fraud'
  | 'compliance'
  | 'txdata'
  | 'platform'
  | 'hardware'
  | 'network'
  | 'recon_missing'
  | 'recon_mismatch'
  | 'recon_dup'
  | 'data_reject'
  | 'risk_hold'
  | 'orphan';

interface CategorySpec {
  cum: Float64Array;
  medianCents: number;
  sigma: number;
  weekend: number;
}

function spec(hours: number[], median: number, sigma: number, weekend: number): CategorySpec {
  const cum = new Float64Array(24);
  let s = 0;
  for (let h = 0; h < 24; h++) cum[h] = s += hours[h] ?? 0;
  for (let h = 0; h < 24; h++) cum[h] /= s;
  return { cum, medianCents: median * 100, sigma, weekend };
}

// Hourly traffic weights (local hours 0..23): lunch and evening peaks, convenience stores open late.
const CATEGORIES: Record<Category, CategorySpec> = {
  restaurant: spec([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.5, 3, 4, 2, 0.6, 0.4, 0.8, 2.5, 4, 3, 1.5, 0.8, 0.3, 0], 85, 0.6, 1.25),
  retail: spec([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.3, 1, 1.2, 1.3, 1.3, 1.5, 1.6, 1.7, 1.9, 2.3, 2.5, 2.2, 1.3, 0.3, 0], 260, 0.8, 1.3),
  convenience: spec([0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.6, 1.6, 1.8, 1, 0.9, 1.4, 1.8, 1.3, 0.9, 0.9, 1, 1.6, 1.9, 1.8, 1.5, 1.2, 0.9, 0.8], 28, 0.7, 1),
  supermarket: spec([0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1.3, 1.5, 1.3, 1.1, 1, 1.1, 1.4, 2, 2.4, 2.2, 1.6, 0.9, 0.2, 0], 120, 0.75, 1.2),
};
const CATEGORY_MIX: readonly Category[] = ['restaurant', 'restaurant', 'restaurant', 'retail', 'retail', 'convenience', 'convenience', 'convenience', 'supermarket', 'supermarket'];

const MODELS: readonly { name: string; newland: boolean }[] = [
  { name: 'Newland N910', newland: true },
  { name: 'Newland ME31', newland: true },
  { name: 'PAX A920', newland: false },
  { name: 'PAX S90', newland: false },
  { name: 'Centerm K9', newland: false },
  { name: 'Landi APOS A8', newland: false },
  { name: 'Sunmi P2', newland: false },
];
const CONNECTIONS: readonly string[] = ['4g', '4g', '4g', '4g', '4g', '4g', '4g', '4g', '4g', 'wifi', 'wifi', 'wifi', 'wifi', 'wifi', 'wifi', 'ethernet', 'ethernet', 'ethernet', 'ethernet', 'dialup'];
const VERSIONS: readonly string[] = ['3.2.4', '3.2.4', '3.2.4', '3.2.4', '3.2.1', '3.2.1', '3.1.9'];
const BINS: readonly string[] = ['622202', '621700', '622848', '621483', '622588', '625807', '621226', '436742', '622575', '518710', '623668', '621661']
  .map((b) => `${b}******`);
const FAULT_CYCLE: readonly FaultProfile[] = [
  'network', 'terminal_hardware', 'terminal_software', 'configuration', 'environment', 'cutoff', 'input_error',
  'network', 'terminal_hardware', 'configuration', 'terminal_hardware', 'terminal_software',
];
/** Faults that can be active only part of a day (every third one of these is). */
const PARTIAL_OK = new Set<FaultProfile>(['network', 'terminal_hardware', 'terminal_software', 'configuration', 'input_error']);
/** Roughly the share of a terminal's attempts each fault makes fail on an active day (coded rate and episodes). */
const FAULT_YIELD: Partial<Record<FaultProfile, number>> = {
  network: 0.09,
  terminal_hardware: 0.07,
  terminal_software: 0.07,
  configuration: 0.09,
  environment: 0.05,
  input_error: 0.12,
};
/** Faults that begin on a later night, in turn. */
const NEW_FAULT_CYCLE: readonly FaultProfile[] = ['terminal_hardware', 'network', 'configuration', 'terminal_software'];
const FRAUD: readonly [string, string, string][] = [
  ['41', '挂失卡', 'Lost card'],
  ['43', '被窃卡', 'Stolen card'],
  ['34', '有作弊嫌疑', 'Suspected fraud'],
];
const HW_CYCLE: readonly HardwareVariant[] = ['printer', 'reader', 'pinpad'];
const FORCED_KINDS: readonly Forced[] = [
  'fraud', 'compliance', 'txdata', 'platform', 'hardware', 'network',
  'recon_missing', 'recon_mismatch', 'recon_dup', 'data_reject', 'risk_hold', 'orphan',
];
const NETDOWN_DETAIL: Record<string, string> = {
  '4g': 'PDP context lost',
  wifi: 'AP disconnected',
  ethernet: 'link down',
  dialup: 'NO CARRIER',
};

interface Merchant {
  id: string;
  category: Category;
  spec: CategorySpec;
  profile: 'iso' | 'unionpay';
  frozenFrom: number;
  frozenTo: number;
  riskDay: number;
}

interface Terminal {
  id: string;
  merchant: Merchant;
  model: string;
  newland: boolean;
  sw: string;
  connection: string;
  weight: number;
  stan: number;
  batchNo: number;
  fault: FaultProfile | null;
  faultFrom: number;
  faultTo: number;
  /** Time of day (ms) the fault is active from / until; 0 and DAY_MS for a whole-day fault. */
  faultStart: number;
  faultEnd: number;
  /** Night the fault began on (1 for the fleet's own faults). */
  faultNight: number;
  hw: HardwareVariant;
  attempts: number;
  injected: number;
  cases: Record<string, number>;
  rolloutDay: number;
  rolloutTo: string;
  signalBase: number;
}

interface Win {
  start: number;
  end: number;
  kind: WinKind;
}

/** The attempt being built; one instance is reused so the hot loop allocates no closures. */
class Attempt {
  status = 'approved';
  rc = '';
  ec = '';
  msg = '';
  cause: CauseId | '' = '';
  note = '';
  hasRrn = true;
  noCode = false;
  entry = '';
  /** Produced by the terminal's injected fault, not background. */
  fault = false;
}

/** What the attempts of one terminal-day share. */
class DayState {
  term!: Terminal;
  ctx!: DayCtx;
  iso = true;
  profile = 'iso';
  cat!: CategorySpec;
  fault: FaultProfile | null = null;
  wins: Win[] = [];
  events: EventRow[] = [];
  forcedDecl: Forced[] = [];
  forcedSettle: Forced[] = [];
  forcedAt = 0;
  batch = '';
  idPrefix = '';
  sigBase = 0;
  latBase = 0;
  lastFailCard = '';
  head = '';
  tail = '';
  profileField = '';
}

interface EventRow {
  t: number;
  event: string;
  detail: string;
}

interface DayCtx {
  day: number;
  wall: number;
  date: string;
  yymmdd: string;
  rrnPrefix: string;
  settleDate: string;
  fixedOffset: string | null;
  outage: [number, number] | null;
  cutover: [number, number];
  rrnSeq: number;
  orphanSeq: number;
}

/** One output file: lines are UTF-8 encoded into a large buffer that is written with backpressure. */
class Sink {
  private static readonly SIZE = 1 << 20;
  private buf = Buffer.allocUnsafe(Sink.SIZE);
  private pos = 0;
  private full: Buffer[] = [];
  private readonly stream: WriteStream;
  lines = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 23 });
  }

  add(line: string): void {
    // A JS string of n UTF-16 units needs at most 3n UTF-8 bytes.
    if (this.pos + line.length * 3 > this.buf.length) this.spill(line.length * 3);
    this.pos += this.buf.write(line, this.pos);
    this.lines++;
  }

  /** For lines known to be ASCII: a straight copy, no UTF-8 encoding. */
  addAscii(line: string): void {
    if (this.pos + line.length > this.buf.length) this.spill(line.length);
    this.pos += this.buf.write(line, this.pos, 'latin1');
    this.lines++;
  }

  /** Bytes waiting to be written. */
  get pending(): number {
    return this.full.length === 0 ? this.pos : Sink.SIZE;
  }

  private spill(need: number): void {
    if (this.pos > 0) this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(Sink.SIZE, need));
    this.pos = 0;
  }

  async flush(): Promise<void> {
    if (this.pos > 0) this.spill(0);
    const chunks = this.full;
    this.full = [];
    for (const c of chunks) {
      if (!this.stream.write(c)) await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  destroy(): void {
    this.stream.destroy();
  }
}

function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${PAD2[cents % 100]}`;
}

function pad8(n: number): string {
  return n < 100_000_000 ? PAD4[Math.floor(n / 10000)] + PAD4[n % 10000] : String(n);
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

function validate(o: GenerateOptions): { y: number; m: number; d: number } {
  const bad = (what: string, got: unknown, fix: string): never => {
    throw new TxlogError('GENERATE_OPTIONS', `Invalid ${what}: got ${JSON.stringify(got)}. Fix: ${fix}.`);
  };
  if (!Number.isInteger(o.terminals) || o.terminals < 1 || o.terminals > 999_999) bad('--terminals', o.terminals, 'an integer from 1 to 999999');
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 366) bad('--days', o.days, 'an integer from 1 to 366');
  if (!Number.isFinite(o.seed)) bad('--seed', o.seed, 'an integer seed');
  if (o.transactions !== undefined && (!Number.isInteger(o.transactions) || o.transactions < 0)) bad('--transactions', o.transactions, 'a non-negative integer');
  if (o.faultRate !== undefined && (!Number.isFinite(o.faultRate) || o.faultRate < 0)) bad('faultRate', o.faultRate, 'a non-negative number (1 = default)');
  if (o.night !== undefined && (!Number.isInteger(o.night) || o.night < 1 || o.night > 999)) bad('--night', o.night, 'an integer from 1 to 999');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(o.start);
  if (!m) return bad('--start', o.start, 'a local date as YYYY-MM-DD');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) bad('--start', o.start, 'a real calendar date as YYYY-MM-DD');
  return { y, m: mo, d };
}

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const { y, m, d } = validate(options);
  const clock = new Clock(options.tz);
  const night = options.night ?? 1;
  const startWall = Date.UTC(y, m - 1, d) + (night - 1) * options.days * DAY_MS;
  const g = new Generator(options, clock, startWall);
  mkdirSync(options.out, { recursive: true });
  const files = {
    terminal: join(options.out, 'terminal.ndjson'),
    events: join(options.out, 'events.ndjson'),
    settlement: join(options.out, 'settlement.csv'),
    truth: join(options.out, 'truth.ndjson'),
    truthSummary: join(options.out, 'truth.json'),
  };
  const sinks = {
    txn: new Sink(files.terminal),
    evt: new Sink(files.events),
    stl: new Sink(files.settlement),
    truth: new Sink(files.truth),
  };
  try {
    await g.run(sinks);
    await Promise.all([sinks.txn.close(), sinks.evt.close(), sinks.stl.close(), sinks.truth.close()]);
  } catch (err) {
    for (const s of Object.values(sinks)) s.destroy();
    throw err;
  }
  const byCause = sortKeys(g.byCause) as Partial<Record<CauseId, number>>;
  const byOutcome = sortKeys(g.byOutcome) as Partial<Record<TruthOutcome, number>>;
  const summary = {
    schemaVersion: 1,
    generatedAt: options.generatedAt ?? null,
    seed: options.seed,
    options: {
      terminals: options.terminals,
      days: options.days,
      seed: options.seed,
      start: options.start,
      tz: options.tz,
      transactions: g.target,
      faultRate: options.faultRate ?? 1,
      night,
      /** First local date of this night's data (`start` shifted by the nights before it). */
      nightStart: new Date(startWall).toISOString().slice(0, 10),
    },
    counts: {
      transactions: sinks.txn.lines,
      events: sinks.evt.lines,
      settlementRows: sinks.stl.lines - 1,
      truthCases: sinks.truth.lines,
      byCause,
      byOutcome,
    },
    faultyTerminals: g.faultyTerminals(),
    incidents: g.incidents,
    /** The nightly day-end cutover of every day: fleet-wide 90 declines, an expected incident, no fault. */
    cutovers: g.cutovers,
    night,
    /** Terminals whose fault began on this night (always empty on night 1). */
    newFaults: g.newFaults,
    terminals: g.truthTerminals(),
    merchants: g.truthMerchants(),
  };
  const { writeFile } = await import('node:fs/promises');
  await writeFile(files.truthSummary, `${JSON.stringify(summary, null, 2)}\n`);
  return {
    out: options.out,
    files,
    transactions: sinks.txn.lines,
    events: sinks.evt.lines,
    settlementRows: sinks.stl.lines - 1,
    truthCases: sinks.truth.lines,
    byCause,
    byOutcome,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Time of day in ms as `HH:MM`. */
function hhmm(ms: number): string {
  const m = Math.floor(ms / MIN);
  return `${PAD2[Math.floor(m / 60) % 100]}:${PAD2[m % 60]}`;
}

/** P(X >= k) for X ~ Poisson(lambda). */
function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  // 1 - P(X <= k - 1), summed in log space to stay finite for large lambda.
  let term = Math.exp(-lambda);
  let cdf = 0;
  let logTerm = -lambda;
  for (let i = 0; i < k; i++) {
    if (i > 0) logTerm += Math.log(lambda) - Math.log(i);
    term = Math.exp(logTerm);
    cdf += term;
  }
  return Math.max(0, 1 - cdf);
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const k of Object.keys(o).sort()) r[k] = o[k];
  return r;
}

interface Sinks {
  txn: Sink;
  evt: Sink;
  stl: Sink;
  truth: Sink;
}

class Generator {
  readonly target: number;
  readonly byCause: Record<string, number> = {};
  readonly byOutcome: Record<string, number> = {};
  readonly incidents: { kind: string; start: string; end: string; terminals: string }[] = [];
  readonly newFaults: string[] = [];
  readonly cutovers: { start: string; end: string }[] = [];
  private readonly rng: Rng;
  private readonly night: number;
  private readonly terminals: Terminal[] = [];
  private readonly merchants: Merchant[] = [];
  private readonly counts: Int32Array;
  private readonly forced = new Map<number, Forced[]>();
  private readonly k: number;
  private outageDay = -1;
  private outageStart = 0;
  private times = new Float64Array(1024);

  // Per terminal-day scratch, reused.
  private sTxnId: string[] = [];
  private sRrn: string[] = [];
  private sAmt: number[] = [];
  private sFlag: number[] = [];
  private sVoided: boolean[] = [];
  private sCard: string[] = [];
  private sEntry: string[] = [];
  private sIsSale: boolean[] = [];
  private openPre: { amt: number; card: string; entry: string; txnId: string; rrn: string }[] = [];
  private noCodeFail: number[] = [];
  private readonly cur = new Attempt();
  private readonly day = new DayState();

  constructor(
    private readonly o: GenerateOptions,
    private readonly clock: Clock,
    private readonly startWall: number,
  ) {
    this.k = o.faultRate ?? 1;
    this.target = o.transactions ?? o.terminals * o.days * 120;
    this.night = o.night ?? 1;
    // The fleet and its faults come from the seed alone; traffic, counts and incidents from seed and night.
    const fleet = new Rng(o.seed, 1);
    this.buildFleet(fleet);
    const traffic = this.night === 1 ? fleet : new Rng(o.seed, 1000 + this.night);
    this.rng = this.night === 1 ? new Rng(o.seed, 2) : new Rng(o.seed, 2000 + this.night);
    if (this.night > 1) this.laterNights(new Rng(o.seed, 3));
    this.counts = this.buildCounts(traffic);
    this.planIncidents(traffic);
  }

  faultyTerminals(): { terminalId: string; fault: string; fromDay: number; toDay: number; variant?: string; fromTime?: string; toTime?: string }[] {
    return this.terminals
      .filter((t) => t.fault !== null)
      .map((t) => ({
        terminalId: t.id,
        fault: t.fault as string,
        fromDay: t.faultFrom,
        toDay: t.faultTo,
        ...(t.fault === 'terminal_hardware' ? { variant: t.hw } : {}),
        ...(t.faultStart > 0 || t.faultEnd < DAY_MS ? { fromTime: hhmm(t.faultStart), toTime: hhmm(t.faultEnd) } : {}),
      }));
  }

  truthTerminals(): TruthTerminal[] {
    // The healthy fleet's rate of each cause, for the detectability of each fault.
    const healthy: Record<string, number> = {};
    let healthyAttempts = 0;
    for (const t of this.terminals) {
      if (t.fault !== null) continue;
      healthyAttempts += t.attempts;
      for (const [c, n] of Object.entries(t.cases)) healthy[c] = (healthy[c] ?? 0) + n;
    }
    const merchantFaults = new Map<string, { cause: CauseId; day: number }[]>();
    for (const m of this.truthMerchants()) {
      const list = merchantFaults.get(m.merchantId) ?? [];
      list.push({ cause: m.cause, day: m.day });
      merchantFaults.set(m.merchantId, list);
    }
    return this.terminals.map((t) => {
      const base = { terminalId: t.id, merchantId: t.merchant.id };
      const mf = merchantFaults.get(t.merchant.id) ?? [];
      if (t.fault === null) return { ...base, rootCause: null, faults: [], merchantFaults: mf, attempts: t.attempts };
      // The "input_error" profile is a PIN pad that garbles PINs: the device's fault, whatever the host says.
      const cause: CauseId = t.fault === 'input_error' ? 'terminal_hardware' : (t.fault as CauseId);
      const fault: TruthFault = { cause, fromDay: t.faultFrom, toDay: t.faultTo };
      if (t.fault === 'input_error') fault.variant = 'pinpad-garbles';
      if (t.faultStart > 0 || t.faultEnd < DAY_MS) {
        fault.fromTime = hhmm(t.faultStart);
        fault.toTime = hhmm(t.faultEnd);
      }
      if (t.fault === 'terminal_hardware') fault.variant = t.hw;
      if (t.faultNight > 1) fault.sinceNight = t.faultNight;
      const rate = healthyAttempts > 0 ? (healthy[cause] ?? 0) / healthyAttempts : 0;
      const observed = t.cases[cause] ?? 0;
      const detectable = t.injected >= 5 && poissonTail(observed, Math.max(t.attempts * rate, 1e-9)) < 1e-5;
      return { ...base, rootCause: cause, faults: [fault], merchantFaults: mf, attempts: t.attempts, injected: t.injected, detectable };
    });
  }

  truthMerchants(): { merchantId: string; cause: CauseId; day: number }[] {
    const out: { merchantId: string; cause: CauseId; day: number }[] = [];
    for (const m of this.merchants) {
      for (let day = m.frozenFrom; day >= 0 && day <= m.frozenTo; day++) out.push({ merchantId: m.id, cause: 'merchant_account', day });
      if (m.riskDay >= 0) out.push({ merchantId: m.id, cause: 'merchant_risk', day: m.riskDay });
    }
    return out;
  }

  /**
   * Night 2 and later: the fleet's software rollout is behind it, and one more terminal per night (healthy
   * on night 1, at a merchant with no settlement fault, busy enough to tell) has a fault from then on.
   */
  private laterNights(r: Rng): void {
    for (const t of this.terminals) {
      if (t.rolloutDay >= 0) t.sw = t.rolloutTo;
      t.rolloutDay = -1;
      t.batchNo += (this.night - 1) * this.o.days;
      t.stan = 1 + ((t.stan + (this.night - 1) * 7919) % 999_999);
    }
    const eligible = r.shuffle(
      this.terminals.filter((t) => t.fault === null && t.weight >= 0.9 && t.merchant.frozenFrom < 0 && t.merchant.riskDay < 0),
    );
    for (let n = 2; n <= this.night && eligible.length > 0; n++) {
      const t = eligible[(n - 2) % eligible.length];
      if (t.fault !== null) break;
      let f = NEW_FAULT_CYCLE[(n - 2 + Math.abs(Math.trunc(this.o.seed))) % NEW_FAULT_CYCLE.length];
      if (f === 'network' && t.signalBase === 0) f = 'terminal_hardware';
      t.fault = f;
      t.faultFrom = 0;
      t.faultTo = this.o.days - 1;
      t.faultNight = n;
      if (f === 'terminal_hardware') t.hw = 'reader';
      if (f === 'terminal_software') t.sw = '3.2.4';
      if (n === this.night) this.newFaults.push(t.id);
    }
  }

  private buildFleet(r: Rng): void {
    const n = this.o.terminals;
    let left = 0;
    let merchant: Merchant | null = null;
    for (let i = 0; i < n; i++) {
      if (left === 0 || merchant === null) {
        const category = r.pick(CATEGORY_MIX);
        merchant = {
          id: `M${pad(10_000_000 + this.merchants.length * 7 + 3, 8)}`,
          category,
          spec: CATEGORIES[category],
          profile: r.chance(0.7) ? 'iso' : 'unionpay',
          frozenFrom: -1,
          frozenTo: -1,
          riskDay: -1,
        };
        this.merchants.push(merchant);
        left = r.pick([1, 1, 1, 2, 2, 3, 4]);
      }
      left--;
      const model = r.pick(MODELS);
      const connection = r.pick(CONNECTIONS);
      this.terminals.push({
        id: `88${pad(i + 1, 6)}`,
        merchant,
        model: model.name,
        newland: model.newland,
        sw: r.pick(VERSIONS),
        connection,
        weight: Math.min(4, Math.max(0.2, Math.exp(0.5 * r.normal()))),
        stan: 1 + r.int(900_000),
        batchNo: 1 + r.int(900),
        fault: null,
        faultFrom: -1,
        faultTo: -1,
        faultStart: 0,
        faultEnd: DAY_MS,
        faultNight: 1,
        hw: 'printer',
        attempts: 0,
        injected: 0,
        cases: {},
        rolloutDay: -1,
        rolloutTo: '3.3.0',
        signalBase: connection === '4g' ? -70 - r.int(18) : connection === 'wifi' ? -45 - r.int(20) : 0,
      });
    }
    const days = this.o.days;
    // A quarter of the fleet is faulty for part of the period, every profile represented in turn.
    const order = r.shuffle(this.terminals.map((_, i) => i));
    const faulty = Math.ceil(n / 4);
    let hwTurn = 0;
    let partialTurn = 0;
    for (let j = 0; j < faulty; j++) {
      const t = this.terminals[order[j]];
      const f = FAULT_CYCLE[j % FAULT_CYCLE.length];
      t.fault = f;
      if (f === 'cutoff') {
        t.faultFrom = r.int(days);
        t.faultTo = t.faultFrom;
      } else if (PARTIAL_OK.has(f) && partialTurn++ % 3 === 0) {
        // Active only part of one day, 4 to 8 hours around a time the shop trades (a fault at 3 a.m. in a
        // restaurant is invisible and harmless); it starts between 07:00 and 17:00.
        t.faultFrom = r.int(days);
        t.faultTo = t.faultFrom;
        const u = r.f();
        let h = 0;
        while (h < 23 && t.merchant.spec.cum[h] <= u) h++;
        const len = 4 * HOUR + r.int(4 * 4) * 15 * MIN;
        // The sampled busy hour falls in the first half of the span.
        t.faultStart = Math.min(17 * HOUR, Math.max(7 * HOUR, h * HOUR - r.int(len / (30 * MIN)) * 15 * MIN));
        t.faultEnd = Math.min(22 * HOUR + 30 * MIN, t.faultStart + len);
      } else {
        t.faultFrom = r.int(days);
        t.faultTo = Math.min(days - 1, t.faultFrom + r.int(Math.min(days, 3)));
      }
      if (f === 'terminal_hardware') t.hw = HW_CYCLE[hwTurn++ % HW_CYCLE.length];
      if (f === 'network' && t.connection === 'ethernet') t.connection = '4g';
      if (f === 'network' && t.signalBase === 0) t.signalBase = -80;
      if (f === 'terminal_software') t.sw = '3.2.4';
    }
    this.lengthenQuietFaults();
    // A fleet software rollout on one night: noise, not a fault.
    if (days > 1) {
      const rollout = 1 + r.int(days - 1);
      for (const t of this.terminals) if (t.fault !== 'terminal_software' && r.chance(0.3)) t.rolloutDay = rollout;
    }
    // Settlement faults go to merchants whose terminals are healthy, so each terminal has one answer.
    const withFault = new Set(this.terminals.filter((t) => t.fault !== null).map((t) => t.merchant));
    const clean = this.merchants.map((_, i) => i).filter((i) => !withFault.has(this.merchants[i]));
    const mOrder = r.shuffle(clean.length > 0 ? clean : this.merchants.map((_, i) => i));
    const frozen = Math.max(1, Math.round(this.merchants.length * 0.03));
    const risky = Math.max(1, Math.round(this.merchants.length * 0.02));
    for (let j = 0; j < frozen && j < mOrder.length; j++) {
      const mm = this.merchants[mOrder[j]];
      mm.frozenFrom = r.int(days);
      mm.frozenTo = mm.frozenFrom;
    }
    for (let j = frozen; j < frozen + risky && j < mOrder.length; j++) this.merchants[mOrder[j]].riskDay = r.int(days);
  }

  /**
   * A fault must be able to show: where the terminal's traffic over the fault's hours would yield fewer
   * than MIN_EXPECTED fault failures, the fault lasts the whole day, then every day of the night (a broken
   * PIN pad at a quiet shop stays broken: nobody calls it in). Where even that is not enough the fault
   * stays, and truth.json says `detectable: false` if it indeed did not show.
   */
  private lengthenQuietFaults(): void {
    const MIN_EXPECTED = 8;
    const days = this.o.days;
    let weights = 0;
    for (const t of this.terminals) weights += t.weight;
    const perDay = this.target / days / Math.max(1e-9, weights);
    for (const t of this.terminals) {
      if (t.fault === null || t.fault === 'cutoff') continue;
      const rate = FAULT_YIELD[t.fault] ?? 0.05;
      const dayAttempts = perDay * t.weight;
      const expected = (): number => {
        const partial = t.faultStart > 0 || t.faultEnd < DAY_MS;
        // A part-day fault runs 2.5 times as hard over about half of the day's traffic.
        const share = partial ? Math.min(1, (t.faultEnd - t.faultStart) / (12 * HOUR)) * 2.5 : 1;
        return rate * share * dayAttempts * (t.faultTo - t.faultFrom + 1);
      };
      if (expected() >= MIN_EXPECTED) continue;
      t.faultStart = 0;
      t.faultEnd = DAY_MS;
      if (expected() >= MIN_EXPECTED) continue;
      t.faultFrom = 0;
      t.faultTo = days - 1;
    }
  }

  private buildCounts(r: Rng): Int32Array {
    const T = this.o.terminals;
    const D = this.o.days;
    const w = new Float64Array(T * D);
    let sum = 0;
    for (let day = 0; day < D; day++) {
      const dow = new Date(this.startWall + day * DAY_MS).getUTCDay();
      const weekend = dow === 0 || dow === 6;
      for (let i = 0; i < T; i++) {
        const t = this.terminals[i];
        const v = t.weight * (weekend ? t.merchant.spec.weekend : 1) * r.range(0.85, 1.15);
        w[day * T + i] = v;
        sum += v;
      }
    }
    // Cumulative rounding: the total is exactly the target.
    const counts = new Int32Array(T * D);
    const scale = this.target / sum;
    let acc = 0;
    let prev = 0;
    for (let j = 0; j < w.length; j++) {
      acc += w[j] * scale;
      const cur = Math.round(acc);
      counts[j] = cur - prev;
      prev = cur;
    }
    return counts;
  }

  private planIncidents(r: Rng): void {
    const D = this.o.days;
    this.outageDay = r.int(D);
    this.outageStart = 11 * HOUR + 40 * MIN + r.int(50) * MIN;
    const w = this.startWall + this.outageDay * DAY_MS;
    this.incidents.push({
      kind: 'issuer_platform outage (91/96 fleet-wide)',
      start: this.clock.iso(w + this.outageStart),
      end: this.clock.iso(w + this.outageStart + 20 * MIN),
      terminals: 'all',
    });
    const cells = this.o.terminals * D;
    for (const kind of FORCED_KINDS) {
      for (let j = 0; j < 2; j++) {
        const cell = r.int(cells);
        const list = this.forced.get(cell);
        if (list) list.push(kind);
        else this.forced.set(cell, [kind]);
      }
    }
  }

  private makeDay(day: number): DayCtx {
    const wall = this.startWall + day * DAY_MS;
    const dayNo = Math.floor(wall / DAY_MS);
    const date = this.clock.dateOf(dayNo);
    const yearStart = Date.UTC(Number(date.slice(0, 4)), 0, 1);
    const doy = Math.floor((wall - yearStart) / DAY_MS) + 1;
    const off = this.clock.fixedOffsetForDay(wall);
    const cutLen = (2 + this.rng.int(4)) * MIN + this.rng.int(60_000);
    this.cutovers.push({ start: this.clock.iso(wall + 23 * HOUR), end: this.clock.iso(wall + 23 * HOUR + cutLen) });
    return {
      day,
      wall,
      date,
      yymmdd: date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10),
      rrnPrefix: date.slice(3, 4) + pad(doy, 3),
      settleDate: this.clock.dateOf(dayNo + 1),
      fixedOffset: off === null ? null : this.clock.offsetString(off),
      outage: day === this.outageDay ? [this.outageStart, this.outageStart + 20 * MIN] : null,
      cutover: [23 * HOUR, 23 * HOUR + cutLen],
      rrnSeq: 0,
      orphanSeq: 0,
    };
  }

  async run(s: Sinks): Promise<void> {
    s.stl.add('txnId,rrn,terminalId,merchantId,settlementDate,batchId,amount,currency,status,reasonCode,message\n');
    const T = this.o.terminals;
    for (let day = 0; day < this.o.days; day++) {
      const ctx = this.makeDay(day);
      for (let i = 0; i < T; i++) {
        this.terminalDay(s, ctx, this.terminals[i], this.counts[day * T + i], this.forced.get(day * T + i));
        if (s.txn.pending > FLUSH_AT) await s.txn.flush();
        if (s.stl.pending > FLUSH_AT) await s.stl.flush();
        if (s.evt.pending > FLUSH_AT) await s.evt.flush();
        if (s.truth.pending > FLUSH_AT) await s.truth.flush();
      }
    }
  }

  private tally(cause: CauseId, outcome: TruthOutcome): void {
    this.byCause[cause] = (this.byCause[cause] ?? 0) + 1;
    this.byOutcome[outcome] = (this.byOutcome[outcome] ?? 0) + 1;
  }

  private truth(s: Sinks, txnId: string, rrn: string, tid: string, cause: CauseId, outcome: TruthOutcome, note: string): void {
    let line = '{';
    if (txnId) line += `"txnId":"${txnId}",`;
    if (rrn) line += `"rrn":"${rrn}",`;
    s.truth.addAscii(`${line}"terminalId":"${tid}","cause":"${cause}","outcome":"${outcome}","note":"${note}"}\n`);
    this.tally(cause, outcome);
    const term = this.day.term;
    term.cases[cause] = (term.cases[cause] ?? 0) + 1;
  }

  /** Place a fault window on an actual transaction so it catches at least one. */
  private window(wins: Win[], ctx: DayCtx, n: number, kind: WinKind, minLen: number, maxLen: number, lead: number, span: [number, number]): Win | null {
    const r = this.rng;
    // Anchors only among the attempts inside the fault's active hours (times are sorted).
    let lo = 0;
    while (lo < n && this.times[lo] < span[0]) lo++;
    let hi = lo;
    while (hi < n && this.times[hi] < span[1]) hi++;
    if (hi === lo) return null;
    for (let attempt = 0; attempt < 6; attempt++) {
      const anchor = this.times[lo + r.int(hi - lo)];
      const start = Math.max(0, Math.floor(anchor - 5_000 - r.int(lead)));
      const end = Math.floor(start + r.range(minLen, maxLen));
      if (end > 23 * HOUR + 55 * MIN || end > span[1] + 10 * MIN) continue;
      if (ctx.outage && start < ctx.outage[1] + 30 * MIN && end > ctx.outage[0] - 30 * MIN) continue;
      if (start < ctx.cutover[1] + 30 * MIN && end > ctx.cutover[0] - 30 * MIN) continue;
      let clash = false;
      for (const w of wins) if (start < w.end + 90 * MIN && end > w.start - 90 * MIN) clash = true;
      if (clash) continue;
      const win = { start, end, kind };
      wins.push(win);
      return win;
    }
    return null;
  }

  private nearWindow(wins: Win[], t: number): boolean {
    for (const w of wins) if (t >= w.start - 45 * MIN && t <= w.end + 45 * MIN) return true;
    return false;
  }

  private terminalDay(s: Sinks, ctx: DayCtx, term: Terminal, n: number, forcedList: Forced[] | undefined): void {
    const r = this.rng;
    const k = this.k;
    const tid = term.id;
    const mid = term.merchant.id;
    const iso = term.merchant.profile === 'iso';
    const profile = term.merchant.profile;
    const cat = term.merchant.spec;
    const active = term.fault !== null && ctx.day >= term.faultFrom && ctx.day <= term.faultTo;
    const fault = active ? term.fault : null;
    const batch = pad(term.batchNo++ % 1_000_000, 6);
    const events: EventRow[] = [];
    term.attempts += n;

    // Software version changes happen overnight, before trading.
    if (term.fault === 'terminal_software' && ctx.day === term.faultFrom) {
      events.push({ t: 3 * HOUR + r.int(HOUR), event: 'SOFTWARE_UPDATE', detail: `${term.sw} -> 3.2.5` });
      term.sw = '3.2.5';
    } else if (term.fault === 'terminal_software' && ctx.day === term.faultTo + 1) {
      events.push({ t: 3 * HOUR + r.int(HOUR), event: 'SOFTWARE_UPDATE', detail: `${term.sw} -> 3.2.6` });
      term.sw = '3.2.6';
    } else if (term.rolloutDay === ctx.day) {
      events.push({ t: 2 * HOUR + r.int(2 * HOUR), event: 'SOFTWARE_UPDATE', detail: `${term.sw} -> ${term.rolloutTo}` });
      term.sw = term.rolloutTo;
    }
    const nightEvents = events.length;

    // Times of day, sorted; a cutoff-faulty terminal's cashier keeps trying through the 23:00 cutover.
    if (this.times.length < n) this.times = new Float64Array(Math.max(n, this.times.length * 2));
    const times = this.times;
    for (let i = 0; i < n; i++) {
      const u = r.f();
      let h = 0;
      while (h < 23 && cat.cum[h] <= u) h++;
      times[i] = h * HOUR + r.int(HOUR);
    }
    if (fault === 'cutoff' && n >= 4) {
      const extra = Math.min(3, n >> 2);
      for (let i = 0; i < extra; i++) times[i] = ctx.cutover[0] + r.int(ctx.cutover[1] - ctx.cutover[0]);
    }
    const ts = times.subarray(0, n).sort();

    const wins = fault !== null && n > 0 ? this.faultWindows(ctx, term, fault, n, events) : [];

    // Forced one-off cases (coverage for small fleets): armed at a random index of this terminal-day.
    const forcedDecl: Forced[] = [];
    const forcedSettle: Forced[] = [];
    let forcedAt = 0;
    let orphans = 0;
    if (forcedList) {
      forcedAt = r.int(Math.max(1, n));
      for (const f of forcedList) {
        if (f === 'orphan') orphans++;
        else if (f.startsWith('recon') || f === 'data_reject' || f === 'risk_hold') forcedSettle.push(f);
        else forcedDecl.push(f);
      }
    }
    if (r.chance(0.004 * k)) orphans++;

    this.sTxnId.length = 0;
    this.sRrn.length = 0;
    this.sAmt.length = 0;
    this.sFlag.length = 0;
    this.sVoided.length = 0;
    this.sCard.length = 0;
    this.sEntry.length = 0;
    this.sIsSale.length = 0;
    this.openPre.length = 0;
    this.noCodeFail.length = 0;

    const idPrefix = `TX${tid}_${ctx.yymmdd}_`;
    const sigBase = fault === 'network' ? term.signalBase - 25 : term.signalBase;
    const latBase = term.connection === 'ethernet' ? 250 : term.connection === 'wifi' ? 400 : term.connection === 'dialup' ? 2500 : 700;
    let wi = 0;
    const head = `","terminalId":"${tid}","merchantId":"${mid}","timestamp":"`;
    const tail = `,"softwareVersion":"${term.sw}","model":"${term.model}","connection":"${term.connection}"`;
    const profileField = `,"codeProfile":"${profile}"`;

    const st = this.day;
    st.term = term;
    st.ctx = ctx;
    st.iso = iso;
    st.profile = profile;
    st.cat = cat;
    st.fault = fault;
    st.wins = wins;
    st.events = events;
    st.forcedDecl = forcedDecl;
    st.forcedSettle = forcedSettle;
    st.forcedAt = forcedAt;
    st.batch = batch;
    st.idPrefix = idPrefix;
    st.sigBase = sigBase;
    st.latBase = latBase;
    st.lastFailCard = '';
    st.head = head;
    st.tail = tail;
    st.profileField = profileField;
    for (let i = 0; i < n; i++) {
      const t = ts[i];
      while (wi < wins.length && wins[wi].end < t) wi++;
      const win = wi < wins.length && wins[wi].start <= t ? wins[wi] : null;
      this.attempt(st, s, i, t, win);
    }

    this.settle(s, st, orphans);
    this.dayEvents(s, st, n, nightEvents);
  }

  private faultWindows(ctx: DayCtx, term: Terminal, fault: FaultProfile, n: number, events: EventRow[]): Win[] {
    const r = this.rng;
    // Fault windows for a faulty terminal on an active day.
    const wins: Win[] = [];
    {
      const add = (kind: WinKind, count: number, minLen: number, maxLen: number, lead: number): void => {
        for (let j = 0; j < count; j++) {
          const w = this.window(wins, ctx, n, kind, minLen, maxLen, lead, [term.faultStart, term.faultEnd]);
          if (!w) continue;
          switch (kind) {
            case 'netdown':
              if (term.connection === '4g' || term.connection === 'wifi') events.push({ t: w.start - 20_000, event: 'SIGNAL_LOW', detail: `rssi=${-105 - r.int(10)}dBm` });
              events.push({ t: w.start, event: 'NETWORK_DOWN', detail: NETDOWN_DETAIL[term.connection] ?? 'link down' });
              events.push({ t: w.end, event: 'NETWORK_UP', detail: term.connection });
              break;
            case 'printer':
              events.push({ t: w.start, event: 'PRINTER_PAPER_OUT', detail: 'printer status 2: out of paper' });
              break;
            case 'reader':
              events.push({ t: w.start, event: 'READER_FAULT', detail: r.chance(0.5) ? 'ICC power-on error' : 'magnetic stripe reader not responding' });
              break;
            case 'crash':
              events.push({ t: w.start, event: 'APP_CRASH', detail: r.pick(['java.lang.NullPointerException in EmvFlow', 'ANR in com.pos.payment', 'native crash SIGSEGV libemv.so']) });
              break;
            case 'signon':
              events.push({ t: w.start, event: 'SIGN_ON_FAILED', detail: r.chance(0.5) ? 'sign-on rejected: key exchange failed' : 'sign-on 0800 rejected' });
              // The re-sign-on that ends the episode.
              events.push({ t: w.end, event: 'SIGN_ON', detail: 'sign-on ok, working keys updated' });
              break;
            case 'power':
              events.push({ t: w.start, event: 'POWER_LOSS', detail: r.chance(0.5) ? 'mains power lost, on battery' : 'external power disconnected' });
              break;
          }
        }
      };
      switch (fault) {
        case 'network':
          add('netdown', 2 + r.int(3), 3 * MIN, 15 * MIN, 90_000);
          break;
        case 'terminal_hardware':
          if (term.hw === 'printer') add('printer', 2 + r.int(2), 15 * MIN, 45 * MIN, 60_000);
          else if (term.hw === 'reader') add('reader', 1 + r.int(3), 10 * MIN, 20 * MIN, 60_000);
          break;
        case 'terminal_software':
          add('crash', 2 + r.int(3), 1.5 * MIN, 4.5 * MIN, 45_000);
          break;
        case 'configuration':
          add('signon', 1, 5 * MIN, 20 * MIN, 120_000);
          break;
        case 'environment':
          // Unstable mains: the shop loses power several times a day.
          add('power', 3 + r.int(3), 5 * MIN, 15 * MIN, 60_000);
          break;
        default:
          break;
      }
      wins.sort((a, b) => a.start - b.start);
    }

    return wins;
  }

  /** Settlement rows for the terminal-day's approved money-moving attempts, with the settlement faults. */
  private settle(s: Sinks, st: DayState, orphans: number): void {
    const r = this.rng;
    const { term, ctx, fault, cat, batch } = st;
    const tid = term.id;
    const mid = term.merchant.id;
    // Settlement: every approved money-moving transaction not voided, except the injected faults.
    const batchCloseFailed = fault === 'cutoff';
    const m = term.merchant;
    const frozen = ctx.day >= m.frozenFrom && ctx.day <= m.frozenTo;
    const held = m.riskDay === ctx.day;
    const rowMid = `,${tid},${mid},${ctx.settleDate},${batch},`;
    for (let j = 0; j < this.sTxnId.length; j++) {
      if (this.sVoided[j]) continue;
      const id = this.sTxnId[j];
      const rrn = this.sRrn[j];
      const amt = money(this.sAmt[j]);
      if (batchCloseFailed) {
        term.injected++;
        this.truth(s, id, rrn, tid, 'cutoff', 'unsettled', 'batch close failed that night; never reached settlement');
        continue;
      }
      if (frozen) {
        const v = r.f();
        const reason = v < 0.4 ? 'MERCHANT_ACCOUNT_FROZEN,商户结算账户冻结' : v < 0.7 ? 'MERCHANT_ACCOUNT_FROZEN,' : ',商户结算账户冻结';
        s.stl.add(`${id},${rrn}${rowMid}${amt},CNY,failed,${reason}\n`);
        this.truth(s, id, rrn, tid, 'merchant_account', 'settlement_failed', 'merchant settlement account frozen');
        continue;
      }
      if (held || this.sFlag[j] === 5) {
        const v = r.f();
        const reason = v < 0.4 ? 'RISK_HOLD,风控冻结' : v < 0.7 ? 'RISK_HOLD,' : ',风控冻结';
        s.stl.add(`${id},${rrn}${rowMid}${amt},CNY,held,${reason}\n`);
        this.truth(s, id, rrn, tid, 'merchant_risk', 'settlement_failed', held ? 'merchant-day risk hold' : 'large amount risk hold');
        continue;
      }
      switch (this.sFlag[j]) {
        case 1:
          this.truth(s, id, rrn, tid, 'reconciliation', 'unsettled', 'approved but missing from settlement, no other signal');
          break;
        case 2: {
          const a = this.sAmt[j];
          const diff = r.chance(0.5) ? -Math.max(1, Math.round(a * 0.006)) : Math.max(100, Math.round(a * r.range(0.05, 0.15)));
          s.stl.add(`${id},${rrn}${rowMid}${money(Math.max(1, a + diff))},CNY,settled,,\n`);
          this.truth(s, id, rrn, tid, 'reconciliation', 'amount_mismatch', diff < 0 ? 'settled net of fee' : 'tip adjusted after batch');
          break;
        }
        case 3:
          s.stl.add(`${id},${rrn}${rowMid}${amt},CNY,settled,,\n`);
          s.stl.add(`${id},${rrn}${rowMid}${amt},CNY,settled,,\n`);
          this.truth(s, id, rrn, tid, 'reconciliation', 'duplicate', 'same rrn settled twice');
          break;
        case 4: {
          const reason = r.chance(0.6) ? 'INVALID_TXN_DATA,交易信息错误' : 'INVALID_TXN_DATA,';
          s.stl.add(`${id},${rrn}${rowMid}${amt},CNY,rejected,${reason}\n`);
          this.truth(s, id, rrn, tid, 'transaction_data', 'settlement_failed', 'settlement rejected: invalid transaction data');
          break;
        }
        default:
          s.stl.add(`${id},${rrn}${rowMid}${amt},CNY,settled,,\n`);
      }
    }
    for (let j = 0; j < orphans; j++) {
      const rrn = ctx.rrnPrefix + pad8(99_999_999 - ctx.orphanSeq++);
      const a = Math.max(100, Math.round(Math.exp(Math.log(cat.medianCents) + cat.sigma * r.normal())));
      s.stl.add(`,${rrn},${tid},${mid},${ctx.settleDate},${batch},${money(a)},CNY,settled,,\n`);
      this.truth(s, '', rrn, tid, 'reconciliation', 'orphan_settlement', 'settled with no terminal record');
    }

  }

  private dayEvents(s: Sinks, st: DayState, n: number, nightEvents: number): void {
    const r = this.rng;
    const { term, fault, wins, events, batch } = st;
    const tid = term.id;
    const ts = this.times;
    const batchCloseFailed = fault === 'cutoff';
    // Events: fault evidence, then noise placed well away from every failure that has no code.
    // The nightly batch close, after the day's last attempt; the cutoff fault is the one that fails.
    if (n > 0) {
      const t = Math.min(DAY_MS - 1000, Math.max(ts[n - 1] + MIN, 23 * HOUR + 10 * MIN + r.int(20 * MIN)));
      if (batchCloseFailed) events.push({ t, event: 'BATCH_CLOSE_FAILED', detail: `batch ${batch} not closed: totals unconfirmed` });
      else events.push({ t, event: 'BATCH_CLOSE', detail: `batch ${batch} closed, totals confirmed` });
    }
    const clear = (t: number): boolean => {
      for (const f of this.noCodeFail) if (Math.abs(f - t) < HOUR) return false;
      return !this.nearWindow(wins, t);
    };
    for (let j = 0; j < nightEvents; j++) {
      if (!clear(events[j].t)) events[j].event = '';
    }
    if (n > 0 && r.chance(0.12)) {
      const t = Math.floor(ts[0] - 10 * MIN - r.int(30 * MIN));
      if (t > 0 && clear(t)) {
        events.push({ t, event: 'REBOOT', detail: r.pick(['scheduled restart', 'operator restart']) });
        events.push({ t: t + 40_000, event: 'NETWORK_UP', detail: term.connection });
      }
    }
    if (r.chance(0.04)) {
      const t = HOUR + r.int(4 * HOUR);
      const len = MIN + r.int(3 * MIN);
      let busy = false;
      for (let i = 0; i < n && !busy; i++) if (ts[i] >= t - 5 * MIN && ts[i] <= t + len + 5 * MIN) busy = true;
      if (!busy && clear(t)) {
        events.push({ t, event: 'NETWORK_DOWN', detail: NETDOWN_DETAIL[term.connection] ?? 'link down' });
        events.push({ t: t + len, event: 'NETWORK_UP', detail: term.connection });
      }
    }
    if (events.length > 0) {
      events.sort((a, b) => a.t - b.t);
      for (const e of events) {
        if (e.event === '') continue;
        s.evt.addAscii(`{"kind":"event","terminalId":"${tid}","timestamp":"${this.stamp(st, Math.max(0, Math.floor(e.t)))}","event":"${e.event}","detail":"${e.detail}"}\n`);
      }
    }
  }

  /** One terminal record: its outcome, then type, amount and card, then the line and its truth. */
  private attempt(st: DayState, s: Sinks, i: number, t: number, win: Win | null): void {
    const r = this.rng;
    const k = this.k;
    const { term, ctx, cat, idPrefix, forcedSettle, forcedAt } = st;
    const tid = term.id;
    const a = this.cur;
    a.status = 'approved';
    a.rc = '';
    a.ec = '';
    a.msg = '';
    a.cause = '';
    a.note = '';
    a.hasRrn = true;
    a.noCode = false;
    a.fault = false;
    // In a card-reader fault cardholders try their card first.
    const u = win !== null && win.kind === 'reader' ? 0.33 + r.f() * 0.67 : r.f();
    a.entry = u < 0.33 ? 'qr' : u < 0.6 ? 'contactless' : u < 0.9 ? 'chip' : u < 0.97 ? 'swipe' : 'manual';

    this.outcome(st, i, t, win);

    // Type, amount and card follow the outcome: voids and completions need an approved original.
    let type = 'sale';
    let amt = -1;
    let card = '';
    let origTxnId = '';
    let origRrn = '';
    let settleFlag = 0;
    const seq = i + 1;
    const txnId = idPrefix + PAD2[Math.floor(seq / 1000) % 100] + PAD3[seq % 1000];
    if (a.status === 'approved') {
      const tv = r.f();
      const openSales = this.sTxnId.length;
      if (tv < 0.02 && openSales > 0) {
        const j = openSales - 1 - r.int(Math.min(openSales, 5));
        if (this.sIsSale[j] && !this.sVoided[j] && this.sFlag[j] === 0) {
          type = 'void';
          this.sVoided[j] = true;
          amt = this.sAmt[j];
          card = this.sCard[j];
          a.entry = this.sEntry[j];
          origTxnId = this.sTxnId[j];
          origRrn = this.sRrn[j];
        }
      } else if (tv < 0.045 && this.openPre.length > 0) {
        const p = this.openPre.shift() as (typeof this.openPre)[number];
        type = 'completion';
        amt = Math.max(100, Math.round(p.amt * r.range(0.85, 1)));
        card = p.card;
        a.entry = p.entry;
        origTxnId = p.txnId;
        origRrn = p.rrn;
      } else if (tv < 0.075) type = 'preauth';
      else if (tv < 0.1) type = 'refund';
      else if (tv < 0.12) type = 'balance';
    } else if (r.chance(0.04)) type = 'preauth';

    if (type !== 'balance' && amt < 0) {
      let c = Math.exp(Math.log(cat.medianCents) + cat.sigma * r.normal());
      c = r.chance(0.25) ? Math.round(c / 100) * 100 : Math.round(c);
      amt = Math.min(5_000_000, Math.max(100, c));
    }
    if (card === '') {
      card = st.lastFailCard !== '' && r.chance(0.6) ? st.lastFailCard : BINS[r.int(BINS.length)] + PAD4[r.int(10000)];
    }
    st.lastFailCard = a.status === 'approved' ? '' : card;

    const rrn = a.hasRrn ? ctx.rrnPrefix + pad8(ctx.rrnSeq++) : '';
    term.stan = term.stan >= 999_999 ? 1 : term.stan + 1;
    const stan = PAD3[Math.floor(term.stan / 1000)] + PAD3[term.stan % 1000];

    if (a.status === 'approved' && (type === 'sale' || type === 'refund' || type === 'completion')) {
      if (forcedSettle.length > 0 && i >= forcedAt) {
        const f = forcedSettle.pop() as Forced;
        settleFlag = f === 'recon_missing' ? (term.fault === null ? 1 : 2) : f === 'recon_mismatch' ? 2 : f === 'recon_dup' ? 3 : f === 'data_reject' ? 4 : 5;
        if (settleFlag === 5) amt = 500_000 + r.int(1_500_000);
      } else {
        const v = r.f() / k;
        // Missing with no other signal only where no fault event could explain it.
        if (v < 0.0002) settleFlag = term.fault === null ? 1 : 2;
        else if (v < 0.0004) settleFlag = 2;
        else if (v < 0.0006) settleFlag = 3;
        else if (v < 0.0008) settleFlag = 4;
        else if (amt >= 500_000 && v < 0.03) settleFlag = 5;
      }
      this.sTxnId.push(txnId);
      this.sRrn.push(rrn);
      this.sAmt.push(amt);
      this.sFlag.push(settleFlag);
      this.sVoided.push(false);
      this.sCard.push(card);
      this.sEntry.push(a.entry);
      this.sIsSale.push(type === 'sale');
    } else if (a.status === 'approved' && type === 'preauth') {
      this.openPre.push({ amt, card, entry: a.entry, txnId, rrn });
    }

    let line = `{"txnId":"${txnId}${st.head}${this.stamp(st, t)}","type":"${type}"`;
    if (amt >= 0) line += `,"amount":${money(amt)}`;
    line += `,"currency":"CNY","status":"${a.status}"`;
    if (a.rc) line += `,"responseCode":"${a.rc}"`;
    line += st.profileField;
    if (a.ec) line += `,"errorCode":"${a.ec}"`;
    if (a.msg) line += `,"message":"${a.msg}"`;
    line += `,"entryMode":"${a.entry}"`;
    if (rrn) line += `,"rrn":"${rrn}"`;
    line += `,"stan":"${stan}"`;
    if (a.status === 'approved') line += `,"authCode":"${PAD3[r.int(1000)]}${PAD3[r.int(1000)]}"`;
    line += `,"batchId":"${st.batch}","cardRef":"${card}"`;
    if (origTxnId) line += `,"origTxnId":"${origTxnId}","origRrn":"${origRrn}"`;
    line += st.tail;
    if (st.sigBase !== 0) line += `,"signalDbm":${st.sigBase - r.int(12)}`;
    if (a.status === 'timeout') line += `,"latencyMs":${term.newland ? 60000 : 30000}`;
    else if (a.hasRrn) line += `,"latencyMs":${Math.round(st.latBase * r.range(0.6, 1.8))}`;
    if (a.msg === '' || ASCII.test(a.msg)) s.txn.addAscii(`${line}}\n`);
    else s.txn.add(`${line}}\n`);

    if (a.cause !== '') {
      if (a.fault) term.injected++;
      this.truth(s, txnId, rrn, tid, a.cause, a.status as TruthOutcome, a.note);
      if (a.noCode) this.noCodeFail.push(t);
    }
  }

  /** Decides status and evidence of an attempt; rare branches live here so the hot path stays small. */
  private outcome(st: DayState, i: number, t: number, win: Win | null): void {
    const r = this.rng;
    const k = this.k;
    const a = this.cur;
    const { term, ctx, iso, fault, wins, events, forcedDecl, forcedAt } = st;
    if (win !== null && !(win.kind === 'reader' && a.entry === 'qr')) {
      a.hasRrn = false;
      a.status = 'failed';
      a.fault = true;
      switch (win.kind) {
        case 'netdown':
          a.cause = 'network';
          a.note = 'inside NETWORK_DOWN..NETWORK_UP, no code';
          a.noCode = true;
          break;
        case 'printer':
          a.cause = 'terminal_hardware';
          a.ec = 'PRINTER_PAPER_OUT';
          if (r.chance(0.5)) a.msg = '打印机缺纸';
          a.note = 'printer out of paper episode';
          break;
        case 'reader':
          a.cause = 'terminal_hardware';
          a.note = 'READER_FAULT logged by the failed read, no code';
          a.noCode = true;
          // The terminal logs the reader fault on every failed read, just before the attempt ends.
          if (t - win.start > 5_000) events.push({ t: t - 800 - r.int(2000), event: 'READER_FAULT', detail: a.entry === 'swipe' ? 'magnetic stripe read error' : a.entry === 'contactless' ? 'RF module not responding' : 'ICC power-on error' });
          break;
        case 'crash':
          a.cause = 'terminal_software';
          a.note = 'minutes after APP_CRASH, no code';
          a.noCode = true;
          break;
        case 'signon':
          a.cause = 'configuration';
          a.note = 'after SIGN_ON_FAILED, no code';
          a.noCode = true;
          break;
        case 'power':
          a.cause = 'environment';
          a.note = 'after POWER_LOSS, no code';
          if (r.chance(0.5)) a.msg = '停电';
          a.noCode = true;
          break;
      }
    } else if (ctx.outage !== null && t >= ctx.outage[0] && t < ctx.outage[1] && r.chance(0.65)) {
      if (r.chance(0.55)) this.decline(iso, '91', 'issuer_platform', '发卡方状态不正常，请稍后重试', 'Issuer or switch inoperative', 'fleet-wide platform outage');
      else this.decline(iso, '96', 'issuer_platform', '交换中心异常，请稍后重试', 'System malfunction', 'fleet-wide platform outage');
    } else if (t >= ctx.cutover[0] && t < ctx.cutover[1]) {
      this.decline(iso, '90', 'cutoff', '系统日切，请稍后重试', 'Cutoff is in process', 'during 23:00 day-end cutover');
    } else if (fault !== null && win === null && t >= term.faultStart && t < term.faultEnd && this.faultCoded(fault, term, a.entry, k)) {
      const v = r.f();
      a.fault = true;
      switch (fault) {
        case 'input_error':
          // The PIN pad garbles digits: the issuer sees a wrong PIN, sometimes one try too many. The cardholders
          // typed right: an analyst calls it the PIN pad (causes.md: every third PIN wrong is a broken PIN pad).
          if (v < 0.9) this.decline(iso, '55', 'terminal_hardware', '密码错误', 'Incorrect PIN', 'PIN pad garbles every third PIN');
          else this.decline(iso, '75', 'terminal_hardware', '密码错误次数超限', 'Allowable number of PIN tries exceeded', 'PIN pad garbles PINs: tries exceeded');
          break;
        case 'network':
          this.netFail(term, iso, 'weak-signal terminal', !this.nearOtherKind(wins, t, 'netdown'));
          break;
        case 'terminal_hardware':
          a.status = 'failed';
          a.hasRrn = false;
          a.cause = 'terminal_hardware';
          if (term.hw === 'reader') {
            a.ec = '-603';
            a.entry = 'chip';
            if (v < 0.3) a.msg = 'IC卡上电失败';
            a.note = 'ICC power-on error on faulty reader';
          } else if (term.hw === 'pinpad') {
            a.ec = 'PINPAD_FAULT';
            if (v < 0.3) a.msg = '密码键盘故障';
            a.note = 'faulty PIN pad';
          } else {
            a.ec = 'PRINTER_PAPER_OUT';
            a.note = 'printer out of paper';
          }
          break;
        case 'terminal_software':
          a.cause = 'terminal_software';
          if (v < 0.65) {
            this.decline(iso, '30', 'terminal_software', '格式错误', 'Format error', 'buggy version 3.2.5 builds bad messages');
          } else {
            a.status = 'failed';
            a.hasRrn = false;
            a.ec = '-3102';
            if (r.chance(0.3)) a.msg = '设备忙';
            a.note = 'printer device busy (concurrency bug)';
          }
          break;
        case 'configuration':
          if (iso) {
            if (v < 0.4) this.decline(iso, '03', 'configuration', '商户未登记', 'Invalid merchant', 'merchant registration broken');
            else this.decline(iso, '58', 'configuration', '不允许终端进行的交易', 'Transaction not permitted to terminal', 'terminal not enabled for txn type');
          } else if (v < 0.4) {
            this.decline(iso, 'A0', 'configuration', 'MAC校验错，请重新签到', 'MAC error', 'MAC key out of sync');
          } else if (v < 0.6) {
            this.decline(iso, '97', 'configuration', '终端未登记', 'Terminal not registered', 'terminal not registered at centre');
          } else if (v < 0.8) {
            this.decline(iso, '03', 'configuration', '商户未登记', 'Invalid merchant', 'merchant registration broken');
          } else {
            this.decline(iso, '58', 'configuration', '不允许终端进行的交易', 'Transaction not permitted to terminal', 'terminal not enabled for txn type');
          }
          break;
        default:
          break;
      }
    } else if (forcedDecl.length > 0 && i >= forcedAt) {
      const f = forcedDecl.pop() as Forced;
      this.oneOff(f, term, iso, !this.nearWindow(wins, t));
    } else {
      const v = r.f() / k;
      if (v < 0.0004) {
        const [code, zh, en] = r.pick(FRAUD);
        this.decline(iso, code, 'fraud', zh, en, 'lost, stolen or suspect card');
      }
      else if (v < 0.0006) this.decline(iso, '93', 'compliance', '交易违法、不能完成', 'Transaction cannot be completed, violation of law', 'regulatory block');
      else if (v < 0.0009) this.decline(iso, '12', 'transaction_data', '无效交易', 'Invalid transaction', 'invalid transaction data');
      else if (v < 0.0015) {
        if (r.chance(0.5)) this.decline(iso, '91', 'issuer_platform', '发卡方状态不正常，请稍后重试', 'Issuer or switch inoperative', 'sporadic issuer outage');
        else this.decline(iso, '96', 'issuer_platform', '交换中心异常，请稍后重试', 'System malfunction', 'sporadic switch fault');
      } else if (v < 0.003) this.netFail(term, iso, 'sporadic network failure', !this.nearWindow(wins, t));
      else if (v < 0.0033) {
        a.status = 'failed';
        a.hasRrn = false;
        a.ec = 'PRINTER_PAPER_OUT';
        a.cause = 'terminal_hardware';
        a.note = 'printer out of paper (sporadic)';
      } else if (v < 0.0133) {
        if (r.chance(0.85)) this.decline(iso, '05', 'issuer_decline', '交易失败，请联系发卡行', 'Do not honour', 'background decline');
        else this.decline(iso, '01', 'issuer_decline', '查发卡行', 'Refer to card issuer', 'background decline');
      } else if (v < 0.0263) {
        this.decline(iso, '51', 'cardholder_account', iso || r.chance(0.5) ? '余额不足' : '可用余额不足', 'Insufficient funds', 'background insufficient funds');
      } else if (v < 0.0363) {
        if (r.chance(0.35) && !this.nearWindow(wins, t)) {
          a.status = 'terminated';
          a.hasRrn = false;
          a.cause = 'input_error';
          a.msg = '用户取消';
          a.note = 'cardholder cancelled';
          a.noCode = true;
        } else this.decline(iso, '55', 'input_error', '密码错', 'Incorrect PIN', 'background wrong PIN');
      } else if (v < 0.0413) {
        if (r.chance(0.6)) this.decline(iso, '54', 'card', '该卡已过期', 'Expired card', 'background expired card');
        else {
          // Read from the card, not keyed: a keyed number would be an input error.
          if (a.entry === 'manual') a.entry = 'chip';
          this.decline(iso, '14', 'card', '无效卡号', 'Invalid card number', 'background invalid card number');
        }
      } else if (v < 0.0443) {
        if (r.chance(0.8)) this.decline(iso, '61', 'limits', '交易金额超限', 'Exceeds amount limit', 'background amount limit');
        else this.decline(iso, '65', 'limits', '超出消费次数限制', 'Exceeds frequency limit', 'background frequency limit');
      }
    }

  }

  private stamp(st: DayState, t: number): string {
    return st.ctx.fixedOffset !== null ? `${st.ctx.date}T${timeOfDay(t)}${st.ctx.fixedOffset}` : this.clock.iso(st.ctx.wall + t);
  }

  private decline(iso: boolean, code: string, c: CauseId, zh: string, en: string, why: string): void {
    const a = this.cur;
    a.status = 'declined';
    a.rc = code;
    a.cause = c;
    a.note = why;
    const mu = this.rng.f();
    a.msg = mu < 0.3 ? '' : !iso || mu < 0.65 ? zh : en;
  }

  private netFail(term: Terminal, iso: boolean, why: string, allowNoCode: boolean): void {
    const a = this.cur;
    const r = this.rng;
    a.cause = 'network';
    a.note = why;
    a.hasRrn = false;
    const v = r.f();
    if (v < 0.6 || (!allowNoCode && (v >= 0.8 || !iso))) {
      a.status = 'timeout';
      a.ec = term.newland ? (r.chance(0.6) ? '-306' : '-312') : 'COMM_TIMEOUT';
      if (r.chance(0.3)) a.msg = '通讯超时';
    } else if (v < 0.8 && iso) {
      a.status = 'failed';
      a.rc = 'Z3';
      if (r.chance(0.3)) a.msg = 'Unable to go online';
    } else {
      a.status = 'failed';
      a.msg = r.chance(0.5) ? '网络超时' : '通讯超时';
      a.noCode = true;
    }
  }

  /** Terminal-level coded failure rate on an active fault day (outside windows). */
  private faultCoded(fault: FaultProfile, term: Terminal, entry: string, k0: number): boolean {
    const r = this.rng;
    // A fault that strikes for a few hours strikes hard: the link or the device is mostly gone meanwhile.
    const k = term.faultStart > 0 || term.faultEnd < DAY_MS ? Math.min(2.5 * k0, 3) : k0;
    switch (fault) {
      case 'network':
        return r.chance(0.07 * k);
      case 'terminal_hardware':
        // A worn reader fails a fifth of chip reads; a failing PIN pad a fifth of PIN entries.
        if (term.hw === 'reader') return entry === 'chip' && r.chance(0.2 * k);
        if (term.hw === 'pinpad') return (entry === 'chip' || entry === 'swipe') && r.chance(0.2 * k);
        return false;
      case 'terminal_software':
        return r.chance(0.06 * k);
      case 'configuration':
        return r.chance(0.08 * k);
      case 'input_error':
        // Chip and swipe in China ask for the PIN; every third one comes out wrong.
        return (entry === 'chip' || entry === 'swipe') && r.chance(k / 3);
      default:
        return false;
    }
  }

  /** Message-only network failures are kept away from other event windows, where they would be ambiguous. */
  private nearOtherKind(wins: Win[], t: number, kind: WinKind): boolean {
    for (const w of wins) if (w.kind !== kind && t >= w.start - 45 * MIN && t <= w.end + 45 * MIN) return true;
    return false;
  }

  private oneOff(f: Forced, term: Terminal, iso: boolean, allowNoCode: boolean): void {
    switch (f) {
      case 'fraud':
        this.decline(iso, '43', 'fraud', '被窃卡', 'Stolen card', 'stolen card');
        break;
      case 'compliance':
        this.decline(iso, '93', 'compliance', '交易违法、不能完成', 'Transaction cannot be completed, violation of law', 'regulatory block');
        break;
      case 'txdata':
        this.decline(iso, '12', 'transaction_data', '无效交易', 'Invalid transaction', 'invalid transaction data');
        break;
      case 'platform':
        this.decline(iso, '96', 'issuer_platform', '交换中心异常，请稍后重试', 'System malfunction', 'sporadic switch fault');
        break;
      case 'network':
        this.netFail(term, iso, 'sporadic network failure', allowNoCode);
        break;
      default: {
        const a = this.cur;
        a.status = 'failed';
        a.hasRrn = false;
        a.ec = 'PRINTER_PAPER_OUT';
        a.cause = 'terminal_hardware';
        a.note = 'printer out of paper (one-off)';
      }
    }
  }

}
