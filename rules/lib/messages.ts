import { causeLabel, type CauseId } from '../causes.js';
import { reasonLabel } from '../reasons.js';
import type { Message } from '../types.js';

export type Lang = 'en' | 'zh';
export type MessageData = Record<string, string | number>;

/** "4 min before the transaction" / "交易前 4 分钟". */
export function relativeTime(offsetMs: number, lang: Lang, what?: { en: string; zh: string }): string {
  const abs = Math.abs(offsetMs);
  const of = what ?? { en: 'the transaction', zh: '交易' };
  if (abs < 1000) return lang === 'zh' ? `${of.zh}时` : `at the time of ${of.en}`;
  const en = abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 7_200_000 ? `${Math.round(abs / 60_000)} min` : `${(abs / 3_600_000).toFixed(1)} h`;
  const zh = abs < 60_000 ? `${Math.round(abs / 1000)} 秒` : abs < 7_200_000 ? `${Math.round(abs / 60_000)} 分钟` : `${(abs / 3_600_000).toFixed(1)} 小时`;
  if (lang === 'zh') return `${of.zh}${offsetMs < 0 ? '前' : '后'} ${zh}`;
  return `${en} ${offsetMs < 0 ? 'before' : 'after'} ${of.en}`;
}

/**
 * Fills a message's `{name}` slots (ESLint's meta.messages + data). Values are shown as given, except by
 * their names: `reason`/`…Reason` and `cause`/`…Cause` are ids shown by their labels in the language, and
 * `offsetMs`/`…OffsetMs` is a time relative to the transaction.
 */
export function renderMessage(message: Message, data: MessageData | undefined, lang: Lang): string {
  return message[lang].replace(/\{(\w+)\}/g, (all, key: string) => {
    const v = data?.[key];
    if (v === undefined) return all;
    if (key === 'reason' || key.endsWith('Reason')) return reasonLabel(String(v), lang);
    if (key === 'cause' || key.endsWith('Cause')) return causeLabel(String(v) as CauseId, lang);
    if (key === 'offsetMs' || key.endsWith('OffsetMs')) return relativeTime(Number(v), lang);
    return String(v);
  });
}
