import type { Report, RootCause, TerminalReport } from '../model.js';
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
import { causeChart, causeColor, terminalRateChart, timelineChart, TERMINAL_CHART_ROWS } from './charts.js';
import {
  EXAMPLES_PER_CAUSE,
  MAX_TERMINAL_ROWS,
  aboveFleet,
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
import { html, trusted, type Markup, type Part } from './markup.js';
import type { AnalysisResult, OutputFormat, RenderOptions } from './types.js';

// One self-contained page: inline CSS and SVG, no script, nothing fetched. The CSP meta tag makes that a
// guarantee: even if some input escaped escaping, the browser would not run a script or load a resource.

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#4e79a7;--hot:#e15759;--ok:#1a7f37}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1180px;padding:24px 28px 48px;color:var(--fg);background:var(--bg);font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:15px;margin:18px 0 6px}
.meta,.note,figcaption,.nodata{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:10px;margin:18px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:var(--soft)}
.card .k{color:var(--muted);font-size:12px}.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}.card .s{color:var(--muted);font-size:12px}
.bad{color:var(--hot);font-weight:600}.good{color:var(--ok)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.id{word-break:break-all}
tr.total td{font-weight:600}
tr.hot td.rate{color:var(--hot);font-weight:600}
figure{margin:16px 0 24px;break-inside:avoid}
figcaption{font-size:13px;margin-bottom:6px}
svg.chart{width:100%;height:auto;display:block;font-size:12px}
svg .label,svg .value,svg .tick{fill:var(--fg)}svg .tick{fill:var(--muted);font-size:11px}
svg .grid{stroke:#eaeef2;stroke-width:1}
svg .bar{fill:var(--accent)}svg .bar.hot{fill:var(--hot)}
svg .whisker{stroke:var(--fg);stroke-width:1.2;fill:none}
svg .fleet{stroke:var(--muted);stroke-dasharray:4 3;stroke-width:1}
svg .attempts{stroke:var(--fg);stroke-width:1.5;fill:none}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
ul.incidents{padding-left:20px}ul.incidents>li{margin-bottom:8px}
ol.action{padding-left:22px}ol.action>li{margin-bottom:14px}ol.action h3{margin:4px 0}ol.rcs{padding-left:20px}li.rc p{margin:6px 0 2px}
li.rc dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px}li.rc dt{color:var(--muted)}li.rc dd{margin:0}li.rc dd ul{margin:0;padding-left:18px}
.fig{font-variant-numeric:tabular-nums}.ok-note{color:var(--ok)}
svg .incident{fill:var(--hot);fill-opacity:.12;stroke:var(--hot);stroke-opacity:.5;stroke-dasharray:3 2}svg .incident-label{fill:var(--hot);font-size:11px}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}.card,tr,figure{break-inside:avoid}.scroll{overflow:visible}}
@page{margin:14mm}
`;

function num(n: number): Markup {
  return html`<td class="n">${int(n)}</td>`;
}

function th(lang: Lang, keys: readonly (readonly [MessageKey, boolean?])[]): Markup {
  return html`<tr>${keys.map(([k, numeric]) => html`<th${numeric ? trusted(' class="n"') : ''}>${t(lang, k)}</th>`)}</tr>`;
}

function tableOf(head: Markup, rows: Part[]): Markup {
  return html`<div class="scroll"><table><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function card(key: string, value: string, sub?: string, cls?: string): Markup {
  return html`<div class="card"><div class="k">${key}</div><div class="v${cls ? ` ${cls}` : ''}">${value}</div>${sub ? html`<div class="s">${sub}</div>` : ''}</div>`;
}

function balanced(report: Report): boolean {
  const { read, accepted, rejected } = report.totals;
  return accountingBalanced(read, accepted, rejected) && report.inputs.every((i) => accountingBalanced(i.read, i.accepted, i.rejected));
}

function cards(report: Report, lang: Lang): Markup {
  const s = report.summary;
  const { read, accepted, rejected } = report.totals;
  return html`<section class="cards">${[
    card(t(lang, 'terminalCount'), int(s.terminals)),
    card(t(lang, 'attempts'), int(s.attempts), `${t(lang, 'approved')} ${int(s.approved)}`),
    card(t(lang, 'failures'), int(s.failures)),
    card(t(lang, 'failureRate'), pct(s.failureRate.rate), `${t(lang, 'ci95')} ${interval(s.failureRate)}`),
    card(t(lang, 'unsettled'), int(s.unsettled), s.settlement.provided ? moneys(s.unsettledAmount, '0') : t(lang, 'settlementMissing')),
    card(t(lang, 'findings'), int(s.findings), t(lang, 'findingsSplit', { classified: int(s.classified), unknown: int(s.unknown) })),
    card(
      t(lang, 'read'),
      int(read),
      `${t(lang, 'accepted')} ${int(accepted)} + ${t(lang, 'rejected')} ${int(rejected)}`,
      balanced(report) ? undefined : 'bad',
    ),
  ]}</section>`;
}

function settlementNote(report: Report, lang: Lang): Markup {
  const st = report.summary.settlement;
  const text = st.provided
    ? t(lang, 'settlementProvided', {
        records: int(st.records),
        matched: int(st.matched),
        notYetDue: int(st.notYetDue),
        outOfPeriod: int(st.outOfPeriod),
        asOf: st.asOf ?? '—',
      })
    : t(lang, 'settlementMissing');
  return html`<p class="note">${t(lang, 'settlement')}: ${text}</p>`;
}

function accounting(report: Report, lang: Lang): Markup {
  const rows = report.inputs.map((i) => {
    const ok = accountingBalanced(i.read, i.accepted, i.rejected);
    return html`<tr><td class="id">${i.path}</td><td>${i.kind}</td><td>${i.format}</td>${num(i.read)}${num(i.accepted)}${num(i.rejected)}<td class="${ok ? 'good' : 'bad'}">${ok ? '✓' : '✗'}</td></tr>`;
  });
  const { read, accepted, rejected } = report.totals;
  rows.push(html`<tr class="total"><td>${t(lang, 'total')}</td><td></td><td></td>${num(read)}${num(accepted)}${num(rejected)}<td></td></tr>`);
  const vars = { read: int(read), accepted: int(accepted), rejected: int(rejected) };
  const ok = balanced(report);
  return html`<section id="accounting"><h2>${t(lang, 'accounting')}</h2>${tableOf(
    th(lang, [['path'], ['kind'], ['format'], ['read', true], ['accepted', true], ['rejected', true], ['check']]),
    rows,
  )}<p class="${ok ? 'note' : 'bad'}">${ok ? t(lang, 'accountingOk', vars) : t(lang, 'accountingBad', vars)}${rejected > 0 ? `${lang === 'zh' ? '' : ' '}${t(lang, 'rejectsNote')}` : ''}</p></section>`;
}

function charts(report: Report, lang: Lang): Markup {
  const shown = Math.min(TERMINAL_CHART_ROWS, report.terminals.filter((x) => x.failures > 0).length);
  return html`<section id="charts"><h2>${t(lang, 'charts')}</h2>
<figure><figcaption>${t(lang, 'chartTerminals', { n: shown })}</figcaption>${terminalRateChart(report, lang)}</figure>
<figure><figcaption>${t(lang, 'chartCauses')}</figcaption>${causeChart(report, lang)}</figure>
<figure><figcaption>${t(lang, 'chartTimeline')}${report.incidents.length ? `; ${t(lang, 'chartIncidents')}` : ''}</figcaption>${timelineChart(report, lang)}</figure></section>`;
}

function swatch(color: string): Markup {
  return html`<svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="${color}"/></svg> `;
}

function causes(report: Report, lang: Lang): Markup {
  const list = causeCounts(report.summary.byCause);
  const total = list.reduce((sum, c) => sum + c.count, 0);
  const body = list.length
    ? tableOf(
        th(lang, [['cause'], ['label'], ['count', true], ['share', true], ['whoActs'], ['remediation']]),
        list.map(
          (c) =>
            html`<tr><td>${swatch(causeColor(c.id))}<code>${c.id}</code></td><td>${labelOf(c.id, lang)}</td>${num(c.count)}<td class="n">${share(c.count, total)}</td><td>${partiesLabel(whoActsOf(c.id), lang)}</td><td>${remediationOf(c.id, lang)}</td></tr>`,
        ),
      )
    : html`<p class="note">${t(lang, 'noFailures')}</p>`;
  return html`<section id="causes"><h2>${t(lang, 'causes')}</h2>${body}</section>`;
}

function topCauses(x: TerminalReport, lang: Lang, max = 3): string {
  return causeListText(x.byCause, lang, max);
}

function causeListText(counts: Record<string, number>, lang: Lang, max = 3): string {
  const list = causeCounts(counts);
  const parts = list.slice(0, max).map((c) => `${shortLabelOf(c.id, lang)} ${int(c.count)}`);
  if (list.length > max) parts.push(t(lang, 'more', { n: list.length - max }));
  return parts.join(punct(lang).semi);
}

function terminalName(x: TerminalReport, lang: Lang): Markup {
  const p = punct(lang);
  return html`<span class="id">${x.terminalId}</span>${x.merchantId ? html`<span class="meta">${p.open}${x.merchantId}${p.close}</span>` : ''}`;
}

function idsOf(list: readonly string[], lang: Lang, max = 20): Markup {
  const { shown, more } = idList(list, max);
  return html`<span class="id">${shown.join(', ') || '—'}</span>${more ? ` ${t(lang, 'more', { n: int(more) })}` : ''}`;
}

function rootCauseItem(rc: RootCause, lang: Lang): Markup {
  const p = punct(lang);
  const row = (key: MessageKey, value: Part): Markup | '' => (value ? html`<dt>${t(lang, key)}</dt><dd>${value}</dd>` : '');
  const win = rootCauseWindow(rc, lang);
  const sig = signalsText(rc);
  return html`<li class="rc"><p><span class="swatch">${swatch(causeColor(rc.cause))}</span><strong>${labelOf(rc.cause, lang)}</strong> <code>${rc.cause}</code>${p.colon}<span class="fig">${rootCauseFigures(rc, lang)}</span> · ${t(lang, 'qValue')} ${qv(rc.qValue)}</p><dl>${[
    row('window', win),
    row('signals', sig),
    row('evidence', rc.evidence.length ? html`<ul>${rc.evidence.map((ev) => html`<li>${ev}</li>`)}</ul>` : ''),
    row('whoActs', partiesLabel(rc.whoActs, lang)),
    row('retryable', retryLabel(rc.retryable, lang)),
    row('remediation', rc.remediation[lang] ? html`<strong>${rc.remediation[lang]}</strong>` : ''),
  ]}</dl></li>`;
}

function action(report: Report, lang: Lang): Markup {
  const list = needsAction(report);
  const p = punct(lang);
  const body = list.length
    ? html`<p class="note">${t(lang, 'actionIntro', { n: int(list.length) })}</p><ol class="action">${list.map(
        (x) =>
          html`<li><h3>${terminalName(x, lang)}</h3><p>${terminalLine(x, lang)} · ${t(lang, 'failedAmount')} ${moneys(x.failedAmount, '0')}${x.unsettled > 0 ? ` · ${t(lang, 'unsettledAmount')} ${moneys(x.unsettledAmount, '0')}` : ''}</p><ol class="rcs">${x.rootCauses.map((rc) => rootCauseItem(rc, lang))}</ol></li>`,
      )}</ol>`
    : html`<p class="ok-note"><strong>${t(lang, 'actionNone')}</strong></p>`;
  const thin = report.terminals.filter((x) => x.assessment === 'insufficient_data');
  const thinNote = thin.length
    ? html`<p class="note">${t(lang, 'insufficient', { n: int(thin.length), min: int(report.attribution.minAttempts) })}${p.colon}${idsOf(thin.map((x) => x.terminalId).sort(cmp), lang)}</p>`
    : '';
  const incNote = report.incidents.length ? html`<p class="note">${t(lang, 'actionIncidentNote')}</p>` : '';
  return html`<section id="action"><h2>${t(lang, 'action')}</h2>${body}${thinNote}${incNote}</section>`;
}

function changes(report: Report, lang: Lang): Markup | null {
  const c = report.changes;
  if (!c) return null;
  const p = punct(lang);
  const pairs = (key: MessageKey, list: readonly { terminalId: string; cause: string }[]): Markup | '' =>
    list.length
      ? html`<h3>${t(lang, key)}</h3><ul>${list.map((x) => html`<li><span class="id">${x.terminalId}</span>${p.colon}${shortLabelOf(x.cause, lang)} <code>${x.cause}</code></li>`)}</ul>`
      : '';
  return html`<section id="changes"><h2>${t(lang, 'changes')}</h2><p class="note">${baselineText(c, lang)}</p>${changeCount(c) ? '' : html`<p>${t(lang, 'changesNone')}</p>`}${
    c.rose.length
      ? html`<h3>${t(lang, 'changesRose')}</h3>${tableOf(
          th(lang, [['terminal'], ['before', true], ['after', true], ['qValue', true]]),
          c.rose.map(
            (r) =>
              html`<tr><td class="id">${r.terminalId}</td><td class="n">${pct(r.before)} (${int(r.attemptsBefore)})</td><td class="n">${pct(r.after)} (${int(r.attemptsAfter)})</td><td class="n">${qv(r.qValue)}</td></tr>`,
          ),
        )}`
      : ''
  }${pairs('newRootCauses', c.newRootCauses)}${pairs('resolvedRootCauses', c.resolvedRootCauses)}${
    c.newTerminals.length ? html`<p><strong>${t(lang, 'newTerminals')}</strong> (${int(c.newTerminals.length)})${p.colon}${idsOf(c.newTerminals, lang)}</p>` : ''
  }${c.missingTerminals.length ? html`<p><strong>${t(lang, 'missingTerminals')}</strong> (${int(c.missingTerminals.length)})${p.colon}${idsOf(c.missingTerminals, lang)}</p>` : ''}</section>`;
}

function groupings(report: Report, lang: Lang): Markup | null {
  if (!report.groupings.length) return null;
  const flagged = flaggedGroups(report);
  const flags = flagged.length
    ? html`<h3>${t(lang, 'groupingsFlagged')}</h3>${tableOf(
        th(lang, [['dimension'], ['group'], ['cause'], ['findings', true], ['rate', true], ['restRate', true], ['ratio', true], ['qValue', true]]),
        flagged.map(
          ({ dimension, group, flag }) =>
            html`<tr class="hot"><td>${dimensionLabel(dimension, lang)}</td><td class="id">${group.value}</td><td>${swatch(causeColor(flag.cause))}${shortLabelOf(flag.cause, lang)}</td>${num(flag.findings)}<td class="n rate">${pct(flag.rate)}</td><td class="n">${pct(flag.restRate)}</td><td class="n">${ratioText(flag.ratio, lang)}</td><td class="n">${qv(flag.qValue)}</td></tr>`,
        ),
      )}`
    : html`<p class="note">${t(lang, 'groupingsNone')}</p>`;
  const tables = report.groupings.map((g) => {
    const rows = topGroups(g);
    if (!rows.length) return '';
    return html`<h3>${t(lang, 'groupTop', { dimension: dimensionLabel(g.dimension, lang), n: rows.length })}</h3>${tableOf(
      th(lang, [['group'], ['attempts', true], ['failures', true], ['failureRate', true], ['topCauses'], ['flags']]),
      rows.map(
        (x) =>
          html`<tr${x.flags.length ? trusted(' class="hot"') : ''}><td class="id">${x.value}</td>${num(x.attempts)}${num(x.failures)}<td class="n">${pct(x.failureRate.rate)}</td><td>${causeListText(x.byCause, lang) || '—'}</td><td>${x.flags.map((f) => `${shortLabelOf(f.cause, lang)} ${ratioText(f.ratio, lang)}`).join(punct(lang).semi) || '—'}</td></tr>`,
      ),
    )}`;
  });
  return html`<section id="groupings"><h2>${t(lang, 'groupings')}</h2>${flags}${tables}</section>`;
}

function cardPatterns(report: Report, lang: Lang): Markup | null {
  if (!report.cards.length) return null;
  return html`<section id="cards"><h2>${t(lang, 'cardsSection')}</h2><p class="note">${t(lang, 'cardsNote')}</p>${tableOf(
    th(lang, [['cardRef'], ['terminalCount'], ['failures', true], ['causes']]),
    report.cards.map(
      (c) =>
        html`<tr><td class="id">${c.cardRef}</td><td>${int(c.terminals.length)}: ${idsOf(c.terminals, lang)}</td>${num(c.failures)}<td>${causeListText(c.byCause, lang) || '—'}</td></tr>`,
    ),
  )}</section>`;
}

function terminals(report: Report, lang: Lang): Markup {
  const sorted = byFailures(report.terminals);
  const rows = sorted
    .slice(0, MAX_TERMINAL_ROWS)
    .map(
      (x) =>
        html`<tr${aboveFleet(x, report.summary.failureRate) ? trusted(' class="hot"') : ''}><td class="id">${x.terminalId}</td><td class="id">${x.merchantId ?? '—'}</td>${num(x.attempts)}${num(x.failures)}<td class="n rate">${pct(x.failureRate.rate)}</td><td class="n">${interval(x.failureRate)}</td>${num(x.unsettled)}<td class="n">${moneys(x.unsettledAmount)}</td><td>${topCauses(x, lang) || '—'}</td><td>${x.softwareVersion ?? '—'}</td><td>${x.model ?? '—'}</td><td>${x.connection ?? '—'}</td></tr>`,
    );
  const more = sorted.length > MAX_TERMINAL_ROWS ? html`<p class="note">${t(lang, 'moreTerminals', { n: int(sorted.length - MAX_TERMINAL_ROWS) })}</p>` : '';
  return html`<section id="terminals"><h2>${t(lang, 'terminalTable')}</h2>${tableOf(
    th(lang, [
      ['terminal'],
      ['merchant'],
      ['attempts', true],
      ['failures', true],
      ['failureRate', true],
      ['ci95', true],
      ['unsettled', true],
      ['unsettledAmount', true],
      ['topCauses'],
      ['software'],
      ['model'],
      ['connection'],
    ]),
    rows,
  )}${more}</section>`;
}

function incidents(report: Report, lang: Lang): Markup {
  const p = punct(lang);
  const body = report.incidents.length
    ? html`<p class="note">${t(lang, 'incidentsNote')}</p><ul class="incidents">${report.incidents.map(
        (i) =>
          html`<li id="incident-${i.id}"><strong>${i.id}</strong> ${incidentWindow(i)}${p.colon}${incidentCauses(i, lang)} · ${t(lang, 'failures')} ${int(i.failures)} · ${incidentRate(i, lang)}<ul><li>${incidentTouched(i, lang)}${p.colon}${idsOf(i.terminals, lang)}</li>${
            i.merchants.length ? html`<li>${t(lang, 'merchant')}${p.colon}${idsOf(i.merchants, lang)}</li>` : ''
          }${i.evidence.map((ev) => html`<li>${ev}</li>`)}</ul></li>`,
      )}</ul>`
    : html`<p class="note">${t(lang, 'incidentsNone')}</p>`;
  return html`<section id="incidents"><h2>${t(lang, 'incidents')}</h2>${body}</section>`;
}

function events(report: Report, lang: Lang): Markup | null {
  const { events: known, unknownEvents } = report.summary;
  const names = [...new Set([...Object.keys(known), ...Object.keys(unknownEvents)])].sort();
  if (!names.length) return null;
  return html`<section id="events"><h2>${t(lang, 'eventsSection')}</h2>${tableOf(
    th(lang, [['event'], ['count', true]]),
    names.map(
      (n) =>
        html`<tr><td><code>${n}</code>${unknownEvents[n] !== undefined ? html` <span class="meta">(${t(lang, 'unknownEvent')})</span>` : ''}</td>${num(known[n] ?? unknownEvents[n] ?? 0)}</tr>`,
    ),
  )}</section>`;
}

function rules(report: Report, lang: Lang): Markup | null {
  const fired = report.rules.filter((r) => r.findings > 0).sort((a, b) => b.findings - a.findings || (a.id < b.id ? -1 : 1));
  if (!fired.length) return null;
  return html`<section id="rules"><h2>${t(lang, 'rules')}</h2>${tableOf(
    th(lang, [['rule'], ['causes'], ['ruleTitle'], ['findings', true]]),
    fired.map((r) => html`<tr><td><code>${r.id}</code></td><td>${r.causes.join(', ')}</td><td>${r.title}</td>${num(r.findings)}</tr>`),
  )}</section>`;
}

function examples(result: AnalysisResult, lang: Lang): Markup | null {
  const groups = examplesByCause(result.findings);
  if (!groups.length) return null;
  return html`<section id="examples"><h2>${t(lang, 'examples')}</h2><p class="note">${t(lang, 'examplesNote', { n: EXAMPLES_PER_CAUSE })}</p>${groups.map(
    (g) =>
      html`<details><summary>${labelOf(g.id, lang)} <code>${g.id}</code>: ${int(g.total)}</summary>${tableOf(
        th(lang, [['txn'], ['terminal'], ['time'], ['outcome'], ['amount', true], ['codes'], ['message'], ['rule'], ['evidence']]),
        g.examples.map(
          (f) =>
            html`<tr><td class="id">${f.txnId ?? f.rrn ?? '—'}</td><td class="id">${f.terminalId}</td><td>${f.timestamp ?? '—'}</td><td>${outcomeLabel(f.outcome, lang)}</td><td class="n">${f.amount ? money(f.amount, f.currency ?? '') : '—'}</td><td>${findingCodes(f) || '—'}</td><td>${f.message ?? f.settlement?.message ?? '—'}</td><td><code>${f.ruleId}</code></td><td>${evidenceText(f) || '—'}</td></tr>`,
        ),
      )}${g.total > g.examples.length ? html`<p class="note">${t(lang, 'examplesMore', { n: int(g.total - g.examples.length) })}</p>` : ''}</details>`,
  )}</section>`;
}

function inputs(report: Report, lang: Lang): Markup {
  const yesNo = (b: boolean): string => t(lang, b ? 'yes' : 'no');
  return html`<section id="inputs"><h2>${t(lang, 'inputs')}</h2>${tableOf(
    th(lang, [
      ['path'],
      ['kind'],
      ['format'],
      ['encoding'],
      ['compressed'],
      ['profile'],
      ['transactions', true],
      ['events', true],
      ['settlementRecords', true],
      ['read', true],
      ['accepted', true],
      ['rejected', true],
    ]),
    report.inputs.map(
      (i) =>
        html`<tr><td class="id">${i.path}</td><td>${i.kind}</td><td>${i.format}</td><td>${i.encoding}</td><td>${yesNo(i.compressed)}</td><td class="id">${i.profile ?? '—'}</td>${num(i.records.transactions)}${num(i.records.events)}${num(i.records.settlement)}${num(i.read)}${num(i.accepted)}${num(i.rejected)}</tr>`,
    ),
  )}</section>`;
}

function options(report: Report, lang: Lang): Markup {
  const o = report.options;
  const rows: [MessageKey, string][] = [
    ['optTz', o.tz],
    ['optCurrency', o.currency],
    ['optGrace', String(o.settlementGraceDays)],
    ['optTolerance', o.amountTolerance],
    ['optProfile', o.profile],
    ['optLang', o.lang],
    ['optRules', o.rulesFile ?? t(lang, 'none')],
    ['optBucket', String(o.bucketMinutes)],
  ];
  return html`<section id="options"><h2>${t(lang, 'options')}</h2>${tableOf(
    th(lang, [['option'], ['value']]),
    rows.map(([k, v]) => html`<tr><td>${t(lang, k)}</td><td class="id">${v}</td></tr>`),
  )}</section>`;
}

function render(result: AnalysisResult, { lang }: RenderOptions): string {
  const { report } = result;
  const s = report.summary;
  const meta = [
    `${t(lang, 'generatedAt')} ${report.generatedAt}`,
    `${t(lang, 'period')} ${s.period.start ?? '—'} – ${s.period.end ?? '—'}`,
    `${t(lang, 'optTz')} ${report.options.tz}`,
    `${report.tool.name} ${report.tool.version}`,
  ].join(' · ');
  const page = html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${t(lang, 'title')} · ${report.generatedAt}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header><h1>${t(lang, 'title')}</h1><p class="meta">${meta}</p></header>
${action(report, lang)}
${incidents(report, lang)}
${changes(report, lang)}
${groupings(report, lang)}
${cardPatterns(report, lang)}
${cards(report, lang)}
${settlementNote(report, lang)}
${charts(report, lang)}
${causes(report, lang)}
${terminals(report, lang)}
${accounting(report, lang)}
${events(report, lang)}
${rules(report, lang)}
${examples(result, lang)}
${inputs(report, lang)}
${options(report, lang)}
<footer class="meta"><p>${t(lang, 'generatedBy', { tool: report.tool.name, version: report.tool.version })}</p></footer>
</body>
</html>
`;
  return page.value;
}

export const htmlOutput: OutputFormat = { id: 'html', file: 'report.html', render };
