import { describe, expect, it } from 'vitest';
import { displayWidth, renderSummary, sanitizeForTerminal } from '../../src/output/summary.js';
import { sampleResult } from './sample-report.js';

const ESC = '\x1b';

describe('renderSummary', () => {
  it('states read = accepted + rejected, in total and per input', () => {
    const out = renderSummary(sampleResult(), { lang: 'en', color: false });
    expect(out).toContain('Inputs, rules and options: 2 file(s) · read 510 = accepted 500 + rejected 10 ✓');
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
    expect(en).toContain('  Attempts: 380 (335 approved · Terminals 4)\n  Failures: 45 (of 380 attempts)\n  Failure rate: 11.8% (95% CI 8.97%–15.5%)\n  Unsettled: 2 (45.60 CNY)\n  Amount at stake: 1,376.10 CNY (failed + unsettled, per currency)');
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
    const table = out.slice(out.indexOf('Terminals (by failures'));
    const order = ['T001', '<script>alert(1)</script>', 'T-北京-01', 'Z00'].map((id) => table.indexOf(`  ${id} `));
    expect(order.every((pos, i) => pos > 0 && (i === 0 || pos > order[i - 1]))).toBe(true);
    expect(out).toContain('Terminals (by failures, top 20 of 29)');
    expect(out).toContain('… 9 more terminals in report.html → Terminals and terminals.csv');
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

  it('puts root causes first: needs action, incidents and changes before the inputs and tables', () => {
    const out = renderSummary(sampleResult(), { lang: 'en', color: false });
    const order = ['Key figures', 'Terminals that need action', 'Fleet incidents: 1', 'What changed since the baseline', 'Root causes in detail', 'Charts', 'Terminals (by failures', 'Causes (', 'Failures by group', 'Inputs, rules and options'].map((s) => out.indexOf(`\n${s}`));
    expect(order.every((pos, i) => pos > 0 && (i === 0 || pos > order[i - 1])), order.join()).toBe(true);
  });

  it('lists the terminals that need action by impact, with findings against the fleet', () => {
    const out = renderSummary(sampleResult(), { lang: 'en', color: false });
    expect(out).toContain('Terminals that need action (top 2 of 2, most money at stake first)');
    const first = out.indexOf('  1. <script>alert(1)</script> · =HYPERLINK("http://x") · 10 of 50 attempts failed (20.0%) · Amount at stake 900.00 CNY ← Act on this first');
    // the second counts approvals that never settled, and says so
    const second = out.indexOf('  2. T001 · M001 · 30 of 200 attempts failed (15.0%); besides, 2 approved transaction(s) were not settled · Amount at stake 414.60 CNY\n');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(out).toContain('     Network / connectivity: 20 of 200 attempts failed this way (10.0%), against 0.70% across the rest of the fleet; far above the baseline, very unlikely to be chance\n       Who acts: network provider, merchant · 05-04 09:10 – 05-04 10:40 (85.0% of these findings)\n       Exact figures: 20/200 = 10.0% vs 0.70% (across the rest of the fleet) · 14.3x · q 2.3e-12 · p 1.0e-6 over 9 window(s)');
    expect(out).toContain('     Card problem: 5 of 200 attempts failed this way (2.50%), against 0.0% across the rest of the fleet; far above the baseline, probably not chance\n       Who acts: cardholder');
    // significance is in words; the q-value only on the exact-figures line
    for (const line of out.split('\n')) if (/\bq \d/.test(line)) expect(line, line).toMatch(/Exact figures:|→/);
    expect(out).toContain('1 terminal(s) with too few attempts to tell.');
    expect(out).toContain('  I1 05-04 09:15 – 05-04 09:45 · Network / connectivity · 2 terminal(s), 2 merchant(s) · Failures 18 · 13.4% of attempts failed vs 1.20% in ordinary time');
    expect(out).toContain('What changed since the baseline\n  Baseline: prev/report.json, generated 2024-05-04T08:00:00+08:00');
  });

  it('shows at most ten terminals that need action', () => {
    const result = sampleResult();
    const base = result.report.terminals[0];
    for (let i = 0; i < 12; i++) result.report.terminals.push({ ...base, terminalId: `A${String(i).padStart(2, '0')}`, failedAmount: [{ currency: 'CNY', amount: `${1000 + i}.00` }] });
    const out = renderSummary(result, { lang: 'en', color: false });
    expect(out).toContain('Terminals that need action (top 10 of 14, most money at stake first)');
    expect(out).toContain('  1. A11 ');
    expect(out).toContain('  10. A02 ');
    expect(out).not.toContain('  11. ');
    expect(out).toContain('… 4 more in report.html → Needs action, report.md and terminals.csv');
  });

  it('says when nothing needs action and leaves out changes without a baseline', () => {
    const result = sampleResult();
    for (const x of result.report.terminals) if (x.assessment === 'attention') Object.assign(x, { assessment: 'ok', rootCauses: [] });
    result.report.changes = null;
    result.report.incidents = [];
    const out = renderSummary(result, { lang: 'en', color: false });
    expect(out).toContain('Terminals that need action: No terminal needs action');
    expect(out).toContain('Fleet incidents: None detected.');
    expect(out).not.toContain('What changed since the baseline');
    expect(renderSummary(result, { lang: 'zh', color: false })).toContain('需要处理的终端：没有需要处理的终端');
  });

  it('speaks Chinese in the root-cause lines', () => {
    const out = renderSummary(sampleResult(), { lang: 'zh', color: false });
    expect(out).toContain('需要处理的终端（共 2 台，按涉及金额列出前 2 台）');
    expect(out).toContain('     网络问题：200 笔交易中有 20 笔因此失败（10.0%），其余终端为 0.70%；远高于基准，几乎不可能是偶然');
    expect(out).toContain('       精确数值：20/200 = 10.0%，基准 0.70%（其余终端） · 14.3 倍 · q 值 2.3e-12');
    expect(out).toContain('200 笔交易中失败 30 笔（15.0%）；另有 2 笔已批准交易未结算');
    expect(out).toContain('  I1 05-04 09:15 – 05-04 09:45 · 网络问题 · 涉及终端 2 台、商户 2 家 · 失败 18 · 失败率 13.4%，平时 1.20%');
    expect(out).not.toContain('Network / connectivity');
    expect(out).not.toMatch(/far above|unlikely to be chance|attempts failed|Who acts/);
  });

  it('does not pass control sequences from input in the new lines', () => {
    const result = sampleResult();
    result.report.terminals[1].terminalId = `${ESC}]0;pwned${ESC}\\x`;
    result.report.incidents[0].id = `I${ESC}[31m1`;
    result.report.changes!.rose[0].terminalId = `\u202Eevil`;
    const out = renderSummary(result, { lang: 'en', color: false });
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u202E');
  });
});
