import type { EvidenceDraft, Rule } from './types.js';
import { CAUSES } from './causes.js';
import { REASON_BY_ID, S } from './reasons.js';
import { isSettlementOutcome } from './lib/util.js';

// The acquirer's own reason is the strongest evidence for anything found at settlement (causes.md §1).
export const rule: Rule = {
  meta: {
    id: 'settlement-reason',
    // An account problem at settlement is the merchant's settlement account, never the cardholder's.
    causes: CAUSES.map((c) => c.id).filter((id) => id !== 'unknown' && id !== 'cardholder_account'),
    title: 'Settlement reason',
    description:
      "A settlement finding whose settlement line carries a reason code or message takes that reason's cause; an account reason at settlement is the merchant's settlement account.",
    needs: ['settlement', 'message'],
    strength: S.settlement + 2,
    messages: {
      code: { en: 'settlement status {status}, reason code {code}: {reason}', zh: '结算状态 {status}，原因码 {code}：{reason}' },
      message: { en: 'settlement status {status}, message "{text}" reads as {reason}', zh: '结算状态 {status}，原因“{text}”意为：{reason}' },
      merchantAccount: { en: "an account problem at settlement is the merchant's settlement account", zh: '结算时的账户问题属于商户结算账户' },
    },
  },
  match(subject) {
    const s = subject.settlement;
    if (!s || !isSettlementOutcome(subject)) return undefined;
    const hit = (subject.reasons ?? []).find((h) => h.source === 'settlement' && REASON_BY_ID.get(h.reason)?.cause !== 'unknown');
    if (!hit) return undefined;
    const reason = REASON_BY_ID.get(hit.reason)!;
    const remapped = reason.cause === 'cardholder_account';
    const fromCode = hit.code !== undefined && hit.code === s.reasonCode?.trim();
    const evidence: EvidenceDraft[] = [
      fromCode
        ? { source: 'settlement' as const, code: hit.code, message: 'code', data: { status: s.status, code: hit.code!, reason: hit.reason } }
        : { source: 'settlement' as const, code: hit.code, message: 'message', data: { status: s.status, text: (s.message ?? '').slice(0, 120), reason: hit.reason } },
    ];
    if (remapped) evidence.push({ source: 'settlement', code: hit.code, message: 'merchantAccount', data: { status: s.status, code: hit.code ?? '', reason: hit.reason } });
    return { cause: remapped ? 'merchant_account' : reason.cause, evidence };
  },
};
