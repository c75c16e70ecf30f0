import type { CaseResult } from '../run.js';

export interface ReportOptions {
  color: boolean;
  /** When the run started (ISO 8601): SOURCE_DATE_EPOCH when set, so reruns give identical bytes. */
  startedAt?: string;
}

/** One CI output format: a pure function of the case results. */
export interface CheckReporter {
  id: string;
  render(cases: readonly CaseResult[], options: ReportOptions): string;
}

export function tally(cases: readonly CaseResult[]) {
  const expectations = cases.flatMap((c) => c.results);
  return {
    cases: cases.length,
    passedCases: cases.filter((c) => c.status === 'passed').length,
    failedCases: cases.filter((c) => c.status === 'failed').length,
    errorCases: cases.filter((c) => c.status === 'error').length,
    expectations: expectations.length,
    failedExpectations: expectations.filter((r) => !r.passed).length,
  };
}
