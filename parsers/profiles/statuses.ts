// The status vocabulary of the exports txlog reads (statuses.json): one table, each term with its
// meaning and source. Profile groups are merged into their built-in profile (values.status, or a `when`
// rule for a second column or a pattern); groups without a profile are the generic spellings the
// normalizer knows. `skip` terms are not payment attempts (an order never paid, one closed without a
// payment): ingest counts such rows as skipped, with the term's meaning as the reason.
import { z } from 'zod';
import { normalizeHeader } from '../headers.js';
import file from './statuses.json' with { type: 'json' };

const TXN = ['approved', 'declined', 'failed', 'timeout', 'terminated', 'reversed', 'unknown', 'skip'] as const;
const SETTLEMENT = ['settled', 'failed', 'rejected', 'held', 'pending', 'skip'] as const;

const Term = z.strictObject({
  value: z.string().min(1),
  /** A regular expression for values that carry data (已退款(￥1.50)); `value` then names the pattern for people. */
  matches: z.string().optional(),
  status: z.string(),
  meaning: z.string().min(1),
  seen: z.enum(['sample', 'documented', 'api', 'unverified']),
});
const Group = z
  .strictObject({
    export: z.string().min(1),
    profile: z.string().optional(),
    kind: z.enum(['terminal', 'settlement']).default('terminal'),
    column: z.string().min(1),
    if: z.record(z.string(), z.string()).optional(),
    source: z.string().min(1),
    terms: z.array(Term).min(1),
  })
  .superRefine((g, ctx) => {
    const allowed: readonly string[] = g.kind === 'settlement' ? SETTLEMENT : TXN;
    g.terms.forEach((t, i) => {
      if (!allowed.includes(t.status)) ctx.addIssue({ code: 'custom', path: ['terms', i, 'status'], message: `"${t.status}" is not one of ${allowed.join(', ')}` });
      if (t.status === 'skip' && (t.matches !== undefined || g.if !== undefined || (g.profile !== undefined && g.column === undefined))) {
        ctx.addIssue({ code: 'custom', path: ['terms', i], message: 'a skip term is one exact value of the status column itself' });
      }
    });
  });
export type StatusGroup = z.output<typeof Group>;
export type StatusTerm = z.output<typeof Term>;

export const STATUS_GROUPS: readonly StatusGroup[] = z.object({ $comment: z.array(z.string()), groups: z.array(Group) }).parse(file).groups;

/** Status values compared as the normalizer does: trimmed, lower case, runs of spaces and dashes as one "_". */
export function foldStatus(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/**
 * A raw built-in profile with its status groups merged in: exact terms of its status column into
 * `values.status` (skip terms left out, so the raw value reaches ingest), the rest as `when` rules.
 */
export function withStatusVocabulary(raw: Record<string, unknown>): Record<string, unknown> {
  const groups = STATUS_GROUPS.filter((g) => g.profile === raw.name);
  if (groups.length === 0) return raw;
  const columns = (raw.columns ?? {}) as Record<string, unknown>;
  const statusColumn = typeof columns.status === 'string' ? columns.status : (raw.statusFrom as { column?: string } | undefined)?.column;
  const values = { ...((raw.values ?? {}) as Record<string, Record<string, string>>) };
  const status = { ...(values.status ?? {}) };
  const when = [...((raw.when ?? []) as unknown[])];
  for (const g of groups) {
    const own = statusColumn !== undefined && normalizeHeader(g.column) === normalizeHeader(statusColumn) && g.if === undefined;
    for (const t of g.terms) {
      if (t.status === 'skip') continue;
      if (own && t.matches === undefined) status[t.value] = t.status;
      else when.push({ if: { ...(g.if ?? {}), [g.column]: t.matches !== undefined ? { matches: t.matches } : t.value }, set: { status: t.status }, optional: true });
    }
  }
  values.status = status;
  return { ...raw, values, when };
}

interface SkipTerm {
  reason: string;
}
const skips = new Map<string, SkipTerm>();
for (const g of STATUS_GROUPS) {
  for (const t of g.terms) {
    if (t.status !== 'skip') continue;
    const key = `${g.kind}|${g.profile ?? ''}|${foldStatus(t.value)}`;
    if (!skips.has(key)) skips.set(key, { reason: `status "${t.value}" is not a payment attempt: ${t.meaning} (${g.export})` });
  }
}

/** Why a row with this status is not a record to count (an order never paid, closed unpaid, a payout), or undefined. */
export function skipReason(kind: 'terminal' | 'settlement', profile: string | null, status: unknown): string | undefined {
  if (typeof status !== 'string' || status === '') return undefined;
  // A log repeats a handful of status values: each is folded and looked up once (no key built per row).
  const byProfile = skipCache[kind];
  let cache = byProfile.get(profile);
  if (!cache) byProfile.set(profile, (cache = new Map()));
  const cached = cache.get(status);
  if (cached !== undefined) return cached === NOT_SKIPPED ? undefined : cached;
  const v = foldStatus(status);
  const reason = (profile !== null ? skips.get(`${kind}|${profile}|${v}`) : undefined)?.reason ?? skips.get(`${kind}||${v}`)?.reason;
  if (cache.size < 10_000) cache.set(status, reason ?? NOT_SKIPPED);
  return reason;
}
const NOT_SKIPPED = '';
const skipCache = { terminal: new Map<string | null, Map<string, string>>(), settlement: new Map<string | null, Map<string, string>>() };

/** The generic (profile-less) terms of a record kind that are statuses, folded value -> status. */
export function genericStatuses(kind: 'terminal' | 'settlement'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const g of STATUS_GROUPS) {
    if (g.profile !== undefined || g.kind !== kind) continue;
    for (const t of g.terms) if (t.status !== 'skip' && t.matches === undefined) out[foldStatus(t.value)] ??= t.status;
  }
  return out;
}
