import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvOutput, neutralize } from '../../src/output/csv.js';
import { CHINESE_MERCHANT, FORMULA_MERCHANT, XSS_TERMINAL, sampleResult } from './sample-report.js';

const render = (result = sampleResult()): string => csvOutput.render(result, { lang: 'en' });
const rows = (text: string): string[][] => parse(text, { bom: true }) as string[][];

describe('neutralize', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+86 10 1234', "'+86 10 1234"],
    ['-1.2.3', "'-1.2.3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['＝1+1', "'＝1+1"],
    ['T001', 'T001'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(neutralize(input)).toBe(expected);
  });
});

describe('terminals.csv', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const out = render();
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('has one row per terminal, every row as wide as the header', () => {
    const [header, ...body] = rows(render());
    expect(header.slice(0, 15)).toEqual([
      'terminalId',
      'merchantId',
      'attempts',
      'approved',
      'failures',
      'failureRate',
      'failureRateLow',
      'failureRateHigh',
      'unsettled',
      'topCause',
      'assessment',
      'rootCauses',
      'topRootCauseRate',
      'topRootCauseFleetRate',
      'topRootCauseQ',
    ]);
    // one amount column per currency (never a sum across currencies)
    expect(header.slice(15, 17)).toEqual(['unsettledAmount CNY', 'failedAmount CNY']);
    // cause columns in catalogue order, then terminal context
    expect(header.slice(17)).toEqual([
      'network',
      'cardholder_account',
      'card',
      'input_error',
      'terminal_hardware',
      'unknown',
      'softwareVersion',
      'model',
      'connection',
    ]);
    expect(body).toHaveLength(4);
    for (const row of body) expect(row).toHaveLength(header.length);
    expect(body.map((r) => r[0])).toEqual(['T001', XSS_TERMINAL, 'T-北京-01', 'T003']);
  });

  it('neutralises formula cells from input and quotes per RFC 4180', () => {
    const out = render();
    expect(out).toContain(`"'=HYPERLINK(""http://x"")"`);
    const [header, ...body] = rows(out);
    const col = (name: string): number => header.indexOf(name);
    const bad = body.find((r) => r[0] === XSS_TERMINAL)!;
    expect(bad[col('merchantId')]).toBe(`'${FORMULA_MERCHANT}`);
    expect(bad[col('model')]).toBe('P|pipe');
    const t001 = body.find((r) => r[0] === 'T001')!;
    expect(t001[col('softwareVersion')]).toBe("'-1.2.3");
    expect(t001[col('unsettledAmount CNY')]).toBe('45.60');
    expect(t001[col('failureRate')]).toBe('0.15');
    expect(t001[col('topCause')]).toBe('network');
    expect(t001[col('network')]).toBe('20');
    expect(t001[col('terminal_hardware')]).toBe('0');
    const cn = body.find((r) => r[1] === CHINESE_MERCHANT)!;
    expect(cn[col('softwareVersion')]).toBe("'@SUM(A1)");
    // no cell the spreadsheet would evaluate
    for (const row of body) for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]/);
  });

  it('keeps our own numbers numeric, negative amounts included', () => {
    const result = sampleResult();
    result.report.terminals[0].failedAmount = [{ currency: 'CNY', amount: '-5.00' }];
    const out = render(result);
    expect(out).toContain(',-5.00,');
  });

  it('quotes commas, quotes and line breaks from input so they round-trip', () => {
    const result = sampleResult();
    result.report.terminals[3].terminalId = 'T,"003"\r\nx';
    const [header, ...body] = rows(render(result));
    expect(body.find((r) => r[0].startsWith('T,'))).toHaveLength(header.length);
    expect(body.map((r) => r[0])).toContain('T,"003"\r\nx');
  });

  it('has the assessment and the root causes in rank order, with the top one\'s figures', () => {
    const [header, ...body] = rows(render());
    const col = (name: string): number => header.indexOf(name);
    const byId = (id: string): string[] => body.find((r) => r[0] === id)!;
    const t001 = byId('T001');
    expect(t001[col('assessment')]).toBe('attention');
    expect(t001[col('rootCauses')]).toBe('network;card');
    expect(t001[col('topRootCauseRate')]).toBe('0.1');
    expect(t001[col('topRootCauseFleetRate')]).toBe('0.007');
    expect(Number(t001[col('topRootCauseQ')])).toBe(2.3e-12);
    expect(byId(XSS_TERMINAL)[col('rootCauses')]).toBe('terminal_hardware');
    const ok = byId('T-北京-01');
    expect(ok[col('assessment')]).toBe('ok');
    expect([ok[col('rootCauses')], ok[col('topRootCauseRate')], ok[col('topRootCauseFleetRate')], ok[col('topRootCauseQ')]]).toEqual(['', '', '', '']);
    expect(byId('T003')[col('assessment')]).toBe('insufficient_data');
  });

  it('keeps the new columns formula-safe', () => {
    const result = sampleResult();
    // a cause id outside the catalogue can only come from a hand-edited report, but it must still be inert
    (result.report.terminals[0].rootCauses[0] as { cause: string }).cause = '=cmd|x';
    const [header, ...body] = rows(render(result));
    expect(body.find((r) => r[0] === 'T001')![header.indexOf('rootCauses')]).toBe("'=cmd|x;card");
  });
});
