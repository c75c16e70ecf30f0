import type { Rule } from './types.js';
import { failedTxn } from './lib/util.js';
import { normalizeResponseCode } from './tables.js';

// Code 14 means "no such card number": on a keyed entry the operator typed it wrong, the card is fine.
export const rule: Rule = {
  meta: {
    id: 'manual-entry-card-number',
    causes: ['input_error'],
    title: 'Card number keyed wrong',
    description: 'Response code 14 (invalid card number) on a manually keyed transaction is an input error, not a card problem.',
    needs: ['responseCode', 'entryMode'],
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn?.responseCode || txn.entryMode !== 'manual' || normalizeResponseCode(txn.responseCode) !== '14') return undefined;
    const profile = ctx.profileOf(txn);
    return {
      cause: 'input_error',
      evidence: [
        { source: 'responseCode', code: '14', text: `response code 14 (${profile}): ${ctx.responseCode('14', profile)?.en ?? 'Invalid card number'}` },
        { source: 'context', code: 'manual', text: 'entry mode manual: the card number was keyed in, so the number was most likely mistyped' },
      ],
    };
  },
};
