import type { CheckReporter } from './types.js';

/** XML 1.0 has no escape for most control characters, so they are dropped rather than written invalid. */
export function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML as GitLab and Jenkins read it: one <testsuite> per fixture case, one <testcase> per
 * expectation; a case that cannot run is one <testcase> with an <error>.
 */
export const junitReporter: CheckReporter = {
  id: 'junit',
  render(cases) {
    // The Ant schema (what GitLab, Jenkins and Azure read) allows no attributes on <testsuites>; totals are per suite.
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
    cases.forEach((c, id) => {
      const failures = c.results.filter((r) => !r.passed).length;
      const tests = c.status === 'error' ? 1 : c.results.length;
      out.push(
        `  <testsuite name="${xml(c.name)}" tests="${tests}" failures="${failures}" errors="${c.status === 'error' ? 1 : 0}" time="${secs(c.durationMs)}" timestamp="1970-01-01T00:00:00" hostname="txlog" id="${id}" package="${xml(c.name)}">`,
      );
      out.push('    <properties>', `      <property name="expected" value="${xml(c.expectedPath)}"/>`, '    </properties>');
      if (c.status === 'error') {
        out.push(`    <testcase classname="${xml(c.name)}" name="expected.json" time="0">`);
        out.push(`      <error message="${xml(c.error ?? 'case could not run')}" type="CaseError">${xml(c.error ?? '')}</error>`);
        out.push('    </testcase>');
      }
      for (const r of c.results) {
        if (r.passed) {
          out.push(`    <testcase classname="${xml(c.name)}" name="${xml(r.id)}" time="0"/>`);
          continue;
        }
        const message = `${r.id}: expected ${r.expected}, found ${r.actual}`;
        const body = [message, ...r.evidence.map((e) => `  ${e}`)].join('\n');
        out.push(`    <testcase classname="${xml(c.name)}" name="${xml(r.id)}" time="0">`);
        out.push(`      <failure message="${xml(message)}" type="ExpectationFailed">${xml(body)}</failure>`);
        out.push('    </testcase>');
      }
      out.push('    <system-out></system-out>', '    <system-err></system-err>', '  </testsuite>');
    });
    out.push('</testsuites>');
    return out.join('\n') + '\n';
  },
};
