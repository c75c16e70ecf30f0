import type { Finding, Report } from '../model.js';
import type { Comparison, Expected } from './expected.js';
import type { Findings } from '../finding-table.js';

export interface ExpectationResult {
  /** Stable id, also the JSON path of the expectation in expected.json, e.g. `transactions.t-0001.cause`. */
  id: string;
  passed: boolean;
  expected: string;
  actual: string;
  /** What the analyzer based its answer on (a finding's rule and evidence), for failure messages. */
  evidence: string[];
  /** Where the expectation sits in expected.json, key by key (ids may hold dots), for `check --update --prune`. */
  path: (string | number)[];
}

interface Result {
  report: Report;
  findings: Findings;
}

/** Single numbers a bound can name; anything else is a dotted path into report.json. */
export const METRICS: Record<string, (r: Report) => number> = {
  read: (r) => r.totals.read,
  accepted: (r) => r.totals.accepted,
  rejects: (r) => r.totals.rejected,
  rejected: (r) => r.totals.rejected,
  skipped: (r) => r.totals.skipped,
  attempts: (r) => r.summary.attempts,
  failures: (r) => r.summary.failures,
  failureRate: (r) => r.summary.failureRate.rate,
  findings: (r) => r.summary.findings,
  unknown: (r) => r.summary.unknown,
  unknownShare: (r) => (r.summary.findings ? r.summary.unknown / r.summary.findings : 0),
  unsettled: (r) => r.summary.unsettled,
  terminals: (r) => r.summary.terminals,
  incidents: (r) => r.incidents.length,
};

export function compare(actual: number, expected: Comparison): boolean {
  if (typeof expected === 'number') return actual === expected;
  const range = /^\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expected);
  if (range) return actual >= Number(range[1]) && actual <= Number(range[2]);
  const m = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expected)!;
  const v = Number(m[2]);
  switch (m[1]) {
    case '<=': return actual <= v;
    case '>=': return actual >= v;
    case '<': return actual < v;
    case '>': return actual > v;
    case '!=': return actual !== v;
    default: return actual === v;
  }
}

function show(c: Comparison): string {
  return typeof c === 'number' ? String(c) : c.trim();
}

export function describeFinding(f: Finding): string[] {
  return [`rule ${f.ruleId} -> ${f.cause} (${f.outcome})`, ...f.evidence.map((e) => `${e.source}${e.code ? ` ${e.code}` : ''}: ${e.text}`)];
}

function resolvePath(report: Report, path: string): number | undefined {
  let node: unknown = report;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (Array.isArray(node) && parts[i - 1] === 'terminals') {
      node = (node as Report['terminals']).find((t) => t.terminalId === part);
    } else if (node && typeof node === 'object') {
      node = (node as Record<string, unknown>)[part];
    } else {
      return undefined;
    }
  }
  if (node && typeof node === 'object' && 'rate' in node) node = (node as { rate: number }).rate;
  return typeof node === 'number' ? node : undefined;
}

/** Checks every expectation in `expected` against an analysis; one result per expectation, in file order. */
export function evaluate(expected: Expected, result: Result): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const { report, findings } = result;

  if (expected.transactions) {
    const byKey = new Map<string, Finding[]>();
    for (const f of findings) {
      for (const key of new Set([f.txnId, f.rrn])) {
        if (key === null) continue;
        const list = byKey.get(key) ?? [];
        list.push(f);
        byKey.set(key, list);
      }
    }
    for (const [key, want] of Object.entries(expected.transactions)) {
      const candidates = byKey.get(key) ?? [];
      const f = candidates.find((c) => want.outcome === undefined || c.outcome === want.outcome) ?? candidates[0];
      for (const field of ['cause', 'outcome', 'ruleId'] as const) {
        const w = want[field];
        if (w === undefined) continue;
        const actual = f ? f[field] : 'no finding';
        out.push({
          id: `transactions.${key}.${field}`,
          path: ['transactions', key, field],
          passed: actual === w,
          expected: w,
          actual,
          evidence: f ? describeFinding(f) : [`no failed or unsettled transaction with txnId or rrn "${key}" was found`],
        });
      }
    }
  }

  if (expected.terminals) {
    for (const [id, want] of Object.entries(expected.terminals)) {
      const t = report.terminals.find((x) => x.terminalId === id);
      const missing = { id: `terminals.${id}`, path: ['terminals', id], passed: false, expected: 'terminal present', actual: 'no such terminal in the report', evidence: [] };
      if (!t) {
        out.push(missing);
        continue;
      }
      const evidence = [`attempts ${t.attempts}, failures ${t.failures}, by cause ${JSON.stringify(t.byCause)}`];
      if (want.rootCauses) {
        const actual = t.rootCauses.map((r) => r.cause);
        out.push({
          id: `terminals.${id}.rootCauses`,
          path: ['terminals', id, 'rootCauses'],
          passed: JSON.stringify(actual) === JSON.stringify(want.rootCauses),
          expected: JSON.stringify(want.rootCauses),
          actual: JSON.stringify(actual),
          evidence: [...evidence, ...t.rootCauses.flatMap((r) => r.evidence)],
        });
      }
      for (const field of ['attempts', 'failures', 'unsettled'] as const) {
        const w = want[field];
        if (w !== undefined) out.push({ id: `terminals.${id}.${field}`, path: ['terminals', id, field], passed: compare(t[field], w), expected: show(w), actual: String(t[field]), evidence });
      }
      if (want.failureRate !== undefined) {
        out.push({ id: `terminals.${id}.failureRate`, path: ['terminals', id, 'failureRate'], passed: compare(t.failureRate.rate, want.failureRate), expected: show(want.failureRate), actual: String(t.failureRate.rate), evidence });
      }
      for (const [cause, w] of Object.entries(want.byCause ?? {})) {
        const n = t.byCause[cause] ?? 0;
        out.push({ id: `terminals.${id}.byCause.${cause}`, path: ['terminals', id, 'byCause', cause], passed: compare(n, w), expected: show(w), actual: String(n), evidence });
      }
    }
  }

  for (const section of ['byCause', 'byOutcome'] as const) {
    for (const [key, w] of Object.entries(expected.counts?.[section] ?? {})) {
      const n = report.summary[section][key] ?? 0;
      out.push({ id: `counts.${section}.${key}`, path: ['counts', section, key], passed: compare(n, w), expected: show(w), actual: String(n), evidence: [`summary.${section}: ${JSON.stringify(report.summary[section])}`] });
    }
  }

  for (const [metric, w] of Object.entries(expected.bounds ?? {})) {
    const actual = METRICS[metric] ? METRICS[metric](report) : resolvePath(report, metric);
    out.push({
      id: `bounds.${metric}`,
      path: ['bounds', metric],
      passed: actual !== undefined && compare(actual, w),
      expected: show(w),
      actual: actual === undefined ? `no metric "${metric}" (known: ${Object.keys(METRICS).join(', ')}, or a path into report.json)` : String(actual),
      evidence: metric === 'rejects' || metric === 'rejected' ? report.inputs.map((i) => `${i.path}: read ${i.read}, accepted ${i.accepted}, rejected ${i.rejected}`) : [],
    });
  }

  (expected.incidents ?? []).forEach((want, i) => {
    const found = report.incidents.find((inc) => (want.causes ?? []).every((c) => inc.causes.includes(c)) && inc.terminals.length >= (want.minTerminals ?? 0));
    out.push({
      id: `incidents[${i}]`,
      path: ['incidents', i],
      passed: found !== undefined,
      expected: `an incident${want.causes ? ` with causes ${want.causes.join(', ')}` : ''}${want.minTerminals ? ` touching >= ${want.minTerminals} terminals` : ''}`,
      actual: report.incidents.length ? report.incidents.map((x) => `${x.start}..${x.end} ${x.causes.join('+')} (${x.terminals.length} terminals)`).join('; ') : 'no incidents',
      evidence: [],
    });
  });
  return out;
}

/**
 * The expectations rewritten from the current output, for `check --update`: exact values follow the
 * analysis, hand-written bounds (strings like "<= 0.05") are kept as the author wrote them.
 */
export function updateExpected(expected: Expected, result: Result): Expected {
  const next: Expected = structuredClone(expected);
  const { report } = result;
  const findings = result.findings.toArray();
  const keep = (old: Comparison | undefined, actual: number): Comparison => (typeof old === 'string' ? old : actual);
  if (next.transactions) {
    for (const [key, want] of Object.entries(next.transactions)) {
      const f = findings.find((x) => (x.txnId === key || x.rrn === key) && (want.outcome === undefined || x.outcome === want.outcome)) ?? findings.find((x) => x.txnId === key || x.rrn === key);
      if (!f) continue;
      if (want.cause !== undefined) want.cause = f.cause;
      if (want.outcome !== undefined) want.outcome = f.outcome;
      if (want.ruleId !== undefined) want.ruleId = f.ruleId;
    }
  }
  for (const [id, want] of Object.entries(next.terminals ?? {})) {
    const t = report.terminals.find((x) => x.terminalId === id);
    if (!t) continue;
    if (want.rootCauses) want.rootCauses = t.rootCauses.map((r) => r.cause);
    for (const field of ['attempts', 'failures', 'unsettled'] as const) if (want[field] !== undefined) want[field] = keep(want[field], t[field]);
    if (want.failureRate !== undefined) want.failureRate = keep(want.failureRate, t.failureRate.rate);
    const byCause = want.byCause as Record<string, Comparison> | undefined;
    for (const cause of Object.keys(byCause ?? {})) byCause![cause] = keep(byCause![cause], t.byCause[cause] ?? 0);
  }
  for (const section of ['byCause', 'byOutcome'] as const) {
    const counts = next.counts?.[section] as Record<string, Comparison> | undefined;
    if (!counts) continue;
    for (const key of Object.keys(counts)) counts[key] = keep(counts[key], report.summary[section][key] ?? 0);
  }
  return next;
}

/**
 * `check --update --prune`: the expectations without the given ones (those that still fail after the
 * update, so the analysis no longer supports them). Objects and lists left empty go too; the file's
 * description and options stay.
 */
export function pruneExpected(expected: Expected, stale: readonly ExpectationResult[]): Expected {
  const next = structuredClone(expected) as Record<string, unknown>;
  // Deepest and last first, so removing a list element does not shift the ones still to remove.
  const paths = stale.map((r) => r.path).sort((a, b) => b.length - a.length || (typeof a.at(-1) === 'number' && typeof b.at(-1) === 'number' ? (b.at(-1) as number) - (a.at(-1) as number) : 0));
  for (const path of paths) {
    const parents: unknown[] = [next];
    for (const key of path.slice(0, -1)) parents.push((parents.at(-1) as Record<string | number, unknown> | undefined)?.[key]);
    const last = path.at(-1)!;
    const holder = parents.at(-1);
    if (Array.isArray(holder) && typeof last === 'number') holder.splice(last, 1);
    else if (holder && typeof holder === 'object') delete (holder as Record<string, unknown>)[last];
    // Walk back up, dropping containers the removal emptied.
    for (let i = parents.length - 1; i > 0; i--) {
      const node = parents[i];
      const empty = Array.isArray(node) ? node.length === 0 : !!node && typeof node === 'object' && Object.keys(node).length === 0;
      if (!empty) break;
      const up = parents[i - 1] as Record<string | number, unknown>;
      if (Array.isArray(up)) up.splice(path[i - 1] as number, 1);
      else delete up[path[i - 1]];
    }
  }
  return next as Expected;
}
