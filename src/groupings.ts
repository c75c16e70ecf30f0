import { CAUSE_BY_ID } from '../rules/causes.js';
import { DIMENSIONS, SETTLEMENT_OUTCOMES, sortedCounts, type Aggregator } from './aggregate.js';
import { ATTRIBUTION, countsForAttribution } from './attribution.js';
import type { CardPattern, Finding, GroupStat, Grouping } from './model.js';
import type { Observed } from './finding-table.js';
import { benjaminiHochberg, fisherExactGreater, round, wilson } from './stats.js';

/** Groups shown per dimension (flagged ones always are). */
const MAX_GROUPS = 40;
const MIN_GROUP_FINDINGS = 5;
/** A card failing on this many terminals is the card's problem, not theirs. */
const CARD_MIN_TERMINALS = 3;
const MAX_CARDS = 50;

/**
 * Failure rates and cause mix per software version, model, connection, merchant, entry mode and hour; a
 * group is flagged for a cause when its rate stands significantly above the rest of the fleet's.
 */
export function buildGroupings(agg: Aggregator, observed: Iterable<Observed>): Grouping[] {
  const out: Grouping[] = [];
  const dimensions = DIMENSIONS.filter((d) => agg.groups.get(d)!.size >= 2);
  // Every dimension's counts in one pass over the findings (each read of a finding's field is a lookup).
  const countsOf = dimensions.map(() => new Map<string, Map<string, number>>());
  const totals = new Map<string, number>();
  for (const o of observed) {
    if (o.ts === undefined || !countsForAttribution(o.finding)) continue;
    const f = o.finding;
    const cause = f.cause;
    const txn = { ts: o.ts, softwareVersion: f.softwareVersion, model: f.model, connection: f.connection, merchantId: f.merchantId, entryMode: f.entryMode, damaged: o.damaged };
    for (let d = 0; d < dimensions.length; d++) {
      const value = agg.groupValue(dimensions[d], txn);
      const causeCounts = countsOf[d];
      let m = causeCounts.get(value);
      if (!m) causeCounts.set(value, (m = new Map()));
      m.set(cause, (m.get(cause) ?? 0) + 1);
    }
    totals.set(cause, (totals.get(cause) ?? 0) + 1);
  }
  for (let d = 0; d < dimensions.length; d++) {
    const dimension = dimensions[d];
    const attempts = agg.groups.get(dimension)!;
    const causeCounts = countsOf[d];
    let all = 0;
    for (const g of attempts.values()) all += g.attempts;
    const tests: { value: string; cause: string; k: number; n: number; restRate: number; p: number }[] = [];
    for (const [value, g] of attempts) {
      for (const [cause, k] of causeCounts.get(value) ?? []) {
        if (k < MIN_GROUP_FINDINGS || all - g.attempts <= 0) continue;
        const restK = (totals.get(cause) ?? 0) - k;
        const restN = all - g.attempts;
        tests.push({ value, cause, k, n: g.attempts, restRate: restK / restN, p: fisherExactGreater(k, Math.max(0, g.attempts - k), restK, Math.max(0, restN - restK)) });
      }
    }
    const q = benjaminiHochberg(tests.map((t) => t.p));
    const flags = new Map<string, GroupStat['flags']>();
    tests.forEach((t, i) => {
      const rate = t.k / t.n;
      const ratio = t.restRate > 0 ? rate / t.restRate : null;
      const min = CAUSE_BY_ID.get(t.cause as never)?.background ? ATTRIBUTION.backgroundMinRatio : ATTRIBUTION.minRatio;
      if (q[i] > ATTRIBUTION.alpha || (ratio !== null && ratio < min)) return;
      const list = flags.get(t.value) ?? [];
      list.push({ cause: t.cause as GroupStat['flags'][number]['cause'], findings: t.k, rate: round(rate), restRate: round(t.restRate), ratio: ratio === null ? null : round(ratio, 2), qValue: q[i] });
      flags.set(t.value, list);
    });
    const groups: GroupStat[] = [...attempts]
      .map(([value, g]) => ({
        value,
        attempts: g.attempts,
        failures: g.failures,
        failureRate: wilson(g.failures, g.attempts),
        byCause: sortedCounts(causeCounts.get(value) ?? new Map()),
        flags: (flags.get(value) ?? []).sort((a, b) => a.qValue - b.qValue || (a.cause < b.cause ? -1 : 1)),
      }))
      .sort((a, b) => (dimension === 'hour' ? (a.value < b.value ? -1 : 1) : b.attempts - a.attempts || (a.value < b.value ? -1 : 1)));
    const shown = groups.filter((g, i) => i < MAX_GROUPS || g.flags.length > 0);
    out.push({ dimension, groups: shown });
  }
  return out;
}

/**
 * Cards that failed on several terminals, grouped by card identity (a keyed hash of the number), so two
 * cards that share first 6 and last 4 digits never merge; shown by their masked reference.
 */
export function cardPatterns(observed: Iterable<Observed>): CardPattern[] {
  // Most cards fail once: a card holds its first terminal and cause, and sets only once a second one comes.
  const cards = new Map<string, { cardRef: string; terminal: string; terminals: Set<string> | null; cause: string; failures: number; causes: Map<string, number> | null }>();
  for (const o of observed) {
    const f = o.finding;
    if (f.cardRef === null || o.cardKey === undefined || SETTLEMENT_OUTCOMES.has(f.outcome) || f.status === null) continue;
    const c = cards.get(o.cardKey);
    if (!c) {
      cards.set(o.cardKey, { cardRef: f.cardRef, terminal: f.terminalId, terminals: null, cause: f.cause, failures: 1, causes: null });
      continue;
    }
    if (c.terminals !== null || f.terminalId !== c.terminal) (c.terminals ??= new Set([c.terminal])).add(f.terminalId);
    if (c.causes !== null || f.cause !== c.cause) {
      c.causes ??= new Map([[c.cause, c.failures]]);
      c.causes.set(f.cause, (c.causes.get(f.cause) ?? 0) + 1);
    }
    c.failures++;
  }
  return [...cards]
    .filter(([, c]) => (c.terminals?.size ?? 1) >= CARD_MIN_TERMINALS)
    .map(([, c]) => ({ cardRef: c.cardRef, terminals: [...c.terminals!].sort(), failures: c.failures, byCause: sortedCounts(c.causes ?? new Map([[c.cause, c.failures]])) }))
    .sort((a, b) => b.terminals.length - a.terminals.length || b.failures - a.failures || (a.cardRef < b.cardRef ? -1 : a.cardRef > b.cardRef ? 1 : a.terminals.join() < b.terminals.join() ? -1 : 1))
    .slice(0, MAX_CARDS);
}
