import type { CauseId } from '../rules/causes.js';
import { FineCounts } from './fine-counts.js';
import { formatAmount } from './money.js';
import type { Counts, Finding, Money, Outcome, Summary, TerminalEvent, TerminalReport, TerminalTxn, TimeBucket } from './model.js';
import { wilson } from './stats.js';
import type { Zone } from './time.js';
import type { Observed, ObservedList } from './finding-table.js';

/** Terminal statuses that count as a failed attempt. */
export const FAILED_STATUS: Readonly<Record<string, Outcome>> = {
  declined: 'declined',
  failed: 'failed',
  timeout: 'timeout',
  terminated: 'terminated',
  unknown: 'unknown_outcome',
};

/** Outcomes that concern money that did not reach the merchant after an approval. */
export const SETTLEMENT_OUTCOMES: ReadonlySet<Outcome> = new Set(['unsettled', 'settlement_failed', 'amount_mismatch']);

interface TerminalAgg {
  terminalId: string;
  merchants: Map<string, number>;
  attempts: number;
  approved: number;
  failures: number;
  /** Minor units per currency: money of different currencies is never added up. */
  failedMinor: Map<string, number>;
  first: number;
  last: number;
  softwareVersion: Map<string, Seen>;
  model: Map<string, Seen>;
  connection: Map<string, Seen>;
  events: Map<string, number>;
  /** Its id was changed by Excel: nothing is concluded about it. */
  idDamaged: boolean;
  /** Attempts and failures per local hour of day (0–23 in --tz), for the terminal × hour heat map. */
  hourAttempts: number[];
  hourFailures: number[];
}

/** How often a terminal attribute value was seen, and when last: the most frequent one describes the terminal. */
interface Seen {
  count: number;
  last: number;
}

function see(map: Map<string, Seen>, value: string | undefined, ts: number): void {
  if (value === undefined) return;
  const s = map.get(value);
  if (s) {
    s.count++;
    if (ts > s.last) s.last = ts;
  } else map.set(value, { count: 1, last: ts });
}

/** The most frequent value; ties go to the one seen latest, then to the smaller text, so input order never decides. */
export function mostFrequent(map: ReadonlyMap<string, Seen>): string | null {
  let best: string | null = null;
  let b: Seen | undefined;
  for (const [v, s] of map) {
    if (!b || s.count > b.count || (s.count === b.count && (s.last > b.last || (s.last === b.last && v < best!)))) {
      best = v;
      b = s;
    }
  }
  return best;
}

/** Amounts per currency, sorted by currency code. */
export function moneyList(map: ReadonlyMap<string, number>): Money[] {
  return [...map].filter(([, v]) => v !== 0).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([currency, minor]) => ({ currency, amount: formatAmount(minor, currency) }));
}

interface BucketAgg {
  attempts: number;
  failures: number;
}

/** What the final findings add per terminal; counted once from them, after context (see tallyFindings). */
interface TerminalTally {
  merchantId: string | null;
  findings: number;
  incidentFailures: number;
  byCause: Map<string, number>;
  byOutcome: Map<string, number>;
  unsettled: number;
  unsettledMinor: Map<string, number>;
}

export interface FindingTally {
  terminals: Map<string, TerminalTally>;
  /** Failed attempts' causes per timeline bucket. */
  buckets: Map<number, Map<string, number>>;
}

/**
 * The findings' share of the per-terminal figures, from the findings as context left them. A phase of its
 * own, so the streaming sums above are never edited after the stream ends.
 */
export function tallyFindings(observed: Iterable<Observed>, bucketStart: (ts: number) => number): FindingTally {
  const terminals = new Map<string, TerminalTally>();
  const buckets = new Map<number, Map<string, number>>();
  for (const { finding: f, ts, minor } of observed) {
    let t = terminals.get(f.terminalId);
    if (!t) {
      t = { merchantId: f.merchantId, findings: 0, incidentFailures: 0, byCause: new Map(), byOutcome: new Map(), unsettled: 0, unsettledMinor: new Map() };
      terminals.set(f.terminalId, t);
    }
    if (t.merchantId === null) t.merchantId = f.merchantId;
    t.findings++;
    if (f.incident !== null) t.incidentFailures++;
    bump(t.byCause, f.cause);
    bump(t.byOutcome, f.outcome);
    if (SETTLEMENT_OUTCOMES.has(f.outcome)) {
      t.unsettled++;
      if (minor && f.currency) bump(t.unsettledMinor, f.currency, minor);
    }
    if (ts !== undefined && FAILED_STATUS[f.status ?? ''] && !SETTLEMENT_OUTCOMES.has(f.outcome)) {
      const start = bucketStart(ts);
      let b = buckets.get(start);
      if (!b) buckets.set(start, (b = new Map()));
      bump(b, f.cause);
    }
  }
  return { terminals, buckets };
}

const NO_TALLY: TerminalTally = { merchantId: null, findings: 0, incidentFailures: 0, byCause: new Map(), byOutcome: new Map(), unsettled: 0, unsettledMinor: new Map() };

export const DIMENSIONS = ['softwareVersion', 'model', 'connection', 'merchantId', 'entryMode', 'hour'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
const HOUR_DIMENSION = DIMENSIONS.indexOf('hour');
const HOURS = Array.from({ length: 24 }, (_, h) => (h < 10 ? `0${h}` : String(h)));

/** What Aggregator.txn reaches for on every attempt of a terminal, and the group each dimension fell in last. */
interface TerminalSlot {
  t: TerminalAgg;
  own: FineCounts;
  ok: FineCounts | undefined;
  lastValue: string[];
  lastGroup: { attempts: number; failures: number }[];
}
export const NONE = '(none)';

/** Sums per terminal, per time bucket and per group value: grows with terminals and hours, never with transactions. */
export class Aggregator {
  private readonly terminals = new Map<string, TerminalAgg>();
  private readonly buckets = new Map<number, BucketAgg>();
  private readonly currencies = new Map<string, number>();
  /** Attempts per incident bucket (UTC-aligned), for fleet incident detection. */
  readonly fineAttempts = new Map<number, number>();
  /** The same per terminal (by bucket number), for context rules that measure a terminal against the fleet in a window. */
  private readonly terminalFine = new Map<string, FineCounts>();
  /** Approved attempts per terminal and fine bucket (by number): when the terminal last got through. */
  private readonly approvedFine = new Map<string, FineCounts>();
  readonly groups = new Map<Dimension, Map<string, { attempts: number; failures: number }>>(DIMENSIONS.map((d) => [d, new Map()]));
  /** The same maps in DIMENSIONS order. */
  private readonly groupList = DIMENSIONS.map((d) => this.groups.get(d)!);
  private readonly slots = new Map<string, TerminalSlot>();

  constructor(
    private readonly zone: Zone,
    private readonly bucketMs: number,
    private readonly fineMs: number,
  ) {}

  /** The value of a grouping dimension for an attempt; the hour is the local hour in --tz. */
  groupValue(dimension: Dimension, txn: { ts: number; softwareVersion?: string | null; model?: string | null; connection?: string | null; merchantId?: string | null; entryMode?: string | null; damaged?: readonly string[] }): string {
    // An id Excel rounded stands for several real ones: it groups nothing.
    if (txn.damaged?.includes(dimension)) return NONE;
    if (dimension === 'hour') {
      const h = (((Math.floor((txn.ts + this.zone.offsetAt(txn.ts) * 60_000) / 3_600_000)) % 24) + 24) % 24;
      return HOURS[h];
    }
    return txn[dimension] ?? NONE;
  }

  private terminal(id: string): TerminalAgg {
    let t = this.terminals.get(id);
    if (!t) {
      t = {
        terminalId: id, merchants: new Map(), attempts: 0, approved: 0, failures: 0, failedMinor: new Map(), first: Infinity, last: -Infinity,
        softwareVersion: new Map(), model: new Map(), connection: new Map(), events: new Map(), idDamaged: false,
        hourAttempts: new Array<number>(24).fill(0), hourFailures: new Array<number>(24).fill(0),
      };
      this.terminals.set(id, t);
    }
    return t;
  }

  /** Everything the stream summed, as plain JSON (for --partial); `absorb` adds another shard's. */
  state(): AggregatorState {
    const terminals = [...this.terminals.values()].map((t) => ({
      ...t, first: finite(t.first), last: finite(t.last),
      merchants: [...t.merchants], failedMinor: [...t.failedMinor], events: [...t.events],
      softwareVersion: [...t.softwareVersion], model: [...t.model], connection: [...t.connection],
      hourAttempts: [...t.hourAttempts], hourFailures: [...t.hourFailures],
    }));
    return {
      terminals,
      buckets: [...this.buckets],
      currencies: [...this.currencies],
      fineAttempts: [...this.fineAttempts],
      terminalFine: [...this.terminalFine].map(([k, c]) => [k, this.fineEntries(c)]),
      approvedFine: [...this.approvedFine].map(([k, c]) => [k, this.fineEntries(c)]),
      groups: [...this.groups].map(([d, m]) => [d, [...m]]),
    };
  }

  /**
   * Adds a shard's sums. Shards hold disjoint terminals, so per-terminal state is taken as it is and only
   * fleet-wide sums (buckets, currencies, fine attempts, groups) are added.
   */
  absorb(s: AggregatorState | Aggregator): void {
    if (s instanceof Aggregator) return this.absorbLive(s);
    for (const t of s.terminals) {
      if (this.terminals.has(t.terminalId)) throw new Error(`terminal ${t.terminalId} is in two shards`);
      this.terminals.set(t.terminalId, {
        ...t, first: t.first ?? Infinity, last: t.last ?? -Infinity,
        merchants: new Map(t.merchants), failedMinor: new Map(t.failedMinor), events: new Map(t.events),
        softwareVersion: new Map(t.softwareVersion), model: new Map(t.model), connection: new Map(t.connection),
        hourAttempts: [...t.hourAttempts], hourFailures: [...t.hourFailures],
      });
    }
    for (const [k, m] of s.terminalFine) this.terminalFine.set(k, this.fineCounts(m));
    for (const [k, m] of s.approvedFine) this.approvedFine.set(k, this.fineCounts(m));
    this.addFleetSums(s);
  }

  /**
   * The same from a pass's aggregator in this thread, which nothing uses after the merge: its terminals'
   * sums and buckets are taken as they are (copying them would hold two of each at the merge).
   */
  private absorbLive(a: Aggregator): void {
    for (const [id, t] of a.terminals) {
      if (this.terminals.has(id)) throw new Error(`terminal ${id} is in two shards`);
      this.terminals.set(id, t);
    }
    for (const [k, m] of a.terminalFine) this.terminalFine.set(k, m);
    for (const [k, m] of a.approvedFine) this.approvedFine.set(k, m);
    this.addFleetSums({ buckets: a.buckets, currencies: a.currencies, fineAttempts: a.fineAttempts, groups: a.groups });
  }

  /** The fleet-wide sums of another part (its plain state or its aggregator), added to these. */
  private addFleetSums(s: {
    buckets: Iterable<readonly [number, BucketAgg]>;
    currencies: Iterable<readonly [string, number]>;
    fineAttempts: Iterable<readonly [number, number]>;
    groups: Iterable<readonly [Dimension, Iterable<readonly [string, { attempts: number; failures: number }]>]>;
  }): void {
    for (const [k, b] of s.buckets) {
      const mine = this.buckets.get(k);
      if (mine) (mine.attempts += b.attempts), (mine.failures += b.failures);
      else this.buckets.set(k, { ...b });
    }
    for (const [k, v] of s.currencies) bump(this.currencies, k, v);
    for (const [k, v] of s.fineAttempts) this.fineAttempts.set(k, (this.fineAttempts.get(k) ?? 0) + v);
    for (const [d, m] of s.groups) {
      const groups = this.groups.get(d)!;
      for (const [value, g] of m) {
        const mine = groups.get(value);
        if (mine) (mine.attempts += g.attempts), (mine.failures += g.failures);
        else groups.set(value, { ...g });
      }
    }
  }

  /** A terminal's attempts in [from, to), from its fine buckets (a bucket counts when it starts inside). */
  attemptsBetween(terminalId: string, from: number, to: number): number {
    const own = this.terminalFine.get(terminalId);
    if (!own) return 0;
    // Asked many times once reading is done (every window of every test): running sums, kept by FineCounts.
    return own.sumBetween(Math.floor(from / this.fineMs), Math.ceil(to / this.fineMs));
  }

  /** Whether the terminal had an approved attempt in a fine bucket lying wholly inside [from, to). */
  approvedBetween(terminalId: string, from: number, to: number): boolean {
    const ok = this.approvedFine.get(terminalId);
    if (!ok) return false;
    for (let b = Math.ceil(from / this.fineMs); (b + 1) * this.fineMs <= to; b++) if (ok.has(b)) return true;
    return false;
  }

  /** A terminal's fine buckets as the plain state writes them: [bucket start (epoch ms), count], in time order. */
  private fineEntries(c: FineCounts): [number, number][] {
    return c.entries().map(([b, n]) => [b * this.fineMs, n]);
  }

  private fineCounts(entries: readonly [number, number][]): FineCounts {
    const c = new FineCounts();
    for (const [start, n] of entries) c.add(Math.floor(start / this.fineMs), n);
    return c;
  }

  /** Every terminal's attempts in [from, to), from the fleet's fine buckets. */
  fleetAttemptsBetween(from: number, to: number): number {
    let n = 0;
    for (let b = Math.floor(from / this.fineMs) * this.fineMs; b < to; b += this.fineMs) n += this.fineAttempts.get(b) ?? 0;
    return n;
  }

  fleetAttempts(): number {
    let n = 0;
    for (const t of this.terminals.values()) n += t.attempts;
    return n;
  }

  terminalCount(): number {
    return this.terminals.size;
  }

  terminalAttempts(terminalId: string): number {
    return this.terminals.get(terminalId)?.attempts ?? 0;
  }

  /** Buckets align to the local clock of --tz, so an hour bucket is a local hour. */
  bucketStart(ts: number): number {
    const offset = this.zone.offsetAt(ts) * 60_000;
    return Math.floor((ts + offset) / this.bucketMs) * this.bucketMs - offset;
  }

  private bucketAt(start: number): BucketAgg {
    let b = this.buckets.get(start);
    if (!b) {
      b = { attempts: 0, failures: 0 };
      this.buckets.set(start, b);
    }
    return b;
  }

  txn(txn: TerminalTxn): void {
    const at = this.slotOf(txn.terminalId);
    const t = at.t;
    t.attempts++;
    if (txn.damaged?.includes('terminalId')) t.idDamaged = true;
    if (txn.merchantId !== undefined) bump(t.merchants, txn.merchantId);
    if (txn.ts < t.first) t.first = txn.ts;
    if (txn.ts > t.last) t.last = txn.ts;
    see(t.softwareVersion, txn.softwareVersion, txn.ts);
    see(t.model, txn.model, txn.ts);
    see(t.connection, txn.connection, txn.ts);
    bump(this.currencies, txn.currency);
    const offset = this.zone.offsetAt(txn.ts) * 60_000;
    const b = this.bucketAt(Math.floor((txn.ts + offset) / this.bucketMs) * this.bucketMs - offset);
    b.attempts++;
    const fineNo = Math.floor(txn.ts / this.fineMs);
    const fine = fineNo * this.fineMs;
    this.fineAttempts.set(fine, (this.fineAttempts.get(fine) ?? 0) + 1);
    at.own.add(fineNo);
    const failed = FAILED_STATUS[txn.status] !== undefined;
    const h = (Math.floor((txn.ts + offset) / 3_600_000) % 24 + 24) % 24;
    t.hourAttempts[h]++;
    if (failed) t.hourFailures[h]++;
    for (let i = 0; i < DIMENSIONS.length; i++) {
      const value = i === HOUR_DIMENSION ? HOURS[h] : this.groupValue(DIMENSIONS[i], txn);
      // A terminal's software, model, link and merchant rarely change from one attempt to the next.
      let g = at.lastValue[i] === value ? at.lastGroup[i] : undefined;
      if (g === undefined) {
        const groups = this.groupList[i];
        g = groups.get(value);
        if (!g) groups.set(value, (g = { attempts: 0, failures: 0 }));
        at.lastValue[i] = value;
        at.lastGroup[i] = g;
      }
      g.attempts++;
      if (failed) g.failures++;
    }
    if (txn.status === 'approved') {
      t.approved++;
      const ok = (at.ok ??= this.approvedOf(txn.terminalId));
      ok.add(fineNo);
    }
    else if (failed) {
      t.failures++;
      if (txn.amount) bump(t.failedMinor, txn.currency, txn.amount);
      b.failures++;
    }
  }

  /** A terminal's sums and fine buckets, found with one lookup per attempt. */
  private slotOf(id: string): TerminalSlot {
    let at = this.slots.get(id);
    if (at === undefined) {
      let own = this.terminalFine.get(id);
      if (!own) this.terminalFine.set(id, (own = new FineCounts()));
      at = { t: this.terminal(id), own, ok: this.approvedFine.get(id), lastValue: [], lastGroup: [] };
      this.slots.set(id, at);
    }
    return at;
  }

  private approvedOf(id: string): FineCounts {
    let ok = this.approvedFine.get(id);
    if (!ok) this.approvedFine.set(id, (ok = new FineCounts()));
    return ok;
  }


  event(event: TerminalEvent): void {
    bump(this.terminal(event.terminalId).events, event.event);
  }

  /** Terminals seen in the stream or only in findings (a settlement line's terminal), by id. */
  terminalReports(tally: FindingTally): TerminalReport[] {
    const out: TerminalReport[] = [];
    const ids = new Set([...this.terminals.keys(), ...tally.terminals.keys()]);
    for (const id of ids) {
      const t = this.terminals.get(id) ?? EMPTY_TERMINAL(id);
      const f = tally.terminals.get(id) ?? NO_TALLY;
      out.push({
        terminalId: t.terminalId,
        merchantId: mostCommon(t.merchants) ?? f.merchantId,
        attempts: t.attempts,
        approved: t.approved,
        failures: t.failures,
        incidentFailures: f.incidentFailures,
        failureRate: wilson(t.failures, t.attempts),
        unsettled: f.unsettled,
        unsettledAmount: moneyList(f.unsettledMinor),
        failedAmount: moneyList(t.failedMinor),
        findings: f.findings,
        byCause: sortedCounts(f.byCause),
        byOutcome: sortedCounts(f.byOutcome),
        firstSeen: t.first === Infinity ? null : this.zone.format(t.first),
        lastSeen: t.last === -Infinity ? null : this.zone.format(t.last),
        softwareVersion: mostFrequent(t.softwareVersion),
        model: mostFrequent(t.model),
        connection: mostFrequent(t.connection),
        events: sortedCounts(t.events),
        hours: { attempts: [...t.hourAttempts], failures: [...t.hourFailures] },
        assessment: t.idDamaged ? 'id_damaged' : 'ok',
        rootCauses: [],
      });
    }
    return out.sort((a, b) => (a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : 0));
  }

  timeline(tally: FindingTally): TimeBucket[] {
    return [...this.buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, b]) => ({ start: this.zone.format(start), attempts: b.attempts, failures: b.failures, byCause: sortedCounts(tally.buckets.get(start) ?? new Map()) }));
  }

  summary(terminals: readonly TerminalReport[], findings: ObservedList, tally: FindingTally, extra: Pick<Summary, 'settlement' | 'events' | 'unknownEvents'>): Summary {
    let attempts = 0, approved = 0, failures = 0, unsettled = 0, first = Infinity, last = -Infinity;
    const unsettledMinor = new Map<string, number>();
    const failedMinor = new Map<string, number>();
    for (const t of this.terminals.values()) {
      attempts += t.attempts;
      approved += t.approved;
      failures += t.failures;
      for (const [c, v] of t.failedMinor) bump(failedMinor, c, v);
      if (t.first < first) first = t.first;
      if (t.last > last) last = t.last;
    }
    for (const t of tally.terminals.values()) {
      unsettled += t.unsettled;
      for (const [c, v] of t.unsettledMinor) bump(unsettledMinor, c, v);
    }
    const byCause = new Map<string, number>();
    const byOutcome = new Map<string, number>();
    for (const { finding: f } of findings) {
      bump(byCause, f.cause);
      bump(byOutcome, f.outcome);
    }
    const unknown = byCause.get('unknown' satisfies CauseId) ?? 0;
    return {
      terminals: terminals.length,
      attempts,
      approved,
      failures,
      failureRate: wilson(failures, attempts),
      unsettled,
      unsettledAmount: moneyList(unsettledMinor),
      failedAmount: moneyList(failedMinor),
      findings: findings.length,
      byCause: sortedCounts(byCause),
      byOutcome: sortedCounts(byOutcome),
      classified: findings.length - unknown,
      unknown,
      currencies: sortedCounts(this.currencies),
      period: { start: first === Infinity ? null : this.zone.format(first), end: last === -Infinity ? null : this.zone.format(last) },
      ...extra,
    };
  }
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

type Entries<V> = [string, V][];
export interface AggregatorState {
  terminals: (Omit<TerminalAgg, 'first' | 'last' | 'merchants' | 'failedMinor' | 'events' | 'softwareVersion' | 'model' | 'connection'> & {
    first: number | null;
    last: number | null;
    merchants: Entries<number>;
    failedMinor: Entries<number>;
    events: Entries<number>;
    softwareVersion: Entries<Seen>;
    model: Entries<Seen>;
    connection: Entries<Seen>;
  })[];
  buckets: [number, BucketAgg][];
  currencies: Entries<number>;
  fineAttempts: [number, number][];
  terminalFine: [string, [number, number][]][];
  approvedFine: [string, [number, number][]][];
  groups: [Dimension, Entries<{ attempts: number; failures: number }>][];
}

function EMPTY_TERMINAL(id: string): TerminalAgg {
  return {
    terminalId: id, merchants: new Map(), attempts: 0, approved: 0, failures: 0, failedMinor: new Map(), first: Infinity, last: -Infinity,
    softwareVersion: new Map(), model: new Map(), connection: new Map(), events: new Map(), idDamaged: false,
    hourAttempts: new Array<number>(24).fill(0), hourFailures: new Array<number>(24).fill(0),
  };
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Counts as a plain object, largest first, ties by key, so JSON output is stable. */
export function sortedCounts(map: Map<string, number>): Counts {
  const out: Counts = {};
  for (const [k, v] of [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out[k] = v;
  return out;
}

function mostCommon(map: Map<string, number>): string | null {
  let best: string | null = null;
  let n = -1;
  for (const [k, v] of map) if (v > n || (v === n && best !== null && k < best)) [best, n] = [k, v];
  return best;
}
