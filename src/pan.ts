import { createHmac, randomBytes } from 'node:crypto';

// Card numbers as they really occur: 13–19 digits, contiguous or in card-style groups joined by one
// consistent separator, with a scheme prefix and the Luhn check; or any such run right after a card word
// ("card", "PAN", "卡号"), Luhn or not (some UnionPay cards carry no check digit). Track data is masked
// whole. Everything else (order numbers, RRNs, ids with dashes) is left as it is.

const D = '[0-9\uFF10-\uFF19]';
const EDGE_BEFORE = '(?<![0-9A-Za-z\uFF10-\uFF19])';
const EDGE_AFTER = '(?![0-9A-Za-z\uFF10-\uFF19])';
// One separator, repeated identically between groups (\1): "4111 1111 1111 1111", "4111-1111-...", "3782 822463 10005".
// Spaces of every width (no-break, thin, ideographic), tabs, underscores and dashes of every kind count:
// a number copied from a PDF, a web page or a Chinese document carries them.
const GAP_CHARS = ' \\t\\u00A0\\u2000-\\u200D\\u202F\\u205F\\u2060\\u3000\\uFEFF';
const DASH_CHARS = '\\-_\\u2010-\\u2015\\u2212\\uFE63\\uFF0D';
const SEP_ALT = `[${GAP_CHARS}]{1,2}|[${DASH_CHARS}]|\\.|/|,`;
// Grouped numbers may touch a letter (ref4111 1111 1111 1111): the groups themselves say card.
const DIGIT_BEFORE = '(?<![0-9\\uFF10-\\uFF19])';
const DIGIT_AFTER = '(?![0-9\\uFF10-\\uFF19])';
const SHAPES = new RegExp(
  [
    `${EDGE_BEFORE}${D}{13,19}${EDGE_AFTER}`,
    `${DIGIT_BEFORE}${D}{4}(${SEP_ALT})${D}{4}\\1${D}{4}\\1${D}{1,4}(?:\\1${D}{1,3})?${DIGIT_AFTER}`,
    `${DIGIT_BEFORE}${D}{4}(${SEP_ALT})${D}{6}\\2${D}{4,5}${DIGIT_AFTER}`,
  ].join('|'),
  'g',
);
// A digit run after a card word: the word itself says what it is, so no Luhn or prefix is required.
const CARD_WORD = new RegExp(
  `((?<![A-Za-z])(?:card(?:\\s*(?:no|num|number|nbr))?|pan|acct(?:\\s*no)?|account\\s*(?:no|number)|cc\\s*(?:no|num)?)(?![A-Za-z])|卡号|银行卡号?|信用卡号?|借记卡号?|主账号|账号|帐号|卡)` +
    `([\\s:：=#＃"'()（）.\\-]{0,6})(${D}(?:[${GAP_CHARS}${DASH_CHARS.replace('_', '')}.]{0,2}${D}){12,18})${EDGE_AFTER}`,
  'gi',
);
// Track 2 (PAN=YYMM service code + discretionary data) and track 1 (%B PAN ^NAME^ YYMM ...).
const TRACK2 = new RegExp(`;?${EDGE_BEFORE}(${D}{13,19})[=Dd](${D}{4,})\\??`, 'g');
const TRACK1 = /%?B([0-9]{13,19})\^[^^\n]{0,26}\^[0-9]{4}[0-9A-Za-z ]*\??/g;

const FULLWIDTH = /[\uFF10-\uFF19]/;

/** ASCII digits of a run, separators and full-width forms folded. */
function digitsOf(run: string): string {
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 48 && c <= 57) out += run[i];
    else if (c >= 0xff10 && c <= 0xff19) out += String.fromCharCode(c - 0xff10 + 48);
  }
  return out;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes of the schemes (ISO/IEC 7812): Mir 2200–2204 and Mastercard 2221–2720 (no other number
 * starting with 2 is a card: "2026110000001233" is a dated order number), Diners 30/36/38/39, JCB 35, Amex
 * 34/37, Visa 4, Mastercard and Maestro 5, Discover, UnionPay, RuPay and Maestro 6; UATP 1 (15 digits),
 * UnionPay's newer 81 and Troy 9792.
 */
function schemePrefix(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  if (first >= 4 && first <= 6) return true;
  if (first === 2) {
    const four = Number(digits.slice(0, 4));
    return (four >= 2200 && four <= 2204) || (four >= 2221 && four <= 2720);
  }
  if (first === 3) {
    const second = digits.charCodeAt(1) - 48;
    return second === 0 || second >= 4;
  }
  if (first === 1) return digits.length === 15;
  return digits.startsWith('81') || digits.startsWith('9792');
}

/** UnionPay numbers (62…) of 16–19 digits may lack a Luhn digit; in free text they are masked anyway. */
function unionPayShape(digits: string): boolean {
  return digits.length >= 16 && digits.startsWith('62');
}

/** A run that is a card number by its shape alone. */
export function plausiblePan(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && schemePrefix(digits) && (luhnValid(digits) || unionPayShape(digits));
}

export function maskDigits(digits: string): string {
  return digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4);
}

/** Cheap test first: text with fewer than 13 digits holds no card number (nearly every field). */
export function fewDigits(text: string): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) {
      if (++n >= 13) return false;
    }
  }
  return true;
}

/**
 * Cheaper still and as safe: every card-number shape above is a run of 13+ digits in which digits are
 * at most three separators (a space or dash of any kind, dot, slash, comma, parenthesis, tab, underscore) apart; text with no such run holds none (an order id
 * like TX88000001_261116_00001 has many digits, but in short runs).
 */
export function noDigitRun(text: string): boolean {
  let run = 0;
  let group = 0;
  let gap = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) {
      if (++run >= 13) return false;
      group++;
      gap = 0;
    } else if (run > 0 && (isGap(c) || c === 44 || c === 40 || c === 41) && ++gap <= 3 && (c !== 95 || group === 4 || group === 6)) {
      // An underscore joins card-style groups only (4111_1111_…), not an id's parts (TX88000001_261116_00001).
      group = 0;
      continue;
    } else {
      run = 0;
      group = 0;
      gap = 0;
    }
  }
  return true;
}

// Zero-width characters hide nothing from a reader but split a digit run: a number they break is still one.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** The text without its zero-width characters, or undefined when it has none. */
function withoutInvisible(text: string): string | undefined {
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(text)) return undefined;
  return text.replace(INVISIBLE, '');
}

/** A character that may stand between the digit groups of a card number (the SHAPES separators). */
function isGap(c: number): boolean {
  return (
    c === 32 || c === 45 || c === 46 || c === 47 || c === 9 || c === 95 || c === 0xa0 || (c >= 0x2000 && c <= 0x200d) || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff ||
    (c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63 || c === 0xff0d
  );
}

export interface MaskStats {
  /** Card numbers masked in free text. */
  masked: number;
}

/**
 * Masks every card number found in free text (first 6 and last 4 digits stay). Used for the `text`
 * policy: messages, details, extra values, reject reasons and raw text.
 */
export function maskText(text: string, stats?: MaskStats): string {
  if (text.length < 13 || noDigitRun(text)) return text;
  const bare = withoutInvisible(text);
  if (bare !== undefined) {
    const masked = maskText(bare, stats);
    return masked === bare ? text : masked;
  }
  let hits = 0;
  let out = text.replace(TRACK1, (_all, pan: string) => {
    hits++;
    return `${maskDigits(pan)}^***^****`;
  });
  out = out.replace(TRACK2, (_all, pan: string) => {
    hits++;
    return `${maskDigits(digitsOf(pan))}=****`;
  });
  out = out.replace(CARD_WORD, (all, word: string, gap: string, run: string) => {
    const digits = digitsOf(run);
    if (digits.length < 13 || digits.length > 19) return all;
    hits++;
    return word + gap + maskDigits(digits);
  });
  out = out.replace(SHAPES, (run) => {
    const digits = digitsOf(run);
    if (!plausiblePan(digits)) return run;
    hits++;
    return maskDigits(digits);
  });
  const grouped = maskGrouped(out);
  if (grouped !== undefined) {
    out = grouped.text;
    hits += grouped.hits;
  }
  const glued = maskGlued(out);
  if (glued !== undefined) {
    out = glued.text;
    hits += glued.hits;
  }
  if (stats) stats.masked += hits;
  return out;
}

// Digit groups however they are cut ("4111 1111 11111111", "37828224631 0005", "4111 - 1111 - …"): joined by
// up to three spaces, or a dash with a space beside it. A bare dash, dot, slash, comma, tab or underscore
// between groups of other lengths is an id's or a line's (ORD-261116-0000000010, a UUID, cells), left as is;
// card-style groups joined by them are SHAPES'.
const SPACE = `[${GAP_CHARS.replace('\\t', '')}]`;
const GROUP_GAP = `(?:${SPACE}{1,3}|${SPACE}{1,2}[${DASH_CHARS.replace('_', '')}]${SPACE}{0,2}|[${DASH_CHARS.replace('_', '')}]${SPACE}{1,2})`;
const GROUPED = new RegExp(`${DIGIT_BEFORE}${D}+(?:${GROUP_GAP}${D}+)+${DIGIT_AFTER}`, 'g');

/**
 * What the card-style shapes leave: groups of other lengths or mixed separators. A card number is any run of
 * whole consecutive groups of 13-19 digits with a scheme prefix and a valid Luhn digit (no UnionPay leniency:
 * the groups alone do not say card); the longest such run is masked where it stands.
 */
function maskGrouped(text: string): { text: string; hits: number } | undefined {
  let hits = 0;
  const out = text.replace(GROUPED, (all) => {
    const groups = [...all.matchAll(new RegExp(`${D}+`, 'g'))].map((m) => ({ at: m.index, end: m.index + m[0].length, digits: digitsOf(m[0]) }));
    let best: { from: number; to: number; digits: string } | undefined;
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length && digits.length + groups[j].digits.length <= 19; j++) {
        digits += groups[j].digits;
        if (digits.length >= 13 && (!best || digits.length > best.digits.length) && schemePrefix(digits) && luhnValid(digits)) best = { from: groups[i].at, to: groups[j].end, digits };
      }
    }
    if (!best) return all;
    hits++;
    return all.slice(0, best.from) + maskDigits(best.digits) + all.slice(best.to);
  });
  return hits ? { text: out, hits } : undefined;
}

const DIGIT_RUN = /[0-9]{13,}/g;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * What the shapes above leave, because a letter touches the digits: a number glued to a word
 * ("ref4111111111111111", "4111111111111111exp2512") is masked where it stands; a number inside a hex dump
 * (EMV tags 5A, 57, 9F6B: "5A084111111111111111", "5711…D2512…") is chip or track data, and the whole dump
 * goes, leaving the masked number.
 */
function maskGlued(text: string): { text: string; hits: number } | undefined {
  DIGIT_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  let out = '';
  let from = 0;
  let hits = 0;
  while ((m = DIGIT_RUN.exec(text)) !== null) {
    const run = m[0];
    const at = m.index;
    if (at < from) continue;
    if (run.length <= 19 && plausiblePan(run)) {
      out += text.slice(from, at) + maskDigits(run);
      from = at + run.length;
      hits++;
      continue;
    }
    let s = at;
    let e = at + run.length;
    while (s > from && isHex(text.charCodeAt(s - 1))) s--;
    while (e < text.length && isHex(text.charCodeAt(e))) e++;
    const token = text.slice(s, e);
    const next = text.charCodeAt(at + run.length);
    if (!(token.length >= 16 && /[A-Fa-f]/.test(token)) && next !== 61 && next !== 68 && next !== 100) continue;
    const pan = embeddedPan(run);
    if (pan === undefined) continue;
    out += text.slice(from, s) + `${maskDigits(pan)} [chip data removed]`;
    from = e;
    DIGIT_RUN.lastIndex = e;
    hits++;
  }
  return hits ? { text: out + text.slice(from), hits } : undefined;
}

/** The longest card number inside a longer digit run (a tag and length before it, track data after), if any. */
function embeddedPan(run: string): string | undefined {
  for (let len = Math.min(19, run.length); len >= 13; len--) {
    for (let i = 0; i + len <= run.length; i++) {
      const d = run.slice(i, i + len);
      if (schemePrefix(d) && luhnValid(d)) return d;
    }
  }
  return undefined;
}

/** Raw text may spell digits as JSON escapes (\u0034); read those as digits before looking. */
export function maskRaw(raw: string, stats?: MaskStats): string {
  const masked = maskText(raw, stats);
  if (raw.indexOf('\\u') < 0 && !FULLWIDTH.test(raw)) return masked;
  const view = raw.replace(/\\u00(3[0-9]|2[0dD]|2[eE])/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (view === raw) return masked;
  const viewMasked = maskText(view, stats);
  return viewMasked === view ? masked : viewMasked;
}

/** For a field that holds a card reference: any 13–19 digit run is a card number, Luhn or not. */
export function maskCardField(text: string): string {
  if (fewDigits(text)) return text;
  const out = text.replace(new RegExp(`${D}(?:[ \\-.]{0,2}${D}){12,18}`, 'g'), (run) => {
    const digits = digitsOf(run);
    return digits.length >= 13 && digits.length <= 19 ? maskDigits(digits) : run;
  });
  return maskText(out);
}

const WHOLE = new RegExp(`^\\s*(?:${D}{13,19}|${D}{4}(${SEP_ALT})${D}{4}\\1${D}{4}\\1${D}{1,4}(?:\\1${D}{1,3})?|${D}{4}(${SEP_ALT})${D}{6}\\2${D}{4,5})\\s*$`);

/**
 * An identifier that is itself a card number (the whole token), as a stable token: the masked number.
 * Undefined when the id is not one (nearly always). The same number gives the same token on both sides
 * of the join, and the token says nothing the masked number would not.
 */
export function panToken(id: string): string | undefined {
  if (id.length < 13 || noDigitRun(id)) return undefined;
  const bare = withoutInvisible(id);
  if (bare !== undefined) return panToken(bare);
  if (WHOLE.test(id)) {
    const digits = digitsOf(id);
    return plausiblePan(digits) && luhnValid(digits) ? maskDigits(digits) : undefined;
  }
  // "card 6222…" is not an identifier whatever field it sits in: its number is masked like text; so is a
  // number glued to letters ("x4111111111111111") or inside a hex dump.
  CARD_WORD.lastIndex = 0;
  if (CARD_WORD.test(id)) return maskText(id);
  const glued = maskGlued(id)?.text;
  if (glued !== undefined) return glued;
  // A grouped number inside a longer id (x4111 1111 1111 1111, ref-4111-1111-1111-1111).
  const masked = maskText(id);
  return masked === id ? undefined : masked;
}

/**
 * Card identity for grouping: a keyed hash of the full number, so the same card groups exactly and two
 * cards that share first 6 and last 4 never merge. The key comes from TXLOG_CARD_KEY (set it to keep
 * identities across runs and shards) or is random per process; the hash itself is never written out.
 */
export class CardKeys {
  private readonly key: Buffer;
  readonly keyed: boolean;

  constructor(secret = process.env.TXLOG_CARD_KEY, given?: { key: Uint8Array; keyed: boolean }) {
    this.keyed = given ? given.keyed : secret !== undefined && secret !== '';
    this.key = given ? Buffer.from(given.key) : this.keyed ? Buffer.from(secret!, 'utf8') : randomBytes(32);
  }

  /** The run's key, for the workers of the same run (src/jobs.ts): cards then group across their shares. */
  get keyBytes(): Uint8Array {
    return new Uint8Array(this.key);
  }

  static withKey(key: Uint8Array, keyed: boolean): CardKeys {
    return new CardKeys(undefined, { key, keyed });
  }

  /** A value that tells whether two runs had the same key, and nothing about the key: partials of one run agree on it. */
  get check(): string {
    return createHmac('sha256', this.key).update('txlog: which key').digest('hex').slice(0, 16);
  }

  /** Identity of a card reference: the number's keyed hash, or for a masked reference or token, its text. */
  identity(cardRef: string): string {
    const digits = digitsOf(cardRef);
    if (digits.length >= 13 && digits.length <= 19 && /^[\s0-9\uFF10-\uFF19 .\-]+$/.test(cardRef)) {
      return 'h:' + createHmac('sha256', this.key).update(digits).digest('base64url').slice(0, 22);
    }
    return 'r:' + cardRef;
  }
}
