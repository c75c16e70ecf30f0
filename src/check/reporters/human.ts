import type { CheckReporter } from './types.js';
import { tally } from './types.js';

const paint = (on: boolean, code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export const humanReporter: CheckReporter = {
  id: 'human',
  render(cases, { color }) {
    const green = paint(color, 32);
    const red = paint(color, 31);
    const dim = paint(color, 2);
    const lines: string[] = [];
    for (const c of cases) {
      const n = c.results.length;
      if (c.status === 'passed') {
        lines.push(`${green('PASS')} ${c.name} ${dim(`(${n} expectation${n === 1 ? '' : 's'}${c.updated ? ', expected.json updated' : ''})`)}`);
        continue;
      }
      if (c.status === 'error') {
        lines.push(`${red('ERROR')} ${c.name}: ${c.error}`);
        continue;
      }
      const failed = c.results.filter((r) => !r.passed);
      lines.push(`${red('FAIL')} ${c.name} ${dim(`(${failed.length} of ${n} expectations failed)`)}`);
      for (const r of failed) {
        lines.push(`  ${red('x')} ${r.id}: expected ${r.expected}, found ${r.actual}`);
        for (const e of r.evidence.slice(0, 6)) lines.push(dim(`      ${e}`));
      }
    }
    const t = tally(cases);
    lines.push('');
    lines.push(
      `cases: ${t.passedCases} passed, ${t.failedCases} failed, ${t.errorCases} could not run; expectations: ${t.expectations - t.failedExpectations} passed, ${t.failedExpectations} failed`,
    );
    return lines.join('\n') + '\n';
  },
};
