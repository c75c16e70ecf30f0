import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CauseId } from '../rules/causes.js';
import { ATTRIBUTION } from './attribution.js';
import { TxlogError } from './errors.js';
import type { Changes, TerminalReport } from './model.js';
import { maskText } from './pan.js';
import { benjaminiHochberg, fisherExactGreater, round } from './stats.js';

/** A failure rate must rise at least this much (relative) to be called a rise, significance aside. */
const MIN_RISE = 1.5;
/**
 * False-discovery rate for the nightly list of terminals that got worse: an alert list to look at, so the
 * conventional 5%, looser than the 1% that makes a root cause.
 */
export const CHANGES_ALPHA = 0.05;

/** What a previous run's report.json must hold; anything else in it is ignored, so older reports still load. */
const BaselineReport = z.object({
  schemaVersion: z.union([z.literal(1), z.literal(2)]),
  generatedAt: z.string(),
  summary: z.object({
    period: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
    attempts: z.number().int().default(0),
    byCause: z.record(z.string(), z.number()).default({}),
  }),
  terminals: z.array(
    z.object({
      // Ids of a txlog report are safe as written; a baseline edited by hand may hold a card number.
      terminalId: z.string().transform((id) => maskText(id)),
      attempts: z.number().int(),
      failures: z.number().int(),
      incidentFailures: z.number().int().default(0),
      rootCauses: z.array(z.object({ cause: CauseId })),
    }),
  ),
});

export type PreviousReport = z.infer<typeof BaselineReport>;

/** A previous run's rates per cause, as a baseline for a fleet too small to be its own (null when too thin). */
export function previousRates(prev: PreviousReport | undefined): { source: 'previous'; byCause: Record<string, number> } | undefined {
  if (!prev || prev.summary.attempts < 1000) return undefined;
  const byCause: Record<string, number> = {};
  for (const [c, k] of Object.entries(prev.summary.byCause)) if (c !== 'unknown') byCause[c] = k / prev.summary.attempts;
  return { source: 'previous', byCause };
}

export function loadBaseline(path: string): PreviousReport {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new TxlogError('BASELINE_UNREADABLE', `--baseline ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}; give the report.json of a previous run`);
  }
  const parsed = BaselineReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TxlogError('BASELINE_INVALID', `--baseline ${path}: not a txlog report.json (at ${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  return parsed.data;
}

/** Night over night: terminals whose failure rate rose significantly, root causes that appeared or went away. */
export function compareWithBaseline(path: string, before: PreviousReport, terminals: readonly TerminalReport[]): Changes {
  const prev = new Map(before.terminals.map((t) => [t.terminalId, t]));
  const now = new Map(terminals.map((t) => [t.terminalId, t]));
  const tests: { terminalId: string; before: number; after: number; n0: number; n1: number; k1: number; p: number }[] = [];
  for (const t of terminals) {
    const p0 = prev.get(t.terminalId);
    if (!p0 || p0.attempts === 0 || t.attempts === 0) continue;
    // A fleet incident on either night says nothing about this terminal: compare what is left.
    const k1 = t.failures - t.incidentFailures;
    const k0 = p0.failures - p0.incidentFailures;
    const p = fisherExactGreater(k1, t.attempts - k1, k0, p0.attempts - k0);
    tests.push({ terminalId: t.terminalId, before: k0 / p0.attempts, after: k1 / t.attempts, n0: p0.attempts, n1: t.attempts, k1, p });
  }
  const q = benjaminiHochberg(tests.map((t) => t.p));
  const rose = tests
    .map((t, i) => ({ ...t, q: q[i] }))
    .filter((t) => t.q <= CHANGES_ALPHA && t.k1 >= ATTRIBUTION.minFindings && (t.before === 0 || t.after / t.before >= MIN_RISE))
    .map((t) => ({ terminalId: t.terminalId, before: round(t.before), after: round(t.after), attemptsBefore: t.n0, attemptsAfter: t.n1, pValue: t.p, qValue: t.q }))
    .sort((a, b) => a.qValue - b.qValue || (a.terminalId < b.terminalId ? -1 : 1));
  const newRootCauses: Changes['newRootCauses'] = [];
  const resolvedRootCauses: Changes['resolvedRootCauses'] = [];
  for (const t of terminals) {
    const was = new Set((prev.get(t.terminalId)?.rootCauses ?? []).map((r) => r.cause));
    for (const r of t.rootCauses) if (!was.has(r.cause)) newRootCauses.push({ terminalId: t.terminalId, cause: r.cause });
  }
  for (const p0 of before.terminals) {
    const current = now.get(p0.terminalId);
    if (!current) continue;
    const is = new Set(current.rootCauses.map((r) => r.cause));
    for (const r of p0.rootCauses) if (!is.has(r.cause)) resolvedRootCauses.push({ terminalId: p0.terminalId, cause: r.cause });
  }
  return {
    baseline: { path, generatedAt: before.generatedAt, period: before.summary.period },
    rose,
    newRootCauses,
    resolvedRootCauses,
    newTerminals: terminals.filter((t) => !prev.has(t.terminalId)).map((t) => t.terminalId),
    missingTerminals: before.terminals.filter((t) => !now.has(t.terminalId)).map((t) => t.terminalId).sort(),
  };
}
