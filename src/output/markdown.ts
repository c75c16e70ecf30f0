import type { Report, TerminalReport } from '../model.js';
import {
  baselineText,
  changeCount,
  flaggedGroups,
  incidentCauses,
  incidentRate,
  incidentTouched,
  incidentWindow,
  ratioText,
  rootCauseFigures,
  rootCauseWindow,
  signalsText,
  terminalLine,
  topGroups,
} from './facts.js';
import {
  EXAMPLES_PER_CAUSE,
  MAX_TERMINAL_ROWS,
  accountingBalanced,
  byFailures,
  causeCounts,
  cmp,
  idList,
  evidenceText,
  examplesByCause,
  findingCodes,
  int,
  interval,
  labelOf,
  money,
  moneys,
  needsAction,
  pct,
  qv,
  remediationOf,
  share,
  shortLabelOf,
  whoActsOf,
  type Lang,
} from './fmt.js';
import { dimensionLabel, outcomeLabel, partiesLabel, punct, retryLabel, t, type MessageKey } from './i18n.js';
import type { AnalysisResult, OutputFormat, RenderOptions } from './types.js';

/**
 * Text from input as inert Markdown: the characters that start emphasis, links, code, HTML, math or end a
 * table cell are backslash-escaped (CommonMark allows that for any ASCII punctuation), and line breaks,
 * which would end a table row, become spaces.
 */
export function mdEscape(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001F\u007F]/g, ' ')
    .replace(/[\\`*_{}[\]<>|~&$#!]/g, '\\$&');
}

type Align = 'l' | 'r';

/** Cells are Markdown already (escape input with mdEscape before). */
function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [line(header.map(mdEscape)), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

const e = (s: string | null | undefined): string => (s === null || s === undefined || s === '' ? '—' : mdEscape(s));

function causeList(counts: Record<string, number>, lang: Lang, max: number): string {
  const list = causeCounts(counts);
  const shown = list.slice(0, max).map((c) => `${mdEscape(shortLabelOf(c.id, lang))} ${int(c.count)}`);
  if (list.length > max) shown.push(mdEscape(t(lang, 'more', { n: list.length - max })));
  return shown.join(punct(lang).semi) || '—';
}

function optionsSection(report: Report, lang: Lang): string {
  const o = report.options;
  const rows: [string, string][] = [
    [t(lang, 'optTz'), o.tz],
    [t(lang, 'optCurrency'), o.currency],
    [t(lang, 'optGrace'), String(o.settlementGraceDays)],
    [t(lang, 'optTolerance'), o.amountTolerance],
    [t(lang, 'optProfile'), o.profile],
    [t(lang, 'optLang'), o.lang],
    [t(lang, 'optRules'), o.rulesFile ?? t(lang, 'none')],
    [t(lang, 'optBucket'), String(o.bucketMinutes)],
  ];
  return `## ${t(lang, 'options')}\n\n${table([t(lang, 'option'), t(lang, 'value')], rows.map(([k, v]) => [mdEscape(k), e(v)]))}`;
}

function accountingSection(report: Report, lang: Lang): string {
  const rows = report.inputs.map((i) => [
    e(i.path),
    e(i.kind),
    e(i.format),
    e(i.encoding),
    int(i.read),
    int(i.accepted),
    int(i.rejected),
  ]);
  const { read, accepted, rejected } = report.totals;
  rows.push([`**${mdEscape(t(lang, 'total'))}**`, '', '', '', `**${int(read)}**`, `**${int(accepted)}**`, `**${int(rejected)}**`]);
  const ok = accountingBalanced(read, accepted, rejected) && report.inputs.every((i) => accountingBalanced(i.read, i.accepted, i.rejected));
  const vars = { read: int(read), accepted: int(accepted), rejected: int(rejected) };
  const notes = [ok ? t(lang, 'accountingOk', vars) : `**${t(lang, 'accountingBad', vars)}**`];
  if (rejected > 0) notes.push(t(lang, 'rejectsNote'));
  return [
    `## ${t(lang, 'accounting')}`,
    table(
      [t(lang, 'path'), t(lang, 'kind'), t(lang, 'format'), t(lang, 'encoding'), t(lang, 'read'), t(lang, 'accepted'), t(lang, 'rejected')],
      rows,
      ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
    ),
    notes.map(mdEscape).join(lang === 'zh' ? '' : ' '),
  ].join('\n\n');
}

function fleetSection(report: Report, lang: Lang): string {
  const s = report.summary;
  const items: [string, string][] = [
    [t(lang, 'period'), `${s.period.start ?? '—'} – ${s.period.end ?? '—'}`],
    [t(lang, 'terminalCount'), int(s.terminals)],
    [t(lang, 'attempts'), int(s.attempts)],
    [t(lang, 'approved'), int(s.approved)],
    [t(lang, 'failures'), int(s.failures)],
    [t(lang, 'failureRate'), `${pct(s.failureRate.rate)} (${t(lang, 'ci95')} ${interval(s.failureRate)})`],
    [t(lang, 'unsettled'), `${int(s.unsettled)} (${moneys(s.unsettledAmount, '0')})`],
    [t(lang, 'findings'), `${int(s.findings)} (${t(lang, 'findingsSplit', { classified: int(s.classified), unknown: int(s.unknown) })})`],
    [
      t(lang, 'outcomes'),
      Object.entries(s.byOutcome)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([o, n]) => `${outcomeLabel(o, lang)} ${int(n)}`)
        .join(', ') || '—',
    ],
    [
      t(lang, 'settlement'),
      s.settlement.provided
        ? t(lang, 'settlementProvided', {
            records: int(s.settlement.records),
            matched: int(s.settlement.matched),
            notYetDue: int(s.settlement.notYetDue),
            outOfPeriod: int(s.settlement.outOfPeriod),
            asOf: s.settlement.asOf ?? '—',
          })
        : t(lang, 'settlementMissing'),
    ],
  ];
  const currencies = Object.keys(s.currencies);
  if (currencies.length > 1) {
    items.push([t(lang, 'currencies'), currencies.sort().map((c) => `${c} ${int(s.currencies[c])}`).join(', ')]);
  }
  return `## ${t(lang, 'fleet')}\n\n${items.map(([k, v]) => `- **${mdEscape(k)}**${punct(lang).colon}${mdEscape(v)}`).join('\n')}`;
}

function causesSection(report: Report, lang: Lang): string {
  const list = causeCounts(report.summary.byCause);
  const total = list.reduce((sum, c) => sum + c.count, 0);
  if (!list.length) return `## ${t(lang, 'causes')}\n\n${mdEscape(t(lang, 'noFailures'))}`;
  const rows = list.map((c) => [
    mdEscape(c.id),
    mdEscape(labelOf(c.id, lang)),
    int(c.count),
    share(c.count, total),
    mdEscape(partiesLabel(whoActsOf(c.id), lang)),
    e(remediationOf(c.id, lang)),
  ]);
  return `## ${t(lang, 'causes')}\n\n${table(
    [t(lang, 'cause'), t(lang, 'label'), t(lang, 'count'), t(lang, 'share'), t(lang, 'whoActs'), t(lang, 'remediation')],
    rows,
    ['l', 'l', 'r', 'r', 'l', 'l'],
  )}`;
}

function terminalName(x: TerminalReport, lang: Lang): string {
  const p = punct(lang);
  return x.merchantId ? `${mdEscape(x.terminalId)}${p.open}${mdEscape(x.merchantId)}${p.close}` : mdEscape(x.terminalId);
}

function ids(list: readonly string[], lang: Lang, max = 20): string {
  const { shown, more } = idList(list, max);
  const parts = shown.map(mdEscape);
  if (more) parts.push(mdEscape(t(lang, 'more', { n: int(more) })));
  return parts.join(', ') || '—';
}

function actionSection(report: Report, lang: Lang): string {
  const out = [`## ${mdEscape(t(lang, 'action'))}`];
  const list = needsAction(report);
  const p = punct(lang);
  if (!list.length) out.push(`**${mdEscape(t(lang, 'actionNone'))}**`);
  else {
    out.push(mdEscape(t(lang, 'actionIntro', { n: int(list.length) })));
    list.forEach((x, i) => {
      out.push(`### ${i + 1}. ${terminalName(x, lang)}`);
      const money2 = [`${mdEscape(t(lang, 'failedAmount'))} ${mdEscape(moneys(x.failedAmount, '0'))}`];
      if (x.unsettled > 0) money2.push(`${mdEscape(t(lang, 'unsettledAmount'))} ${mdEscape(moneys(x.unsettledAmount))}`);
      out.push(`${mdEscape(terminalLine(x, lang))} · ${money2.join(' · ')}`);
      out.push(
        x.rootCauses
          .map((rc, j) => {
            const lines = [
              `${j + 1}. **${mdEscape(labelOf(rc.cause, lang))}** (${mdEscape(rc.cause)})${p.colon}${mdEscape(rootCauseFigures(rc, lang))} · ${mdEscape(t(lang, 'qValue'))} ${qv(rc.qValue)}`,
            ];
            const sub = (key: MessageKey, value: string | null): void => {
              if (value) lines.push(`   - ${mdEscape(t(lang, key))}${p.colon}${mdEscape(value)}`);
            };
            sub('window', rootCauseWindow(rc, lang));
            sub('signals', signalsText(rc));
            sub('evidence', rc.evidence.join('; ') || null);
            sub('whoActs', partiesLabel(rc.whoActs, lang));
            sub('retryable', retryLabel(rc.retryable, lang));
            sub('remediation', rc.remediation[lang] || null);
            return lines.join('\n');
          })
          .join('\n'),
      );
    });
  }
  const thin = report.terminals.filter((x) => x.assessment === 'insufficient_data');
  if (thin.length) {
    out.push(`${mdEscape(t(lang, 'insufficient', { n: int(thin.length), min: int(report.attribution.minAttempts) }))}${p.colon}${ids(thin.map((x) => x.terminalId).sort(cmp), lang)}`);
  }
  if (report.incidents.length) out.push(`_${mdEscape(t(lang, 'actionIncidentNote'))}_`);
  return out.join('\n\n');
}

function incidentsSection(report: Report, lang: Lang): string {
  const head = `## ${mdEscape(t(lang, 'incidents'))}`;
  if (!report.incidents.length) return `${head}\n\n${mdEscape(t(lang, 'incidentsNone'))}`;
  const p = punct(lang);
  const items = report.incidents.map((i) => {
    const lines = [
      `- **${mdEscape(i.id)}** ${mdEscape(incidentWindow(i))}${p.colon}${mdEscape(incidentCauses(i, lang))} · ${mdEscape(t(lang, 'failures'))} ${int(i.failures)} · ${mdEscape(incidentRate(i, lang))}`,
      `  - ${mdEscape(incidentTouched(i, lang))}${p.colon}${ids(i.terminals, lang)}`,
    ];
    if (i.merchants.length) lines.push(`  - ${mdEscape(t(lang, 'merchant'))}${p.colon}${ids(i.merchants, lang)}`);
    for (const ev of i.evidence) lines.push(`  - ${mdEscape(ev)}`);
    return lines.join('\n');
  });
  return [head, mdEscape(t(lang, 'incidentsNote')), items.join('\n')].join('\n\n');
}

function changesSection(report: Report, lang: Lang): string | null {
  const c = report.changes;
  if (!c) return null;
  const out = [`## ${mdEscape(t(lang, 'changes'))}`, mdEscape(baselineText(c, lang))];
  if (!changeCount(c)) out.push(mdEscape(t(lang, 'changesNone')));
  if (c.rose.length) {
    out.push(`### ${mdEscape(t(lang, 'changesRose'))}`);
    out.push(
      table(
        [t(lang, 'terminal'), t(lang, 'before'), t(lang, 'after'), t(lang, 'qValue')],
        c.rose.map((r) => [mdEscape(r.terminalId), `${pct(r.before)} (${int(r.attemptsBefore)})`, `${pct(r.after)} (${int(r.attemptsAfter)})`, qv(r.qValue)]),
        ['l', 'r', 'r', 'r'],
      ),
    );
  }
  const pairs = (key: MessageKey, list: readonly { terminalId: string; cause: string }[]): void => {
    if (!list.length) return;
    out.push(`### ${mdEscape(t(lang, key))}`);
    out.push(list.map((x) => `- ${mdEscape(x.terminalId)}${punct(lang).colon}${mdEscape(shortLabelOf(x.cause, lang))} (${mdEscape(x.cause)})`).join('\n'));
  };
  pairs('newRootCauses', c.newRootCauses);
  pairs('resolvedRootCauses', c.resolvedRootCauses);
  if (c.newTerminals.length) out.push(`**${mdEscape(t(lang, 'newTerminals'))}** (${int(c.newTerminals.length)})${punct(lang).colon}${ids(c.newTerminals, lang)}`);
  if (c.missingTerminals.length) out.push(`**${mdEscape(t(lang, 'missingTerminals'))}** (${int(c.missingTerminals.length)})${punct(lang).colon}${ids(c.missingTerminals, lang)}`);
  return out.join('\n\n');
}

function groupingsSection(report: Report, lang: Lang): string | null {
  if (!report.groupings.length) return null;
  const out = [`## ${mdEscape(t(lang, 'groupings'))}`];
  const flagged = flaggedGroups(report);
  if (flagged.length) {
    out.push(`### ${mdEscape(t(lang, 'groupingsFlagged'))}`);
    out.push(
      table(
        [t(lang, 'dimension'), t(lang, 'group'), t(lang, 'cause'), t(lang, 'findings'), t(lang, 'rate'), t(lang, 'restRate'), t(lang, 'ratio'), t(lang, 'qValue')],
        flagged.map(({ dimension, group, flag }) => [
          mdEscape(dimensionLabel(dimension, lang)),
          e(group.value),
          mdEscape(shortLabelOf(flag.cause, lang)),
          int(flag.findings),
          pct(flag.rate),
          pct(flag.restRate),
          mdEscape(ratioText(flag.ratio, lang)),
          qv(flag.qValue),
        ]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  } else out.push(mdEscape(t(lang, 'groupingsNone')));
  for (const g of report.groupings) {
    const rows = topGroups(g);
    if (!rows.length) continue;
    out.push(`### ${mdEscape(t(lang, 'groupTop', { dimension: dimensionLabel(g.dimension, lang), n: rows.length }))}`);
    out.push(
      table(
        [t(lang, 'group'), t(lang, 'attempts'), t(lang, 'failures'), t(lang, 'failureRate'), t(lang, 'topCauses'), t(lang, 'flags')],
        rows.map((x) => [
          e(x.value),
          int(x.attempts),
          int(x.failures),
          pct(x.failureRate.rate),
          causeList(x.byCause, lang, 3),
          x.flags.map((f) => `${mdEscape(shortLabelOf(f.cause, lang))} ${mdEscape(ratioText(f.ratio, lang))}`).join(punct(lang).semi) || '—',
        ]),
        ['l', 'r', 'r', 'r', 'l', 'l'],
      ),
    );
  }
  return out.join('\n\n');
}

function cardsSection(report: Report, lang: Lang): string | null {
  if (!report.cards.length) return null;
  return [
    `## ${mdEscape(t(lang, 'cardsSection'))}`,
    mdEscape(t(lang, 'cardsNote')),
    table(
      [t(lang, 'cardRef'), t(lang, 'terminalCount'), t(lang, 'failures'), t(lang, 'causes')],
      report.cards.map((c) => [e(c.cardRef), `${int(c.terminals.length)}: ${ids(c.terminals, lang)}`, int(c.failures), causeList(c.byCause, lang, 3)]),
      ['l', 'l', 'r', 'l'],
    ),
  ].join('\n\n');
}

function terminalsSection(report: Report, lang: Lang): string {
  const sorted = byFailures(report.terminals);
  const rows = sorted.slice(0, MAX_TERMINAL_ROWS).map((x) => [
    e(x.terminalId),
    e(x.merchantId),
    int(x.attempts),
    int(x.failures),
    pct(x.failureRate.rate),
    interval(x.failureRate),
    int(x.unsettled),
    mdEscape(moneys(x.unsettledAmount)),
    causeList(x.byCause, lang, 3),
    e(x.softwareVersion),
    e(x.model),
    e(x.connection),
  ]);
  const out = [
    `## ${t(lang, 'terminalTable')}`,
    table(
      [
        t(lang, 'terminal'),
        t(lang, 'merchant'),
        t(lang, 'attempts'),
        t(lang, 'failures'),
        t(lang, 'failureRate'),
        t(lang, 'ci95'),
        t(lang, 'unsettled'),
        t(lang, 'unsettledAmount'),
        t(lang, 'topCauses'),
        t(lang, 'software'),
        t(lang, 'model'),
        t(lang, 'connection'),
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l', 'l'],
    ),
  ];
  if (sorted.length > MAX_TERMINAL_ROWS) out.push(mdEscape(t(lang, 'moreTerminals', { n: int(sorted.length - MAX_TERMINAL_ROWS) })));
  return out.join('\n\n');
}

function eventsSection(report: Report, lang: Lang): string | null {
  const { events, unknownEvents } = report.summary;
  const names = [...new Set([...Object.keys(events), ...Object.keys(unknownEvents)])].sort();
  if (!names.length) return null;
  const rows = names.map((n) => [
    unknownEvents[n] !== undefined ? `${mdEscape(n)} (${mdEscape(t(lang, 'unknownEvent'))})` : mdEscape(n),
    int(events[n] ?? unknownEvents[n] ?? 0),
  ]);
  return `## ${t(lang, 'eventsSection')}\n\n${table([t(lang, 'event'), t(lang, 'count')], rows, ['l', 'r'])}`;
}

function rulesSection(report: Report, lang: Lang): string | null {
  const fired = report.rules.filter((r) => r.findings > 0).sort((a, b) => b.findings - a.findings || (a.id < b.id ? -1 : 1));
  if (!fired.length) return null;
  return `## ${t(lang, 'rules')}\n\n${table(
    [t(lang, 'rule'), t(lang, 'causes'), t(lang, 'ruleTitle'), t(lang, 'findings')],
    fired.map((r) => [mdEscape(r.id), r.causes.map(mdEscape).join(', '), e(r.title), int(r.findings)]),
    ['l', 'l', 'l', 'r'],
  )}`;
}

function examplesSection(result: AnalysisResult, lang: Lang): string | null {
  const groups = examplesByCause(result.findings);
  if (!groups.length) return null;
  const out = [`## ${t(lang, 'examples')}`, mdEscape(t(lang, 'examplesNote', { n: EXAMPLES_PER_CAUSE }))];
  for (const g of groups) {
    out.push(`### ${mdEscape(labelOf(g.id, lang))} (${mdEscape(g.id)}): ${int(g.total)}`);
    out.push(
      table(
        [t(lang, 'txn'), t(lang, 'terminal'), t(lang, 'time'), t(lang, 'outcome'), t(lang, 'amount'), t(lang, 'codes'), t(lang, 'message'), t(lang, 'rule'), t(lang, 'evidence')],
        g.examples.map((f) => [
          e(f.txnId ?? f.rrn),
          e(f.terminalId),
          e(f.timestamp),
          mdEscape(outcomeLabel(f.outcome, lang)),
          f.amount ? mdEscape(money(f.amount, f.currency ?? '')) : '—',
          e(findingCodes(f)),
          e(f.message ?? f.settlement?.message),
          e(f.ruleId),
          e(evidenceText(f)),
        ]),
        ['l', 'l', 'l', 'l', 'r', 'l', 'l', 'l', 'l'],
      ),
    );
    if (g.total > g.examples.length) out.push(mdEscape(t(lang, 'examplesMore', { n: int(g.total - g.examples.length) })));
  }
  return out.join('\n\n');
}

function render(result: AnalysisResult, { lang }: RenderOptions): string {
  const { report } = result;
  const head = [
    `# ${mdEscape(t(lang, 'title'))}`,
    `${mdEscape(t(lang, 'generatedAt'))}${punct(lang).colon}${e(report.generatedAt)} · ${e(`${report.tool.name} ${report.tool.version}`)}`,
  ].join('\n\n');
  const sections = [
    head,
    actionSection(report, lang),
    incidentsSection(report, lang),
    changesSection(report, lang),
    groupingsSection(report, lang),
    cardsSection(report, lang),
    fleetSection(report, lang),
    causesSection(report, lang),
    terminalsSection(report, lang),
    accountingSection(report, lang),
    eventsSection(report, lang),
    rulesSection(report, lang),
    examplesSection(result, lang),
    optionsSection(report, lang),
  ];
  return `${sections.filter((s): s is string => s !== null).join('\n\n')}\n`;
}

export const markdownOutput: OutputFormat = { id: 'markdown', file: 'report.md', render };
