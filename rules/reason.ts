import type { Rule } from './types.js';
import { CAUSES } from './causes.js';
import { REASON_BY_ID } from './reasons.js';
import { failedTxn, reasonDrafts } from './lib/util.js';

// Whatever channel a signal came by (ISO or UnionPay code, SDK error, English or Chinese text), it is
// read into a reason first; the most specific reason names the cause, so no channel changes it.
export const rule: Rule = {
  meta: {
    id: 'reason',
    causes: CAUSES.map((c) => c.id).filter((id) => id !== 'unknown'),
    title: 'The most specific reason',
    description:
      "The strongest reason read from a failed attempt's response code (through its profile), terminal error code, message (English or Chinese) or a bare timeout names the cause; the weaker ones are listed with it.",
    needs: ['responseCode', 'errorCode', 'message', 'status'],
    strength: 0,
    messages: {
      responseCode: { en: 'response code {code} ({profile}): {reason}', zh: '应答码 {code}（{profile}）：{reason}' },
      errorCode: { en: 'terminal error {code}: {reason}', zh: '终端错误码 {code}：{reason}' },
      message: { en: 'message "{text}" reads as {reason}', zh: '信息“{text}”意为：{reason}' },
      guess: { en: 'message "{text}" reads, by its words ({words}), as {reason}', zh: '信息“{text}”按其用词（{words}）判断为：{reason}' },
      status: { en: 'status timeout: the terminal got no answer from the host', zh: '状态为超时：终端未收到主机应答' },
      also: { en: 'also read: {reason} ({code})', zh: '另见：{reason}（{code}）' },
    },
  },
  match(subject, ctx) {
    const txn = failedTxn(subject);
    if (!txn) return undefined;
    const hits = (subject.reasons ?? []).filter((h) => h.source !== 'settlement' && REASON_BY_ID.get(h.reason)?.cause !== 'unknown');
    if (hits.length === 0) return undefined;
    const best = hits[0];
    return { cause: REASON_BY_ID.get(best.reason)!.cause, strength: best.strength, evidence: reasonDrafts(hits, txn, ctx) };
  },
};
