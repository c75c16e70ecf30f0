import type { Rule } from './types.js';
import { builtinTables, causesOf } from './tables.js';
import { describeEntry, failedTxn } from './lib/util.js';

const builtin = builtinTables().responseCodes;

export const rule: Rule = {
  meta: {
    id: 'response-code',
    causes: causesOf(...Object.values(builtin)),
    title: 'Response code',
    description: 'The host\'s response code (ISO 8583 field 39), read through the transaction\'s code profile (iso, unionpay, or a user profile; codes a profile lacks are read as iso). Approved codes on a failed attempt are left to later rules.',
    needs: ['responseCode'],
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn?.responseCode?.trim()) return undefined;
    const profile = ctx.profileOf(txn);
    const entry = ctx.responseCode(txn.responseCode, profile);
    if (!entry || entry.cause === 'approved') return undefined;
    const code = txn.responseCode.trim().toUpperCase();
    return {
      cause: entry.cause,
      evidence: [{ source: 'responseCode', code, text: `response code ${code} (${profile}): ${describeEntry(entry)}` }],
    };
  },
};
