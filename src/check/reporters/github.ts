import { lineOf } from '../run.js';
import type { CheckReporter } from './types.js';
import { tally } from './types.js';

/** Workflow-command values escape %, CR and LF; property values also : and , (GitHub's toolkit rules). */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const githubReporter: CheckReporter = {
  id: 'github',
  render(cases) {
    const lines: string[] = [];
    for (const c of cases) {
      if (c.status === 'error') {
        lines.push(`::error file=${prop(c.expectedPath)},line=1,title=${prop(`txlog check: ${c.name}`)}::${data(c.error ?? 'case could not run')}`);
        continue;
      }
      for (const r of c.results) {
        if (r.passed) continue;
        const message = [`${r.id}: expected ${r.expected}, found ${r.actual}`, ...r.evidence.slice(0, 6)].join('\n');
        lines.push(`::error file=${prop(c.expectedPath)},line=${lineOf(c.expectedPath, r.id)},title=${prop(`txlog check: ${c.name}`)}::${data(message)}`);
      }
    }
    const t = tally(cases);
    lines.push(`txlog check: ${t.passedCases} of ${t.cases} cases passed, ${t.failedExpectations} expectations failed, ${t.errorCases} cases could not run`);
    return lines.join('\n') + '\n';
  },
};

/** Markdown for $GITHUB_STEP_SUMMARY. */
export function stepSummary(cases: Parameters<CheckReporter['render']>[0]): string {
  const t = tally(cases);
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '## txlog check',
    '',
    `${t.passedCases} of ${t.cases} cases passed; ${t.failedExpectations} of ${t.expectations} expectations failed; ${t.errorCases} cases could not run.`,
    '',
    '| case | result | expectations | failed |',
    '|---|---|---|---|',
    ...cases.map((c) => `| ${cell(c.name)} | ${c.status === 'passed' ? 'pass' : c.status === 'failed' ? '**fail**' : '**error**'} | ${c.results.length} | ${c.results.filter((r) => !r.passed).length} |`),
  ];
  const failures = cases.flatMap((c) => (c.status === 'error' ? [`- **${cell(c.name)}**: ${cell(c.error ?? '')}`] : c.results.filter((r) => !r.passed).map((r) => `- **${cell(c.name)}** \`${cell(r.id)}\`: expected ${cell(r.expected)}, found ${cell(r.actual)}`)));
  if (failures.length) lines.push('', '### Failures', '', ...failures);
  return lines.join('\n') + '\n';
}
