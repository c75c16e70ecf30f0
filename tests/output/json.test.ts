import { describe, expect, it } from 'vitest';
import { findingsOutput } from '../../src/output/findings.js';
import { jsonOutput } from '../../src/output/json.js';
import { HOSTILE_MESSAGE, sampleResult } from './sample-report.js';

describe('report.json', () => {
  it('is the report, pretty-printed, and round-trips', () => {
    const result = sampleResult();
    const out = jsonOutput.render(result, { lang: 'en' });
    expect(out).toBe(`${JSON.stringify(result.report, null, 2)}\n`);
    expect(JSON.parse(out)).toEqual(result.report);
  });
});

describe('findings.ndjson', () => {
  it('writes one line per finding, in the given order', () => {
    const result = sampleResult();
    const out = findingsOutput.render(result, { lang: 'en' });
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(result.findings.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(result.findings);
    expect(JSON.parse(lines[2]).message).toBe(HOSTILE_MESSAGE);
  });

  it('is empty with no findings', () => {
    expect(findingsOutput.render({ ...sampleResult(), findings: [] }, { lang: 'en' })).toBe('');
  });
});
