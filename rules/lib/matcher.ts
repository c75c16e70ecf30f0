// Reads free text into reasons: every phrase of the vocabulary is looked for at once (Aho–Corasick over
// the normalized text), and the most specific match wins, wherever it stands in the text. So "读卡超时"
// (waiting for the card) is not read as "超时" (a timeout), "域缓冲超限" (a buffer overflow) not as "超限"
// (a limit), and "timeout waiting for PIN" not as a network timeout.

export interface Phrase {
  /** As written: words separated by spaces; `*` at either end lets the word continue (a stem). */
  text: string;
  reason: string;
  /** Match only when it is the whole message (code table descriptions: "Error" must not match "Printer error"). */
  whole?: boolean;
  /** Where it comes from, for evidence and for docs. */
  source: string;
}

export interface TextHit {
  reason: string;
  /** The phrase as written in the vocabulary. */
  phrase: string;
  source: string;
  score: number;
  whole: boolean;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Text as the matcher sees it: NFKC (full-width forms to ASCII), lower case, anything that is not a
 * letter or digit as one space, no space between two CJK characters, one space at each end.
 */
export function normalizeText(text: string): string {
  // Spaces between two CJK characters go (Chinese has none: "交易 失败" is "交易失败"), but punctuation stays a
  // boundary, so "拒绝交易：无效卡号" never reads as "交易无效".
  const s = text
    .normalize('NFKC')
    .toLowerCase()
    // The possessive 的 says nothing about the reason: "无效的卡号" is "无效卡号", "过期的卡" is "过期卡" (phrases
    // are normalized the same way, so a phrase written with 的 still matches a text without it).
    .replace(/的/g, '')
    .replace(/([\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])/g, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    // A Latin word written against CJK ("PIN错误", "兑换no action taken") is a word of its own.
    .replace(/([\u3400-\u9fff\uf900-\ufaff])(?=[a-z0-9])|([a-z0-9])(?=[\u3400-\u9fff\uf900-\ufaff])/g, '$1$2 ')
    .trim()
    // Terminal screens abbreviate a few words to fit a 16-character line ("COMM INIT ERR", "TIP NOT ALLWD",
    // "NO RESP.FRM HOST", "PLS INSERT CARD"), and SDK error names are built of the same short words
    // ("CLESS_HW_ERR", "PRN_PAPER_OUT", "RDR_TMO"): they are read as the word (phrases are normalized the same way).
    .replace(ABBREVIATED, (w) => ABBREVIATIONS[w]);
  return ` ${s} `;
}

const ABBREVIATIONS: Record<string, string> = {
  err: 'error',
  allwd: 'allowed',
  alwd: 'allowed',
  resp: 'response',
  frm: 'from',
  pls: 'please',
  plz: 'please',
  // SDK error names put the subject after the error: ERR_COMM is "error communication".
  comm: 'communication',
  comms: 'communications',
  conn: 'connection',
  hw: 'hardware',
  fw: 'firmware',
  cless: 'contactless',
  ctless: 'contactless',
  rdr: 'reader',
  prn: 'printer',
  prnt: 'printer',
  pwr: 'power',
  batt: 'battery',
  tmo: 'timeout',
  tmout: 'timeout',
  // Round 9: the words of SDK constants for devices and their links ("BT_SCAN_TIMEOUT", "DEVICE_CONN_ERR",
  // "SDK_RECV_ERR", "PRN_UNKNOWN_CMD") and an EDC screen's "UNSUPPORT CARD".
  bt: 'bluetooth',
  ble: 'bluetooth',
  dev: 'device',
  recv: 'receive',
  rcv: 'receive',
  rcvd: 'received',
  snd: 'send',
  cmd: 'command',
  kbd: 'keyboard',
  unsupport: 'unsupported',
};
const ABBREVIATED = new RegExp(`(?<![\\p{L}\\p{N}])(${Object.keys(ABBREVIATIONS).join('|')})(?![\\p{L}\\p{N}])`, 'gu');

/** A phrase's key: normalized like text; Latin words keep their spaces as word edges unless stemmed. */
function phraseKey(text: string): string {
  const stemStart = text.startsWith('*');
  const stemEnd = text.endsWith('*');
  let key = normalizeText(text.replace(/^\*|\*$/g, '')).slice(1, -1);
  if (key === '') return '';
  // Word edges only where the phrase starts or ends with a Latin letter or digit; CJK has no spaces.
  if (!stemStart && !CJK.test(key[0])) key = ' ' + key;
  if (!stemEnd && !CJK.test(key[key.length - 1])) key = key + ' ';
  return key;
}

/** Specificity: a CJK character says about as much as a short word. */
function weight(key: string): number {
  let w = 0;
  for (const ch of key.trim()) w += CJK.test(ch) ? 2 : ch === ' ' ? 0 : 1;
  return w;
}

interface Node {
  next: Map<number, Node>;
  fail: Node | null;
  /** Phrases ending here (indices into keys). */
  out: number[];
}

interface Reading {
  hits: TextHit[];
  uncovered: boolean;
  norm: string;
  /** Every matched span of the normalized text, with its phrase's reason (several spans may share one). */
  spans: { start: number; end: number; reason: string }[];
}

export class PhraseMatcher {
  private readonly root: Node = { next: new Map(), fail: null, out: [] };
  private readonly entries: { key: string; phrase: Phrase; score: number }[] = [];
  private readonly whole = new Map<string, number>();
  private readonly cache = new Map<string, Reading>();

  /** `strength(reason)` breaks ties between equally long phrases. */
  constructor(phrases: readonly Phrase[], private readonly strength: (reason: string) => number) {
    for (const phrase of phrases) {
      const key = phraseKey(phrase.text);
      if (key.trim() === '') continue;
      const i = this.entries.length;
      this.entries.push({ key, phrase, score: weight(key) });
      if (phrase.whole) {
        const k = normalizeText(phrase.text);
        if (!this.whole.has(k)) this.whole.set(k, i);
      } else this.add(key, i);
    }
    this.link();
  }

  private add(key: string, index: number): void {
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let n = node.next.get(c);
      if (!n) node.next.set(c, (n = { next: new Map(), fail: null, out: [] }));
      node = n;
    }
    node.out.push(index);
  }

  private link(): void {
    const queue: Node[] = [];
    for (const n of this.root.next.values()) {
      n.fail = this.root;
      queue.push(n);
    }
    // Breadth first by index (shift() moves the whole queue); a node ending no phrase of its own shares its
    // fail node's list, which is never changed once its own level is done.
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q];
      for (const [c, child] of node.next) {
        let f = node.fail;
        while (f && !f.next.has(c)) f = f.fail;
        child.fail = f ? f.next.get(c)! : this.root;
        if (child.fail.out.length) child.out = child.out.length ? [...child.out, ...child.fail.out] : child.fail.out;
        queue.push(child);
      }
    }
  }

  /** The reasons a text gives, most specific first, from non-overlapping matches (at most 4). */
  match(text: string): readonly TextHit[] {
    return this.read(text).hits;
  }

  /** Whether some word of the text lies outside every phrase matched (so there is something left to guess from). */
  uncovered(text: string): boolean {
    return this.read(text).uncovered;
  }

  /**
   * The normalized text with the spans of phrases whose reason `drop` names blanked out: what is left for
   * the word model once the words that say nothing ("失败", "try again") are set aside.
   */
  rest(text: string, drop: (reason: string) => boolean): string {
    const { norm, spans } = this.read(text);
    // Nothing to set aside: the text as given (the word model splits "PaymentIntent" before lowering case).
    if (!spans.some((s) => drop(s.reason))) return text;
    let out = norm;
    for (const s of spans) if (drop(s.reason)) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
    return out;
  }

  private read(text: string): Reading {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const norm = normalizeText(text);
    const found: { index: number; start: number; end: number }[] = [];
    const whole = this.whole.get(norm);
    if (whole !== undefined) found.push({ index: whole, start: 0, end: norm.length });
    let node = this.root;
    for (let i = 0; i < norm.length; i++) {
      const c = norm.charCodeAt(i);
      while (node !== this.root && !node.next.has(c)) node = node.fail!;
      node = node.next.get(c) ?? this.root;
      // Spans leave out a phrase's word-edge spaces, so phrases on neighbouring words do not overlap.
      for (const k of node.out) {
        const key = this.entries[k].key;
        found.push({ index: k, start: i + 1 - key.length + (key.charCodeAt(0) === 32 ? 1 : 0), end: i + 1 - (key.charCodeAt(key.length - 1) === 32 ? 1 : 0) });
      }
    }
    // A whole message beats any part of it; a listed phrase that is the whole message beats a table's
    // description of the same words (the phrase list is written for texts, the tables for codes).
    const rank = (f: { index: number; start: number; end: number }) => {
      const e = this.entries[f.index];
      const all = !e.phrase.whole && f.start <= 1 && f.end >= norm.length - 1;
      return (all ? 1500 : e.phrase.whole ? 1000 : 0) + e.score;
    };
    found.sort((a, b) => rank(b) - rank(a) || this.strength(this.entries[b.index].phrase.reason) - this.strength(this.entries[a.index].phrase.reason) || a.start - b.start || a.index - b.index);
    const taken: { start: number; end: number }[] = [];
    const spans: Reading['spans'] = [];
    const hits: TextHit[] = [];
    for (const f of found) {
      if (hits.length >= 4) break;
      if (taken.some((t) => f.start < t.end && t.start < f.end)) continue;
      taken.push(f);
      const e = this.entries[f.index];
      spans.push({ start: f.start, end: f.end, reason: e.phrase.reason });
      if (hits.some((h) => h.reason === e.phrase.reason)) continue;
      hits.push({ reason: e.phrase.reason, phrase: e.phrase.text, source: e.phrase.source, score: rank(f), whole: !!e.phrase.whole });
    }
    let uncovered = false;
    for (let i = 0; i < norm.length && !uncovered; i++) if (norm.charCodeAt(i) !== 32 && !taken.some((t) => i >= t.start && i < t.end)) uncovered = true;
    const result = { hits, uncovered, norm, spans };
    if (this.cache.size > 20_000) this.cache.clear();
    this.cache.set(text, result);
    return result;
  }
}
