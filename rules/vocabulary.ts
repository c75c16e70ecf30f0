import { z } from 'zod';
import { PhraseMatcher, type Phrase, type TextHit } from './lib/matcher.js';
import { REASON_BY_ID, ReasonId } from './reasons.js';
import type { CodeTable } from './types.js';

// How messages are read: the phrase list (rules/codes/phrases.json, written from published decline and
// device texts in both languages), and every description in the code tables as a whole message, so a
// terminal that logs "Do not honour" or "发卡行拒绝交易" instead of 05 is read the same (one source: the
// table, no second list kept by hand for its texts).

/** A phrase: `*` may stand only at either end (a stem); inside a phrase it would be matched as a letter. */
const PhraseText = z
  .string()
  .min(1)
  .refine((s) => !s.slice(1, -1).includes('*'), { error: (issue) => `"${String(issue.input)}": * may stand only at the start or end of a phrase` });

export const PhraseGroup = z
  .object({
    reason: ReasonId,
    en: z.array(PhraseText).default([]),
    zh: z.array(PhraseText).default([]),
    /** Where the phrases come from. */
    source: z.string().optional(),
  })
  .strict();
export type PhraseGroup = z.infer<typeof PhraseGroup>;

export const PhrasesFile = z.object({ $comment: z.string().optional(), phrases: z.array(PhraseGroup) }).strict();
export type PhrasesFile = z.infer<typeof PhrasesFile>;

/** A description's readable parts: "Invalid card number (no such number)" is also "Invalid card number". */
function descriptionParts(text: string): string[] {
  const out = new Set<string>([text]);
  const main = text.replace(/\s*[(（][^)）]*[)）]\s*/g, ' ').trim();
  if (main) out.add(main);
  for (const m of text.matchAll(/[(（]([^)）]+)[)）]/g)) if (m[1].trim().length > 3) out.add(m[1].trim());
  for (const part of text.split(/\s*(?:\/|;|；|\s-\s)\s*/)) if (part.trim().length > 3) out.add(part.trim());
  return [...out];
}

export interface TableText {
  table: CodeTable;
  source: string;
}

/** Phrases for a matcher: the phrase list, then each table description as a whole message. */
export function vocabularyPhrases(groups: readonly PhraseGroup[], tables: readonly TableText[]): Phrase[] {
  const phrases: Phrase[] = [];
  for (const g of groups) for (const text of [...g.en, ...g.zh]) phrases.push({ text, reason: g.reason, source: g.source ?? 'phrases.json' });
  for (const { table, source } of tables) {
    for (const [code, entry] of Object.entries(table)) {
      if (!entry.reason) continue;
      for (const text of [entry.en, entry.zh]) {
        if (!text) continue;
        for (const part of descriptionParts(text)) phrases.push({ text: part, reason: entry.reason, whole: true, source: `${source} ${code}` });
      }
    }
  }
  return phrases;
}

export function makeMatcher(phrases: readonly Phrase[]): PhraseMatcher {
  return new PhraseMatcher(phrases, (reason) => REASON_BY_ID.get(reason)?.strength ?? 0);
}

// "RC 51", "response code: 05", "应答码:55", "[75] PIN tries", "05 - Do not honour", "DECLINED (90) Day end"
// or "脱机拒绝(Z3)": a code quoted inside a message.
const QUOTED_CODE = /(?:\b(?:rc|resp(?:onse)?[\s_-]*code|response|result[\s_-]*code|action[\s_-]*code|de\s*39|field\s*39|f39)|应答码|响应码|返回码)\s*[:：=#]?\s*[([（]?\s*([0-9]{2}|[A-Z][0-9A-Z]|[0-9][A-Z])\s*[)\]）]?(?![0-9A-Za-z])/i;
const LEADING_CODE = /^\s*(?:[([（]([0-9]{2}|[A-Z][0-9A-Z])[)\]）]\s*[-:：.=]?|([0-9]{2}|[A-Z][0-9A-Z])\s*[-:：.=])\s*\S/;
const TRAILING_CODE = /[([（]\s*([0-9]{2}|[A-Z][0-9])\s*[)\]）]\s*$/;
const AFTER_DECLINE = /(?:declined?|refused|rejected|denied|error|failed|拒绝|失败|错误)\s*[:：]?\s*[([（]\s*([0-9]{2}|[A-Z][0-9])\s*[)\]）]/i;

/** A response code written into the message, if any. */
export function codeInText(text: string): string | undefined {
  const lead = LEADING_CODE.exec(text);
  return QUOTED_CODE.exec(text)?.[1] ?? lead?.[1] ?? lead?.[2] ?? AFTER_DECLINE.exec(text)?.[1] ?? TRAILING_CODE.exec(text)?.[1];
}

export type { TextHit };
