import { describe, expect, it } from 'vitest';
import { Finding, Report } from '../../src/model.js';
import { sampleResult } from './sample-report.js';

describe('sample report', () => {
  it('matches the model schema, so the output tests exercise real shapes', () => {
    const { report, findings } = sampleResult();
    expect(() => Report.parse(report)).not.toThrow();
    for (const f of findings) expect(() => Finding.parse(f)).not.toThrow();
  });
});
