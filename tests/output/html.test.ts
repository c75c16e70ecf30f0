import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { htmlOutput, SCRIPT_HASH } from '../../src/output/html.js';
import { esc, html, trusted } from '../../src/output/markup.js';
import { CHINESE_MERCHANT, sampleResult } from './sample-report.js';

const sectionOf = (out: string, id: string): string => {
  const start = out.indexOf(`<section id="${id}">`);
  return start < 0 ? '' : out.slice(start, out.indexOf('</section>', start));
};

/** The failures-over-time chart, found by its figure rather than its position among the charts. */
const timelineOf = (out: string): string => {
  const at = out.indexOf('<figure id="chart-timeline">');
  return out.slice(at, out.indexOf('</figure>', at));
};

const render = (lang: 'en' | 'zh' = 'en', result = sampleResult()): string => htmlOutput.render(result, { lang });

describe('markup', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(esc(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('escapes interpolations but not nested markup', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['<', trusted('<br>')]}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br></p>',
    );
  });

  it('replaces control characters', () => {
    expect(esc('a\u0000b\u001bc\td')).toBe('a\uFFFDb\uFFFDc\td');
  });
});

describe('report.html', () => {
  it('never lets input through as markup, in text or SVG', () => {
    const out = render();
    // the page's own script is the only one, at the end of the body
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out.indexOf('<script>')).toBeGreaterThan(out.indexOf('<section id="examples">'));
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>x</b>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('=HYPERLINK(&quot;http://x&quot;)');
    expect(out).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(out).toContain('WEIRD&lt;EVENT&gt;');
    // inside the SVG charts too: the terminal chart label and tooltip carry the id
    const svg = out.slice(out.indexOf('<svg class="chart"'), out.lastIndexOf('</svg>'));
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).not.toMatch(/<script|<img/);
  });

  it('is self-contained: one inline script allowed by its hash, no external resources', () => {
    const out = render();
    expect(out).not.toMatch(/<(link|iframe|object|embed|img)\b/i);
    const script = /<script>([\s\S]*?)<\/script>/.exec(out)![1];
    expect(SCRIPT_HASH).toBe(`sha256-${createHash('sha256').update(script).digest('base64')}`);
    expect(out).toContain(`script-src '${SCRIPT_HASH}'`);
    expect(out).not.toMatch(/<[a-z][^>]*\s(src|href)\s*=/i);
    expect(out).not.toMatch(/@import|url\(/i);
    expect(out).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    // the only URLs are the SVG namespace and text that came from input, escaped
    const urls = out.match(/https?:\/\/[^\s"<&]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://x']));
  });

  it('has the four charts, the sections and the lang attribute', () => {
    const out = render('en');
    expect(out).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(out.match(/<svg class="chart"/g)).toHaveLength(4);
    for (const id of ['action', 'incidents', 'changes', 'details', 'groupings', 'cards', 'charts', 'causes', 'terminals', 'inputs', 'examples']) {
      expect(out).toContain(`<section id="${id}">`);
    }
    expect(out).toContain('<section id="key"');
    expect(out).toContain('<div id="accounting">');
    expect(out).toContain('Network / connectivity');
    expect(out).toContain('Every row read is accounted for: read 510 = accepted 500 + rejected 10.');
  });

  it('speaks Chinese with lang zh', () => {
    const out = render('zh');
    expect(out).toContain('<html lang="zh-CN">');
    expect(out).toContain('网络问题');
    expect(out).toContain('需要处理的终端');
    expect(out).toContain(CHINESE_MERCHANT);
    expect(out).toContain('检查网络信号');
  });

  it('says when no incident was detected', () => {
    const result = sampleResult();
    result.report.incidents = [];
    expect(render('en', result)).toContain('None detected.');
    expect(render('zh', result)).toContain('未发现。');
  });

  it('opens with the key figures and what needs action, then incidents before any terminal detail', () => {
    const out = render('en');
    const order = ['key', 'action', 'incidents', 'changes', 'details', 'charts', 'terminals', 'causes', 'groupings', 'cards', 'inputs', 'examples'].map((id) =>
      out.indexOf(`<section id="${id}"`),
    );
    expect(order.every((pos, i) => pos > 0 && (i === 0 || pos > order[i - 1])), order.join()).toBe(true);
  });

  it('shows the key figures, with amounts per currency and never summed across them', () => {
    const result = sampleResult();
    result.report.summary.failedAmount = [{ currency: 'CNY', amount: '100.50' }, { currency: 'USD', amount: '3.00' }];
    result.report.summary.unsettledAmount = [{ currency: 'CNY', amount: '45.60' }];
    const key = render('en', result).split('<section id="key"')[1].split('</section>')[0];
    for (const figure of ['attempts', 'failures', 'failureRate', 'unsettled', 'atStake', 'incidents', 'needAction']) expect(key).toContain(`data-figure="${figure}"`);
    expect(key).toContain('<div class="v small">146.10 CNY</div><div class="v small">3.00 USD</div>');
    expect(key).toContain('<div class="v">11.8%</div>');
  });

  it('highlights the first terminal to act on in a compact needs-action table', () => {
    const action = sectionOf(render('en'), 'action');
    expect(action).toContain('<table class="action">');
    const first = action.indexOf('<tbody class="first">');
    expect(first).toBeGreaterThan(0);
    expect(action.slice(first, action.indexOf('</tbody>', first))).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</strong></span> <span class="badge">Act on this first</span>');
    expect(action.match(/class="badge"/g)).toHaveLength(1);
    expect(action).toContain('far above the baseline, very unlikely to be chance');
    expect(action).not.toMatch(/\bq \d/);
    const zh = sectionOf(render('zh'), 'action');
    expect(zh).toContain('优先处理');
    expect(zh).toContain('远高于基准，几乎不可能是偶然');
  });

  it('has a heat map of terminals by hour with a legend and labelled cells', () => {
    const out = render('en');
    const heat = out.slice(out.indexOf('<figure id="chart-heat">'), out.indexOf('</figure>', out.indexOf('<figure id="chart-heat">')));
    expect(heat).toContain('aria-label="Failure rate by terminal and local hour of day"');
    expect(heat).toContain('<title>T001 · 09:00 · 15 of 100 failed (15.0%)</title>');
    expect(heat).toContain('no failures');
    expect(heat).toContain('Darker cells: higher failure rate');
    // every chart explains its marks
    expect(out).toContain('red bar: significantly above the fleet');
  });

  it('orders terminals by impact and shows each root cause with its numbers, evidence and fix', () => {
    const action = sectionOf(render('en'), 'details');
    const xss = action.indexOf('&lt;script&gt;alert(1)&lt;/script&gt;');
    const t001 = action.indexOf('<span class="id">T001</span>');
    expect(xss).toBeGreaterThan(0);
    expect(t001).toBeGreaterThan(xss);
    expect(action).toContain('10 of 50 attempts failed this way (20.0%), against 2.60% across the rest of the fleet; <strong>well above the baseline, unlikely to be chance</strong>');
    expect(action).toContain('<dt>Exact figures</dt><dd><span class="fig">20/200 = 10.0% vs 0.70% (across the rest of the fleet) · 14.3x · q 2.3e-12 · p 1.0e-6 over 9 window(s)</span></dd>');
    expect(action).toContain('<dt>Window</dt><dd>05-04 09:10 – 05-04 10:40 (85.0% of these findings)</dd>');
    expect(action).toContain('<dt>Signals</dt><dd>error code COMM_TIMEOUT ×12; event NETWORK_DOWN ×3</dd>');
    expect(action).toContain('<dt>Who acts</dt><dd>network provider, merchant</dd>');
    expect(action).toContain('Check signal strength and the router.');
    expect(sectionOf(render('en'), 'action')).toContain('Too few attempts to tell for 1 terminal(s)');
    expect(action).not.toContain('T-北京-01');
    expect((action.match(/<li class="rc">/g) ?? []).length).toBe(3);
  });

  it('says clearly when no terminal needs action', () => {
    const result = sampleResult();
    for (const x of result.report.terminals) if (x.assessment === 'attention') Object.assign(x, { assessment: 'ok', rootCauses: [] });
    expect(sectionOf(render('en', result), 'action')).toContain('<strong>No terminal needs action');
    expect(sectionOf(render('zh', result), 'action')).toContain('<strong>没有需要处理的终端');
  });

  it('escapes hostile ids and text in the new sections', () => {
    const out = render('en');
    for (const id of ['action', 'details', 'incidents', 'changes', 'groupings', 'cards']) {
      const section = sectionOf(out, id);
      expect(section, id).not.toMatch(/<(script|img|b|i|em)\b|<svg onload/);
    }
    expect(sectionOf(out, 'details')).toContain('event &lt;img src=y onerror=alert(4)&gt; ×3');
    expect(sectionOf(out, 'details')).toContain('05-04 09:30 – &lt;i&gt;late&lt;/i&gt;');
    expect(sectionOf(out, 'incidents')).toContain('&lt;em&gt;at once&lt;/em&gt;');
    expect(sectionOf(out, 'incidents')).toContain('<span class="id">M001</span>, <span class="id">=HYPERLINK(&quot;http://x&quot;)</span>');
    expect(sectionOf(out, 'changes')).toContain('&lt;b&gt;gone&lt;/b&gt;|x');
    expect(sectionOf(out, 'cards')).toContain('&lt;svg onload=alert(3)&gt;');
    expect(sectionOf(out, 'groupings')).toContain('<td class="id">-1.2.3</td>');
  });

  it('marks incidents on the failures-over-time chart as labelled bands', () => {
    const result = sampleResult();
    result.report.incidents[0].id = 'I<1>';
    const out = render('en', result);
    const timeline = timelineOf(out);
    expect(timeline.match(/<rect class="incident"/g)).toHaveLength(1);
    expect(timeline).toContain('<text class="incident-label"');
    expect(timeline).toContain('I&lt;1&gt; Network / connectivity');
    expect(timeline).not.toContain('I<1>');
    expect(timeline).toContain('; shaded: fleet incidents');
    // the band sits where 09:15–09:45 falls, a third of the 09:00–10:45 span wide
    const band = /<rect class="incident" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(timeline)!;
    const plotW = 960 - 56 - 64;
    expect(Number(band[1])).toBeCloseTo(56 + plotW * (15 / 105), 0);
    expect(Number(band[2])).toBeCloseTo(plotW * (30 / 105), 0);
    expect(render('zh', result)).toContain('I&lt;1&gt; 网络问题');
  });

  it('draws no band for an incident outside the timeline or with unreadable times', () => {
    const result = sampleResult();
    result.report.incidents.push({ ...result.report.incidents[0], id: 'I2', start: '2025-01-01T00:00:00Z', end: '2025-01-01T01:00:00Z' });
    result.report.incidents.push({ ...result.report.incidents[0], id: 'I3', start: 'nonsense', end: 'nonsense' });
    const out = render('en', result);
    const timeline = timelineOf(out);
    expect(timeline.match(/<rect class="incident"/g)).toHaveLength(1);
    result.report.incidents = [];
    const none = render('en', result);
    expect(none).not.toContain('class="incident"');
    expect(none).not.toContain('shaded: fleet incidents');
  });

  it('keeps the timeline chart bounded for long periods', () => {
    const result = sampleResult();
    const start = Date.parse('2024-01-01T00:00:00Z');
    result.report.timeline = Array.from({ length: 20_000 }, (_, i) => ({
      start: new Date(start + i * 15 * 60_000).toISOString().replace('.000Z', '+00:00'),
      attempts: 100,
      failures: i % 7,
      byCause: { network: i % 7 },
    }));
    const out = render('en', result);
    const timeline = timelineOf(out);
    expect((timeline.match(/<rect /g) ?? []).length).toBeLessThan(800);
  });

  it('renders an empty report', () => {
    const result = sampleResult();
    Object.assign(result.report, { terminals: [], incidents: [], timeline: [], rules: [], inputs: [], groupings: [], cards: [], changes: null });
    Object.assign(result.report.summary, { byCause: {}, byOutcome: {}, events: {}, unknownEvents: {} });
    result.findings = [];
    const out = render('en', result);
    expect(out).toContain('No data.');
    expect(out).toContain('</html>');
  });
});
