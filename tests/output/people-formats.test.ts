// Formats people open (report.html, report.md, terminals.csv) show bidi controls and NUL as U+FFFD: a
// right-to-left override in a terminal id would turn the text after it around, a NUL cuts a sheet's cell.
// report.json keeps the data as it is.
import { describe, expect, it } from 'vitest';
import { OUTPUTS } from '../../src/output/index.js';
import { sampleResult } from './sample-report.js';

const HOSTILE = ['\u202E', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u0000'];

describe('outputs opened by people', () => {
  it.each(['report.html', 'report.md', 'terminals.csv'])('%s holds no bidi control and no NUL, whichever input field carried them', (file) => {
    const result = sampleResult();
    const t = result.report.terminals[0];
    const mark = (s: string, i: number) => `${s}${HOSTILE[i % HOSTILE.length]}exe.txt`;
    t.terminalId = mark(t.terminalId, 0);
    t.merchantId = mark(t.merchantId ?? 'M', 1);
    t.model = mark(t.model ?? 'X', 2);
    t.softwareVersion = mark(t.softwareVersion ?? 'v', 9);
    for (const [i, f] of [...result.findings].entries()) {
      f.terminalId = t.terminalId;
      f.message = mark(f.message ?? 'm', i);
    }
    const format = OUTPUTS.find((o) => o.file === file)!;
    const text = format.render(result, { lang: 'en' });
    for (const c of HOSTILE) expect(text.includes(c), `U+${c.charCodeAt(0).toString(16)}`).toBe(false);
    expect(text).toContain('\uFFFDexe.txt');
  });
});
