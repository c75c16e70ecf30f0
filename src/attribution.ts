import { CAUSE_BY_ID, EXPECTED_RATES, type CauseId } from '../rules/causes.js';
import { lowerBound } from './order.js';
import { renderMessage, type Lang } from '../rules/lib/messages.js';
import type { Baseline, Report, RootCause, TerminalReport } from './model.js';
import type { Observed } from './finding-table.js';
import { quantile } from 'simple-statistics';
import { episodeStarts, SAME_MOMENT_MS } from '../rules/lib/util.js';
import { benjaminiHochberg, binomialUpperTail, logBinomialUpperTail, round, wilson } from './stats.js';
import type { Zone } from './time.js';

/** The thresholds of a root cause, recorded in report.json so every figure can be recomputed. */
export const ATTRIBUTION = {
  test: 'binomial-greater',
  correction: 'bonferroni-over-windows, benjamini-hochberg',
  /** BH false-discovery rate across every terminal and cause tested. */
  alpha: 0.01,
  /** Fewer attempts than this and a terminal cannot be told apart from anything. */
  minAttempts: 30,
  /** Findings a cardholder-side or card-bound cause needs (and the fewest a stretch of hours is tested with). */
  minFindings: 3,
  /** A terminal cause must run at least this many times the baseline rate... */
  minRatio: 2,
  /** ...and a cardholder-side cause (wrong PIN, no funds) far more: it is normal background everywhere. */
  backgroundMinRatio: 4,
  /**
   * An issuer-side cause (an issuer or platform outage) is nothing a terminal can cause; a terminal shows an
   * excess of it only by chance or through its card mix, so it needs the background bar and twice the findings.
   */
  issuerSideMinFindings: 6,
  /**
   * A terminal-side cause that is not background (a crash, a printer fault, an orphaned settlement line) is
   * nearly absent from a healthy fleet: two findings can stand out, and the test and q-value decide whether they do.
   */
  terminalSideMinFindings: 2,
  /** ...when its baseline rate is below this; a cause as common as link timeouts needs the usual findings. */
  terminalSideRareRate: 0.001,
  /** Besides the whole period and each local day: stretches of these lengths, where a short fault shows. */
  windowHours: [1, 3, 6],
} as const;

/** Below this, the rest of the fleet is no baseline: a documented background rate is used instead. */
const MIN_FLEET_TERMINALS = 5;
const MIN_FLEET_ATTEMPTS = 2000;
/** A terminal this far above the first-pass rate is left out of the baseline for that cause. */
const OUTLIER_P = 1e-4;
/** Anchors for sliding windows per terminal and cause, at most (evenly spread when there are more). */
const MAX_ANCHORS = 200;
const HOUR = 3_600_000;
/** Windows of a terminal and cause checked against the fleet's own rate in the same stretch (the strongest first). */
const LOCAL_CANDIDATES = 8;
/** Other terminals with the cause in a stretch before their rate there counts: a burst, not one neighbour. */
const MIN_BURST_TERMINALS = 3;

/** Causes no terminal-side party (device owner, merchant, link provider) acts on. */
export function issuerSide(cause: CauseId): boolean {
  return !CAUSE_BY_ID.get(cause)!.whoActs.some((p) => p === 'terminal' || p === 'merchant' || p === 'network');
}

/**
 * How many findings a root cause of this cause needs at least (and as many above its baseline), given the
 * baseline rate it is compared with (omitted: the bar for a rare one).
 */
export function minFindingsFor(cause: CauseId, baseline = 0): number {
  const meta = CAUSE_BY_ID.get(cause)!;
  if (issuerSide(cause)) return ATTRIBUTION.issuerSideMinFindings;
  if (meta.background || meta.perCard || baseline >= ATTRIBUTION.terminalSideRareRate) return ATTRIBUTION.minFindings;
  return ATTRIBUTION.terminalSideMinFindings;
}

/** The findings that count for attribution: not unknown, not explained by a fleet incident. */
export function countsForAttribution(f: Observed['finding']): boolean {
  return f.cause !== 'unknown' && f.incident === null;
}

export interface AttributionOptions {
  zone: Zone;
  lang: Lang;
  /** Attempts of a terminal in [from, to). */
  attempts(terminalId: string, from: number, to: number): number;
  /** Attempts of the whole fleet in [from, to); without it windows are compared with the period's baseline only. */
  fleetAttempts?(from: number, to: number): number;
  /** A terminal's fault events in time order, each with the cause the events table gives it (routine events left out). */
  faultEvents?(terminalId: string): readonly { ts: number; name: string; cause: CauseId }[];
  /** Rates per cause to use when the fleet is too small (a previous run's, or the rules file's). */
  rates?: { source: 'previous' | 'expected'; byCause: Readonly<Record<string, number>> };
}

export interface AttributionResult {
  /** The terminal reports with assessment and root causes filled in (new objects). */
  terminals: TerminalReport[];
  summary: Report['attribution'];
}

interface Window {
  scope: RootCause['scope'];
  from: number;
  to: number;
  k: number;
  n: number;
}

interface Pair {
  /** What was counted: failed or unsettled transactions, or (no findings behind it) the terminal's fault events. */
  basis: 'findings' | 'events';
  terminal: TerminalReport;
  cause: CauseId;
  observed: readonly Observed[];
  times: number[];
  total: number;
  best: Window;
  baseline: number;
  tested: number;
  windows: number;
  p: number;
}

const MESSAGES = {
  figures: {
    en: '{k} of {n} attempts ({rate}, 95% CI {low}–{high}) against {base}{ratio}',
    zh: '{n} 笔交易中 {k} 笔（{rate}，95% 置信区间 {low}–{high}），基准为 {base}{ratio}',
  },
  eventFigures: {
    en: '{k} fault events with no failed attempt behind them, in {n} attempts\' time ({rate}, 95% CI {low}–{high}) against {base}{ratio}',
    zh: '{n} 笔交易期间发生 {k} 次故障事件（未必伴随交易失败；{rate}，95% 置信区间 {low}–{high}），基准为 {base}{ratio}',
  },
  fleetBase: { en: '{rate} in the rest of the fleet', zh: '其余终端 {rate}' },
  expectedBase: { en: 'an expected background rate of {rate} (the fleet is too small to compare with)', zh: '预期背景率 {rate}（终端数量太少，无法与全网比较）' },
  previousBase: { en: '{rate} in the previous run', zh: '上次运行的 {rate}' },
  test: {
    en: 'binomial test p = {p} after {m} windows tried (Bonferroni), Benjamini–Hochberg q = {q}',
    zh: '二项检验 p = {p}（已按 {m} 个时间窗校正），Benjamini–Hochberg q = {q}',
  },
  period: { en: 'over the whole period; {share} of them between {start} and {end}', zh: '整个时段；其中 {share} 集中在 {start} 至 {end}' },
  day: { en: 'on {day}: {inside} of the terminal\'s {total} such findings', zh: '集中在 {day}：占该终端同类 {total} 笔中的 {inside} 笔' },
  window: { en: 'between {start} and {end}: {inside} of the terminal\'s {total} such findings', zh: '集中在 {start} 至 {end}：占该终端同类 {total} 笔中的 {inside} 笔' },
  signals: { en: 'signals: {list}', zh: '信号：{list}' },
};

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

/**
 * For each terminal, the causes whose rate there stands significantly above a baseline, wherever the
 * findings concentrate: over the whole period, on one local day, or in a stretch of 1, 3 or 6 hours, each
 * terminal and cause corrected for the windows tried, then Benjamini–Hochberg across all. The baseline is the
 * rest of the fleet with terminals already significant for that cause left out; with too small a fleet it
 * is a documented background rate (or a previous run's). Returns new terminal reports; edits nothing given.
 */
export function attributeRootCauses(terminalsIn: readonly TerminalReport[], observed: Iterable<Observed>, options: AttributionOptions): AttributionResult {
  const { zone } = options;
  const byTerminal = new Map<string, Map<CauseId, Observed[]>>();
  for (const o of observed) {
    const f = o.finding;
    if (!countsForAttribution(f)) continue;
    let causes = byTerminal.get(f.terminalId);
    if (!causes) byTerminal.set(f.terminalId, (causes = new Map()));
    let list = causes.get(f.cause);
    if (!list) causes.set(f.cause, (list = []));
    list.push(o);
  }
  // Cardholder-side causes count cardholders, not attempts: one person retrying a wrong PIN is one episode;
  // causes that belong to the card count each card once.
  const counted = new Map<string, Map<CauseId, { observed: Observed[]; starts: boolean[]; k: number }>>();
  for (const [t, causes] of byTerminal) {
    const m = new Map<CauseId, { observed: Observed[]; starts: boolean[]; k: number }>();
    for (const [c, list] of causes) {
      list.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
      const meta = CAUSE_BY_ID.get(c)!;
      const episodes = meta.background ? episodeStarts(list) : list.map(() => true);
      // A lost card tried all afternoon is one card: after its first finding here, the same card adds nothing.
      const seen = new Set<string>();
      const starts = meta.perCard ? list.map((o, i) => episodes[i] && (o.cardKey === undefined || (!seen.has(o.cardKey) && !!seen.add(o.cardKey)))) : episodes;
      m.set(c, { observed: list, starts, k: starts.filter(Boolean).length });
    }
    counted.set(t, m);
  }
  const terminals = terminalsIn.map((t) => ({ ...t, rootCauses: [] as RootCause[] }));
  const eligible = terminals.filter((t) => t.assessment !== 'id_damaged' && t.attempts >= ATTRIBUTION.minAttempts);
  const fleetAttempts = terminals.reduce((s, t) => s + t.attempts, 0);
  const largest = terminals.reduce((m, t) => Math.max(m, t.attempts), 0);
  const fleetMode = eligible.length >= MIN_FLEET_TERMINALS && fleetAttempts - largest >= MIN_FLEET_ATTEMPTS;
  const mode: Baseline = fleetMode ? 'fleet' : options.rates?.source === 'previous' ? 'previous' : 'expected';

  // Robust fleet rate per cause: pooled over terminals not already far above the first-pass rate.
  const normal = new Map<CauseId, { k: number; n: number; out: Set<string>; spread: number }>();
  if (fleetMode) {
    const totals = new Map<CauseId, number>();
    for (const causes of counted.values()) for (const [c, l] of causes) totals.set(c, (totals.get(c) ?? 0) + l.k);
    for (const [cause, total] of totals) {
      const p1 = total / fleetAttempts;
      const entry = { k: 0, n: 0, out: new Set<string>(), spread: 0 };
      // How much terminals differ in this cause by their card mix alone: the 90th percentile of their rates.
      if (CAUSE_BY_ID.get(cause)!.background) {
        const rates = eligible.map((t) => (counted.get(t.terminalId)?.get(cause)?.k ?? 0) / t.attempts);
        entry.spread = rates.length ? quantile(rates, 0.9) : 0;
      }
      for (const t of terminals) {
        const k = counted.get(t.terminalId)?.get(cause)?.k ?? 0;
        if (k >= ATTRIBUTION.minFindings && binomialUpperTail(k, t.attempts, p1) < OUTLIER_P) entry.out.add(t.terminalId);
        else {
          entry.k += k;
          entry.n += t.attempts;
        }
      }
      normal.set(cause, entry);
    }
  }
  const expected = (cause: CauseId): number => {
    const given = options.rates?.byCause[cause];
    return given !== undefined && given > 0 ? given : EXPECTED_RATES[cause as Exclude<CauseId, 'unknown'>] ?? 0.002;
  };
  /** The baseline rate for one terminal and cause, and the (upper-bounded) rate it is tested against. */
  const baselineFor = (t: TerminalReport, cause: CauseId, k: number): { rate: number; tested: number } => {
    if (!fleetMode) {
      const r = expected(cause);
      return { rate: r, tested: r };
    }
    const nrm = normal.get(cause)!;
    const own = nrm.out.has(t.terminalId) ? { k: 0, n: 0 } : { k, n: t.attempts };
    const restK = nrm.k - own.k;
    const restN = Math.max(1, nrm.n - own.n);
    // A cause nobody else had is not proof: half a finding in the rest of the fleet, at least.
    const rate = Math.max(restK, 0.5) / restN;
    // Tested against the upper end of the baseline's own uncertainty (a thin baseline never makes a root
    // cause) and, for cardholder-side causes, of how much healthy terminals differ anyway.
    return { rate, tested: Math.max(rate, wilson(Math.max(restK, 0.5), restN).high, nrm.spread) };
  };

  // Every terminal's counted findings per cause in time order (leaving out the terminals already far above
  // the fleet for it), for the rest of the fleet's rate in one stretch; and each terminal's own, to take out.
  const timeline = new Map<CauseId, { ts: number[]; terminalId: string[] }>();
  const ownTimes = new WeakMap<object, number[]>();
  {
    const lists = new Map<CauseId, { ts: number; terminalId: string }[]>();
    for (const [terminalId, causes] of counted) {
      for (const [cause, c] of causes) {
        const out = normal.get(cause)?.out;
        const own: number[] = [];
        c.observed.forEach((o, i) => {
          if (c.starts[i] && o.ts !== undefined) own.push(o.ts);
        });
        own.sort((a, b) => a - b);
        ownTimes.set(c, own);
        if (out?.has(terminalId)) continue;
        let list = lists.get(cause);
        if (!list) lists.set(cause, (list = []));
        for (const ts of own) list.push({ ts, terminalId });
      }
    }
    for (const [cause, list] of lists) {
      list.sort((a, b) => a.ts - b.ts || (a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : 0));
      timeline.set(cause, { ts: list.map((x) => x.ts), terminalId: list.map((x) => x.terminalId) });
    }
  }
  /** The rest of the fleet's rate of a cause inside a window, when at least a few other terminals had it there; else 0. */
  const localRate = (cause: CauseId, terminalId: string, c: object, w: Window): number => {
    if (w.scope === 'period' || !options.fleetAttempts) return 0;
    const list = timeline.get(cause);
    if (!list) return 0;
    const lo = lowerBound(list.ts, w.from);
    const hi = lowerBound(list.ts, w.to);
    const out = normal.get(cause)?.out;
    const own = ownTimes.get(c)!;
    // Counted by position; only the few distinct terminals it takes are looked for one by one.
    const k = hi - lo - (out?.has(terminalId) ? 0 : lowerBound(own, w.to) - lowerBound(own, w.from));
    const others = new Set<string>();
    for (let i = lo; i < hi && others.size < MIN_BURST_TERMINALS; i++) if (list.terminalId[i] !== terminalId) others.add(list.terminalId[i]);
    if (others.size < MIN_BURST_TERMINALS) return 0;
    const n = options.fleetAttempts(w.from, w.to) - w.n;
    return n > 0 ? Math.min(1, k / n) : 0;
  };

  const days = new Set<number>();
  for (const o of observed) if (o.ts !== undefined) days.add(zone.localDay(o.ts));
  const pairs: Pair[] = [];
  const testPair = (
    t: TerminalReport,
    cause: CauseId,
    c: { observed: Observed[]; starts: boolean[]; k: number },
    base: { rate: number; tested: number },
    local: (w: Window) => number,
    basis: Pair['basis'],
  ): Pair => {
    {
      const raw = c.observed;
      const timed = raw.map((o, i) => ({ ts: o.ts, start: c.starts[i] })).filter((x): x is { ts: number; start: boolean } => x.ts !== undefined);
      const times = timed.map((x) => x.ts);
      const windows: Window[] = [{ scope: 'period', from: -Infinity, to: Infinity, k: c.k, n: t.attempts }];
      if (days.size > 1) {
        const perDay = new Map<number, number>();
        for (const x of timed) if (x.start) perDay.set(zone.localDay(x.ts), (perDay.get(zone.localDay(x.ts)) ?? 0) + 1);
        for (const [day, k] of perDay) {
          const from = zone.fromWall(day * 86_400_000);
          const to = zone.fromWall((day + 1) * 86_400_000);
          windows.push({ scope: 'day', from, to, k, n: options.attempts(t.terminalId, from, to) });
        }
      }
      const step = Math.max(1, Math.ceil(times.length / MAX_ANCHORS));
      for (let i = 0; i < times.length; i += step) {
        for (const h of ATTRIBUTION.windowHours) {
          const from = times[i];
          const to = from + h * HOUR;
          let k = 0;
          for (let j = i; j < times.length && times[j] < to; j++) if (timed[j].start || j === i) k++;
          if (k < ATTRIBUTION.minFindings) continue;
          windows.push({ scope: 'window', from, to, k, n: Math.max(k, options.attempts(t.terminalId, from, to)) });
        }
      }
      // Every window counts in the correction, also those too thin to be worth a test.
      const m = 1 + (days.size > 1 ? days.size : 0) + Math.ceil(times.length / step) * ATTRIBUTION.windowHours.length;
      // The strongest windows against the period's baseline, then each against the rest of the fleet in the
      // same stretch too: where many terminals had this cause at once (an outage read as timeouts), one
      // terminal's share of it is the fleet's moment, not its own fault.
      const ranked = windows.map((w, order) => ({ w, order, log: logBinomialUpperTail(w.k, w.n, Math.min(base.tested, 1)) }));
      ranked.sort((a, b) => a.log - b.log || a.order - b.order);
      let best = windows[0];
      let bestLog = Infinity;
      let rate = base.rate;
      let tested = Math.min(base.tested, 1);
      for (const r of ranked.slice(0, LOCAL_CANDIDATES)) {
        const lr = local(r.w);
        const wTested = Math.min(Math.max(base.tested, lr), 1);
        const l = lr > base.tested ? logBinomialUpperTail(r.w.k, r.w.n, wTested) : r.log;
        if (l < bestLog - 1e-12 || (Math.abs(l - bestLog) <= 1e-12 && r.order < windows.indexOf(best))) {
          best = r.w;
          bestLog = l;
          rate = Math.max(base.rate, lr);
          tested = wTested;
        }
      }
      return { terminal: t, cause, observed: raw, times, total: c.k, best, baseline: rate, tested, windows: m, p: Math.min(1, Math.exp(bestLog) * m), basis };
    }
  };
  for (const t of eligible) {
    for (const [cause, c] of counted.get(t.terminalId) ?? []) {
      pairs.push(testPair(t, cause, c, baselineFor(t, cause, c.k), (w) => (fleetMode ? localRate(cause, t.terminalId, c, w) : 0), 'findings'));
    }
  }
  // Device events alone: a terminal that keeps losing power or its link may fail few attempts (it is off),
  // so its fault events are tested the same way, per attempt, against the fleet's rate of such events.
  // Only where its findings do not already make that cause (below), and never a cardholder- or issuer-side one.
  if (fleetMode && options.faultEvents) {
    const occ = new Map<string, Map<CauseId, Observed[]>>();
    for (const t of eligible) {
      const m = new Map<CauseId, Observed[]>();
      let last = -Infinity;
      for (const e of options.faultEvents(t.terminalId)) {
        // One occasion: a power loss and the link going down a second later are one thing that happened.
        const fresh = !(e.ts - last < SAME_MOMENT_MS);
        last = e.ts;
        if (!fresh || CAUSE_BY_ID.get(e.cause)!.background || issuerSide(e.cause)) continue;
        let list = m.get(e.cause);
        if (!list) m.set(e.cause, (list = []));
        list.push({ finding: { terminalId: t.terminalId, cause: e.cause, incident: null, evidence: [{ source: 'event', code: e.name, at: new Date(e.ts).toISOString() }] }, ts: e.ts, minor: 0 } as unknown as Observed);
      }
      if (m.size) occ.set(t.terminalId, m);
    }
    const totals = new Map<CauseId, number>();
    for (const m of occ.values()) for (const [c, l] of m) totals.set(c, (totals.get(c) ?? 0) + l.length);
    for (const t of eligible) {
      for (const [cause, list] of occ.get(t.terminalId) ?? []) {
        // The rest of the fleet's rate of these events, leaving out terminals far above it.
        const p1 = totals.get(cause)! / fleetAttempts;
        let restK = 0;
        let restN = 0;
        for (const u of eligible) {
          if (u === t) continue;
          const k = occ.get(u.terminalId)?.get(cause)?.length ?? 0;
          if (k >= ATTRIBUTION.minFindings && binomialUpperTail(k, u.attempts, p1) < OUTLIER_P) continue;
          restK += k;
          restN += u.attempts;
        }
        const rate = Math.max(restK, 0.5) / Math.max(1, restN);
        const base = { rate, tested: Math.max(rate, wilson(Math.max(restK, 0.5), Math.max(1, restN)).high) };
        pairs.push(testPair(t, cause, { observed: list, starts: list.map(() => true), k: list.length }, base, () => 0, 'events'));
      }
    }
  }
  const q = benjaminiHochberg(pairs.map((x) => x.p));
  const found = new Map<TerminalReport, RootCause[]>();
  pairs.forEach((pair, i) => {
    const { best: w, baseline } = pair;
    const rate = w.k / w.n;
    const ratio = baseline > 0 ? rate / baseline : null;
    const meta = CAUSE_BY_ID.get(pair.cause)!;
    const strict = meta.background || issuerSide(pair.cause);
    const minRatio = strict ? ATTRIBUTION.backgroundMinRatio : ATTRIBUTION.minRatio;
    const minFindings = pair.basis === 'events' ? ATTRIBUTION.minFindings : minFindingsFor(pair.cause, baseline);
    if (w.k < minFindings || q[i] > ATTRIBUTION.alpha || (ratio !== null && ratio < minRatio)) return;
    // Findings well above what the baseline explains; or, counted in whole findings (3 where the baseline
    // expects 0.001 are 3 unexplained), as few as the cause needs, when they are as many separate occasions:
    // one cardholder retrying at once is one occasion, whatever failed.
    const excess = w.k - w.n * baseline;
    if (excess < Math.max(minFindings, ATTRIBUTION.minFindings) && (Math.round(excess) < minFindings || episodesIn(pair.observed, w) < minFindings)) return;
    const list = found.get(pair.terminal) ?? [];
    list.push(rootCause(pair, q[i], mode, options));
    found.set(pair.terminal, list);
  });
  // A cause its findings already make keeps that root cause; its events are then part of the same story.
  for (const [t, list] of found) found.set(t, list.filter((r) => r.basis !== 'events' || !list.some((x) => x.cause === r.cause && x.basis !== 'events')));
  for (const t of terminals) {
    if (t.assessment === 'id_damaged') continue;
    t.assessment = t.attempts < ATTRIBUTION.minAttempts ? 'insufficient_data' : 'ok';
    const list = found.get(t);
    if (list?.length) {
      t.rootCauses = list.sort((a, b) => b.excess - a.excess || a.pValue - b.pValue || (a.cause < b.cause ? -1 : 1));
      t.assessment = 'attention';
    }
  }
  const baselineRates: Record<string, number> = {};
  if (!fleetMode) for (const c of Object.keys(EXPECTED_RATES) as CauseId[]) baselineRates[c] = expected(c);
  return {
    terminals,
    summary: {
      ...ATTRIBUTION,
      windowHours: [...ATTRIBUTION.windowHours],
      baseline: mode,
      baselineRates,
      tests: pairs.length,
      eventTests: pairs.filter((x) => x.basis === 'events').length,
      incidentBucketMinutes: 10,
    },
  };
}

function rootCause(pair: Pair, qValue: number, mode: Baseline, options: AttributionOptions): RootCause {
  const { zone, lang } = options;
  const w = pair.best;
  const interval = wilson(w.k, w.n);
  const rate = w.k / w.n;
  const ratio = pair.baseline > 0 ? round(rate / pair.baseline, 2) : null;
  const excess = round(w.k - w.n * pair.baseline, 1);
  const meta = CAUSE_BY_ID.get(pair.cause)!;
  const inside = w.scope === 'period' ? pair.times : pair.times.filter((ts) => ts >= w.from && ts < w.to);
  const window =
    w.scope === 'period'
      ? concentration(pair.times, zone)
      : { start: zone.format(w.from), end: zone.format(Math.min(w.to, inside[inside.length - 1] + 1)), share: round(inside.length / Math.max(1, pair.total), 3), findings: inside.length };
  const r = (key: keyof typeof MESSAGES, data: Record<string, string | number>) => renderMessage(MESSAGES[key], data, lang);
  const base = r(mode === 'fleet' ? 'fleetBase' : mode === 'previous' ? 'previousBase' : 'expectedBase', { rate: pct(pair.baseline) });
  const evidence = [
    r(pair.basis === 'events' ? 'eventFigures' : 'figures', { k: w.k, n: w.n, rate: pct(rate), low: pct(interval.low), high: pct(interval.high), base, ratio: ratio !== null ? `: ${ratio}×` : '' }),
    r('test', { p: pair.p.toExponential(2), m: pair.windows, q: qValue.toExponential(2) }),
  ];
  if (w.scope === 'period' && window) evidence.push(r('period', { share: pct(window.share), start: window.start, end: window.end }));
  if (w.scope === 'day') evidence.push(r('day', { day: zone.format(w.from).slice(0, 10), inside: inside.length, total: pair.total }));
  if (w.scope === 'window') evidence.push(r('window', { start: window!.start, end: window!.end, inside: inside.length, total: pair.total }));
  const behind = w.scope === 'period' ? pair.observed : pair.observed.filter((o) => o.ts !== undefined && o.ts >= w.from && o.ts < w.to);
  const signals = topSignals(behind);
  if (signals.length) evidence.push(r('signals', { list: signals.map((s) => `${s.source} ${s.code} ×${s.count}`).join(', ') }));
  return {
    ...(pair.basis === 'events' ? { basis: 'events' as const } : {}),
    cause: pair.cause,
    findings: w.k,
    attempts: w.n,
    rate: round(rate),
    rateInterval: { low: interval.low, high: interval.high },
    fleetRate: round(pair.baseline),
    baseline: mode,
    testedRate: pair.tested,
    ratio,
    excess,
    test: 'binomial-greater',
    scope: w.scope,
    windowsTested: pair.windows,
    pValue: pair.p,
    qValue,
    window,
    totalFindings: pair.total,
    signals,
    evidence,
    whoActs: [...meta.whoActs],
    retryable: meta.retryable,
    remediation: { ...meta.remediation },
  };
}

/**
 * Separate occasions among a pair's findings inside a window (all of them for the whole period): one
 * cardholder's retries are one, and so are failures at the same moment, whoever's card (a cutover at 23:00).
 */
function episodesIn(observed: readonly Observed[], w: Window): number {
  const inside = w.scope === 'period' ? observed : observed.filter((o) => o.ts !== undefined && o.ts >= w.from && o.ts < w.to);
  const starts = episodeStarts(inside);
  let n = 0;
  let last = -Infinity;
  inside.forEach((o, i) => {
    if (starts[i] && !(o.ts !== undefined && o.ts - last < SAME_MOMENT_MS)) n++;
    if (o.ts !== undefined) last = o.ts;
  });
  return n;
}

/** The shortest span holding 80% of the findings; reported only when it is a small part of the terminal's period. */
function concentration(times: readonly number[], zone: Zone): RootCause['window'] {
  if (times.length < 3) return null;
  const m = Math.ceil(times.length * 0.8);
  let best = Infinity;
  let at = 0;
  for (let i = 0; i + m - 1 < times.length; i++) {
    const span = times[i + m - 1] - times[i];
    if (span < best) {
      best = span;
      at = i;
    }
  }
  const whole = times[times.length - 1] - times[0];
  if (whole === 0 || best > whole * 0.5) return null;
  return { start: zone.format(times[at]), end: zone.format(times[at + m - 1]), share: round(m / times.length, 3), findings: m };
}

/**
 * The codes and events behind a root cause, most frequent first. A code is counted per finding; an event
 * once, however many findings it explains (one power loss behind 24 failures is one power loss).
 */
export function topSignals(list: readonly Observed[]): RootCause['signals'] {
  const counts = new Map<string, { source: string; code: string; count: number; events?: Set<string> }>();
  for (const o of list) {
    const seen = new Set<string>();
    for (const e of o.finding.evidence) {
      if (!e.code) continue;
      const key = `${e.source}\u0000${e.code}`;
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { source: e.source, code: e.code, count: 0 }));
      if (e.source === 'event') {
        (c.events ??= new Set()).add(`${o.finding.terminalId}\u0000${e.at ?? e.text}`);
        c.count = c.events.size;
      } else if (!seen.has(key)) c.count++;
      seen.add(key);
    }
  }
  return [...counts.values()]
    .map(({ source, code, count }) => ({ source, code, count }))
    .sort((a, b) => b.count - a.count || (a.source + a.code < b.source + b.code ? -1 : 1))
    .slice(0, 5);
}
