import { describe, expect, it } from 'vitest';
import { markdownOutput, mdEscape } from '../../src/output/markdown.js';
import { sampleResult } from './sample-report.js';

const render = (lang: 'en' | 'zh' = 'en', result = sampleResult()): string => markdownOutput.render(result, { lang });

/** Cells per table line, counting only pipes that are not backslash-escaped. */
function cellCount(line: string): number {
  return line.replace(/\\./g, '').split('|').length - 2;
}

describe('mdEscape', () => {
  it('escapes what would end a cell or become markup', () => {
    expect(mdEscape('a|b')).toBe('a\\|b');
    expect(mdEscape('<script>')).toBe('\\<script\\>');
    expect(mdEscape('*x* _y_ [l](u) `c` $m$')).toBe('\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\$m\\$');
    expect(mdEscape('one\ntwo\r\nthree')).toBe('one two three');
    expect(mdEscape('a\\|b')).toBe('a\\\\\\|b');
  });
});

describe('report.md', () => {
  it('escapes pipes and newlines from input so table rows stay whole', () => {
    const out = render();
    expect(out).toContain('P\\|pipe');
    expect(out).not.toMatch(/[^\\]\|pipe/);
    expect(out).toContain('Host said "quotes" \\| pipe second line');
    // every table keeps the column count of its header
    const lines = out.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('|') || (i > 0 && lines[i - 1].startsWith('|'))) continue;
      const width = cellCount(lines[i]);
      for (let j = i; j < lines.length && lines[j].startsWith('|'); j++) expect(cellCount(lines[j]), lines[j]).toBe(width);
    }
  });

  it('never emits raw HTML from input', () => {
    const out = render();
    expect(out).not.toMatch(/(^|[^\\])<(script|img|b)\b/);
    expect(out).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  it('has the contracted sections', () => {
    const out = render();
    for (const heading of [
      '# POS transaction report',
      '## Input accounting',
      '## Fleet summary',
      '## Causes',
      '## Terminals that need attention',
      '## Terminals',
      '## Fleet-wide incidents',
      '## Examples by cause',
      '## Options',
    ]) {
      expect(out.split('\n')).toContain(heading);
    }
    expect(out).toContain('Generated: 2024-05-05T08:00:00+08:00');
    expect(out).toContain('| fleet/txns.ndjson | terminal | ndjson | utf-8 | 390 | 380 | 10 |');
    expect(out).toContain('read 510 = accepted 500 + rejected 10');
    expect(out).toMatch(/\| network \| Network \/ connectivity \| 20 \| 42\.6% \|/);
  });

  it('uses Chinese labels and remediation with lang zh', () => {
    const out = render('zh');
    expect(out).toContain('# POS 交易分析报告');
    expect(out).toMatch(/\| network \| 网络问题 \| 20 \| 42\.6% \| 网络运营商、商户 \| 检查网络信号/);
    expect(out).toContain('北京朝阳便利店');
  });

  it('says when no incident was detected', () => {
    const result = sampleResult();
    result.report.incidents = [];
    expect(render('en', result)).toContain('## Fleet-wide incidents\n\nNone detected.');
  });
});
