import type { Rule } from './types.js';
import { S } from './reasons.js';
import { failedTxn, reasonDrafts } from './lib/util.js';
import { rule as reasonRule } from './reason.js';

/** Reasons that are a typing mistake when the card was keyed in, and the card's own data when it was read. */
const KEYED: Record<string, { keyed: 'input_error'; read: 'card' }> = {
  invalid_card_number: { keyed: 'input_error', read: 'card' },
  card_number_typed_wrong: { keyed: 'input_error', read: 'card' },
  wrong_expiry: { keyed: 'input_error', read: 'card' },
};
const READ = new Set(['chip', 'contactless', 'swipe', 'fallback']);

export const rule: Rule = {
  meta: {
    id: 'keyed-entry',
    causes: ['input_error', 'card'],
    title: 'Card data keyed in, or read from the card',
    description:
      'An invalid card number or expiry date on a manually keyed (online) transaction is what the cardholder or operator typed: an input error. Read from the chip or stripe it is the card\'s own data: a card problem.',
    needs: ['responseCode', 'message', 'entryMode'],
    strength: S.specific + 3,
    messages: {
      keyed: { en: 'entry mode manual: {reason} on card data typed by hand is a typing mistake, not a card problem', zh: '手工输入：卡号或有效期为手工键入，“{reason}”属于输入错误而非卡片问题' },
      read: { en: 'entry mode {entry}: the card data was read from the card, so {reason} is the card\'s', zh: '读卡方式 {entry}：卡片数据由读卡获得，“{reason}”属于卡片问题' },
      // Every reason read is listed after the verdict ("Bad Card Number,Insufficient Balance" keeps both).
      ...reasonRule.meta.messages,
    },
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn?.entryMode) return undefined;
    const keyed = txn.entryMode === 'manual';
    if (!keyed && !READ.has(txn.entryMode)) return undefined;
    const best = (subject.reasons ?? [])[0];
    if (!best || !KEYED[best.reason]) return undefined;
    return {
      cause: keyed ? KEYED[best.reason].keyed : KEYED[best.reason].read,
      evidence: [
        { source: best.source, code: best.code, message: keyed ? 'keyed' : 'read', data: { reason: best.reason, entry: txn.entryMode } },
        ...reasonDrafts((subject.reasons ?? []).filter((h) => h.source !== 'settlement'), txn, ctx),
      ],
    };
  },
};
