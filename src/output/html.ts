import { createHash } from 'node:crypto';
import { causeChart, causeColor, heatMapChart, terminalRateChart, timelineChart, TERMINAL_CHART_ROWS } from './charts.js';
import { accountingBalanced, findingCodes, int, money, type Lang } from './fmt.js';
import { dimensionLabel, kindLabel, outcomeLabel, punct, t, type MessageKey } from './i18n.js';
import { html, trusted, type Markup, type Part } from './markup.js';
import type { AnalysisResult, OutputFormat, RenderOptions } from './types.js';
import { buildView, findingEvidence, EXAMPLES_PER_CAUSE, type ActionView, type IdList, type ReportView, type RootCauseView, type SectionId } from './view.js';

// One self-contained page: inline CSS and SVG, nothing fetched. The one script (sorting and filtering the
// terminal table) is allowed by its sha256 in the CSP, computed here, so nothing else can run even if some
// input escaped escaping; the page is complete without it. Layout follows what a person needs first: the
// key figures, what to act on, fleet incidents, then the detail, most of it collapsible.

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#4e79a7;--hot:#c4302b;--ok:#1a7f37;--first:#fff4d6}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:1240px;padding:16px 24px 40px;color:var(--fg);background:var(--bg);font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;overflow-wrap:break-word}
h1{font-size:22px;margin:0 0 2px}h2{font-size:18px;margin:26px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:15px;margin:14px 0 6px}
.meta,.note,figcaption,.nodata{color:var(--muted)}.meta{margin:0;font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:12px 0 4px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 10px;background:var(--soft)}
.card .k{color:var(--muted);font-size:12px}.card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.25}.card .v.small{font-size:16px}.card .s{color:var(--muted);font-size:12px}
.card.alert{border-color:var(--hot)}.card.alert .v{color:var(--hot)}
.bad{color:var(--hot);font-weight:600}.good{color:var(--ok)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.id{white-space:nowrap;word-break:keep-all;overflow-wrap:normal;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600}
tr.hot td.rate,td.hot{color:var(--hot);font-weight:600}
table.action td{border-bottom-color:#e5e9ee}table.action tbody.first{background:var(--first)}table.action tbody{border-bottom:2px solid var(--line)}
.badge{display:inline-block;background:var(--hot);color:#fff;border-radius:10px;padding:0 8px;font-size:11px;font-weight:600;white-space:nowrap}
.fix{min-width:20em}table.action{font-size:12.5px}#terminal-table td{white-space:nowrap}
figure{margin:12px 0 20px;break-inside:avoid}
figcaption{font-size:13px;margin-bottom:6px}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:4px 0 0;font-size:12px;color:var(--muted)}
.sw{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin-right:4px;border-radius:2px}
.sw.hot{background:var(--hot)}.sw.bar{background:var(--accent)}.sw.whisker{height:2px;vertical-align:3px;background:var(--fg)}.sw.fleet{height:0;border-top:2px dashed var(--muted);vertical-align:3px}
svg.chart{width:100%;height:auto;display:block;font-size:12px}
svg .label,svg .value,svg .tick{fill:var(--fg)}svg .tick{fill:var(--muted);font-size:11px}
svg .grid{stroke:#eaeef2;stroke-width:1}
svg .bar{fill:var(--accent)}svg .bar.hot{fill:var(--hot)}
svg .whisker{stroke:var(--fg);stroke-width:1.2;fill:none}
svg .fleet{stroke:var(--muted);stroke-dasharray:4 3;stroke-width:1}
svg .attempts{stroke:var(--fg);stroke-width:1.5;fill:none}
svg .incident{fill:var(--hot);fill-opacity:.12;stroke:var(--hot);stroke-opacity:.5;stroke-dasharray:3 2}svg .incident-label{fill:var(--hot);font-size:11px}
details{margin:6px 0;border:1px solid var(--line);border-radius:6px;padding:4px 10px}details[open]{padding-bottom:8px}
summary{cursor:pointer;font-weight:600;padding:2px 0}
ul.incidents{padding-left:20px;margin:6px 0}ul.incidents>li{margin-bottom:8px}
ol.rcs{padding-left:20px;margin:6px 0}li.rc p{margin:4px 0 2px}
li.rc dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:0 0 8px}li.rc dt{color:var(--muted)}li.rc dd{margin:0}li.rc dd ul{margin:0;padding-left:18px}
.fig{font-variant-numeric:tabular-nums}.ok-note{color:var(--ok)}
#terminal-tools[hidden]{display:none}#terminal-tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}
#terminal-tools input{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px;min-width:0;width:18em;max-width:100%}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
@media (max-width:600px){body{padding:10px 10px 32px}.cards{grid-template-columns:repeat(2,minmax(0,1fr))}li.rc dl{grid-template-columns:minmax(0,1fr)}h2{font-size:16px}}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}.card,tr,figure,li.rc{break-inside:avoid}.scroll{overflow:visible}details{border:0;padding:0}details>summary{list-style:none}#terminal-tools{display:none}table.action tbody.first{background:none;outline:2px solid #000}}
@page{margin:14mm}
`;

// Sorting and filtering for the terminal table; before printing, every collapsed section opens. Written as ES5 without template literals so it is one
// fixed string; its hash goes into the CSP. Sort keys come from data-v (numbers) or the cell's text.
const SCRIPT = `(function(){window.addEventListener('beforeprint',function(){[].forEach.call(document.querySelectorAll('details'),function(d){d.open=true;});});var t=document.getElementById('terminal-table');var tools=document.getElementById('terminal-tools');if(!t||!tools)return;tools.hidden=false;var body=t.tBodies[0];var rows=[].slice.call(body.rows);var f=document.getElementById('terminal-filter');var out=document.getElementById('terminal-count');function count(n){out.textContent=n+' / '+rows.length;}f.addEventListener('input',function(){var q=f.value.trim().toLowerCase();var n=0;rows.forEach(function(r){var m=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!m;if(m)n++;});count(n);});count(rows.length);var ths=t.tHead.rows[0].cells;[].forEach.call(ths,function(th,i){var b=document.createElement('button');b.type='button';while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);b.addEventListener('click',function(){var asc=th.getAttribute('aria-sort')!=='ascending';[].forEach.call(ths,function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');var num=th.className.indexOf('n')>=0;rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];var u=num?Number(x.getAttribute('data-v')):x.textContent;var v=num?Number(y.getAttribute('data-v')):y.textContent;var d=num?u-v:(u<v?-1:u>v?1:0);return asc?d:-d;});rows.forEach(function(r){body.appendChild(r);});});});})();`;

export const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}`;

function num(n: number, cls = ''): Markup {
  return html`<td class="n${cls ? ` ${cls}` : ''}" data-v="${n}">${int(n)}</td>`;
}

function th(lang: Lang, keys: readonly (readonly [MessageKey, boolean?])[]): Markup {
  return html`<tr>${keys.map(([k, numeric]) => html`<th${numeric ? trusted(' class="n"') : ''}>${t(lang, k)}</th>`)}</tr>`;
}

function tableOf(head: Markup, rows: Part[], attrs: Markup | '' = ''): Markup {
  return html`<div class="scroll"><table${attrs}><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function swatch(color: string): Markup {
  return html`<span class="sw" style="background:${color}" aria-hidden="true"></span>`;
}

function idsOf(list: IdList, lang: Lang): Markup {
  const shown = list.shown.map((id, i) => html`${i ? ', ' : ''}<span class="id">${id}</span>`);
  return html`${shown.length ? shown : '—'}${list.more ? ` ${t(lang, 'more', { n: int(list.more) })}` : ''}`;
}

function section(id: SectionId, title: string, body: Part): Markup {
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

function keySection(v: ReportView): Markup {
  return html`<section id="key" aria-label="${v.sections[0].title}"><div class="cards">${v.key.map(
    (k) =>
      html`<div class="card${k.alert ? ' alert' : ''}" data-figure="${k.id}"><div class="k">${k.label}</div>${k.values.map(
        (value) => html`<div class="v${k.values.length > 1 ? ' small' : ''}">${value}</div>`,
      )}${k.note ? html`<div class="s">${k.note}</div>` : ''}</div>`,
  )}</div></section>`;
}

function actionRows(a: ActionView, lang: Lang): Markup {
  const p = punct(lang);
  const rows = a.causes.map((rc, i) => {
    const head = i
      ? ''
      : html`<td rowspan="${a.causes.length}"><span class="id"><strong>${a.terminalId}</strong></span>${a.first ? html` <span class="badge">${t(lang, 'firstToAct')}</span>` : ''}<div class="note">${a.line}</div></td><td rowspan="${a.causes.length}" class="id">${a.merchantId ?? '—'}</td>`;
    const stake = i ? '' : html`<td rowspan="${a.causes.length}" class="n">${a.atStake.length ? a.atStake.map((m, j) => html`${j ? html`<br>` : ''}${money(m.amount, m.currency)}`) : '0'}</td>`;
    return html`<tr>${head}<td>${swatch(causeColor(rc.cause))}${rc.shortLabel}</td><td><span class="fig bad">${rc.rate}</span> ${t(lang, 'fleetBaselineText', { rate: rc.baseline })}${p.open}${rc.ratio}${p.close}<div class="note">${rc.significance}</div></td>${stake}<td>${rc.whoActs}</td><td class="fix">${rc.remediation}</td></tr>`;
  });
  return html`<tbody${a.first ? trusted(' class="first"') : ''}>${rows}</tbody>`;
}

function actionSection(v: ReportView, title: string): Markup {
  const { lang } = v;
  const a = v.action;
  const p = punct(lang);
  const body = a.rows.length
    ? html`<p class="note">${a.intro}</p><div class="scroll"><table class="action"><thead>${th(lang, [['terminal'], ['merchant'], ['cause'], ['rateVsBaseline'], ['atStake', true], ['whoActs'], ['remediation']])}</thead>${a.rows.map((r) => actionRows(r, lang))}</table></div>`
    : html`<p class="ok-note"><strong>${a.none}</strong></p>`;
  const thin = a.insufficient ? html`<p class="note">${a.insufficient.text}${p.colon}${idsOf(a.insufficient.ids, lang)}</p>` : '';
  const inc = a.incidentNote ? html`<p class="note">${a.incidentNote}</p>` : '';
  return section('action', title, [body, thin, inc]);
}

function incidentsSection(v: ReportView, title: string): Markup {
  const { lang } = v;
  const p = punct(lang);
  const i = v.incidents;
  const body = i.items.length
    ? html`<p class="note">${i.note}</p><ul class="incidents">${i.items.map(
        (x) =>
          html`<li id="incident-${x.id}"><strong>${x.id}</strong> ${x.window}${p.colon}<strong>${x.causes}</strong> · ${t(lang, 'failures')} ${int(x.failures)} · ${x.rate} · ${x.touched}<details><summary>${t(lang, 'terminalCount')} · ${t(lang, 'evidence')}</summary><ul><li>${t(lang, 'terminal')}${p.colon}${idsOf(x.terminals, lang)}</li>${
            x.merchants.shown.length ? html`<li>${t(lang, 'merchant')}${p.colon}${idsOf(x.merchants, lang)}</li>` : ''
          }${x.evidence.map((ev) => html`<li>${ev}</li>`)}</ul></details></li>`,
      )}</ul>`
    : html`<p class="note">${i.none}</p>`;
  return section('incidents', title, body);
}

function changesSection(v: ReportView, title: string): Markup | '' {
  const c = v.changes;
  if (!c) return '';
  const { lang } = v;
  const p = punct(lang);
  const pairs = (key: MessageKey, list: readonly { terminalId: string; cause: string; label: string }[]): Markup | '' =>
    list.length ? html`<h3>${t(lang, key)}</h3><ul>${list.map((x) => html`<li><span class="id">${x.terminalId}</span>${p.colon}${x.label} <code>${x.cause}</code></li>`)}</ul>` : '';
  const idsLine = (key: MessageKey, list: IdList & { total: number }): Markup | '' =>
    list.total ? html`<p><strong>${t(lang, key)}</strong> (${int(list.total)})${p.colon}${idsOf(list, lang)}</p>` : '';
  return section('changes', title, [
    html`<p class="note">${c.baseline}</p>`,
    c.none ? html`<p>${t(lang, 'changesNone')}</p>` : '',
    c.rose.length
      ? html`<h3>${t(lang, 'changesRose')}</h3>${tableOf(
          th(lang, [['terminal'], ['before', true], ['after', true], ['qValue', true]]),
          c.rose.map((r) => html`<tr><td class="id">${r.terminalId}</td><td class="n">${r.before}</td><td class="n">${r.after}</td><td class="n">${r.q}</td></tr>`),
        )}`
      : '',
    pairs('newRootCauses', c.newRootCauses),
    pairs('resolvedRootCauses', c.resolvedRootCauses),
    idsLine('newTerminals', c.newTerminals),
    idsLine('missingTerminals', c.missingTerminals),
  ]);
}

function rootCauseItem(rc: RootCauseView, lang: Lang): Markup {
  const p = punct(lang);
  const row = (key: MessageKey, value: Part): Markup | '' => (value ? html`<dt>${t(lang, key)}</dt><dd>${value}</dd>` : '');
  return html`<li class="rc"><p>${swatch(causeColor(rc.cause))}<strong>${rc.label}</strong> <code>${rc.cause}</code>${p.colon}${rc.figures}${p.semi}<strong>${rc.significance}</strong></p><dl>${[
    row('exact', html`<span class="fig">${rc.exact}</span>`),
    row('window', rc.window),
    row('signals', rc.signals),
    row('evidence', rc.evidence.length ? html`<ul>${rc.evidence.map((ev) => html`<li>${ev}</li>`)}</ul>` : ''),
    row('whoActs', rc.whoActs),
    row('retryable', rc.retry),
    row('remediation', rc.remediation ? html`<strong>${rc.remediation}</strong>` : ''),
  ]}</dl></li>`;
}

function detailsSection(v: ReportView, title: string): Markup | '' {
  if (!v.action.rows.length) return '';
  const { lang } = v;
  const p = punct(lang);
  return section(
    'details',
    title,
    v.action.rows.map(
      (a) =>
        html`<details${a.first ? trusted(' open') : ''}><summary>${a.rank}. <span class="id">${a.terminalId}</span>${a.merchantId ? html`<span class="meta">${p.open}<span class="id">${a.merchantId}</span>${p.close}</span>` : ''} · ${a.causes.map((rc) => rc.shortLabel).join(p.semi)}</summary><p>${a.line} · ${t(lang, 'failedAmount')} ${a.failedAmount}${a.unsettledAmount ? ` · ${t(lang, 'unsettledAmount')} ${a.unsettledAmount}` : ''}</p><ol class="rcs">${a.causes.map((rc) => rootCauseItem(rc, lang))}</ol></details>`,
    ),
  );
}

function legend(items: readonly [string, string][]): Markup {
  return html`<ul class="legend">${items.map(([cls, text]) => html`<li><span class="sw ${cls}" aria-hidden="true"></span>${text}</li>`)}</ul>`;
}

function chartsSection(v: ReportView, title: string): Markup {
  const { lang } = v;
  const c = v.charts;
  const shown = Math.min(TERMINAL_CHART_ROWS, c.rateRows.length);
  const heatNote = c.heat.more ? ` ${t(lang, 'more', { n: int(c.heat.more) })}` : '';
  return section('charts', title, [
    html`<figure id="chart-timeline"><figcaption>${t(lang, 'chartTimeline')}${c.incidents.length ? `; ${t(lang, 'chartIncidents')}` : ''}</figcaption>${timelineChart(c, lang)}</figure>`,
    html`<figure id="chart-heat"><figcaption>${t(lang, 'heatMap')}${lang === 'zh' ? '。' : '. '}${t(lang, 'heatLegend')}${heatNote}</figcaption>${heatMapChart(c.heat, lang)}</figure>`,
    html`<details open><summary>${t(lang, 'chartTerminals', { n: shown })}</summary><figure id="chart-terminals">${terminalRateChart(c, lang)}${legend([
      ['hot', t(lang, 'legendHot')],
      ['bar', t(lang, 'legendBar')],
      ['whisker', t(lang, 'legendWhisker')],
      ['fleet', t(lang, 'legendFleet')],
    ])}</figure></details>`,
    html`<details><summary>${t(lang, 'chartCauses')}</summary><figure id="chart-causes">${causeChart(c, lang)}</figure></details>`,
  ]);
}

function terminalsSection(v: ReportView, title: string): Markup {
  const { lang } = v;
  const rows = v.terminals.rows.map(
    (x) =>
      html`<tr${x.hot ? trusted(' class="hot"') : ''}><td class="id">${x.terminalId}</td><td class="id">${x.merchantId ?? '—'}</td>${num(x.attempts)}${num(x.failures)}<td class="n rate" data-v="${x.rate}">${x.rateText}</td><td class="n">${x.ci}</td>${num(x.unsettled)}<td class="n" data-v="${x.atStakeKey}">${x.atStakeText}</td><td>${x.topCauses}</td><td>${x.assessment}</td><td>${x.software ?? '—'}</td><td>${x.model ?? '—'}</td><td>${x.connection ?? '—'}</td></tr>`,
  );
  const more = v.terminals.more ? html`<p class="note">${t(lang, 'moreTerminals', { n: int(v.terminals.more) })}</p>` : '';
  // Hidden until the script runs: without it the controls would do nothing.
  const tools = html`<div id="terminal-tools" hidden><label for="terminal-filter">${t(lang, 'filterLabel')}</label><input id="terminal-filter" type="search" placeholder="${t(lang, 'filterPlaceholder')}" autocomplete="off"><output id="terminal-count" aria-live="polite"></output></div>`;
  return section('terminals', title, [
    html`<p class="note">${t(lang, 'tableHint')}</p>`,
    tools,
    tableOf(
      th(lang, [
        ['terminal'],
        ['merchant'],
        ['attempts', true],
        ['failures', true],
        ['failureRate', true],
        ['ci95', true],
        ['unsettled', true],
        ['atStake', true],
        ['topCauses'],
        ['assessment'],
        ['software'],
        ['model'],
        ['connection'],
      ]),
      rows,
      trusted(' id="terminal-table"'),
    ),
    more,
  ]);
}

function causesSection(v: ReportView, title: string): Markup {
  const { lang } = v;
  const c = v.causes;
  const body = c.rows.length
    ? tableOf(
        th(lang, [['cause'], ['label'], ['count', true], ['share', true], ['whoActs'], ['remediation']]),
        c.rows.map(
          (r) =>
            html`<tr><td class="id">${swatch(causeColor(r.id))}<code>${r.id}</code></td><td>${r.label}</td>${num(r.count)}<td class="n">${r.share}</td><td>${r.whoActs}</td><td>${r.remediation}</td></tr>`,
        ),
      )
    : html`<p class="note">${t(lang, 'noFailures')}</p>`;
  return section('causes', title, [html`<p class="note">${t(lang, 'findings')} ${int(c.findings)}${punct(lang).colon}${c.split}</p>`, body]);
}

function groupingsSection(v: ReportView, title: string): Markup | '' {
  const g = v.groupings;
  if (!g) return '';
  const { lang } = v;
  const flags = g.flagged.length
    ? html`<h3>${t(lang, 'groupingsFlagged')}</h3>${tableOf(
        th(lang, [['dimension'], ['group'], ['cause'], ['findings', true], ['rate', true], ['restRate', true], ['ratio', true], ['qValue', true]]),
        g.flagged.map(
          (f) =>
            html`<tr class="hot"><td>${dimensionLabel(f.dimension, lang)}</td><td class="id">${f.value}</td><td>${swatch(causeColor(f.cause))}${f.label}</td>${num(f.findings)}<td class="n rate">${f.rate}</td><td class="n">${f.restRate}</td><td class="n">${f.ratio}</td><td class="n">${f.q}</td></tr>`,
        ),
      )}`
    : html`<p class="note">${t(lang, 'groupingsNone')}</p>`;
  const tables = g.tables.map(
    (d) =>
      html`<details><summary>${t(lang, 'groupTop', { dimension: dimensionLabel(d.dimension, lang), n: d.rows.length })}</summary>${tableOf(
        th(lang, [['group'], ['attempts', true], ['failures', true], ['failureRate', true], ['topCauses'], ['flags']]),
        d.rows.map(
          (x) =>
            html`<tr${x.hot ? trusted(' class="hot"') : ''}><td class="id">${x.value}</td>${num(x.attempts)}${num(x.failures)}<td class="n">${x.rate}</td><td>${x.topCauses}</td><td>${x.flags}</td></tr>`,
        ),
      )}</details>`,
  );
  return section('groupings', title, [flags, tables]);
}

function cardsSection(v: ReportView, title: string): Markup | '' {
  if (!v.cards) return '';
  const { lang } = v;
  return section('cards', title, [
    html`<p class="note">${t(lang, 'cardsNote')}</p>`,
    tableOf(
      th(lang, [['cardRef'], ['terminalCount'], ['failures', true], ['causes']]),
      v.cards.map((c) => html`<tr><td class="id">${c.cardRef}</td><td>${int(c.terminals.total)}: ${idsOf(c.terminals, lang)}</td>${num(c.failures)}<td>${c.causes}</td></tr>`),
    ),
  ]);
}

function inputsSection(v: ReportView, title: string): Markup {
  const { lang } = v;
  const i = v.inputs;
  const yesNo = (b: boolean): string => t(lang, b ? 'yes' : 'no');
  // A skipped column only when something was skipped, so each row's numbers add up on the page.
  const skips = i.totals.skipped > 0;
  const accounting = html`<div id="accounting">${tableOf(
    th(lang, [['path'], ['kind'], ['format'], ['encoding'], ['compressed'], ['profile'], ['transactions', true], ['events', true], ['settlementRecords', true], ['read', true], ['accepted', true], ['rejected', true], ...(skips ? [['skipped', true] as [MessageKey, boolean]] : []), ['check']]),
    [
      ...i.files.map((f) => {
        const ok = accountingBalanced(f.read, f.accepted, f.rejected, f.skipped);
        return html`<tr><td class="id">${f.path}</td><td>${kindLabel(f.kind, lang)}</td><td>${f.format}</td><td>${f.encoding}</td><td>${yesNo(f.compressed)}</td><td class="id">${f.profile ?? '—'}</td>${num(f.records.transactions)}${num(f.records.events)}${num(f.records.settlement)}${num(f.read)}${num(f.accepted)}${num(f.rejected)}${skips ? num(f.skipped) : ''}<td class="${ok ? 'good' : 'bad'}">${ok ? '✓' : '✗'}</td></tr>`;
      }),
      html`<tr class="total"><td>${t(lang, 'total')}</td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td>${num(i.totals.read)}${num(i.totals.accepted)}${num(i.totals.rejected)}${skips ? num(i.totals.skipped) : ''}<td></td></tr>`,
    ],
  )}<p class="${i.balanced ? 'note' : 'bad'}">${i.accounting}${i.rejectsNote ? `${lang === 'zh' ? '' : ' '}${i.rejectsNote}` : ''}</p><p class="note">${t(lang, 'settlement')}${punct(lang).colon}${i.settlement}</p></div>`;
  const events = i.events.length
    ? html`<details id="events"><summary>${t(lang, 'eventsSection')}</summary>${tableOf(
        th(lang, [['event'], ['count', true]]),
        i.events.map((e) => html`<tr><td><code>${e.name}</code>${e.unknown ? html` <span class="meta">(${t(lang, 'unknownEvent')})</span>` : ''}</td>${num(e.count)}</tr>`),
      )}</details>`
    : '';
  const rules = i.rules.length
    ? html`<details id="rules"><summary>${t(lang, 'rules')}</summary>${tableOf(
        th(lang, lang === 'zh' ? [['rule'], ['causes'], ['findings', true]] : [['rule'], ['causes'], ['ruleTitle'], ['findings', true]]),
        i.rules.map((r) => html`<tr><td><code>${r.id}</code></td><td>${r.causes}</td>${lang === 'zh' ? '' : html`<td>${r.title}</td>`}${num(r.findings)}</tr>`),
      )}</details>`
    : '';
  const options = html`<details id="options"><summary>${t(lang, 'options')}</summary>${tableOf(
    th(lang, [['option'], ['value']]),
    i.options.map((o) => html`<tr><td>${o.label}</td><td class="id">${o.value}</td></tr>`),
  )}</details>`;
  return section('inputs', title, [accounting, events, rules, options]);
}

function examplesSection(v: ReportView, title: string): Markup | '' {
  if (!v.examples) return '';
  const { lang } = v;
  return section('examples', title, [
    html`<p class="note">${t(lang, 'examplesNote', { n: EXAMPLES_PER_CAUSE })}</p>`,
    v.examples.map(
      (g) =>
        html`<details><summary>${g.label} <code>${g.id}</code>: ${int(g.total)}</summary>${tableOf(
          th(lang, [['txn'], ['terminal'], ['time'], ['outcome'], ['amount', true], ['codes'], ['message'], ['rule'], ['evidence']]),
          g.examples.map(
            (f) =>
              html`<tr><td class="id">${f.txnId ?? f.rrn ?? '—'}</td><td class="id">${f.terminalId}</td><td class="id">${f.timestamp ?? '—'}</td><td>${outcomeLabel(f.outcome, lang)}</td><td class="n">${f.amount ? money(f.amount, f.currency ?? '') : '—'}</td><td>${findingCodes(f) || '—'}</td><td>${f.message ?? f.settlement?.message ?? '—'}</td><td><code>${f.ruleId}</code></td><td>${findingEvidence(f, lang, v.sameLang) || '—'}</td></tr>`,
          ),
        )}${g.total > g.examples.length ? html`<p class="note">${t(lang, 'examplesMore', { n: int(g.total - g.examples.length) })}</p>` : ''}</details>`,
    ),
  ]);
}

const SECTIONS: Record<SectionId, (v: ReportView, title: string) => Markup | ''> = {
  key: (v) => keySection(v),
  action: actionSection,
  incidents: incidentsSection,
  changes: changesSection,
  details: detailsSection,
  charts: chartsSection,
  terminals: terminalsSection,
  causes: causesSection,
  groupings: groupingsSection,
  cards: cardsSection,
  inputs: inputsSection,
  examples: examplesSection,
};

export function renderHtml(v: ReportView): string {
  const { lang } = v;
  const meta = [`${t(lang, 'generatedAt')} ${v.meta.generatedAt}`, `${t(lang, 'period')} ${v.meta.period}`, `${t(lang, 'optTz')} ${v.meta.tz}`, v.meta.tool].join(' · ');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${SCRIPT_HASH}'`;
  const page = html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${trusted(csp)}">
<title>${v.title} · ${v.meta.generatedAt}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header><h1>${v.title}</h1><p class="meta">${meta}</p></header>
${v.sections.map((s) => html`${SECTIONS[s.id](v, s.title)}\n`)}<footer class="meta"><p>${t(lang, 'generatedBy', { tool: v.meta.toolName, version: v.meta.version })}</p></footer>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}

function render(result: AnalysisResult, { lang }: RenderOptions): string {
  return renderHtml(buildView(result, lang));
}

export const htmlOutput: OutputFormat = { id: 'html', file: 'report.html', render };
