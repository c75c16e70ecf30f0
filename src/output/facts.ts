import type { Changes, GroupStat, Grouping, Incident, Report, RootCause } from '../model.js';
import { cmp, int, pct, qv, ratioNumber, shortLabelOf, shortTime, type Lang } from './fmt.js';
import { punct, t } from './i18n.js';

// Plain-text sentences about root causes, incidents and changes, shared by the human outputs. Each output
// escapes them for its own format.

/** "05-04 09:10 – 05-04 10:40 (85% of these findings)", or null when the findings do not concentrate. */
export function rootCauseWindow(rc: RootCause, lang: Lang): string | null {
  if (!rc.window) return null;
  return t(lang, 'windowText', { start: shortTime(rc.window.start), end: shortTime(rc.window.end), share: pct(rc.window.share) });
}

export function incidentCauses(i: Incident, lang: Lang): string {
  return i.causes.map((c) => shortLabelOf(c, lang)).join(lang === 'zh' ? '、' : ', ') || '—';
}

export function incidentWindow(i: Incident): string {
  return `${shortTime(i.start)} – ${shortTime(i.end)}`;
}

export function incidentRate(i: Incident, lang: Lang): string {
  return t(lang, 'incidentRate', { rate: pct(i.rate), baseline: pct(i.baselineRate) });
}

export function incidentTouched(i: Incident, lang: Lang): string {
  return t(lang, 'incidentTouched', { terminals: int(i.terminals.length), merchants: int(i.merchants.length) });
}

export function changeCount(c: Changes): number {
  return c.rose.length + c.newRootCauses.length + c.resolvedRootCauses.length + c.newTerminals.length + c.missingTerminals.length;
}

export function baselineText(c: Changes, lang: Lang): string {
  return t(lang, 'changesBaseline', {
    path: c.baseline.path,
    at: c.baseline.generatedAt,
    start: c.baseline.period.start ?? '—',
    end: c.baseline.period.end ?? '—',
  });
}

export interface FlaggedGroup {
  dimension: Grouping['dimension'];
  group: GroupStat;
  flag: GroupStat['flags'][number];
}

/** Every flag of every group, most significant first. */
export function flaggedGroups(report: Report): FlaggedGroup[] {
  const out: FlaggedGroup[] = [];
  for (const g of report.groupings) for (const group of g.groups) for (const flag of group.flags) out.push({ dimension: g.dimension, group, flag });
  return out.sort((a, b) => a.flag.qValue - b.flag.qValue || cmp(a.dimension, b.dimension) || cmp(a.group.value, b.group.value) || cmp(a.flag.cause, b.flag.cause));
}

export const GROUP_ROWS = 10;

/** The groups of a dimension with most attempts, ties by value. */
export function topGroups(g: Grouping, n = GROUP_ROWS): GroupStat[] {
  return [...g.groups].sort((a, b) => b.attempts - a.attempts || cmp(a.value, b.value)).slice(0, n);
}

export function ratioText(ratio: number | null, lang: Lang): string {
  const r = ratioNumber(ratio);
  return r === null ? '—' : t(lang, 'times', { n: r });
}

export { qv };
