import { BIDI_CONTROLS } from './markup.js';
import { findingCodes, int, money, type Lang } from './fmt.js';
import { dimensionLabel, kindLabel, outcomeLabel, punct, t, type MessageKey } from './i18n.js';
import type { AnalysisResult, OutputFormat, RenderOptions } from './types.js';
import { buildView, findingEvidence, EXAMPLES_PER_CAUSE, type IdList, type ReportView, type SectionId } from './view.js';

// report.md renders the same view as report.html (view.ts), section for section, in Markdown.

/**
 * Text from input as inert Markdown: the characters that start emphasis, links, code, HTML, math or end a
 * table cell are backslash-escaped (CommonMark allows that for any ASCII punctuation), and line breaks,
 * which would end a table row, become spaces.
 */
export function mdEscape(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001F\u007F]/g, ' ')
    .replace(BIDI_CONTROLS, '\uFFFD')
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

function ids(list: IdList, lang: Lang): string {
  const parts = list.shown.map(mdEscape);
  if (list.more) parts.push(mdEscape(t(lang, 'more', { n: int(list.more) })));
  return parts.join(', ') || '—';
}

const m = mdEscape;

function key(v: ReportView): string {
  const { lang } = v;
  const p = punct(lang);
  return v.key.map((k) => `- **${m(k.label)}**${p.colon}${m(k.values.join(p.semi))}${k.note ? ` (${m(k.note)})` : ''}`).join('\n');
}

function action(v: ReportView): string {
  const { lang } = v;
  const a = v.action;
  const p = punct(lang);
  const out: string[] = [];
  if (!a.rows.length) out.push(`**${m(a.none ?? '')}**`);
  else {
    out.push(m(a.intro));
    const rows: string[][] = [];
    for (const r of a.rows) {
      r.causes.forEach((rc, i) => {
        rows.push([
          i ? '' : `${r.first ? '**→ ' : ''}${m(r.terminalId)}${r.first ? '**' : ''}`,
          i ? '' : e(r.merchantId),
          m(rc.shortLabel),
          `${m(rc.rate)} ${m(t(lang, 'fleetBaselineText', { rate: rc.baseline }))}${m(p.open)}${m(rc.ratio)}${m(p.close)}: ${m(rc.significance)}`,
          i ? '' : m(r.atStakeText),
          m(rc.whoActs),
          e(rc.remediation),
        ]);
      });
    }
    out.push(table([t(lang, 'terminal'), t(lang, 'merchant'), t(lang, 'cause'), t(lang, 'rateVsBaseline'), t(lang, 'atStake'), t(lang, 'whoActs'), t(lang, 'remediation')], rows, ['l', 'l', 'l', 'l', 'r', 'l', 'l']));
    out.push(`**→** ${m(t(lang, 'firstToAct'))}${p.colon}${m(a.rows[0].terminalId)}`);
  }
  if (a.insufficient) out.push(`${m(a.insufficient.text)}${p.colon}${ids(a.insufficient.ids, lang)}`);
  if (a.incidentNote) out.push(`_${m(a.incidentNote)}_`);
  return out.join('\n\n');
}

function incidents(v: ReportView): string {
  const { lang } = v;
  const i = v.incidents;
  if (!i.items.length) return m(i.none ?? '');
  const p = punct(lang);
  const items = i.items.map((x) => {
    const lines = [
      `- **${m(x.id)}** ${m(x.window)}${p.colon}${m(x.causes)} · ${m(t(lang, 'failures'))} ${int(x.failures)} · ${m(x.rate)}`,
      `  - ${m(x.touched)}${p.colon}${ids(x.terminals, lang)}`,
    ];
    if (x.merchants.shown.length) lines.push(`  - ${m(t(lang, 'merchant'))}${p.colon}${ids(x.merchants, lang)}`);
    for (const ev of x.evidence) lines.push(`  - ${m(ev)}`);
    return lines.join('\n');
  });
  return [m(i.note ?? ''), items.join('\n')].join('\n\n');
}

function changes(v: ReportView): string {
  const c = v.changes!;
  const { lang } = v;
  const p = punct(lang);
  const out = [m(c.baseline)];
  if (c.none) out.push(m(t(lang, 'changesNone')));
  if (c.rose.length) {
    out.push(`### ${m(t(lang, 'changesRose'))}`);
    out.push(table([t(lang, 'terminal'), t(lang, 'before'), t(lang, 'after'), t(lang, 'qValue')], c.rose.map((r) => [m(r.terminalId), m(r.before), m(r.after), m(r.q)]), ['l', 'r', 'r', 'r']));
  }
  const pairs = (key: MessageKey, list: readonly { terminalId: string; cause: string; label: string }[]): void => {
    if (!list.length) return;
    out.push(`### ${m(t(lang, key))}`);
    out.push(list.map((x) => `- ${m(x.terminalId)}${p.colon}${m(x.label)} (${m(x.cause)})`).join('\n'));
  };
  pairs('newRootCauses', c.newRootCauses);
  pairs('resolvedRootCauses', c.resolvedRootCauses);
  if (c.newTerminals.total) out.push(`**${m(t(lang, 'newTerminals'))}** (${int(c.newTerminals.total)})${p.colon}${ids(c.newTerminals, lang)}`);
  if (c.missingTerminals.total) out.push(`**${m(t(lang, 'missingTerminals'))}** (${int(c.missingTerminals.total)})${p.colon}${ids(c.missingTerminals, lang)}`);
  return out.join('\n\n');
}

function details(v: ReportView): string {
  const { lang } = v;
  const p = punct(lang);
  const out: string[] = [];
  for (const r of v.action.rows) {
    out.push(`### ${r.rank}. ${m(r.terminalId)}${r.merchantId ? `${m(p.open)}${m(r.merchantId)}${m(p.close)}` : ''}`);
    const money2 = [`${m(t(lang, 'failedAmount'))} ${m(r.failedAmount)}`];
    if (r.unsettledAmount) money2.push(`${m(t(lang, 'unsettledAmount'))} ${m(r.unsettledAmount)}`);
    out.push(`${m(r.line)} · ${money2.join(' · ')}`);
    out.push(
      r.causes
        .map((rc, j) => {
          const lines = [`${j + 1}. **${m(rc.label)}** (${m(rc.cause)})${p.colon}${m(rc.figures)}${m(p.semi)}**${m(rc.significance)}**`];
          const sub = (key: MessageKey, value: string | null): void => {
            if (value) lines.push(`   - ${m(t(lang, key))}${p.colon}${m(value)}`);
          };
          sub('exact', rc.exact);
          sub('window', rc.window);
          sub('signals', rc.signals);
          sub('evidence', rc.evidence.join(p.semi) || null);
          sub('whoActs', rc.whoActs);
          sub('retryable', rc.retry);
          sub('remediation', rc.remediation || null);
          return lines.join('\n');
        })
        .join('\n'),
    );
  }
  return out.join('\n\n');
}

function charts(v: ReportView): string {
  const { lang } = v;
  const c = v.charts;
  const out = [m(t(lang, 'chartsPointer'))];
  if (c.busiestHour) out.push(m(t(lang, 'busiestHour', { hour: c.busiestHour.hour, rate: c.busiestHour.rate, failures: int(c.busiestHour.failures), attempts: int(c.busiestHour.attempts) })));
  const hours = c.heat.totals.map((x, h) => ({ h, ...x })).filter((x) => x.attempts > 0);
  if (hours.length) {
    out.push(`### ${m(t(lang, 'hourTable'))}`);
    out.push(
      table(
        [t(lang, 'hour'), t(lang, 'attempts'), t(lang, 'failures'), t(lang, 'failureRate')],
        hours.map((x) => [`${String(x.h).padStart(2, '0')}:00`, int(x.attempts), int(x.failures), m(x.attempts ? `${((x.failures / x.attempts) * 100).toFixed(1)}%` : '–')]),
        ['l', 'r', 'r', 'r'],
      ),
    );
  }
  return out.join('\n\n');
}

function terminals(v: ReportView): string {
  const { lang } = v;
  const rows = v.terminals.rows.map((x) => [
    m(x.terminalId),
    e(x.merchantId),
    int(x.attempts),
    int(x.failures),
    m(x.rateText),
    m(x.ci),
    int(x.unsettled),
    m(x.atStakeText),
    m(x.topCauses),
    m(x.assessment),
    e(x.software),
    e(x.model),
    e(x.connection),
  ]);
  const out = [
    table(
      [t(lang, 'terminal'), t(lang, 'merchant'), t(lang, 'attempts'), t(lang, 'failures'), t(lang, 'failureRate'), t(lang, 'ci95'), t(lang, 'unsettled'), t(lang, 'atStake'), t(lang, 'topCauses'), t(lang, 'assessment'), t(lang, 'software'), t(lang, 'model'), t(lang, 'connection')],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l', 'l', 'l'],
    ),
  ];
  if (v.terminals.more) out.push(m(t(lang, 'moreTerminals', { n: int(v.terminals.more) })));
  return out.join('\n\n');
}

function causes(v: ReportView): string {
  const { lang } = v;
  const c = v.causes;
  const intro = `${m(t(lang, 'findings'))} ${int(c.findings)}${punct(lang).colon}${m(c.split)}`;
  if (!c.rows.length) return `${intro}\n\n${m(t(lang, 'noFailures'))}`;
  return `${intro}\n\n${table(
    [t(lang, 'cause'), t(lang, 'label'), t(lang, 'count'), t(lang, 'share'), t(lang, 'whoActs'), t(lang, 'remediation')],
    c.rows.map((r) => [m(r.id), m(r.label), int(r.count), r.share, m(r.whoActs), e(r.remediation)]),
    ['l', 'l', 'r', 'r', 'l', 'l'],
  )}`;
}

function groupings(v: ReportView): string {
  const { lang } = v;
  const g = v.groupings!;
  const out: string[] = [];
  if (g.flagged.length) {
    out.push(`### ${m(t(lang, 'groupingsFlagged'))}`);
    out.push(
      table(
        [t(lang, 'dimension'), t(lang, 'group'), t(lang, 'cause'), t(lang, 'findings'), t(lang, 'rate'), t(lang, 'restRate'), t(lang, 'ratio'), t(lang, 'qValue')],
        g.flagged.map((f) => [m(dimensionLabel(f.dimension, lang)), e(f.value), m(f.label), int(f.findings), m(f.rate), m(f.restRate), m(f.ratio), m(f.q)]),
        ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  } else out.push(m(t(lang, 'groupingsNone')));
  for (const d of g.tables) {
    out.push(`### ${m(t(lang, 'groupTop', { dimension: dimensionLabel(d.dimension, lang), n: d.rows.length }))}`);
    out.push(
      table(
        [t(lang, 'group'), t(lang, 'attempts'), t(lang, 'failures'), t(lang, 'failureRate'), t(lang, 'topCauses'), t(lang, 'flags')],
        d.rows.map((x) => [e(x.value), int(x.attempts), int(x.failures), m(x.rate), m(x.topCauses), m(x.flags)]),
        ['l', 'r', 'r', 'r', 'l', 'l'],
      ),
    );
  }
  return out.join('\n\n');
}

function cards(v: ReportView): string {
  const { lang } = v;
  return [
    m(t(lang, 'cardsNote')),
    table(
      [t(lang, 'cardRef'), t(lang, 'terminalCount'), t(lang, 'failures'), t(lang, 'causes')],
      v.cards!.map((c) => [e(c.cardRef), `${int(c.terminals.total)}: ${ids(c.terminals, lang)}`, int(c.failures), m(c.causes)]),
      ['l', 'l', 'r', 'l'],
    ),
  ].join('\n\n');
}

function inputs(v: ReportView): string {
  const { lang } = v;
  const i = v.inputs;
  // A skipped column only when something was skipped, so each row's numbers add up.
  const skips = i.totals.skipped > 0;
  const rows = i.files.map((f) => [e(f.path), e(kindLabel(f.kind, lang)), e(f.format), e(f.encoding), int(f.read), int(f.accepted), int(f.rejected), ...(skips ? [int(f.skipped)] : [])]);
  rows.push([`**${m(t(lang, 'total'))}**`, '', '', '', `**${int(i.totals.read)}**`, `**${int(i.totals.accepted)}**`, `**${int(i.totals.rejected)}**`, ...(skips ? [`**${int(i.totals.skipped)}**`] : [])]);
  const notes = [i.balanced ? i.accounting : `**${i.accounting}**`];
  if (i.rejectsNote) notes.push(i.rejectsNote);
  const out = [
    `### ${m(t(lang, 'accounting'))}`,
    table(
      [t(lang, 'path'), t(lang, 'kind'), t(lang, 'format'), t(lang, 'encoding'), t(lang, 'read'), t(lang, 'accepted'), t(lang, 'rejected'), ...(skips ? [t(lang, 'skipped')] : [])],
      rows,
      ['l', 'l', 'l', 'l', 'r', 'r', 'r', ...(skips ? (['r'] as const) : [])],
    ),
    notes.map(m).join(lang === 'zh' ? '' : ' '),
    `${m(t(lang, 'settlement'))}${punct(lang).colon}${m(i.settlement)}`,
  ];
  if (i.events.length) {
    out.push(`### ${m(t(lang, 'eventsSection'))}`);
    out.push(table([t(lang, 'event'), t(lang, 'count')], i.events.map((x) => [x.unknown ? `${m(x.name)} (${m(t(lang, 'unknownEvent'))})` : m(x.name), int(x.count)]), ['l', 'r']));
  }
  if (i.rules.length) {
    out.push(`### ${m(t(lang, 'rules'))}`);
    out.push(
      lang === 'zh'
        ? table([t(lang, 'rule'), t(lang, 'causes'), t(lang, 'findings')], i.rules.map((r) => [m(r.id), m(r.causes), int(r.findings)]), ['l', 'l', 'r'])
        : table([t(lang, 'rule'), t(lang, 'causes'), t(lang, 'ruleTitle'), t(lang, 'findings')], i.rules.map((r) => [m(r.id), m(r.causes), e(r.title), int(r.findings)]), ['l', 'l', 'l', 'r']),
    );
  }
  out.push(`### ${m(t(lang, 'options'))}`);
  out.push(table([t(lang, 'option'), t(lang, 'value')], i.options.map((o) => [m(o.label), e(o.value)])));
  return out.join('\n\n');
}

function examples(v: ReportView): string {
  const { lang } = v;
  const out = [m(t(lang, 'examplesNote', { n: EXAMPLES_PER_CAUSE }))];
  for (const g of v.examples!) {
    out.push(`### ${m(g.label)} (${m(g.id)}): ${int(g.total)}`);
    out.push(
      table(
        [t(lang, 'txn'), t(lang, 'terminal'), t(lang, 'time'), t(lang, 'outcome'), t(lang, 'amount'), t(lang, 'codes'), t(lang, 'message'), t(lang, 'rule'), t(lang, 'evidence')],
        g.examples.map((f) => [
          e(f.txnId ?? f.rrn),
          e(f.terminalId),
          e(f.timestamp),
          m(outcomeLabel(f.outcome, lang)),
          f.amount ? m(money(f.amount, f.currency ?? '')) : '—',
          e(findingCodes(f)),
          e(f.message ?? f.settlement?.message),
          e(f.ruleId),
          e(findingEvidence(f, lang, v.sameLang)),
        ]),
        ['l', 'l', 'l', 'l', 'r', 'l', 'l', 'l', 'l'],
      ),
    );
    if (g.total > g.examples.length) out.push(m(t(lang, 'examplesMore', { n: int(g.total - g.examples.length) })));
  }
  return out.join('\n\n');
}

const SECTIONS: Record<SectionId, (v: ReportView) => string> = { key, action, incidents, changes, details, charts, terminals, causes, groupings, cards, inputs, examples };

export function renderMarkdown(v: ReportView): string {
  const { lang } = v;
  const head = [`# ${m(v.title)}`, `${m(t(lang, 'generatedAt'))}${punct(lang).colon}${e(v.meta.generatedAt)} · ${e(v.meta.tool)} · ${m(t(lang, 'period'))} ${m(v.meta.period)} · ${m(t(lang, 'optTz'))} ${m(v.meta.tz)}`].join('\n\n');
  const sections = v.sections.map((s) => `## ${m(s.title)}\n\n${SECTIONS[s.id](v)}`);
  return `${[head, ...sections].join('\n\n')}\n`;
}

function render(result: AnalysisResult, { lang }: RenderOptions): string {
  return renderMarkdown(buildView(result, lang));
}

export const markdownOutput: OutputFormat = { id: 'markdown', file: 'report.md', render };
