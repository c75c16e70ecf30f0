import { CAUSES, CAUSE_BY_ID, causeLabel, type CauseId } from '../../rules/causes.js';
import type { Counts, Finding, Money, RateInterval, Report, TerminalReport } from '../model.js';
import type { Findings } from '../finding-table.js';

// Formatting shared by the human-readable outputs. Nothing here reads the clock or the locale, so the
// same report always gives the same bytes.

export type Lang = 'en' | 'zh';

const CAUSE_INDEX = new Map<string, number>(CAUSES.map((c, i) => [c.id, i]));

/** Code-unit order: localeCompare depends on the ICU build, and outputs must not. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isCauseId(id: string): id is CauseId {
  return CAUSE_BY_ID.has(id as CauseId);
}

/** Counts are keyed by string, so an id outside the catalogue is shown as itself rather than dropped. */
export function labelOf(id: string, lang: Lang): string {
  return isCauseId(id) ? causeLabel(id, lang) : id;
}

/**
 * The catalogue's English labels are descriptions ("Terminal hardware: printer, ..."); charts and tables
 * need the head: up to a colon or parenthesis, then, if still long, up to a comma that leaves a phrase.
 */
export function shortLabelOf(id: string, lang: Lang): string {
  const full = labelOf(id, lang);
  let head = full.split(/[:：(（]/)[0].trim() || full;
  if (head.length > 28) {
    const comma = head.indexOf(', ', 10);
    if (comma > 0) head = head.slice(0, comma);
  }
  return head;
}

export function remediationOf(id: string, lang: Lang): string {
  return isCauseId(id) ? (CAUSE_BY_ID.get(id)?.remediation[lang] ?? '') : '';
}

export function whoActsOf(id: string): readonly string[] {
  return isCauseId(id) ? (CAUSE_BY_ID.get(id)?.whoActs ?? []) : [];
}

export function causeOrder(id: string): number {
  return CAUSE_INDEX.get(id) ?? CAUSES.length;
}

export interface CauseCount {
  id: string;
  count: number;
}

/** Non-zero counts, largest first, ties in catalogue order. */
export function causeCounts(counts: Counts): CauseCount[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || causeOrder(a.id) - causeOrder(b.id) || cmp(a.id, b.id));
}

/** Most failures first; ties broken so the order never depends on input order. */
export function byFailures(terminals: readonly TerminalReport[]): TerminalReport[] {
  return [...terminals].sort(
    (a, b) =>
      b.failures - a.failures ||
      b.failureRate.rate - a.failureRate.rate ||
      b.attempts - a.attempts ||
      cmp(a.terminalId, b.terminalId),
  );
}

/** Integers with thousands separators (both languages use the comma for these). */
export function int(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const digits = Math.abs(Math.round(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** Rates as percentages: two decimals below 10% where small differences matter, one above. */
export function pct(rate: number): string {
  if (!Number.isFinite(rate)) return '–';
  const p = rate * 100;
  return `${p.toFixed(p !== 0 && Math.abs(p) < 10 ? 2 : 1)}%`;
}

export function interval(r: RateInterval): string {
  return `${pct(r.low)}–${pct(r.high)}`;
}

export function share(count: number, total: number): string {
  return total > 0 ? pct(count / total) : '–';
}

/** "106540.06" -> "106,540.06 CNY" for people; anything that is not a plain decimal is shown as is. */
export function money(amount: string, currency: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  const text = m ? `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}` : amount;
  return currency ? `${text} ${currency}` : text;
}

/** Truncate by code points so a surrogate pair is never split. */
export function truncate(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join('')}…`;
}

/** A terminal is above the fleet when even its interval's low end beats the fleet's rate. */
export function aboveFleet(t: TerminalReport, fleet: RateInterval): boolean {
  return t.failures > 0 && t.failureRate.low > fleet.rate;
}

/** Every row read became a record, a reject or a recognised skip (preamble, footer, comment). */
export function accountingBalanced(read: number, accepted: number, rejected: number, skipped: number): boolean {
  return read === accepted + rejected + skipped;
}

/** "2024-05-04T02:15:00+08:00" -> "05-04 02:15"; anything else is returned as is. */
export function shortTime(iso: string): string {
  const m = /^\d{4}-(\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

export const EXAMPLES_PER_CAUSE = 20;
/** Above this, the people-facing tables stop and point at terminals.csv, which always has every row. */
export const MAX_TERMINAL_ROWS = 1000;

export function findingCodes(f: Finding): string {
  return [f.responseCode, f.errorCode, f.settlement?.reasonCode].filter((c): c is string => !!c).join(' / ');
}

export function evidenceText(f: Finding): string {
  return f.evidence.map((ev) => `${ev.source}${ev.code ? ` ${ev.code}` : ''}: ${ev.text}`).join('; ');
}

/** The first EXAMPLES_PER_CAUSE findings of each cause, in the caller's order, causes by count. */
export function examplesByCause(findings: Findings): { id: string; total: number; examples: Finding[] }[] {
  const groups = new Map<string, { total: number; examples: Finding[] }>();
  // Only the examples are read whole: the findings of a large run are on disk.
  for (let i = 0; i < findings.length; i++) {
    const cause = findings.causeAt(i);
    let g = groups.get(cause);
    if (!g) groups.set(cause, (g = { total: 0, examples: [] }));
    g.total++;
    if (g.examples.length < EXAMPLES_PER_CAUSE) g.examples.push(findings.at(i));
  }
  const counts: Record<string, number> = {};
  for (const [id, g] of groups) counts[id] = g.total;
  return causeCounts(counts).map(({ id }) => ({ id, ...groups.get(id)! }));
}

/** A decimal amount string as a number for ordering; anything that is not a plain decimal counts as 0. */
export function amountValue(amount: string): number {
  return /^-?\d+(\.\d+)?$/.test(amount) ? Number(amount) : 0;
}

/** Amounts per currency as one text ("12.30 CNY + 5.00 USD"); never one figure across currencies. */
export function moneys(list: readonly Money[], none = '—'): string {
  return list.length ? list.map((m) => money(m.amount, m.currency)).join(' + ') : none;
}

function amountIn(list: readonly Money[], currency: string): number {
  return amountValue(list.find((m) => m.currency === currency)?.amount ?? '0');
}

/**
 * What a terminal's failures cost, as a sort key. With one currency in the run it is the failed plus
 * unsettled amount; with several, amounts cannot be compared without exchange rates, so the number of
 * failed and unsettled transactions leads and amounts break ties currency by currency.
 */
export function impactKey(x: TerminalReport, currencies: readonly string[]): number[] {
  const amounts = currencies.map((c) => amountIn(x.failedAmount, c) + amountIn(x.unsettledAmount, c));
  return currencies.length <= 1 ? amounts : [x.failures + x.unsettled, ...amounts];
}

/** Largest impact first, then most failures, then id, so the order never depends on input order. */
export function byImpact(terminals: readonly TerminalReport[], currencies: readonly string[]): TerminalReport[] {
  const impact = new Map(terminals.map((x) => [x, impactKey(x, currencies)]));
  return [...terminals].sort((a, b) => {
    const ka = impact.get(a)!;
    const kb = impact.get(b)!;
    for (let i = 0; i < ka.length; i++) {
      const d = kb[i] - ka[i];
      if (Math.abs(d) > 1e-9) return d;
    }
    return b.failures - a.failures || cmp(a.terminalId, b.terminalId);
  });
}

/** The run's currencies, most used first. */
export function currenciesOf(report: Report): string[] {
  return Object.keys(report.summary.currencies);
}

/** Terminals whose assessment is `attention`, by impact. */
export function needsAction(report: Report): TerminalReport[] {
  return byImpact(report.terminals.filter((x) => x.assessment === 'attention'), currenciesOf(report));
}

/** q- and p-values: three decimals, or scientific notation when smaller than 0.001. */
export function qv(q: number): string {
  if (!Number.isFinite(q)) return '–';
  return q !== 0 && q < 0.001 ? q.toExponential(1) : q.toFixed(3);
}

/** "13.5" for a ratio; null (the rest of the fleet had none) gives null. */
export function ratioNumber(ratio: number | null): string | null {
  return ratio === null || !Number.isFinite(ratio) ? null : ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(1);
}

/** Up to `max` ids, then how many more. */
export function idList(ids: readonly string[], max = 20): { shown: string[]; more: number } {
  return { shown: ids.slice(0, max), more: Math.max(0, ids.length - max) };
}
