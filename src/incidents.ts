import { causeLabel, type CauseId } from '../rules/causes.js';
import { renderMessage, type Lang } from '../rules/lib/messages.js';
import { SETTLEMENT_OUTCOMES, sortedCounts } from './aggregate.js';
import type { Finding, Incident } from './model.js';
import type { Observed, ObservedList } from './finding-table.js';
import { poissonUpperTail, round } from './stats.js';
import type { Zone } from './time.js';

export const INCIDENT_BUCKET_MINUTES = 10;
const BUCKET = INCIDENT_BUCKET_MINUTES * 60_000;
/** A burst bucket must be this unlikely under the cause's ordinary rate (Poisson tail). */
const BURST_P = 1e-6;
/** ... and this many times the ordinary rate, with at least this many failures. */
const BURST_RATIO = 5;
const BURST_MIN_FAILURES = 5;
/** A fleet incident touches several terminals; one terminal's burst is that terminal's own problem. */
const MIN_TERMINALS = 4;
const MIN_TERMINAL_SHARE = 0.02;

interface Cell {
  failures: number;
  terminals: Set<string>;
}

const MESSAGES = {
  touched: { en: '{failures} failures across {terminals} terminals and {merchants} merchants in {minutes} minutes', zh: '{minutes} 分钟内 {terminals} 台终端、{merchants} 个商户共 {failures} 笔失败' },
  rate: { en: '{rate} of attempts failed with {causes} in the window, against {baseline} in ordinary time', zh: '该时段内 {rate} 的交易因{causes}失败，平时为 {baseline}' },
  codes: { en: 'codes: {list}', zh: '代码：{list}' },
};

/**
 * Time windows where failures of a cause rise across many terminals at once (an issuer outage, a carrier
 * problem, a cutover), and the findings inside each of one of its causes. Edits nothing: the assignment is
 * returned, one entry per finding.
 */
export function detectIncidents(observed: ObservedList, attemptsByBucket: ReadonlyMap<number, number>, fleetTerminals: number): { windows: IncidentWindow[]; assigned: (string | null)[] } {
  const minTerminals = Math.max(MIN_TERMINALS, Math.ceil(fleetTerminals * MIN_TERMINAL_SHARE));
  const byCause = new Map<CauseId, Map<number, Cell>>();
  for (const o of observed) {
    const f = o.finding;
    if (o.ts === undefined || f.cause === 'unknown' || SETTLEMENT_OUTCOMES.has(f.outcome) || f.outcome === 'duplicate') continue;
    const b = Math.floor(o.ts / BUCKET) * BUCKET;
    let cells = byCause.get(f.cause);
    if (!cells) byCause.set(f.cause, (cells = new Map()));
    let cell = cells.get(b);
    if (!cell) cells.set(b, (cell = { failures: 0, terminals: new Set() }));
    cell.failures++;
    cell.terminals.add(f.terminalId);
  }
  let totalAttempts = 0;
  for (const a of attemptsByBucket.values()) totalAttempts += a;
  if (totalAttempts === 0) return { windows: [], assigned: new Array<string | null>(observed.length).fill(null) };

  interface Run { cause: CauseId; start: number; end: number; baseline: number }
  const runs: Run[] = [];
  for (const [cause, cells] of byCause) {
    let total = 0;
    for (const c of cells.values()) total += c.failures;
    const isBurst = (b: number, cell: Cell, rate: number) => {
      const attempts = attemptsByBucket.get(b) ?? 0;
      if (attempts === 0 || cell.failures < BURST_MIN_FAILURES || cell.terminals.size < minTerminals) return false;
      const expected = attempts * rate;
      return cell.failures >= BURST_RATIO * expected && poissonUpperTail(cell.failures, Math.max(expected, 1e-9)) < BURST_P;
    };
    // Two passes: the ordinary rate is estimated without the bursts the first pass finds.
    let bursts = [...cells].filter(([b, cell]) => isBurst(b, cell, total / totalAttempts)).map(([b]) => b);
    let outside = total;
    let outsideAttempts = totalAttempts;
    for (const b of bursts) {
      outside -= cells.get(b)!.failures;
      outsideAttempts -= attemptsByBucket.get(b) ?? 0;
    }
    const baseline = outsideAttempts > 0 ? outside / outsideAttempts : 0;
    bursts = [...cells].filter(([b, cell]) => isBurst(b, cell, baseline)).map(([b]) => b).sort((x, y) => x - y);
    if (bursts.length === 0) continue;
    // Neighbouring buckets that are still clearly elevated belong to the same incident (its ramp up and down).
    const elevated = (b: number) => {
      const cell = cells.get(b);
      const attempts = attemptsByBucket.get(b) ?? 0;
      return cell !== undefined && cell.failures >= 2 && cell.terminals.size >= 2 && cell.failures > 2 * attempts * baseline;
    };
    let start = bursts[0];
    let end = bursts[0] + BUCKET;
    const close = () => {
      while (elevated(start - BUCKET)) start -= BUCKET;
      while (elevated(end)) end += BUCKET;
      runs.push({ cause, start, end, baseline });
    };
    for (const b of bursts.slice(1)) {
      if (b <= end + BUCKET) end = b + BUCKET;
      else {
        close();
        start = b;
        end = b + BUCKET;
      }
    }
    close();
  }
  runs.sort((a, b) => a.start - b.start || (a.cause < b.cause ? -1 : 1));

  // Overlapping runs of different causes are one event seen through several causes.
  const merged: { start: number; end: number; runs: Run[] }[] = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) {
      last.end = Math.max(last.end, r.end);
      last.runs.push(r);
    } else merged.push({ start: r.start, end: r.end, runs: [r] });
  }

  const windows = merged.map((m, i): IncidentWindow => ({
    id: `I${i + 1}`,
    start: m.start,
    end: m.end,
    causes: [...new Set(m.runs.map((r) => r.cause))].sort(),
    baseline: m.runs.reduce((s, r) => s + r.baseline, 0),
  }));
  // Which findings each window explains: inside it, of one of its causes, first window first.
  const assigned = new Array<string | null>(observed.length).fill(null);
  if (windows.length > 0) {
    for (let i = 0; i < observed.length; i++) {
      const o = observed.at(i);
      const f = o.finding;
      if (o.ts === undefined || SETTLEMENT_OUTCOMES.has(f.outcome) || f.outcome === 'duplicate') continue;
      const w = windows.find((w) => o.ts! >= w.start && o.ts! < w.end && w.causes.includes(f.cause));
      if (w) assigned[i] = w.id;
    }
  }
  const used = new Set(assigned.filter((x): x is string => x !== null));
  return { windows: windows.filter((w) => used.has(w.id)), assigned };
}

/** A fleet incident as detected: its window (epoch ms), causes and the ordinary rate it stood out from. */
export interface IncidentWindow {
  id: string;
  start: number;
  end: number;
  causes: CauseId[];
  baseline: number;
}

/**
 * The incidents as reported, from the findings that finally belong to them (after the context stage has
 * added the timeouts an outage explains): terminals, merchants, counts, rates and evidence.
 */
export function describeIncidents(windows: readonly IncidentWindow[], observed: Iterable<Observed>, attemptsByBucket: ReadonlyMap<number, number>, zone: Zone, lang: Lang = 'en'): Incident[] {
  const out: Incident[] = [];
  // One pass over the findings for every window: each finding names its incident.
  const acc = new Map(windows.map((w) => [w.id, { terminals: new Set<string>(), merchants: new Set<string>(), counts: new Map<string, number>(), codes: new Map<string, number>(), failures: 0 }]));
  for (const o of observed) {
    const f = o.finding;
    const a = f.incident === null ? undefined : acc.get(f.incident);
    if (a === undefined) continue;
    a.failures++;
    a.terminals.add(f.terminalId);
    if (f.merchantId !== null) a.merchants.add(f.merchantId);
    a.counts.set(f.cause, (a.counts.get(f.cause) ?? 0) + 1);
    const code = f.responseCode ?? f.errorCode;
    if (code !== null) a.codes.set(code, (a.codes.get(code) ?? 0) + 1);
  }
  for (const w of windows) {
    const { terminals, merchants, counts, codes, failures } = acc.get(w.id)!;
    if (failures === 0) continue;
    let attempts = 0;
    for (let b = w.start; b < w.end; b += BUCKET) attempts += attemptsByBucket.get(b) ?? 0;
    const causes = [...new Set([...w.causes, ...counts.keys()])].sort() as CauseId[];
    const inc: Incident = {
      id: w.id,
      start: zone.format(w.start),
      end: zone.format(w.end),
      causes,
      terminals: [...terminals].sort(),
      merchants: [...merchants].sort(),
      failures,
      byCause: sortedCounts(counts),
      rate: attempts ? round(failures / attempts) : 0,
      baselineRate: round(w.baseline),
      evidence: [],
    };
    const topCodes = [...codes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    const r = (key: keyof typeof MESSAGES, data: Record<string, string | number>) => renderMessage(MESSAGES[key], data, lang);
    inc.evidence = [
      r('touched', { failures, terminals: terminals.size, merchants: merchants.size, minutes: Math.round((w.end - w.start) / 60_000) }),
      r('rate', { rate: `${(inc.rate * 100).toFixed(1)}%`, causes: inc.causes.map((c) => causeLabel(c, lang)).join(lang === 'zh' ? '、' : ', '), baseline: `${(w.baseline * 100).toFixed(2)}%` }),
      ...(topCodes.length ? [r('codes', { list: topCodes.map(([c, n]) => `${c} ×${n}`).join(', ') })] : []),
    ];
    out.push(inc);
  }
  return out;
}
