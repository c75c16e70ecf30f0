import type { Rule } from './types.js';
import type { EvidenceDraft } from './types.js';

// Last in the registry, so every finding gets a rule and `unknown` keeps its evidence.
export const rule: Rule = {
  meta: {
    id: 'no-evidence',
    causes: ['unknown'],
    title: 'No rule matched',
    description: 'Nothing in the status, codes, message, events or settlement record names a cause; lists what was looked at.',
    needs: ['status', 'responseCode', 'errorCode', 'message', 'settlement'],
    strength: 0,
    messages: {
      status: { en: 'outcome {outcome}, terminal status {status}', zh: '结果 {outcome}，终端状态 {status}' },
      outcome: { en: 'outcome {outcome}', zh: '结果 {outcome}' },
      code: { en: 'response code {code} ({profile}) gives no reason for this outcome', zh: '应答码 {code}（{profile}）无法说明此结果' },
      noCode: { en: 'no response code', zh: '无应答码' },
      error: { en: 'terminal error {code} names no reason txlog knows', zh: '终端错误码 {code} 未能识别' },
      noError: { en: 'no terminal error code', zh: '无终端错误码' },
      text: { en: 'message "{text}" names no reason txlog knows', zh: '信息“{text}”未能识别' },
      noText: { en: 'no message', zh: '无信息' },
      settlement: { en: 'settlement status {status}, {detail}', zh: '结算状态 {status}，{detail}' },
    },
  },
  match(subject, ctx) {
    const evidence: EvidenceDraft[] = [];
    const t = subject.txn;
    if (t) {
      evidence.push({ source: 'status', code: t.status, message: 'status', data: { outcome: subject.outcome, status: t.status } });
      evidence.push(t.responseCode ? { source: 'responseCode', code: t.responseCode, message: 'code', data: { code: t.responseCode, profile: ctx.profileOf(t) } } : { source: 'responseCode', message: 'noCode' });
      evidence.push(t.errorCode ? { source: 'errorCode', code: t.errorCode, message: 'error', data: { code: t.errorCode } } : { source: 'errorCode', message: 'noError' });
      evidence.push(t.message ? { source: 'message', message: 'text', data: { text: t.message.slice(0, 160) } } : { source: 'message', message: 'noText' });
    } else {
      evidence.push({ source: 'status', message: 'outcome', data: { outcome: subject.outcome } });
    }
    const s = subject.settlement;
    if (s) {
      const detail = [s.reasonCode ? `reason code ${s.reasonCode}` : '', s.message ? `"${s.message.slice(0, 80)}"` : ''].filter(Boolean).join(', ') || '—';
      evidence.push({ source: 'settlement', code: s.status, message: 'settlement', data: { status: s.status, detail } });
    }
    return { cause: 'unknown', evidence };
  },
};
