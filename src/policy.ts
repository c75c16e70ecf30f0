import { z } from 'zod';
import { maskCardField, maskText, panToken, type MaskStats } from './pan.js';

// What each string field of a record may have done to it, declared on the record schemas (model.ts) and
// applied in one place (the normalizer calls `applyPolicies`):
// - `id`: never altered. Only a value that is itself a whole card number becomes a stable token (the masked
//   number), the same on both sides of a join, and is counted.
// - `text`: free text; card numbers found by their real shapes are masked.
// - `card`: a card reference; any 13–19 digit run in it is masked, and it is grouped by a keyed hash.

export type FieldPolicy = 'id' | 'text' | 'card';

export const idField = () => z.string().meta({ policy: 'id' satisfies FieldPolicy });
export const textField = () => z.string().meta({ policy: 'text' satisfies FieldPolicy });
export const cardField = () => z.string().meta({ policy: 'card' satisfies FieldPolicy });

/** The declared policy of every field of an object schema that has one (optional wrappers looked through). */
export function policiesOf(schema: z.ZodObject): Map<string, FieldPolicy> {
  const out = new Map<string, FieldPolicy>();
  for (const [key, field] of Object.entries(schema.shape)) {
    const p = declaredPolicy(field as z.ZodType);
    if (p) out.set(key, p);
  }
  return out;
}

export function declaredPolicy(field: z.ZodType): FieldPolicy | undefined {
  let f: z.ZodType | undefined = field;
  for (let depth = 0; f && depth < 4; depth++) {
    const meta = f.meta() as { policy?: FieldPolicy } | undefined;
    if (meta?.policy) return meta.policy;
    f = (f as unknown as { unwrap?: () => z.ZodType }).unwrap?.();
  }
  return undefined;
}

/** Extra keys that name another transaction: ids, so never masked. */
export const ORIGINAL_ID_KEYS: ReadonlySet<string> = new Set(['originalTxnId', 'origTxnId', 'originalRrn', 'origRrn', 'originalStan', 'origStan']);

/**
 * Keys of data that must never be kept, whatever its value (PCI DSS 3.3): full track data, the PIN block,
 * chip data (the ICC's cryptogram carries the card number too), card verification values.
 */
const NEVER_KEPT = /^(track|track[_ -]?[123]|track[_ -]?data|track[123][_ -]?data|trk[_ -]?[123]|pin|pin[_ -]?block|pinblock|pin[_ -]?blk|pin[_ -]?data|pindata|epb|icc|icc[_ -]?data|emv|emv[_ -]?(data|tags|tlv)|tlv|tlv[_ -]?data|chip[_ -]?data|field[_ -]?(35|36|45|52|55)|de[_ -]?(35|36|45|52|55)|f(35|36|45|52|55)|cvv2?|cvc2?|cav2?|card[_ -]?security[_ -]?code|磁道|磁道数据|二磁道|三磁道|密码|密码块|pin密文|ic卡数据|55域)$/i;

/**
 * The same data under the names exports and SDKs give it ("Track2 Equivalent Data", "ICC_Related_Data",
 * "field_55_icc", "tag_9F26", "Encrypted PIN", "pin_block_hex", "55域数据", "交易密码"), read from the key
 * lower-cased with its separators gone. Chip tags are named by their hex tag; a PIN pad (密码键盘) is no PIN.
 */
const NEVER_KEPT_WORDS = /^(?:(?:track|trk)(?:[123]|data|equivalent|equivalentdata|[123](?:data|equivalent|equivalentdata))+|(?:enc|encrypted|cipher|online)?pin(?:block|blk|data|enc|encrypted|cipher|blockhex|hex)?|(?:enc|encrypted|cipher)pin\w*|pin(?:block|blk)\w*|\w*icc\w*data|icc\w*|\w*emv(?:data|tags?|tlv|hex|fields?)?|tlv\w*|\w*chipdata|(?:field|de|f|bit)(?:35|36|45|52|55)\w*|tag(?:57|5a|9f[0-9a-f]{2}|5f[0-9a-f]{2}|[89][0-9a-f])|\w*(?:arqc|arpc|cryptogram)\w*|cvv\w*|cvc\w*|cvn\w*|cav2?|\w*securitycode|[^密]*磁道[^密]*|.*55域.*|.*ic卡数据.*|.*芯片数据.*|.*pin密文.*|(?!.*密码键盘).*密码.*)$/;

// Asked for every extra key of every row: an export repeats a few dozen keys, each answered once.
const NEVER_KEPT_SEEN = new Map<string, boolean>();

export function neverKept(key: string): boolean {
  let answer = NEVER_KEPT_SEEN.get(key);
  if (answer === undefined) {
    const k = key.trim();
    answer = NEVER_KEPT.test(k) || NEVER_KEPT_WORDS.test(k.toLowerCase().replace(/[\s_.:\-/()[\]]+/g, ''));
    if (NEVER_KEPT_SEEN.size < 10_000) NEVER_KEPT_SEEN.set(key, answer);
  }
  return answer;
}

/** Excel's scientific notation for a long number (3.10001E+11): the digits past the sixth are gone. */
const EXCEL_NUMBER = /^[+-]?\d(?:[.,]\d+)?E\+\d{1,3}$/i;

export function excelDamaged(value: string): boolean {
  return EXCEL_NUMBER.test(value);
}

/** What the policies did to one input, for report.json and the warnings people read. */
export class PolicyStats implements MaskStats {
  masked = 0;
  readonly tokenized = new Map<string, number>();
  readonly dropped = new Map<string, number>();
  readonly excel = new Map<string, { count: number; example: string }>();

  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  /** Adds another's counts (a row read on trial, once it is known to be this reader's). */
  absorb(o: PolicyStats): void {
    this.masked += o.masked;
    for (const [k, v] of o.tokenized) this.tokenized.set(k, (this.tokenized.get(k) ?? 0) + v);
    for (const [k, v] of o.dropped) this.dropped.set(k, (this.dropped.get(k) ?? 0) + v);
    for (const [k, e] of o.excel) {
      const mine = this.excel.get(k);
      if (mine) mine.count += e.count;
      else this.excel.set(k, { ...e });
    }
  }

  reset(): void {
    this.masked = 0;
    this.tokenized.clear();
    this.dropped.clear();
    this.excel.clear();
  }

  get empty(): boolean {
    return this.masked === 0 && this.tokenized.size === 0 && this.dropped.size === 0 && this.excel.size === 0;
  }
}

export interface PolicyResult {
  /** Id fields whose value Excel turned into a float: unusable as join or grouping keys. */
  damaged?: string[];
}

type Row = Record<string, string | undefined>;

/** Applies the declared policies to a row of text values, in place. */
export function applyPolicies(row: Row, policies: ReadonlyMap<string, FieldPolicy>, stats: PolicyStats): PolicyResult {
  let damaged: string[] | undefined;
  for (const [key, policy] of policies) {
    const v = row[key];
    if (v === undefined) continue;
    if (policy === 'text') {
      row[key] = maskText(v, stats);
    } else if (policy === 'id') {
      const token = panToken(v);
      if (token !== undefined) {
        row[key] = token;
        stats.count(stats.tokenized, key);
      } else if (excelDamaged(v)) {
        (damaged ??= []).push(key);
        const e = stats.excel.get(key);
        if (e) e.count++;
        else stats.excel.set(key, { count: 1, example: v });
      }
    } else {
      if (excelDamaged(v)) {
        (damaged ??= []).push(key);
        const e = stats.excel.get(key);
        if (e) e.count++;
        else stats.excel.set(key, { count: 1, example: v });
      }
      row[key] = maskCardField(v);
    }
  }
  return damaged ? { damaged } : {};
}

/** Extra keys that say their value is a card number: the card policy applies, Luhn or not. */
const CARD_KEY = /^(pan|card|card[_ -]?(no|num|number|nbr)|cardnumber|acct[_ -]?(no|num|number)|account[_ -]?number|卡号|银行卡号|交易卡号|主账号)$/i;

/** An extra field's key and value under the text policy (ids of original transactions under the id policy). */
export function extraValue(key: string, value: string, stats: PolicyStats): string {
  if (CARD_KEY.test(key)) {
    const masked = maskCardField(value);
    if (masked !== value) stats.masked++;
    return masked;
  }
  if (ORIGINAL_ID_KEYS.has(key)) {
    const token = panToken(value);
    if (token === undefined) return value;
    stats.count(stats.tokenized, key);
    return token;
  }
  return maskText(value, stats);
}
