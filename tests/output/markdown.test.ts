import { describe, expect, it } from 'vitest';
import { markdownOutput, mdEscape } from '../../src/output/markdown.js';
import { GONE_TERMINAL, HOSTILE_CARD, XSS_TERMINAL, sampleResult } from './sample-report.js';

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
      '## Key figures',
      '## Terminals that need action',
      '## Fleet incidents',
      '## What changed since the baseline',
      '## Root causes in detail',
      '## Charts',
      '## Terminals',
      '## Causes',
      '## Failures by group',
      '## Cards failing on several terminals',
      '## Inputs, rules and options',
      '### Input accounting',
      '### Options',
      '## Examples by cause',
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
    expect(render('en', result)).toContain('## Fleet incidents\n\nNone detected.');
  });

  it('opens with the terminals that need action, before incidents, changes, groupings and the tables', () => {
    const out = render();
    const at = (heading: string): number => out.split('\n').indexOf(heading);
    const order = [
      '## Key figures',
      '## Terminals that need action',
      '## Fleet incidents',
      '## What changed since the baseline',
      '## Root causes in detail',
      '## Charts',
      '## Terminals',
      '## Causes',
      '## Failures by group',
      '## Cards failing on several terminals',
      '## Inputs, rules and options',
    ].map(at);
    expect(order.every((pos, i) => pos > 0 && (i === 0 || pos > order[i - 1])), order.join()).toBe(true);
    expect(at('# POS transaction report')).toBe(0);
  });

  it('orders the terminals that need action by impact, each with its root causes', () => {
    const out = render();
    const action = out.slice(out.indexOf('## Terminals that need action'), out.indexOf('## Fleet incidents'));
    const section = out.slice(out.indexOf('## Root causes in detail'), out.indexOf('## Charts'));
    // the hostile terminal failed 900.00, T001 369.00 + 45.60 unsettled: amount wins over failures (30 vs 10)
    expect(action).toContain('| **→ \\<script\\>alert(1)\\</script\\>** | =HYPERLINK("http://x") | Terminal hardware |');
    expect(action).toContain('**→** Act on this first: \\<script\\>alert(1)\\</script\\>');
    expect(action.indexOf('| T001 | M001 | Network / connectivity |')).toBeGreaterThan(action.indexOf('**→ '));
    expect(section.indexOf('### 1. \\<script\\>')).toBeGreaterThan(0);
    expect(section.indexOf('### 2. T001 (M001)')).toBeGreaterThan(section.indexOf('### 1. '));
    expect(section).toContain('1. **Network / connectivity** (network): 20 of 200 attempts failed this way (10.0%), against 0.70% across the rest of the fleet; **far above the baseline, very unlikely to be chance**');
    expect(section).toContain('   - Exact figures: 20/200 = 10.0% vs 0.70% (across the rest of the fleet) · 14.3x · q 2.3e-12 · p 1.0e-6 over 9 window(s)');
    expect(section).toContain('2. **Card problem');
    expect(section).toContain('5/200 = 2.50% vs 0.0% (across the rest of the fleet) · q 0.012');
    expect(section).toContain('   - Window: 05-04 09:10 – 05-04 10:40 (85.0% of these findings)');
    expect(section).toContain('   - Signals: error code COMM\\_TIMEOUT ×12; event NETWORK\\_DOWN ×3');
    expect(section).toContain('   - Who acts: network provider, merchant');
    expect(section).toContain('   - Remediation: Check signal strength and the router.');
    expect(action).toContain('Too few attempts to tell for 1 terminal(s) (fewer than 30 attempts each): T003');
    expect(action).toContain('Failures inside fleet incidents are not counted against terminals.');
    expect(action).not.toContain('T-北京-01');
    // a terminal that is merely failing but not anomalous is not listed
    expect(section).not.toContain('T-北京-01');
  });

  it('ties on impact fall to failures, then to the id', () => {
    const result = sampleResult();
    const [t001, xss] = result.report.terminals;
    xss.failedAmount = [{ currency: 'CNY', amount: '414.60' }];
    expect(render('en', result).indexOf('### 1. T001')).toBeGreaterThan(0);
    xss.failures = 30;
    t001.terminalId = 'ZZZ';
    expect(render('en', result).indexOf('### 1. \\<script\\>')).toBeGreaterThan(0);
  });

  it('says clearly when no terminal needs action', () => {
    const result = sampleResult();
    for (const x of result.report.terminals) if (x.assessment === 'attention') Object.assign(x, { assessment: 'ok', rootCauses: [] });
    const out = render('en', result);
    expect(out).toContain('## Terminals that need action\n\n**No terminal needs action');
    expect(render('zh', result)).toContain('**没有需要处理的终端');
  });

  it('shows incidents, changes, flagged groups and cards', () => {
    const out = render();
    expect(out).toContain('- **I1** 05-04 09:15 – 05-04 09:45: Network / connectivity · Failures 18 · 13.4% of attempts failed vs 1.20% in ordinary time');
    expect(out).toContain('  - 2 terminal(s), 2 merchant(s): T001, \\<script\\>alert(1)\\</script\\>');
    expect(out).toContain('not counted against the terminals it touched');
    expect(out).toContain('| \\<script\\>alert(1)\\</script\\> | 2.00% (60) | 20.0% (50) | 4.0e-4 |');
    expect(out).toContain('**Terminals no longer seen** (1): \\<b\\>gone\\</b\\>\\|x');
    expect(out).toContain('| Software | -1.2.3 | Network / connectivity | 20 | 10.0% | 1.10% | 9.1x | 3.1e-7 |');
    expect(out).toContain('### Software: top 2 by attempts');
    expect(out).toContain('| \\<svg onload=alert(3)\\> | 2: T001, \\<script\\>alert(1)\\</script\\> | 4 | Card problem 4 |');
    expect(GONE_TERMINAL + HOSTILE_CARD + XSS_TERMINAL).toContain('<');
    expect(out).not.toMatch(/(^|[^\\])<(script|img|b|i|em|svg)\b/);
  });

  it('leaves out the changes section without a baseline, and lists only twenty ids', () => {
    const result = sampleResult();
    result.report.changes = null;
    result.report.incidents[0].terminals = Array.from({ length: 25 }, (_, i) => `T${100 + i}`);
    const out = render('en', result);
    expect(out).not.toContain('## What changed since the baseline');
    expect(out).toContain('25 terminal(s), 2 merchant(s): T100, ');
    expect(out).toContain('T119, … 5 more');
    expect(out).not.toContain('T120');
  });

  it('speaks Chinese in the new sections', () => {
    const out = render('zh');
    for (const text of ['## 需要处理的终端', '## 全网集中故障', '## 与基线相比的变化', '## 分组统计', '## 在多台终端失败的卡']) expect(out).toContain(text);
    for (const text of ['## 关键数字', '## 根本原因详情', '## 图表', '## 输入、规则与参数']) expect(out).toContain(text);
    expect(out).toContain('**网络问题** (network)：200 笔交易中有 20 笔因此失败（10.0%），其余终端为 0.70%；**远高于基准，几乎不可能是偶然**');
    expect(out).toContain('   - 精确数值：20/200 = 10.0%，基准 0.70%（其余终端） · 14.3 倍 · q 值 2.3e-12');
    expect(out).toContain('   - 信号：错误码 COMM\\_TIMEOUT ×12；事件 NETWORK\\_DOWN ×3');
    expect(out).toContain('**→** 优先处理');
    expect(out).toContain('| 09:00 |');
    expect(out).toContain('   - 处理方：网络运营商、商户');
    expect(out).toContain('   - 处理建议：检查网络信号和路由器。');
    expect(out).toContain('1 台终端交易少于 30 笔，交易太少，无法判断：T003');
  });
});
