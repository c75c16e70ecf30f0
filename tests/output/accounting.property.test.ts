import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlOutput } from '../../src/output/html.js';
import { markdownOutput } from '../../src/output/markdown.js';
import { renderSummary } from '../../src/output/summary.js';
import type { AnalysisResult } from '../../src/output/types.js';
import { sampleResult } from './sample-report.js';

// read = accepted + rejected + skipped: skipped rows (preambles, footers) are accounted for, so a
// balanced input is never called a mismatch, and the printed identity names the skipped term.

const counts = fc.record({ accepted: fc.nat(5000), rejected: fc.nat(50), skipped: fc.nat(20) });

function withCounts(parts: { accepted: number; rejected: number; skipped: number }[], extra: number): AnalysisResult {
  const result = sampleResult();
  result.report.inputs.forEach((input, i) => {
    const c = parts[i];
    Object.assign(input, { ...c, read: c.accepted + c.rejected + c.skipped + (i === 0 ? extra : 0) });
  });
  const sum = (k: 'read' | 'accepted' | 'rejected' | 'skipped'): number => result.report.inputs.reduce((n, x) => n + x[k], 0);
  result.report.totals = { read: sum('read'), accepted: sum('accepted'), rejected: sum('rejected'), skipped: sum('skipped') };
  return result;
}

const outputs = (r: AnalysisResult, lang: 'en' | 'zh'): Record<string, string> => ({
  stdout: renderSummary(r, { lang, color: false }),
  md: markdownOutput.render(r, { lang }) as string,
  html: htmlOutput.render(r, { lang }) as string,
});

const MISMATCH = { en: 'ACCOUNTING MISMATCH', zh: '核对不一致' };
const SKIPPED = { en: (n: string) => `+ skipped ${n}`, zh: (n: string) => `+ 跳过 ${n}` };
const int = (n: number): string => n.toLocaleString('en-US');

describe('input accounting', () => {
  it('counts skipped rows: balanced inputs are never a mismatch, and the skipped term shows when non-zero', () => {
    fc.assert(
      fc.property(fc.tuple(counts, counts), fc.constantFrom('en' as const, 'zh' as const), (parts, lang) => {
        const r = withCounts(parts, 0);
        const skipped = r.report.totals.skipped;
        for (const [name, out] of Object.entries(outputs(r, lang))) {
          expect(out, name).not.toContain(MISMATCH[lang]);
          expect(out.includes(SKIPPED[lang](int(skipped))), name).toBe(skipped > 0);
          if (skipped === 0) expect(out, name).not.toContain(SKIPPED[lang](''));
        }
        const stdout = outputs(r, lang).stdout;
        expect(stdout).not.toContain('✗');
      }),
      { numRuns: 60 },
    );
  });

  it('still flags rows that are not accounted for in every output', () => {
    fc.assert(
      fc.property(fc.tuple(counts, counts), fc.integer({ min: 1, max: 9 }), fc.constantFrom('en' as const, 'zh' as const), (parts, extra, lang) => {
        const r = withCounts(parts, extra);
        for (const [name, out] of Object.entries(outputs(r, lang))) expect(out, name).toContain(MISMATCH[lang]);
      }),
      { numRuns: 30 },
    );
  });
});
