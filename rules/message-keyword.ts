import type { Rule } from './types.js';
import { CAUSES } from './causes.js';
import { failedTxn } from './lib/util.js';

// Merchant exports often carry only text (失败原因); an error code no table knows may be text too.
export const rule: Rule = {
  meta: {
    id: 'message-keyword',
    causes: CAUSES.map((c) => c.id).filter((id) => id !== 'unknown'),
    title: 'Reason message keyword',
    description: 'The transaction\'s free-text message (or an error code no table knows) contains a keyword from the keyword table, English or Chinese; first match wins, user keywords first.',
    needs: ['message', 'errorCode'],
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn) return undefined;
    const texts: [string, 'message' | 'errorCode'][] = [];
    if (txn.message?.trim()) texts.push([txn.message, 'message']);
    if (txn.errorCode?.trim() && !ctx.terminalError(txn.errorCode)) texts.push([txn.errorCode, 'errorCode']);
    for (const [text, source] of texts) {
      const hit = ctx.keyword(text);
      if (!hit) continue;
      const what = source === 'message' ? 'message' : 'terminal error';
      return {
        cause: hit.entry.cause,
        evidence: [{ source, code: hit.match, text: `${what} "${text}" contains "${hit.match}"${hit.entry.note ? ` (${hit.entry.note})` : ''}` }],
      };
    }
    return undefined;
  },
};
