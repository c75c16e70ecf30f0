import type { Rule } from './types.js';
import { builtinTables, causesOf } from './tables.js';
import { describeEntry, failedTxn } from './lib/util.js';

const t = builtinTables();

export const rule: Rule = {
  meta: {
    id: 'terminal-error-code',
    causes: causesOf(t.errorCodes, Object.fromEntries(t.errorCodeRanges.map((r, i) => [String(i), r.entry]))),
    title: 'Terminal error code',
    description: 'The terminal\'s own error or SDK code (COMM_TIMEOUT, PRINTER_PAPER_OUT, Newland-style -306...), by name or numeric range.',
    needs: ['errorCode'],
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn?.errorCode?.trim()) return undefined;
    const entry = ctx.terminalError(txn.errorCode);
    if (!entry || entry.cause === 'approved') return undefined;
    const code = txn.errorCode.trim();
    return {
      cause: entry.cause,
      evidence: [{ source: 'errorCode', code, text: `terminal error ${code}: ${describeEntry(entry)}` }],
    };
  },
};
