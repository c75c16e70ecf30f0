import type { Report, TerminalReport } from '../model.js';
import {
  ATTENTION_TERMINALS,
  EXAMPLES_PER_CAUSE,
  MAX_TERMINAL_ROWS,
  accountingBalanced,
  byFailures,
  causeCounts,
  evidenceText,
  examplesByCause,
  findingCodes,
  int,
  interval,
  labelOf,
  money,
  pct,
  remediationOf,
  share,
  shortLabelOf,
  whoActsOf,
  type Lang,
} from './fmt.js';
import { outcomeLabel, partiesLabel, punct, t } from './i18n.js';
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
    [t(lang, 'unsettled'), `${int(s.unsettled)} (${money(s.unsettledAmount, s.currency)})`],
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

function attentionSection(report: Report, lang: Lang): string {
  const out = [`## ${t(lang, 'attention')}`];
  const sorted = byFailures(report.terminals);
  const flagged = sorted.filter((x) => x.rootCauses.length > 0);
  if (flagged.length) {
    out.push(mdEscape(t(lang, 'attentionRoot')));
    for (const x of flagged) {
      out.push(`### ${terminalName(x, lang)}`);
      out.push(
        `${mdEscape(t(lang, 'failures'))}: ${int(x.failures)} / ${int(x.attempts)} · ${mdEscape(t(lang, 'failureRate'))} ${pct(x.failureRate.rate)} (${interval(x.failureRate)})`,
      );
      out.push(
        table(
          [t(lang, 'cause'), t(lang, 'findings'), t(lang, 'rateHere'), t(lang, 'fleetRate'), t(lang, 'evidence'), t(lang, 'whoActs'), t(lang, 'remediation')],
          x.rootCauses.map((rc) => [
            `${mdEscape(labelOf(rc.cause, lang))} (${mdEscape(rc.cause)})`,
            int(rc.findings),
            pct(rc.rate),
            pct(rc.fleetRate),
            rc.evidence.map(mdEscape).join('; ') || '—',
            mdEscape(partiesLabel(rc.whoActs, lang)),
            e(rc.remediation[lang]),
          ]),
          ['l', 'r', 'r', 'r', 'l', 'l', 'l'],
        ),
      );
    }
    return out.join('\n\n');
  }
  const failing = sorted.filter((x) => x.failures > 0).slice(0, ATTENTION_TERMINALS);
  if (!failing.length) {
    out.push(mdEscape(t(lang, 'noFailures')));
    return out.join('\n\n');
  }
  out.push(mdEscape(t(lang, 'attentionNone')));
  const p = punct(lang);
  out.push(
    failing
      .map(
        (x, i) =>
          `${i + 1}. **${terminalName(x, lang)}**${p.colon}${mdEscape(t(lang, 'failures'))} ${int(x.failures)} / ${int(x.attempts)}${p.comma}${pct(x.failureRate.rate)}${p.open}${interval(x.failureRate)}${p.close}${p.semi}${causeList(x.byCause, lang, 3)}`,
      )
      .join('\n'),
  );
  return out.join('\n\n');
}

function terminalsSection(report: Report, lang: Lang): string {
  const sorted = byFailures(report.terminals);
  const cur = report.summary.currency;
  const rows = sorted.slice(0, MAX_TERMINAL_ROWS).map((x) => [
    e(x.terminalId),
    e(x.merchantId),
    int(x.attempts),
    int(x.failures),
    pct(x.failureRate.rate),
    interval(x.failureRate),
    int(x.unsettled),
    mdEscape(money(x.unsettledAmount, cur)),
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

function incidentsSection(report: Report, lang: Lang): string {
  const head = `## ${t(lang, 'incidents')}`;
  if (!report.incidents.length) return `${head}\n\n${mdEscape(t(lang, 'incidentsNone'))}`;
  const rows = report.incidents.map((i) => {
    const terms = i.terminals.slice(0, 10).map(mdEscape);
    if (i.terminals.length > 10) terms.push(mdEscape(t(lang, 'more', { n: i.terminals.length - 10 })));
    return [
      e(i.start),
      e(i.end),
      int(i.failures),
      i.causes.map((c) => mdEscape(labelOf(c, lang))).join(', ') || '—',
      `${int(i.terminals.length)}: ${terms.join(', ')}`,
    ];
  });
  return `${head}\n\n${table(
    [t(lang, 'start'), t(lang, 'end'), t(lang, 'failures'), t(lang, 'causes'), t(lang, 'terminalCount')],
    rows,
    ['l', 'l', 'r', 'l', 'l'],
  )}`;
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
  const cur = result.report.summary.currency;
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
          f.amount ? mdEscape(money(f.amount, f.currency ?? cur)) : '—',
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
    accountingSection(report, lang),
    fleetSection(report, lang),
    causesSection(report, lang),
    attentionSection(report, lang),
    terminalsSection(report, lang),
    incidentsSection(report, lang),
    eventsSection(report, lang),
    rulesSection(report, lang),
    examplesSection(result, lang),
    optionsSection(report, lang),
  ];
  return `${sections.filter((s): s is string => s !== null).join('\n\n')}\n`;
}

export const markdownOutput: OutputFormat = { id: 'markdown', file: 'report.md', render };
