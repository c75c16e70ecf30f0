import type { Rule } from './types.js';
import { failedTxn } from './lib/util.js';
import { normalizeResponseCode } from './tables.js';

// Texts terminals show when a chip card is swiped or falls back (UnionPay 45 display: 芯片卡交易，请插卡操作).
const INSERT_CHIP = /请插卡|插卡操作|insert (?:the )?(?:chip|card)|use (?:the )?chip|chip card (?:must|should) be inserted|fallback not allowed/i;

export const rule: Rule = {
  meta: {
    id: 'chip-card-swiped',
    causes: ['input_error'],
    title: 'Chip card swiped',
    description: 'Response code 45 (fallback not allowed; UnionPay and most Chinese acquirers, absent from ISO), or a swipe/fallback entry told to insert the chip: the card was used the wrong way.',
    needs: ['responseCode', 'entryMode', 'message'],
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn) return undefined;
    const swiped = txn.entryMode === 'swipe' || txn.entryMode === 'fallback';
    const code = txn.responseCode ? normalizeResponseCode(txn.responseCode) : undefined;
    const prompt = txn.message ? INSERT_CHIP.exec(txn.message) : null;
    if (code !== '45' && !(swiped && prompt)) return undefined;
    const profile = ctx.profileOf(txn);
    // A prompt in the message does not overrule a response code that names another cause.
    if (code && code !== '45') {
      const other = ctx.responseCode(code, profile);
      if (other && other.cause !== 'approved' && other.cause !== 'input_error') return undefined;
    }
    const evidence = [];
    if (code === '45') {
      const entry = ctx.responseCode('45', profile);
      evidence.push({ source: 'responseCode' as const, code: '45', text: `response code 45 (${profile}): ${entry?.en ?? 'Fallback not allowed: chip card must be inserted (UnionPay meaning)'}` });
    }
    if (prompt) evidence.push({ source: 'message' as const, code: prompt[0], text: `message "${txn.message}" asks to insert the chip card` });
    if (swiped) evidence.push({ source: 'context' as const, code: txn.entryMode, text: `entry mode ${txn.entryMode}: the card was swiped instead of inserted` });
    return { cause: 'input_error', evidence };
  },
};
