import type { Rule } from './types.js';
import { S } from './reasons.js';
import { failedTxn } from './lib/util.js';
import { normalizeResponseCode } from './tables.js';

// UnionPay's 45 (芯片卡交易，请插卡操作) is used by most Chinese acquirers whatever profile the terminal
// logs under; ISO has no 45. A message that says to insert the chip is read by the vocabulary.
export const rule: Rule = {
  meta: {
    id: 'chip-card-swiped',
    causes: ['input_error'],
    title: 'Chip card swiped',
    description: 'Response code 45 (fallback not allowed: the chip must be used) on a profile whose table has no 45: the card was used the wrong way.',
    needs: ['responseCode', 'entryMode'],
    strength: S.specific + 2,
    messages: {
      code45: { en: 'response code 45 ({profile} has no 45; UnionPay and most acquirers: chip card swiped, insert the chip){entry}', zh: '应答码 45（{profile} 无此码；银联及多数收单机构：芯片卡请插卡操作）{entry}' },
    },
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn?.responseCode || normalizeResponseCode(txn.responseCode) !== '45') return undefined;
    const profile = ctx.profileOf(txn);
    if (ctx.responseCode('45', profile)) return undefined;
    const entry = txn.entryMode === 'swipe' || txn.entryMode === 'fallback' ? `; entry mode ${txn.entryMode}` : '';
    return { cause: 'input_error', evidence: [{ source: 'responseCode', code: '45', message: 'code45', data: { profile, entry } }] };
  },
};
