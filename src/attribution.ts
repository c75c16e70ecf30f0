import { CAUSE_BY_ID, type CauseId } from '../rules/causes.js';
import type { Finding, Report, RootCause, TerminalReport } from './model.js';
import type { Observed } from './model.js';
import { benjaminiHochberg, fisherExactGreater, round, wilson } from './stats.js';
import type { Zone } from './time.js';

/** The thresholds of a root cause, recorded in report.json so every figure can be recomputed. */
export const ATTRIBUTION = {
  test: 'fisher-exact-greater',
  correction: 'benjamini-hochberg',
  /** BH false-discovery rate across every terminal and cause tested. */
  alpha: 0.01,
  /** Fewer attempts than this and a terminal cannot be told apart from the fleet. */
  minAttempts: 30,
  minFindings: 3,
  /** A terminal cause must run at least this many times the rest of the fleet's rate... */
  minRatio: 2,
  /** ...and a cardholder-side cause (wrong PIN, no funds) far more: it is normal background everywhere. */
  backgroundMinRatio: 4,
  /**
   * An issuer-side cause (an issuer or platform outage) is nothing a terminal can cause; a terminal shows an
   * excess of it only by chance or through its card mix, so it needs the background bar and twice the findings.
   */
  issuerSideMinFindings: 6,
} as const;

/** Causes no terminal-side party (device owner, merchant, link provider) acts on. */
function issuerSide(cause: CauseId): boolean {
  return !CAUSE_BY_ID.get(cause)!.whoActs.some((p) => p === 'terminal' || p === 'merchant' || p === 'network');
}

/** Share of a cause's findings that the reported time window must hold. */
const WINDOW_SHARE = 0.8;

interface Pair {
  terminal: TerminalReport;
  cause: CauseId;
  findings: Observed[];
  p: number;
}

/** The findings that count for attribution: not unknown, not explained by a fleet incident. */
export function countsForAttribution(f: Finding): boolean {
  return f.cause !== 'unknown' && f.incident === null;
}

/**
 * For each terminal, the causes whose rate there is significantly above the rest of the fleet. Fills
 * `rootCauses` and `assessment` on the terminal reports; returns the number of tests made.
 */
export function attributeRootCauses(terminals: TerminalReport[], observed: readonly Observed[], zone: Zone): number {
  const byTerminal = new Map<string, Map<CauseId, Observed[]>>();
  const fleetByCause = new Map<CauseId, number>();
  for (const o of observed) {
    const f = o.finding;
    if (!countsForAttribution(f)) continue;
    let causes = byTerminal.get(f.terminalId);
    if (!causes) byTerminal.set(f.terminalId, (causes = new Map()));
    let list = causes.get(f.cause);
    if (!list) causes.set(f.cause, (list = []));
    list.push(o);
    fleetByCause.set(f.cause, (fleetByCause.get(f.cause) ?? 0) + 1);
  }
  let fleetAttempts = 0;
  for (const t of terminals) fleetAttempts += t.attempts;

  const pairs: Pair[] = [];
  for (const t of terminals) {
    t.rootCauses = [];
    if (t.assessment === 'id_damaged') continue;
    t.assessment = t.attempts < ATTRIBUTION.minAttempts ? 'insufficient_data' : 'ok';
    if (t.assessment === 'insufficient_data') continue;
    const restAttempts = fleetAttempts - t.attempts;
    if (restAttempts <= 0) continue;
    for (const [cause, list] of byTerminal.get(t.terminalId) ?? []) {
      const k = list.length;
      const restK = (fleetByCause.get(cause) ?? 0) - k;
      // Findings can outnumber attempts only through settlement-side lines; the table stays a valid 2x2.
      const p = fisherExactGreater(k, Math.max(0, t.attempts - k), restK, Math.max(0, restAttempts - restK));
      pairs.push({ terminal: t, cause, findings: list, p });
    }
  }
  const q = benjaminiHochberg(pairs.map((x) => x.p));
  pairs.forEach((pair, i) => {
    const t = pair.terminal;
    const k = pair.findings.length;
    const restAttempts = fleetAttempts - t.attempts;
    const restRate = ((fleetByCause.get(pair.cause) ?? 0) - k) / restAttempts;
    const rate = k / t.attempts;
    const ratio = restRate > 0 ? rate / restRate : null;
    const expected = t.attempts * restRate;
    const meta = CAUSE_BY_ID.get(pair.cause)!;
    const strict = meta.background || issuerSide(pair.cause);
    const minRatio = strict ? ATTRIBUTION.backgroundMinRatio : ATTRIBUTION.minRatio;
    const minFindings = issuerSide(pair.cause) ? ATTRIBUTION.issuerSideMinFindings : ATTRIBUTION.minFindings;
    if (k < minFindings || q[i] > ATTRIBUTION.alpha || (ratio !== null && ratio < minRatio) || k - expected < minFindings) return;
    t.rootCauses.push(rootCause(pair, q[i], restRate, zone));
  });
  for (const t of terminals) {
    t.rootCauses.sort((a, b) => b.excess - a.excess || a.pValue - b.pValue || (a.cause < b.cause ? -1 : 1));
    if (t.rootCauses.length) t.assessment = 'attention';
  }
  return pairs.length;
}

function rootCause(pair: Pair, qValue: number, restRate: number, zone: Zone): RootCause {
  const t = pair.terminal;
  const k = pair.findings.length;
  const interval = wilson(k, t.attempts);
  const rate = k / t.attempts;
  const ratio = restRate > 0 ? round(rate / restRate, 2) : null;
  const excess = round(k - t.attempts * restRate, 1);
  const meta = CAUSE_BY_ID.get(pair.cause)!;
  const window = concentration(pair.findings, zone);
  const signals = topSignals(pair.findings);
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
  const evidence = [
    `${k} of ${t.attempts} attempts (${pct(rate)}, 95% CI ${pct(interval.low)}–${pct(interval.high)}) against ${pct(restRate)} in the rest of the fleet${ratio !== null ? `: ${ratio}×` : ''}`,
    `Fisher exact test (one-sided) p = ${pair.p.toExponential(2)}, Benjamini–Hochberg q = ${qValue.toExponential(2)}`,
  ];
  if (window) evidence.push(`${Math.round(window.share * 100)}% of them between ${window.start} and ${window.end}`);
  if (signals.length) evidence.push(`signals: ${signals.map((s) => `${s.source} ${s.code} ×${s.count}`).join(', ')}`);
  return {
    cause: pair.cause,
    findings: k,
    attempts: t.attempts,
    rate: round(rate),
    rateInterval: { low: interval.low, high: interval.high },
    fleetRate: round(restRate),
    ratio,
    excess,
    test: 'fisher-exact-greater',
    pValue: pair.p,
    qValue,
    window,
    signals,
    evidence,
    whoActs: [...meta.whoActs],
    retryable: meta.retryable,
    remediation: { ...meta.remediation },
  };
}

/** The shortest span holding 80% of the findings; reported only when it is a small part of the terminal's day. */
function concentration(list: readonly Observed[], zone: Zone): RootCause['window'] {
  const times = list.map((o) => o.ts).filter((ts): ts is number => ts !== undefined).sort((a, b) => a - b);
  if (times.length < 3) return null;
  const m = Math.ceil(times.length * WINDOW_SHARE);
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
  // Spread over most of the observed span: there is no window to speak of.
  if (whole === 0 || best > whole * 0.5) return null;
  return { start: zone.format(times[at]), end: zone.format(times[at + m - 1]), share: round(m / times.length, 3), findings: m };
}

/**
 * The codes and events behind a root cause, most frequent first. A code is counted per finding; an event
 * once, however many findings it explains (one power loss behind 24 failures is one power loss).
 */
function topSignals(list: readonly Observed[]): RootCause['signals'] {
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

export function attributionSummary(tests: number, incidentBucketMinutes: number): Report['attribution'] {
  return { ...ATTRIBUTION, tests, incidentBucketMinutes };
}
