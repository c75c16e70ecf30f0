import { describe, expect, it } from 'vitest';
import { displayWidth, renderSummary, sanitizeForTerminal } from '../../src/output/summary.js';
import { sampleResult } from './sample-report.js';

const ESC = '\x1b';

describe('renderSummary', () => {
  it('states read = accepted + rejected, in total and per input', () => {
    const out = renderSummary(sampleResult(), { lang: 'en', color: false });
    expect(out).toContain('Inputs: 2 file(s) · read 510 = accepted 500 + rejected 10 ✓');
    expect(out).toMatch(/fleet\/txns\.ndjson +terminal +ndjson +390 +380 +10\n/);
    expect(out).toMatch(/fleet\/settle "<b>x<\/b>"\.csv +settlement +csv +120 +120 +0\n/);
  });

  it('flags a mismatch', () => {
    const result = sampleResult();
    result.report.totals.read = 511;
    const out = renderSummary(result, { lang: 'en', color: false });
    expect(out).toContain('✗');
    expect(out).toContain('ACCOUNTING MISMATCH: read 511 ≠ accepted 500 + rejected 10.');
  });

  it('prints fleet totals and causes with labels in the chosen language', () => {
    const en = renderSummary(sampleResult(), { lang: 'en', color: false });
    expect(en).toContain('380 attempts · 45 failures · failure rate 11.8% (95% CI 8.97%–15.5%) · unsettled 2 (45.60 CNY)');
    expect(en).toMatch(/network +Network \/ connectivity +20 +42\.6%/);
    const zh = renderSummary(sampleResult(), { lang: 'zh', color: false });
    expect(zh).toContain('读取 510 = 接受 500 + 拒收 10');
    expect(zh).toMatch(/network +网络问题 +20 +42\.6%/);
    expect(zh).not.toContain('Network / connectivity');
  });

  it('lists terminals by failures, top 20, and says how many more', () => {
    const result = sampleResult();
    const base = result.report.terminals[3];
    for (let i = 0; i < 25; i++) result.report.terminals.push({ ...base, terminalId: `Z${String(i).padStart(2, '0')}`, failures: 1 });
    const out = renderSummary(result, { lang: 'en', color: false });
    const order = ['T001', '<script>alert(1)</script>', 'T-北京-01', 'Z00'].map((id) => out.indexOf(`  ${id} `));
    expect(order.every((pos, i) => pos > 0 && (i === 0 || pos > order[i - 1]))).toBe(true);
    expect(out).toContain('Terminals by failures (top 20 of 29)');
    expect(out).toContain('… and 9 more terminals (see terminals.csv)');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderSummary(sampleResult(), { lang: 'en', color: false })).not.toContain(ESC);
    expect(renderSummary(sampleResult(), { lang: 'en', color: true })).toContain(`${ESC}[1m`);
  });

  it('does not pass control sequences from input to the terminal', () => {
    const result = sampleResult();
    result.report.terminals[0].terminalId = `${ESC}[2Jevil\u202E`;
    const out = renderSummary(result, { lang: 'en', color: false });
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u202E');
    expect(sanitizeForTerminal('a\x07b')).toBe('a\uFFFDb');
  });

  it('aligns columns by display width', () => {
    expect(displayWidth('北京')).toBe(4);
    expect(displayWidth('T-01')).toBe(4);
    const out = renderSummary(sampleResult(), { lang: 'zh', color: false });
    const rows = out.split('\n').filter((l) => /^ {2}(T001|T-北京-01) /.test(l));
    expect(rows).toHaveLength(2);
    expect(displayWidth(rows[0].slice(0, rows[0].indexOf('200') + 3))).toBe(displayWidth(rows[1].slice(0, rows[1].indexOf('100') + 3)));
  });
});
