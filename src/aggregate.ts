import type { CauseId } from '../rules/causes.js';
import { formatAmount } from './money.js';
import type { Counts, Finding, Outcome, Summary, TerminalEvent, TerminalReport, TerminalTxn, TimeBucket } from './model.js';
import { wilson } from './stats.js';
import type { Zone } from './time.js';

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
  failedMinor: number;
  unsettled: number;
  unsettledMinor: number;
  findings: number;
  byCause: Map<string, number>;
  byOutcome: Map<string, number>;
  first: number;
  last: number;
  softwareVersion?: string;
  model?: string;
  connection?: string;
  events: Map<string, number>;
}

interface BucketAgg {
  attempts: number;
  failures: number;
  byCause: Map<string, number>;
}

export const DIMENSIONS = ['softwareVersion', 'model', 'connection', 'merchantId', 'entryMode', 'hour'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const NONE = '(none)';

/** Sums per terminal, per time bucket and per group value: grows with terminals and hours, never with transactions. */
export class Aggregator {
  private readonly terminals = new Map<string, TerminalAgg>();
  private readonly buckets = new Map<number, BucketAgg>();
  private readonly currencies = new Map<string, number>();
  /** Attempts per incident bucket (UTC-aligned), for fleet incident detection. */
  readonly fineAttempts = new Map<number, number>();
  readonly groups = new Map<Dimension, Map<string, { attempts: number; failures: number }>>(DIMENSIONS.map((d) => [d, new Map()]));

  constructor(
    private readonly zone: Zone,
    private readonly bucketMs: number,
    private readonly fineMs: number,
  ) {}

  /** The value of a grouping dimension for an attempt; the hour is the local hour in --tz. */
  groupValue(dimension: Dimension, txn: { ts: number; softwareVersion?: string | null; model?: string | null; connection?: string | null; merchantId?: string | null; entryMode?: string | null }): string {
    if (dimension === 'hour') {
      const h = (((Math.floor((txn.ts + this.zone.offsetAt(txn.ts) * 60_000) / 3_600_000)) % 24) + 24) % 24;
      return h < 10 ? `0${h}` : String(h);
    }
    return txn[dimension] ?? NONE;
  }

  private terminal(id: string): TerminalAgg {
    let t = this.terminals.get(id);
    if (!t) {
      t = {
        terminalId: id, merchants: new Map(), attempts: 0, approved: 0, failures: 0, failedMinor: 0, unsettled: 0,
        unsettledMinor: 0, findings: 0, byCause: new Map(), byOutcome: new Map(), first: Infinity, last: -Infinity, events: new Map(),
      };
      this.terminals.set(id, t);
    }
    return t;
  }

  private bucket(ts: number): BucketAgg {
    // Buckets align to the local clock of --tz, so an hour bucket is a local hour.
    const offset = this.zone.offsetAt(ts) * 60_000;
    const start = Math.floor((ts + offset) / this.bucketMs) * this.bucketMs - offset;
    let b = this.buckets.get(start);
    if (!b) {
      b = { attempts: 0, failures: 0, byCause: new Map() };
      this.buckets.set(start, b);
    }
    return b;
  }

  txn(txn: TerminalTxn): void {
    const t = this.terminal(txn.terminalId);
    t.attempts++;
    if (txn.merchantId !== undefined) bump(t.merchants, txn.merchantId);
    if (txn.ts < t.first) t.first = txn.ts;
    if (txn.ts >= t.last) {
      t.last = txn.ts;
      // Context fields describe the terminal as last seen.
      if (txn.softwareVersion !== undefined) t.softwareVersion = txn.softwareVersion;
      if (txn.model !== undefined) t.model = txn.model;
      if (txn.connection !== undefined) t.connection = txn.connection;
    }
    bump(this.currencies, txn.currency);
    const b = this.bucket(txn.ts);
    b.attempts++;
    const fine = Math.floor(txn.ts / this.fineMs) * this.fineMs;
    this.fineAttempts.set(fine, (this.fineAttempts.get(fine) ?? 0) + 1);
    const failed = FAILED_STATUS[txn.status] !== undefined;
    for (const d of DIMENSIONS) {
      const groups = this.groups.get(d)!;
      const value = this.groupValue(d, txn);
      let g = groups.get(value);
      if (!g) groups.set(value, (g = { attempts: 0, failures: 0 }));
      g.attempts++;
      if (failed) g.failures++;
    }
    if (txn.status === 'approved') t.approved++;
    else if (failed) {
      t.failures++;
      t.failedMinor += txn.amount ?? 0;
      b.failures++;
    }
  }

  event(event: TerminalEvent): void {
    bump(this.terminal(event.terminalId).events, event.event);
  }

  finding(f: Finding, ts: number | undefined, amountMinor: number): void {
    const t = this.terminal(f.terminalId);
    if (f.merchantId !== null && t.merchants.size === 0) bump(t.merchants, f.merchantId);
    t.findings++;
    bump(t.byCause, f.cause);
    bump(t.byOutcome, f.outcome);
    if (SETTLEMENT_OUTCOMES.has(f.outcome)) {
      t.unsettled++;
      t.unsettledMinor += amountMinor;
    }
    if (ts !== undefined && FAILED_STATUS[f.status ?? ''] && !SETTLEMENT_OUTCOMES.has(f.outcome)) bump(this.bucket(ts).byCause, f.cause);
  }

  terminalReports(currency: string): TerminalReport[] {
    const out: TerminalReport[] = [];
    for (const t of this.terminals.values()) {
      out.push({
        terminalId: t.terminalId,
        merchantId: mostCommon(t.merchants),
        attempts: t.attempts,
        approved: t.approved,
        failures: t.failures,
        incidentFailures: 0,
        failureRate: wilson(t.failures, t.attempts),
        unsettled: t.unsettled,
        unsettledAmount: formatAmount(t.unsettledMinor, currency),
        failedAmount: formatAmount(t.failedMinor, currency),
        findings: t.findings,
        byCause: sortedCounts(t.byCause),
        byOutcome: sortedCounts(t.byOutcome),
        firstSeen: t.first === Infinity ? null : this.zone.format(t.first),
        lastSeen: t.last === -Infinity ? null : this.zone.format(t.last),
        softwareVersion: t.softwareVersion ?? null,
        model: t.model ?? null,
        connection: t.connection ?? null,
        events: sortedCounts(t.events),
        assessment: 'ok',
        rootCauses: [],
      });
    }
    return out.sort((a, b) => (a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : 0));
  }

  timeline(): TimeBucket[] {
    return [...this.buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, b]) => ({ start: this.zone.format(start), attempts: b.attempts, failures: b.failures, byCause: sortedCounts(b.byCause) }));
  }

  summary(terminals: readonly TerminalReport[], findings: readonly Finding[], currency: string, extra: Pick<Summary, 'settlement' | 'events' | 'unknownEvents'>): Summary {
    let attempts = 0, approved = 0, failures = 0, unsettled = 0, unsettledMinor = 0, first = Infinity, last = -Infinity;
    for (const t of this.terminals.values()) {
      attempts += t.attempts;
      approved += t.approved;
      failures += t.failures;
      unsettled += t.unsettled;
      unsettledMinor += t.unsettledMinor;
      if (t.first < first) first = t.first;
      if (t.last > last) last = t.last;
    }
    const byCause = new Map<string, number>();
    const byOutcome = new Map<string, number>();
    for (const f of findings) {
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
      unsettledAmount: formatAmount(unsettledMinor, currency),
      findings: findings.length,
      byCause: sortedCounts(byCause),
      byOutcome: sortedCounts(byOutcome),
      classified: findings.length - unknown,
      unknown,
      currency,
      currencies: sortedCounts(this.currencies),
      period: { start: first === Infinity ? null : this.zone.format(first), end: last === -Infinity ? null : this.zone.format(last) },
      ...extra,
    };
  }
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
