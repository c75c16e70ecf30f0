import type { Rule } from './types.js';
import type { Evidence } from '../src/model.js';

// Last in the registry, so every finding gets a rule and `unknown` keeps its evidence.
export const rule: Rule = {
  meta: {
    id: 'no-evidence',
    causes: ['unknown'],
    title: 'No rule matched',
    description: 'Nothing in the status, codes, message, events or settlement record names a cause; lists what was looked at.',
    needs: ['status', 'responseCode', 'errorCode', 'message', 'settlement'],
  },
  match(subject, ctx) {
    const evidence: Evidence[] = [];
    const t = subject.txn;
    if (t) {
      evidence.push({ source: 'status', code: t.status, text: `outcome ${subject.outcome}, terminal status ${t.status}` });
      if (t.responseCode) {
        const profile = ctx.profileOf(t);
        const entry = ctx.responseCode(t.responseCode, profile);
        evidence.push({
          source: 'responseCode',
          code: t.responseCode,
          text: entry ? `response code ${t.responseCode} (${profile}) means ${entry.cause === 'approved' ? 'approved' : entry.en}, which does not explain this outcome` : `response code ${t.responseCode} is not in the ${profile} table`,
        });
      } else evidence.push({ source: 'responseCode', text: 'no response code' });
      evidence.push(t.errorCode ? { source: 'errorCode', code: t.errorCode, text: `terminal error ${t.errorCode} is not in the terminal-errors table` } : { source: 'errorCode', text: 'no terminal error code' });
      evidence.push(t.message ? { source: 'message', text: `message "${t.message}" matched no keyword` } : { source: 'message', text: 'no message' });
    } else {
      evidence.push({ source: 'status', text: `outcome ${subject.outcome}` });
    }
    const s = subject.settlement;
    if (s) {
      const parts = [`settlement status ${s.status}`, s.reasonCode ? `reason code ${s.reasonCode} not in the table` : 'no reason code', s.message ? `message "${s.message}" matched no keyword` : 'no message'];
      evidence.push({ source: 'settlement', code: s.status, text: parts.join(', ') });
    }
    return { cause: 'unknown', evidence };
  },
};
