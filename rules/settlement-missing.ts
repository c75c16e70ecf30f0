import type { Rule } from './types.js';
import { S } from './reasons.js';
import { formatMoney } from './lib/util.js';

// Approved but not settled, and nothing more specific explains it: the two sides disagree.
export const rule: Rule = {
  meta: {
    id: 'settlement-missing',
    causes: ['reconciliation'],
    title: 'Approved but not settled',
    description: 'An approved transaction with no settlement record after the grace window, or whose settlement line failed, was rejected or is still pending, with no reason, event or phrase that explains it.',
    needs: ['reconciliation', 'settlement'],
    strength: S.status + 5,
    messages: {
      missing: { en: 'approved at the terminal ({amount}) but no settlement line by the end of the grace window; no batch-close, power or network event explains it', zh: '终端已批准（{amount}），但宽限期结束时仍无结算记录；没有批结算、断电或网络事件可以解释' },
      status: { en: 'settlement status {status}, no reason given that txlog can read{given}', zh: '结算状态 {status}，未给出可识别的原因{given}' },
    },
  },
  match(subject) {
    if (subject.outcome !== 'unsettled' && subject.outcome !== 'settlement_failed') return undefined;
    const s = subject.settlement;
    if (!s || subject.facts.lateSettlementDays !== undefined) {
      const amount = subject.txn?.amount !== undefined ? formatMoney(subject.txn.amount, subject.txn.currency) : '—';
      return { cause: 'reconciliation', evidence: [{ source: 'reconciliation', message: 'missing', data: { amount } }] };
    }
    const given = [s.reasonCode, s.message].filter(Boolean).join(', ');
    return { cause: 'reconciliation', evidence: [{ source: 'settlement', code: s.status, message: 'status', data: { status: s.status, given: given ? ` (${given.slice(0, 80)})` : '' } }] };
  },
};
