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
 * The Ant schema's `timestamp`: `YYYY-MM-DDTHH:MM:SS` with no zone and no fraction; written in UTC. Left
 * out only when the caller gave no start time (txlog check always gives one).
 */
export function junitTimestamp(startedAt: string | undefined): string {
  if (startedAt === undefined) return '';
  const ms = Date.parse(startedAt);
  return Number.isNaN(ms) ? '' : ` timestamp="${new Date(ms).toISOString().slice(0, 19)}"`;
}

/**
 * JUnit XML as GitLab and Jenkins read it: one <testsuite> per fixture case, one <testcase> per
 * expectation; a case that cannot run is one <testcase> with an <error>.
 */
export const junitReporter: CheckReporter = {
  id: 'junit',
  render(cases, { startedAt }) {
    const timestamp = junitTimestamp(startedAt);
    // The Ant schema (what GitLab, Jenkins and Azure read) allows no attributes on <testsuites>; totals are per suite.
    const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
    cases.forEach((c, id) => {
      const failures = c.results.filter((r) => !r.passed).length;
      const tests = c.status === 'error' ? 1 : c.results.length;
      out.push(
        `  <testsuite name="${xml(c.name)}" tests="${tests}" failures="${failures}" errors="${c.status === 'error' ? 1 : 0}" time="${secs(c.durationMs)}"${timestamp} hostname="txlog" id="${id}" package="${xml(c.name)}">`,
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
