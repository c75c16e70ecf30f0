import { describe, expect, it } from 'vitest';
import { htmlOutput } from '../../src/output/html.js';
import { esc, html, trusted } from '../../src/output/markup.js';
import { CHINESE_MERCHANT, sampleResult } from './sample-report.js';

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
    expect(out).not.toContain('<script');
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

  it('is self-contained: no script, no external resources', () => {
    const out = render();
    expect(out).not.toMatch(/<(script|link|iframe|object|embed|img)\b/i);
    expect(out).not.toMatch(/<[a-z][^>]*\s(src|href)\s*=/i);
    expect(out).not.toMatch(/@import|url\(/i);
    expect(out).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    // the only URLs are the SVG namespace and text that came from input, escaped
    const urls = out.match(/https?:\/\/[^\s"<&]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://x']));
  });

  it('has the three charts, the sections and the lang attribute', () => {
    const out = render('en');
    expect(out).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(out.match(/<svg class="chart"/g)).toHaveLength(3);
    for (const id of ['accounting', 'charts', 'causes', 'attention', 'terminals', 'incidents', 'inputs']) {
      expect(out).toContain(`<section id="${id}">`);
    }
    expect(out).toContain('Network / connectivity');
    expect(out).toContain('Every row read is accounted for: read 510 = accepted 500 + rejected 10.');
  });

  it('speaks Chinese with lang zh', () => {
    const out = render('zh');
    expect(out).toContain('<html lang="zh-CN">');
    expect(out).toContain('网络问题');
    expect(out).toContain('需要关注的终端');
    expect(out).toContain(CHINESE_MERCHANT);
    expect(out).toContain('检查网络信号');
  });

  it('says when no incident was detected', () => {
    const result = sampleResult();
    result.report.incidents = [];
    expect(render('en', result)).toContain('None detected.');
    expect(render('zh', result)).toContain('未发现。');
  });

  it('shows root causes first when the analysis found some', () => {
    const result = sampleResult();
    result.report.terminals[1].rootCauses = [
      {
        cause: 'terminal_hardware',
        findings: 10,
        rate: 0.2,
        fleetRate: 0.026,
        evidence: ['PRINTER_FAULT x3 <b>'],
        whoActs: ['terminal'],
        remediation: { en: 'Replace the printer.', zh: '更换打印机。' },
      },
    ];
    const out = render('en', result);
    expect(out).toContain('These terminals have causes that stand out');
    expect(out).toContain('PRINTER_FAULT x3 &lt;b&gt;');
    expect(out).toContain('Replace the printer.');
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
    const timeline = out.slice(out.lastIndexOf('<svg class="chart"'));
    expect((timeline.match(/<rect /g) ?? []).length).toBeLessThan(800);
  });

  it('renders an empty report', () => {
    const result = sampleResult();
    Object.assign(result.report, { terminals: [], incidents: [], timeline: [], rules: [], inputs: [] });
    Object.assign(result.report.summary, { byCause: {}, byOutcome: {}, events: {}, unknownEvents: {} });
    result.findings = [];
    const out = render('en', result);
    expect(out).toContain('No data.');
    expect(out).toContain('</html>');
  });
});
