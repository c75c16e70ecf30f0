import type { EvidenceDraft, Rule } from './types.js';
import { CAUSES, type CauseId } from './causes.js';
import { REASON_BY_ID, S } from './reasons.js';
import { isSettlementOutcome } from './lib/util.js';

export const SETTLEMENT_REMAP: Readonly<Record<string, CauseId>> = { risk_decline: 'merchant_risk', suspected_fraud: 'merchant_risk' };

// The acquirer's own reason is the strongest evidence for anything found at settlement (causes.md §1).
export const rule: Rule = {
  meta: {
    id: 'settlement-reason',
    // An account problem at settlement is the merchant's settlement account, never the cardholder's.
    causes: CAUSES.map((c) => c.id).filter((id) => id !== 'unknown' && id !== 'cardholder_account'),
    title: 'Settlement reason',
    description:
      "A settlement finding whose settlement line (not settled) carries a reason code or message takes that reason's cause; at settlement an account reason is the merchant's settlement account and a risk review the merchant's risk hold.",
    needs: ['settlement', 'message'],
    strength: S.settlement + 2,
    messages: {
      code: { en: 'settlement status {status}, reason code {code}: {reason}', zh: '结算状态 {status}，原因码 {code}：{reason}' },
      message: { en: 'settlement status {status}, message "{text}" reads as {reason}', zh: '结算状态 {status}，原因“{text}”意为：{reason}' },
      merchantAccount: { en: "an account problem at settlement is the merchant's settlement account", zh: '结算时的账户问题属于商户结算账户' },
      merchantRisk: { en: "a risk review at settlement holds the merchant's funds: the acquirer's merchant risk control", zh: '结算时的风险审查冻结的是商户资金：属于收单机构的商户风控' },
    },
  },
  match(subject) {
    const s = subject.settlement;
    if (!s || !isSettlementOutcome(subject)) return undefined;
    const hit = (subject.reasons ?? []).find((h) => h.source === 'settlement' && REASON_BY_ID.get(h.reason)?.cause !== 'unknown');
    if (!hit) return undefined;
    const reason = REASON_BY_ID.get(hit.reason)!;
    // At settlement the acquirer speaks about the merchant: an account problem is the merchant's settlement
    // account, a risk review holds the merchant's funds (a lost or stolen card stays fraud).
    const remap = SETTLEMENT_REMAP[hit.reason] ?? (reason.cause === 'cardholder_account' ? 'merchant_account' : undefined);
    const fromCode = hit.code !== undefined && hit.code === s.reasonCode?.trim();
    const evidence: EvidenceDraft[] = [
      fromCode
        ? { source: 'settlement' as const, code: hit.code, message: 'code', data: { status: s.status, code: hit.code!, reason: hit.reason } }
        : { source: 'settlement' as const, code: hit.code, message: 'message', data: { status: s.status, text: (s.message ?? '').slice(0, 120), reason: hit.reason } },
    ];
    if (remap) evidence.push({ source: 'settlement', code: hit.code, message: remap === 'merchant_account' ? 'merchantAccount' : 'merchantRisk', data: { status: s.status, code: hit.code ?? '', reason: hit.reason } });
    return { cause: remap ?? reason.cause, evidence };
  },
};
