import { asFindings } from '../finding-table.js';
import type { Finding, Incident, Money, Report, RootCause, TerminalReport } from '../model.js';
import { formatAmount, parseAmount } from '../money.js';
import { baselineText, changeCount, flaggedGroups, incidentCauses, incidentRate, incidentTouched, incidentWindow, ratioText, rootCauseWindow, topGroups, type FlaggedGroup } from './facts.js';
import {
  EXAMPLES_PER_CAUSE,
  MAX_TERMINAL_ROWS,
  aboveFleet,
  accountingBalanced,
  byFailures,
  causeCounts,
  cmp,
  currenciesOf,
  examplesByCause,
  int,
  interval,
  labelOf,
  moneys,
  needsAction,
  pct,
  qv,
  ratioNumber,
  remediationOf,
  share,
  shortLabelOf,
  whoActsOf,
  type Lang,
} from './fmt.js';
import { partiesLabel, punct, retryLabel, t, type MessageKey } from './i18n.js';
import type { AnalysisResult } from './types.js';

// The one view of a Report that every human format renders (issue 9: html.ts and markdown.ts used to build
// the same sections separately and drifted). Everything ranked, summed or worded is decided here, once:
// formats only lay it out and escape it. Strings are plain text in the report's language.

/** The sections, in the order every format shows them. */
export const SECTION_ORDER = ['key', 'action', 'incidents', 'changes', 'details', 'charts', 'terminals', 'causes', 'groupings', 'cards', 'inputs', 'examples'] as const;
export type SectionId = (typeof SECTION_ORDER)[number];

const SECTION_TITLE: Record<SectionId, MessageKey> = {
  key: 'keyFigures',
  action: 'action',
  incidents: 'incidents',
  changes: 'changes',
  details: 'details',
  charts: 'charts',
  terminals: 'terminalTable',
  causes: 'causes',
  groupings: 'groupings',
  cards: 'cardsSection',
  inputs: 'inputsSection',
  examples: 'examples',
};

export interface KeyFigure {
  id: 'attempts' | 'failures' | 'failureRate' | 'unsettled' | 'atStake' | 'incidents' | 'needAction' | 'terminals';
  label: string;
  /** The figure itself; for amounts one line per currency, never one total across currencies. */
  values: string[];
  note: string | null;
  alert: boolean;
}

export interface RootCauseView {
  cause: string;
  label: string;
  shortLabel: string;
  /** "200 of 227 attempts were approved but not settled (88.1%), against 0.01% across the rest of the fleet" */
  figures: string;
  /** "far above the baseline, very unlikely to be chance" */
  significance: string;
  /** The exact numbers (report.json has them all): counts, rates, ratio, q and p. */
  exact: string;
  rate: string;
  baseline: string;
  ratio: string;
  window: string | null;
  signals: string | null;
  evidence: string[];
  whoActs: string;
  retry: string | null;
  remediation: string;
}

export interface ActionView {
  rank: number;
  first: boolean;
  terminalId: string;
  merchantId: string | null;
  /** "27 of 459 attempts failed (5.88%); besides, 200 approved transactions were not settled" */
  line: string;
  failedAmount: string;
  unsettledAmount: string | null;
  atStake: Money[];
  atStakeText: string;
  causes: RootCauseView[];
}

export interface IdList {
  shown: string[];
  more: number;
}

export interface IncidentView {
  id: string;
  start: string;
  end: string;
  window: string;
  causes: string;
  failures: number;
  rate: string;
  touched: string;
  terminals: IdList;
  merchants: IdList;
  evidence: string[];
}

export interface TerminalRow {
  terminalId: string;
  merchantId: string | null;
  attempts: number;
  failures: number;
  rate: number;
  rateText: string;
  ci: string;
  unsettled: number;
  unsettledText: string;
  /** Sort key for the money column: the amount in the run's main currency. */
  atStakeKey: number;
  atStakeText: string;
  topCauses: string;
  software: string | null;
  model: string | null;
  connection: string | null;
  hot: boolean;
  assessment: string;
}

export interface HeatRow {
  terminalId: string;
  cells: { attempts: number; failures: number }[];
}

export interface HeatMap {
  rows: HeatRow[];
  /** Fleet totals per hour (every terminal, not only the rows shown). */
  totals: { attempts: number; failures: number }[];
  /** The colour scale's top: rates at or above it get the darkest colour. */
  top: number;
  more: number;
}

export interface ChartData {
  /** Terminals with failures, most first (the bar chart's rows). */
  rateRows: TerminalReport[];
  fleet: Report['summary']['failureRate'];
  causes: { id: string; count: number }[];
  timeline: Report['timeline'];
  incidents: Report['incidents'];
  bucketMinutes: number;
  heat: HeatMap;
  /** The hour of day with the highest fleet failure rate, or null without attempts. */
  busiestHour: { hour: string; rate: string; failures: number; attempts: number } | null;
}

export interface ChangesView {
  baseline: string;
  none: boolean;
  rose: { terminalId: string; before: string; after: string; q: string }[];
  newRootCauses: { terminalId: string; cause: string; label: string }[];
  resolvedRootCauses: { terminalId: string; cause: string; label: string }[];
  newTerminals: IdList & { total: number };
  missingTerminals: IdList & { total: number };
}

export interface CauseRow {
  id: string;
  label: string;
  shortLabel: string;
  count: number;
  share: string;
  whoActs: string;
  remediation: string;
}

export interface GroupingsView {
  flagged: { dimension: FlaggedGroup['dimension']; value: string; cause: string; label: string; findings: number; rate: string; restRate: string; ratio: string; q: string }[];
  tables: { dimension: string; rows: { value: string; attempts: number; failures: number; rate: string; topCauses: string; flags: string; hot: boolean }[] }[];
}

export interface InputsView {
  balanced: boolean;
  accounting: string;
  /** " + skipped N" for the printed identity, empty when nothing was skipped. */
  skippedTerm: string;
  rejectsNote: string | null;
  settlement: string;
  totals: Report['totals'];
  files: Report['inputs'];
  events: { name: string; count: number; unknown: boolean }[];
  rules: { id: string; causes: string; title: string; findings: number }[];
  options: { label: string; value: string }[];
}

export interface ExampleGroup {
  id: string;
  label: string;
  total: number;
  examples: Finding[];
}

export interface ReportView {
  lang: Lang;
  /** Whether the report's own sentences (evidence) are in `lang`. */
  sameLang: boolean;
  title: string;
  meta: { generatedAt: string; period: string; tz: string; tool: string; toolName: string; version: string };
  /** The sections present in this report, in SECTION_ORDER. */
  sections: { id: SectionId; title: string }[];
  key: KeyFigure[];
  action: { intro: string; rows: ActionView[]; none: string | null; insufficient: { text: string; ids: IdList } | null; incidentNote: string | null };
  incidents: { note: string | null; none: string | null; items: IncidentView[] };
  changes: ChangesView | null;
  charts: ChartData;
  terminals: { rows: TerminalRow[]; more: number; total: number };
  causes: { rows: CauseRow[]; findings: number; split: string };
  groupings: GroupingsView | null;
  cards: { cardRef: string; terminals: IdList & { total: number }; failures: number; causes: string }[] | null;
  inputs: InputsView;
  examples: ExampleGroup[] | null;
}

export const HEAT_ROWS = 30;

function ids(list: readonly string[], max = 20): IdList {
  return { shown: list.slice(0, max), more: Math.max(0, list.length - max) };
}

/** Per-currency sums of several Money lists, in minor units so no float rounding creeps in. */
export function addMoney(...lists: readonly (readonly Money[])[]): Money[] {
  const minor = new Map<string, number>();
  for (const list of lists) {
    for (const m of list) {
      const v = parseAmount(m.amount, m.currency);
      if (typeof v === 'number') minor.set(m.currency, (minor.get(m.currency) ?? 0) + v);
    }
  }
  return [...minor.entries()].sort((a, b) => cmp(a[0], b[0])).map(([currency, v]) => ({ currency, amount: formatAmount(v, currency) }));
}

function amountOf(list: readonly Money[], currency: string | undefined): number {
  const m = list.find((x) => x.currency === currency);
  return m ? Number(m.amount) || 0 : 0;
}

function moneyLines(list: readonly Money[]): string[] {
  return list.length ? list.map((m) => moneys([m])) : ['0'];
}

/** Significance as words: how far above the baseline, and how unlikely chance is (q stays in `exact`). */
export function significanceWords(rc: Pick<RootCause, 'ratio' | 'qValue'>, lang: Lang): string {
  const r = rc.ratio;
  const far = r === null || r >= 10 ? 'sigFar' : r >= 3 ? 'sigWell' : 'sigAbove';
  const chance = rc.qValue < 1e-6 ? 'chanceVery' : rc.qValue < 1e-3 ? 'chanceUnlikely' : 'chanceProbably';
  return `${t(lang, far)}${punct(lang).comma}${t(lang, chance)}`;
}

/** Causes whose findings can be approvals that did not settle as well as failures at the terminal. */
const SETTLEMENT_SIDE = new Set<string>(['merchant_account', 'merchant_risk', 'cutoff', 'reconciliation', 'transaction_data', 'unknown']);

/** q and p underflow to 0 far below anything meaningful; say so rather than print 0.000. */
function exactP(x: number): string {
  return x === 0 ? '< 1e-300' : qv(x);
}

const BASELINE_NAME: Record<RootCause['baseline'], MessageKey> = { fleet: 'baselineFleet', expected: 'baselineExpected', previous: 'baselinePrevious' };

function sourceLabel(source: string, lang: Lang): string {
  const key = `src_${source}` as MessageKey;
  const text = t(lang, key);
  return text === `src_${source}` ? source : text;
}

export function signalsLine(rc: RootCause, lang: Lang): string | null {
  return rc.signals.length ? rc.signals.map((s) => `${sourceLabel(s.source, lang)} ${s.code} ×${int(s.count)}`).join(punct(lang).semi) : null;
}

/** One finding's evidence, in the report's language (the sentences are; the source names are labelled here). */
export function findingEvidence(f: Finding, lang: Lang, sameLang = true): string {
  // Evidence sentences are in the language the report was made in; another language gets the codes only.
  return f.evidence.map((ev) => `${sourceLabel(ev.source, lang)}${ev.code ? ` ${ev.code}` : ''}${sameLang ? `${punct(lang).colon}${ev.text}` : ''}`).join(punct(lang).semi);
}

function rootCauseView(rc: RootCause, x: TerminalReport, lang: Lang): RootCauseView {
  // A root cause's findings can be approvals that never settled, not failures at the terminal: say which.
  // More findings than failures means some are unsettled approvals; causes that live on the settlement
  // side may be either; the rest are failures at the terminal.
  const kind =
    rc.totalFindings > x.failures ? 'rcPlainUnsettled' : x.unsettled > 0 && SETTLEMENT_SIDE.has(rc.cause) ? 'rcPlainMixed' : 'rcPlainFailed';
  const r = ratioNumber(rc.ratio);
  return {
    cause: rc.cause,
    label: labelOf(rc.cause, lang),
    shortLabel: shortLabelOf(rc.cause, lang),
    figures: t(lang, kind, { findings: int(rc.findings), attempts: int(rc.attempts), rate: pct(rc.rate), baseline: pct(rc.fleetRate), baselineName: t(lang, BASELINE_NAME[rc.baseline]) }),
    significance: significanceWords(rc, lang),
    exact: t(lang, 'exactLine', {
      findings: int(rc.findings),
      attempts: int(rc.attempts),
      rate: pct(rc.rate),
      baseline: pct(rc.fleetRate),
      baselineKind: t(lang, BASELINE_NAME[rc.baseline]),
      ratio: r === null ? '' : ` · ${t(lang, 'times', { n: r })}`,
      q: exactP(rc.qValue),
      p: exactP(rc.pValue),
      windows: rc.windowsTested,
    }),
    rate: pct(rc.rate),
    baseline: pct(rc.fleetRate),
    ratio: ratioText(rc.ratio, lang),
    window: rootCauseWindow(rc, lang),
    signals: signalsLine(rc, lang),
    // rc.evidence states these same figures as sentences (report.json keeps them); the view words them
    // from the fields instead, so every language gets the same facts and no sentence of another language.
    evidence: [],
    whoActs: partiesLabel(rc.whoActs, lang),
    retry: retryLabel(rc.retryable, lang),
    remediation: rc.remediation[lang] || remediationOf(rc.cause, lang),
  };
}

export function terminalSentence(x: TerminalReport, lang: Lang): string {
  const vars = { failures: int(x.failures), attempts: int(x.attempts), rate: pct(x.failureRate.rate), unsettled: int(x.unsettled) };
  return t(lang, x.unsettled > 0 ? 'terminalLineUnsettled' : 'terminalLine', vars);
}

function causeList(counts: Record<string, number>, lang: Lang, max = 3): string {
  const list = causeCounts(counts);
  const parts = list.slice(0, max).map((c) => `${shortLabelOf(c.id, lang)} ${int(c.count)}`);
  if (list.length > max) parts.push(t(lang, 'more', { n: list.length - max }));
  return parts.join(punct(lang).semi) || '—';
}

function keyFigures(report: Report, lang: Lang, action: number): KeyFigure[] {
  const s = report.summary;
  const atStake = addMoney(s.failedAmount, s.unsettledAmount);
  const currencies = Object.keys(s.currencies).sort(cmp);
  return [
    {
      id: 'attempts',
      label: t(lang, 'attempts'),
      values: [int(s.attempts)],
      // With several currencies, how many attempts each had: amounts below are per currency too.
      note: [t(lang, 'approvedOf', { n: int(s.approved) }), `${t(lang, 'terminalCount')} ${int(s.terminals)}`, ...(currencies.length > 1 ? [`${t(lang, 'currencies')} ${currencies.map((c) => `${c} ${int(s.currencies[c])}`).join(', ')}`] : [])].join(' · '),
      alert: false,
    },
    { id: 'failures', label: t(lang, 'failures'), values: [int(s.failures)], note: t(lang, 'ofAttempts', { n: int(s.attempts) }), alert: false },
    { id: 'failureRate', label: t(lang, 'failureRate'), values: [pct(s.failureRate.rate)], note: `${t(lang, 'ci95')} ${interval(s.failureRate)}`, alert: false },
    {
      id: 'unsettled',
      label: t(lang, 'unsettled'),
      values: [s.settlement.provided ? int(s.unsettled) : '—'],
      note: s.settlement.provided ? moneys(s.unsettledAmount, '0') : t(lang, 'settlementMissing'),
      alert: false,
    },
    { id: 'atStake', label: t(lang, 'atStake'), values: moneyLines(atStake), note: t(lang, 'atStakeNote'), alert: false },
    { id: 'incidents', label: t(lang, 'incidentCount'), values: [int(report.incidents.length)], note: null, alert: report.incidents.length > 0 },
    { id: 'needAction', label: t(lang, 'needActionCount'), values: [int(action)], note: null, alert: action > 0 },
  ];
}

function incidentView(i: Incident, lang: Lang, sameLang: boolean): IncidentView {
  return {
    id: i.id,
    start: i.start,
    end: i.end,
    window: incidentWindow(i),
    causes: incidentCauses(i, lang),
    failures: i.failures,
    rate: incidentRate(i, lang),
    touched: incidentTouched(i, lang),
    terminals: ids(i.terminals),
    merchants: ids(i.merchants),
    // The sentences were written in the report's language: shown only when that is the one rendered.
    evidence: sameLang ? [...i.evidence] : [],
  };
}

function heatMap(report: Report, sorted: readonly TerminalReport[]): HeatMap {
  const totals = Array.from({ length: 24 }, () => ({ attempts: 0, failures: 0 }));
  for (const x of report.terminals) {
    for (let h = 0; h < 24; h++) {
      totals[h].attempts += x.hours?.attempts[h] ?? 0;
      totals[h].failures += x.hours?.failures[h] ?? 0;
    }
  }
  const withFailures = sorted.filter((x) => x.failures > 0);
  const rows = withFailures.slice(0, HEAT_ROWS).map((x) => ({
    terminalId: x.terminalId,
    cells: Array.from({ length: 24 }, (_, h) => ({ attempts: x.hours?.attempts[h] ?? 0, failures: x.hours?.failures[h] ?? 0 })),
  }));
  // The scale tops out at a quarter of attempts failing or at the worst cell with a few attempts,
  // whichever is lower, so one 1-of-1 cell does not wash out every other colour.
  let worst = 0;
  for (const r of rows) for (const c of r.cells) if (c.attempts >= 3) worst = Math.max(worst, c.failures / c.attempts);
  return { rows, totals, top: Math.max(0.05, Math.min(0.25, worst || 0.25)), more: Math.max(0, withFailures.length - rows.length) };
}

function busiest(totals: HeatMap['totals']): ChartData['busiestHour'] {
  // An hour with a handful of attempts says little: only hours with a fair share of the traffic compete.
  const all = totals.reduce((sum, c) => sum + c.attempts, 0);
  const min = Math.max(1, Math.min(20, Math.ceil(all / 100)));
  let best = -1;
  for (let h = 0; h < 24; h++) {
    const c = totals[h];
    if (c.attempts < min) continue;
    if (best < 0 || c.failures / c.attempts > totals[best].failures / totals[best].attempts) best = h;
  }
  if (best < 0) return null;
  const c = totals[best];
  return { hour: String(best).padStart(2, '0'), rate: pct(c.failures / c.attempts), failures: c.failures, attempts: c.attempts };
}

function changesView(report: Report, lang: Lang): ChangesView | null {
  const c = report.changes;
  if (!c) return null;
  const pair = (x: { terminalId: string; cause: string }) => ({ terminalId: x.terminalId, cause: x.cause, label: shortLabelOf(x.cause, lang) });
  return {
    baseline: baselineText(c, lang),
    none: changeCount(c) === 0,
    rose: c.rose.map((r) => ({ terminalId: r.terminalId, before: `${pct(r.before)} (${int(r.attemptsBefore)})`, after: `${pct(r.after)} (${int(r.attemptsAfter)})`, q: qv(r.qValue) })),
    newRootCauses: c.newRootCauses.map(pair),
    resolvedRootCauses: c.resolvedRootCauses.map(pair),
    newTerminals: { ...ids(c.newTerminals), total: c.newTerminals.length },
    missingTerminals: { ...ids(c.missingTerminals), total: c.missingTerminals.length },
  };
}

function groupingsView(report: Report, lang: Lang): GroupingsView | null {
  if (!report.groupings.length) return null;
  return {
    flagged: flaggedGroups(report).map(({ dimension, group, flag }) => ({
      dimension,
      value: group.value,
      cause: flag.cause,
      label: shortLabelOf(flag.cause, lang),
      findings: flag.findings,
      rate: pct(flag.rate),
      restRate: pct(flag.restRate),
      ratio: ratioText(flag.ratio, lang),
      q: qv(flag.qValue),
    })),
    tables: report.groupings
      .map((g) => ({
        dimension: g.dimension,
        rows: topGroups(g).map((x) => ({
          value: x.value,
          attempts: x.attempts,
          failures: x.failures,
          rate: pct(x.failureRate.rate),
          topCauses: causeList(x.byCause, lang),
          flags: x.flags.map((f) => `${shortLabelOf(f.cause, lang)} ${ratioText(f.ratio, lang)}`).join(punct(lang).semi) || '—',
          hot: x.flags.length > 0,
        })),
      }))
      .filter((g) => g.rows.length > 0),
  };
}

function inputsView(report: Report, lang: Lang): InputsView {
  const { read, accepted, rejected, skipped } = report.totals;
  const balanced = accountingBalanced(read, accepted, rejected, skipped) && report.inputs.every((i) => accountingBalanced(i.read, i.accepted, i.rejected, i.skipped));
  // The skipped term is shown only when there is one, so a plain export reads as before.
  const skippedTerm = skipped > 0 ? t(lang, 'skippedTerm', { n: int(skipped) }) : '';
  const vars = { read: int(read), accepted: int(accepted), rejected: int(rejected), skipped: skippedTerm };
  const st = report.summary.settlement;
  const { events, unknownEvents } = report.summary;
  const o = report.options;
  return {
    balanced,
    accounting: t(lang, balanced ? 'accountingOk' : 'accountingBad', vars),
    skippedTerm,
    rejectsNote: rejected > 0 ? t(lang, 'rejectsNote') : null,
    settlement: st.provided
      ? t(lang, 'settlementProvided', { records: int(st.records), matched: int(st.matched), notYetDue: int(st.notYetDue), outOfPeriod: int(st.outOfPeriod), asOf: st.asOf ?? '—' })
      : t(lang, 'settlementMissing'),
    totals: report.totals,
    files: report.inputs,
    events: [...new Set([...Object.keys(events), ...Object.keys(unknownEvents)])]
      .sort(cmp)
      .map((name) => ({ name, count: events[name] ?? unknownEvents[name] ?? 0, unknown: unknownEvents[name] !== undefined })),
    rules: report.rules
      .filter((r) => r.findings > 0)
      .sort((a, b) => b.findings - a.findings || cmp(a.id, b.id))
      // Rule titles are written in English in rules/; in Chinese the causes say what the rule decides.
      .map((r) => ({ id: r.id, causes: r.causes.map((c) => (lang === 'zh' ? shortLabelOf(c, lang) : c)).join(punct(lang).semi), title: lang === 'zh' ? '' : r.title, findings: r.findings })),
    options: (
      [
        ['optTz', o.tz],
        ['optCurrency', o.currency],
        ['optGrace', String(o.settlementGraceDays)],
        ['optTolerance', o.amountTolerance],
        ['optProfile', o.profile],
        ['optLang', o.lang],
        ['optRules', o.rulesFile ?? t(lang, 'none')],
        ['optBucket', String(o.bucketMinutes)],
      ] as [MessageKey, string][]
    ).map(([k, value]) => ({ label: t(lang, k), value })),
  };
}

export function buildView(result: AnalysisResult, lang: Lang): ReportView {
  const { report } = result;
  const s = report.summary;
  const main = currenciesOf(report)[0];
  const actionList = needsAction(report);
  const rows: ActionView[] = actionList.map((x, i) => {
    const atStake = addMoney(x.failedAmount, x.unsettledAmount);
    return {
      rank: i + 1,
      first: i === 0,
      terminalId: x.terminalId,
      merchantId: x.merchantId,
      line: terminalSentence(x, lang),
      failedAmount: moneys(x.failedAmount, '0'),
      unsettledAmount: x.unsettled > 0 ? moneys(x.unsettledAmount, '0') : null,
      atStake,
      atStakeText: moneys(atStake, '0'),
      causes: x.rootCauses.map((rc) => rootCauseView(rc, x, lang)),
    };
  });
  const thin = report.terminals.filter((x) => x.assessment === 'insufficient_data').map((x) => x.terminalId).sort(cmp);
  const sorted = byFailures(report.terminals);
  const terminalRows: TerminalRow[] = sorted.slice(0, MAX_TERMINAL_ROWS).map((x) => {
    const atStake = addMoney(x.failedAmount, x.unsettledAmount);
    return {
      terminalId: x.terminalId,
      merchantId: x.merchantId,
      attempts: x.attempts,
      failures: x.failures,
      rate: x.failureRate.rate,
      rateText: pct(x.failureRate.rate),
      ci: interval(x.failureRate),
      unsettled: x.unsettled,
      unsettledText: moneys(x.unsettledAmount),
      atStakeKey: amountOf(atStake, main),
      atStakeText: moneys(atStake),
      topCauses: causeList(x.byCause, lang),
      software: x.softwareVersion,
      model: x.model,
      connection: x.connection,
      hot: aboveFleet(x, s.failureRate),
      assessment: t(lang, `assess_${x.assessment}` as MessageKey),
    };
  });
  const heat = heatMap(report, sorted);
  const causes = causeCounts(s.byCause);
  const causeTotal = causes.reduce((sum, c) => sum + c.count, 0);
  const groupings = groupingsView(report, lang);
  const changes = changesView(report, lang);
  const examples = examplesByCause(asFindings(result.findings)).map((g) => ({ id: g.id, label: labelOf(g.id, lang), total: g.total, examples: g.examples }));
  const view: ReportView = {
    lang,
    sameLang: report.options.lang === lang,
    title: t(lang, 'title'),
    meta: { generatedAt: report.generatedAt, period: `${s.period.start ?? '—'} – ${s.period.end ?? '—'}`, tz: report.options.tz, tool: `${report.tool.name} ${report.tool.version}`, toolName: report.tool.name, version: report.tool.version },
    sections: [],
    key: keyFigures(report, lang, actionList.length),
    action: {
      intro: t(lang, 'actionTableIntro', { n: int(actionList.length) }),
      rows,
      none: actionList.length ? null : t(lang, 'actionNone'),
      insufficient: thin.length ? { text: t(lang, 'insufficient', { n: int(thin.length), min: int(report.attribution.minAttempts) }), ids: ids(thin) } : null,
      incidentNote: report.incidents.length ? t(lang, 'actionIncidentNote') : null,
    },
    incidents: {
      note: report.incidents.length ? t(lang, 'incidentsNote') : null,
      none: report.incidents.length ? null : t(lang, 'incidentsNone'),
      items: report.incidents.map((i) => incidentView(i, lang, report.options.lang === lang)),
    },
    changes,
    charts: {
      rateRows: sorted.filter((x) => x.failures > 0),
      fleet: s.failureRate,
      causes,
      timeline: report.timeline,
      incidents: report.incidents,
      bucketMinutes: report.options.bucketMinutes,
      heat,
      busiestHour: busiest(heat.totals),
    },
    terminals: { rows: terminalRows, more: Math.max(0, sorted.length - MAX_TERMINAL_ROWS), total: sorted.length },
    causes: {
      rows: causes.map((c) => ({
        id: c.id,
        label: labelOf(c.id, lang),
        shortLabel: shortLabelOf(c.id, lang),
        count: c.count,
        share: share(c.count, causeTotal),
        whoActs: partiesLabel(whoActsOf(c.id), lang),
        remediation: remediationOf(c.id, lang),
      })),
      findings: s.findings,
      split: t(lang, 'findingsSplit', { classified: int(s.classified), unknown: int(s.unknown) }),
    },
    groupings,
    cards: report.cards.length
      ? report.cards.map((c) => ({ cardRef: c.cardRef, terminals: { ...ids(c.terminals), total: c.terminals.length }, failures: c.failures, causes: causeList(c.byCause, lang) }))
      : null,
    inputs: inputsView(report, lang),
    examples: examples.length ? examples : null,
  };
  const present: Record<SectionId, boolean> = {
    key: true,
    action: true,
    incidents: true,
    changes: changes !== null,
    details: rows.length > 0,
    charts: true,
    terminals: true,
    causes: true,
    groupings: groupings !== null,
    cards: view.cards !== null,
    inputs: true,
    examples: view.examples !== null,
  };
  view.sections = SECTION_ORDER.filter((id) => present[id]).map((id) => ({ id, title: t(lang, SECTION_TITLE[id]) }));
  return view;
}

export { EXAMPLES_PER_CAUSE };
