import { describe, expect, it } from 'vitest';
import { htmlOutput } from '../../src/output/html.js';
import { markdownOutput } from '../../src/output/markdown.js';
import { renderSummary } from '../../src/output/summary.js';
import { SECTION_ORDER, addMoney, buildView, significanceWords } from '../../src/output/view.js';
import { sampleResult } from './sample-report.js';

// HTML, Markdown and the stdout summary render one view: the same sections in the same order, with the
// same key figures, so they cannot drift apart again.

const LANGS = ['en', 'zh'] as const;

function positions(out: string, needles: readonly string[]): number[] {
  let from = 0;
  return needles.map((n) => {
    const at = out.indexOf(n, from);
    if (at >= 0) from = at + n.length;
    return at;
  });
}

describe('the report view', () => {
  it.each(LANGS)('is rendered section for section by html, md and the summary (%s)', (lang) => {
    const result = sampleResult();
    const view = buildView(result, lang);
    expect(view.sections.map((s) => s.id)).toEqual(SECTION_ORDER.filter((id) => view.sections.some((s) => s.id === id)));
    expect(view.sections.length).toBeGreaterThanOrEqual(11);
    const html = htmlOutput.render(result, { lang });
    const md = markdownOutput.render(result, { lang });
    const summary = renderSummary(result, { lang, color: false });
    const htmlAt = positions(html, view.sections.map((s) => `<section id="${s.id}"`));
    const mdAt = positions(md, view.sections.map((s) => `\n## ${s.title}\n`));
    // The key figures are the summary's first block; every other section opens a line with its title.
    const sumAt = positions(summary, view.sections.map((s) => `\n\n${s.title}`));
    for (const [name, at] of [['html', htmlAt], ['md', mdAt], ['summary', sumAt]] as const) {
      expect(at.every((p) => p >= 0), `${name}: ${at.join()}`).toBe(true);
    }
    // html section ids are in order by construction of positions(); and the same holds for titles in html
    expect(positions(html, view.sections.slice(1).map((s) => `<h2>${s.title}</h2>`)).every((p) => p >= 0)).toBe(true);
  });

  it.each(LANGS)('gives every format the same key numbers and the same first terminal to act on (%s)', (lang) => {
    const result = sampleResult();
    result.report.summary.failedAmount = [{ currency: 'CNY', amount: '1330.50' }, { currency: 'USD', amount: '7.25' }];
    const view = buildView(result, lang);
    const outputs = [htmlOutput.render(result, { lang }), markdownOutput.render(result, { lang }), renderSummary(result, { lang, color: false })];
    const figures = view.key.flatMap((k) => k.values);
    expect(figures).toEqual(['380', '45', '11.8%', '2', '1,376.10 CNY', '7.25 USD', '1', '2']);
    for (const out of outputs) {
      for (const f of figures) expect(out).toContain(f);
      const first = view.action.rows[0];
      expect(first.first).toBe(true);
      // each format marks it
      expect(out).toMatch(lang === 'zh' ? /优先处理/ : /Act on this first/);
    }
  });

  it('adds money per currency in minor units, never across currencies', () => {
    expect(addMoney([{ currency: 'CNY', amount: '0.10' }, { currency: 'JPY', amount: '5' }], [{ currency: 'CNY', amount: '0.20' }])).toEqual([
      { currency: 'CNY', amount: '0.30' },
      { currency: 'JPY', amount: '5' },
    ]);
  });

  it('states significance in words', () => {
    expect(significanceWords({ ratio: 15050, qValue: 2.9e-278 }, 'en')).toBe('far above the baseline, very unlikely to be chance');
    expect(significanceWords({ ratio: 4, qValue: 0.0004 }, 'en')).toBe('well above the baseline, unlikely to be chance');
    expect(significanceWords({ ratio: 2, qValue: 0.03 }, 'zh')).toBe('高于基准，大概率不是偶然');
  });

  it('keeps English sentences out of the Chinese outputs', () => {
    const result = sampleResult();
    // what came from input (ids, messages, codes) may be English; the outputs' own words may not
    const fromInput = ['Host said', 'second line', 'PRINTER_FAULT', 'alert', 'HYPERLINK', 'late', 'onerror', 'onload', 'gone', 'quotes', 'No rule matched'];
    const outs = {
      html: htmlOutput.render(result, { lang: 'zh' }).replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' '),
      md: markdownOutput.render(result, { lang: 'zh' }),
      summary: renderSummary(result, { lang: 'zh', color: false }),
    };
    for (const [name, out] of Object.entries(outs)) {
      const english = (out.match(/[A-Za-z]{3,}(?:[ ,/-]+[A-Za-z]{2,}){2,}/g) ?? []).filter((m) => !fromInput.some((s) => m.includes(s)));
      expect(english, `${name}: ${english.join(" | ")}`).toEqual([]);
    }
  });
});
