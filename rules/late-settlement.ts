import type { Rule } from './types.js';
import { S } from './reasons.js';

// Settled, but days after the window: the batch closed late (formats.md: unsettled is "no settled record
// by the end of the window"). A power, network or batch-close event explains it more specifically.
export const rule: Rule = {
  meta: {
    id: 'late-settlement',
    causes: ['cutoff'],
    title: 'Settled after the window',
    description: 'An approved transaction whose settlement line carries a business date past the grace window: the batch was closed or sent after the cutoff.',
    needs: ['reconciliation', 'settlement'],
    strength: S.settlement - 12,
    messages: {
      late: { en: 'settled {days} day(s) after the transaction date, past the {grace}-day window: the batch was closed or sent after the cutoff', zh: '交易日后第 {days} 天才结算，超过 {grace} 天的结算窗口：批结算晚于日切' },
    },
  },
  match(subject) {
    const days = subject.facts.lateSettlementDays;
    if (days === undefined || !subject.settlement) return undefined;
    return { cause: 'cutoff', evidence: [{ source: 'settlement', code: 'late', message: 'late', data: { days, grace: subject.facts.graceDays ?? 1 } }] };
  },
};
