// The pages of `txlog serve`: one shell with a fixed stylesheet and script, allowed by their hashes in a
// strict CSP. The form works without the script; the script only adds drag-and-drop and a progress bar.
import { createHash } from 'node:crypto';
import type { Lang } from '../output/fmt.js';
import { html, trusted, type Markup } from '../output/markup.js';
import type { DetectedFile } from './detect.js';
import { s, type StringKey } from './strings.js';

// A CJK-capable stack: the common Chinese UI faces per platform, then WenQuanYi (Debian), so Chinese never
// renders as boxes where a CJK font is installed at all.
const CSS = `
:root{color-scheme:light;--fg:#1d2329;--muted:#5b6670;--line:#d5dbe1;--accent:#0b63c5;--bad:#b3261e;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1em;padding:.8em 1.5em;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:1.2em;margin:0}
main{max-width:72em;margin:0 auto;padding:1em 1.5em 3em}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1em 1.2em;margin:1em 0}
h2{font-size:1.1em;margin:0 0 .6em}
h3{font-size:1em;margin:.2em 0 .6em;overflow-wrap:anywhere}
fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 1em;padding:.8em 1em}
legend{font-weight:600;padding:0 .3em}
label{display:block;margin:.5em 0 .2em;font-weight:500}
.drop{border:2px dashed var(--line);border-radius:6px;padding:.6em .8em;margin:.3em 0 .8em}
.drop.over{border-color:var(--accent);background:#eef5fd}
.drop small,.hint{color:var(--muted);font-weight:400}
input[type=text],select{font:inherit;padding:.3em .5em;border:1px solid var(--line);border-radius:4px;min-width:16em}
button{font:inherit;font-weight:600;padding:.5em 1.6em;border:0;border-radius:4px;background:var(--accent);color:#fff;cursor:pointer}
button[disabled]{opacity:.6;cursor:wait}
progress{width:100%;height:1em;margin:.8em 0 0}
.note{color:var(--muted);font-size:.92em}
table{border-collapse:collapse;margin:.4em 0 .8em;font-size:.93em}
th,td{text-align:left;padding:.25em .8em .25em 0;border-bottom:1px solid var(--line);vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0 0 .8em}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"WenQuanYi Micro Hei Mono",monospace;font-size:.92em}
.files>article{border:1px solid var(--line);border-radius:6px;padding:.8em 1em;margin:0 0 1em;display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 2.5em}
.files>article>h3{grid-column:1/-1}
.files>article>div>h4:first-child{margin-top:0}
h4{font-size:.95em;margin:.8em 0 .3em}
ul.skips{margin:.2em 0;padding-left:1.2em;color:var(--muted);font-size:.92em}
@media (max-width:48em){.files>article{grid-template-columns:minmax(0,1fr)}}
.bad{color:var(--bad)}
ul.downloads{display:flex;flex-wrap:wrap;gap:.5em 1.5em;padding:0;list-style:none;margin:0}
iframe{width:100%;height:80vh;border:1px solid var(--line);border-radius:6px;background:#fff}
.error{border-color:var(--bad)}
.error p.message{font-weight:500}
`;

const SCRIPT = `
(function () {
  var form = document.getElementById('upload');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var bar = document.getElementById('progress');
  var status = document.getElementById('status');
  var button = form.querySelector('button');
  Array.prototype.forEach.call(form.querySelectorAll('.drop'), function (zone) {
    var input = zone.querySelector('input[type=file]');
    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    });
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.responseType = 'document';
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    status.textContent = form.dataset.uploading;
    xhr.upload.onprogress = function (ev) { if (ev.lengthComputable) { bar.max = ev.total; bar.value = ev.loaded; } };
    xhr.upload.onload = function () { status.textContent = form.dataset.analyzing; bar.removeAttribute('value'); };
    xhr.onload = function () {
      // A finished job redirects to its result page; an error page replaces this one as it is.
      if (xhr.status < 400 && xhr.responseURL) { location.assign(xhr.responseURL); return; }
      var doc = xhr.response;
      if (!doc || !doc.body) { status.textContent = form.dataset.failed; button.disabled = false; return; }
      document.title = doc.title;
      document.body.replaceWith(document.adoptNode(doc.body));
    };
    xhr.onerror = function () { status.textContent = form.dataset.failed; button.disabled = false; bar.hidden = true; };
    xhr.send(new FormData(form));
  });
})();
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The policy of every page: nothing but this stylesheet, this script, same-origin frames and the form. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${hash(CSS)}`,
  `script-src ${hash(SCRIPT)}`,
  'img-src data:',
  "frame-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * For report.html, which carries its own CSP in a meta tag: the header adds what a meta tag cannot (a
 * sandbox with an opaque origin, framing by the result page only). Its fetch directives are only as wide as
 * report.html may need; the report's own meta policy narrows them further (both policies apply).
 */
export const REPORT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "script-src 'unsafe-inline'",
  'img-src data:',
  "form-action 'none'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  'sandbox allow-scripts',
].join('; ');

interface Shell {
  lang: Lang;
  title: string;
  /** The path the language switch link points to (with ?lang= added). */
  path: string;
  body: Markup;
}

function page({ lang, title, path, body }: Shell): string {
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<header><h1>${title}</h1><a href="${path}?lang=${other}" hreflang="${other === 'zh' ? 'zh-CN' : 'en'}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${s(lang, 'switchLang')}</a></header>
<main>
${body}
</main>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`.value;
}

export interface FormPageOptions {
  maxUpload: number;
  keepMinutes: number;
}

export function formPage(lang: Lang, options: FormPageOptions): string {
  const t = (key: StringKey, vars?: Record<string, string | number>) => s(lang, key, vars);
  const file = (name: string, label: StringKey, required: boolean, accept: string) => html`
<div class="drop"><label for="${name}">${t(label)}</label>
<input type="file" id="${name}" name="${name}" accept="${accept}"${required ? trusted(' required') : ''}> <small>${t('dropHint')}</small></div>`;
  const dataFiles = '.csv,.tsv,.txt,.ndjson,.jsonl,.json,.xml,.log,.gz,.xlsx';
  const body = html`
<section>
<p>${t('intro')}</p>
<form id="upload" method="post" action="/analyze?lang=${lang}" enctype="multipart/form-data" data-uploading="${t('uploading')}" data-analyzing="${t('analyzing')}" data-failed="${t('uploadFailed')}">
<fieldset><legend>${t('files')}</legend>
${file('terminal', 'terminalFile', true, dataFiles)}
${file('settlement', 'settlementFile', false, dataFiles)}
${file('mapping', 'mappingFile', false, '.json,application/json')}
</fieldset>
<fieldset><legend>${t('options')}</legend>
<label for="tz">${t('tz')} <span class="hint">(${t('tzHint')})</span></label>
<input type="text" id="tz" name="tz" list="zones" maxlength="64" autocomplete="off" placeholder="UTC">
<datalist id="zones">${['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'].map((z) => html`<option value="${z}">`)}</datalist>
<label for="currency">${t('currency')} <span class="hint">(${t('currencyHint')})</span></label>
<input type="text" id="currency" name="currency" maxlength="3" pattern="[A-Za-z]{3}" autocomplete="off" placeholder="CNY">
<label for="terminalId">${t('terminalId')} <span class="hint">(${t('terminalIdHint')})</span></label>
<input type="text" id="terminalId" name="terminalId" maxlength="64" autocomplete="off">
<label for="lang">${t('reportLang')}</label>
<select id="lang" name="lang"><option value="en"${lang === 'en' ? trusted(' selected') : ''}>English</option><option value="zh"${lang === 'zh' ? trusted(' selected') : ''}>中文</option></select>
</fieldset>
<button type="submit">${t('analyze')}</button>
<progress id="progress" hidden></progress>
<p id="status" role="status" aria-live="polite"></p>
</form>
<p class="note">${t('privacy', { minutes: options.keepMinutes, limit: formatSize(options.maxUpload) })}</p>
</section>`;
  return page({ lang, title: t('appTitle'), path: '/', body });
}

const DELIMITERS: Record<string, { en: string; zh: string }> = {
  ',': { en: 'comma', zh: '逗号' },
  ';': { en: 'semicolon', zh: '分号' },
  '\t': { en: 'tab', zh: '制表符' },
  '|': { en: 'vertical bar', zh: '竖线' },
};

/**
 * The detection, file by file. Takes the page's own shape (DetectedFile) so that `txlog inspect`'s
 * result can feed it once it lands, through one adapter beside `detectedFiles`.
 */
export function detectedPanel(files: readonly DetectedFile[], lang: Lang): Markup {
  const t = (key: StringKey, vars?: Record<string, string | number>) => s(lang, key, vars);
  const one = (f: DetectedFile) => {
    const delimiter = f.delimiter === null ? null : DELIMITERS[f.delimiter]?.[lang] ?? f.delimiter;
    return html`
<article class="detected" data-role="${f.role}">
<h3>${t(`role_${f.role}`)}: <code>${f.name}</code></h3>
<div>
<dl>
<dt>${t('kind')}</dt><dd>${t(`kind_${f.kind}`)}</dd>
<dt>${t('format')}</dt><dd>${f.format.toUpperCase()}${f.compressed ? html`, ${t('compressedGz')}` : ''}</dd>
<dt>${t('encoding')}</dt><dd>${f.encoding} <span class="hint">(${f.encodingReason})</span></dd>
${delimiter !== null ? html`<dt>${t('delimiter')}</dt><dd>${delimiter} <code>${JSON.stringify(f.delimiter)}</code></dd>` : ''}
${f.headerLine !== null ? html`<dt>${t('headerLine')}</dt><dd>${t('headerLineValue', { line: f.headerLine })}</dd>` : ''}
<dt>${t('profile')}</dt><dd>${f.profile ?? t('profileNone')}</dd>
${f.dates ? html`<dt>${t('dates')}</dt><dd>${f.dates}</dd>` : ''}
${f.decimal ? html`<dt>${t('decimal')}</dt><dd>${f.decimal}</dd>` : ''}
</dl>
${f.undecided?.length ? html`<h4>${t('undecided')}</h4><ul>${f.undecided.map((u) => html`<li>${u}</li>`)}</ul>` : ''}
<h4>${t('rows')}</h4>
<table class="rows"><tr><th>${t('read')}</th><th>${t('accepted')}</th><th>${t('rejected')}</th><th>${t('skipped')}</th></tr>
<tr><td class="num">${f.read}</td><td class="num">${f.accepted}</td><td class="num${f.rejected ? ' bad' : ''}">${f.rejected}</td><td class="num">${f.skipped}</td></tr></table>
${f.skippedBy.length ? html`<ul class="skips">${f.skippedBy.map((k) => html`<li>${t('skippedBecause', { n: k.count, reason: k.reason })}</li>`)}</ul>` : ''}
${
  f.rejects.length
    ? html`<h4>${t('firstRejects')}</h4><table class="rejects"><tr><th>${t('line')}</th><th>${t('reason')}</th></tr>${f.rejects.map(
        (r) => html`<tr><td class="num">${r.line}</td><td>${r.reason}</td></tr>`,
      )}</table>${f.rejected > f.rejects.length ? html`<p class="note">${t('rejectsMore', { n: f.rejected })}</p>` : ''}`
    : ''
}
${f.warnings.length ? html`<h4>${t('warnings')}</h4><ul>${f.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
</div>
<div>
<h4>${t('mapping')}</h4>
${
  f.mapping === null
    ? html`<p class="note">${t('mappingJson')}</p>`
    : html`<table class="mapping"><tr><th>${t('field')}</th><th>${t('column')}</th></tr>${f.mapping.map((m) => html`<tr><td><code>${m.field}</code></td><td>${m.from}${m.alternatives?.length ? html` <span class="hint">(${t('alternatives')}: ${m.alternatives.join(lang === 'zh' ? '、' : ', ')})</span>` : ''}</td></tr>`)}</table>`
}
${f.unmapped.length ? html`<p class="note">${t('unmapped')}: ${f.unmapped.join(lang === 'zh' ? '、' : ', ')}</p>` : ''}
</div>
</article>`;
  };
  return html`<div class="files">${files.map(one)}</div>`;
}

export interface ResultPageOptions {
  id: string;
  files: readonly DetectedFile[];
  downloads: readonly { file: string; bytes: number }[];
  expiresAt: Date;
}

export function resultPage(lang: Lang, r: ResultPageOptions): string {
  const t = (key: StringKey, vars?: Record<string, string | number>) => s(lang, key, vars);
  const name = r.files.find((f) => f.role === 'terminal')?.name ?? '';
  const body = html`
<section id="detected"><h2>${t('detected')}</h2>${detectedPanel(r.files, lang)}</section>
<section id="downloads"><h2>${t('downloads')}</h2>
<ul class="downloads">${r.downloads.map((d) => html`<li><a href="${d.file}" download="${d.file}">${d.file}</a> <span class="hint">(${formatSize(d.bytes)})</span></li>`)}</ul>
<p class="note">${t('kept', { until: r.expiresAt.toISOString().slice(11, 16) })}</p>
</section>
<section id="report"><h2>${t('report')}</h2>
<p><a href="report.html" target="_blank" rel="noopener">${t('openReport')}</a> · <a href="/?lang=${lang}">${t('another')}</a></p>
<iframe src="report.html" title="${t('report')}" sandbox="allow-scripts"></iframe>
</section>`;
  return page({ lang, title: t('resultTitle', { name }), path: `/r/${r.id}/`, body });
}

export interface ErrorPage {
  status: number;
  title: StringKey;
  /** One paragraph: a fixed message or the CLI's one-line message. */
  message: string;
}

export function errorPage(lang: Lang, e: ErrorPage, path = '/'): string {
  const t = (key: StringKey, vars?: Record<string, string | number>) => s(lang, key, vars);
  const body = html`
<section class="error" data-status="${e.status}"><h2>${t(e.title)}</h2>
<p class="message">${e.message}</p>
<p class="note">${t('status', { status: e.status })}</p>
<p><a href="/?lang=${lang}">${t('back')}</a></p>
</section>`;
  return page({ lang, title: t(e.title), path, body });
}

/** Sizes as people say them, in units of 1024 bytes (as --max-upload reads them). */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : Number.isInteger(n) ? n : n.toFixed(1)} ${units[u]}`;
}
