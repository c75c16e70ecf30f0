import type { FormatParser, ParseInfo, ParserCore, RowItem } from './types.js';

// A JSON array, element by element, never held whole. A scanner that knows strings and nesting cuts the
// top-level elements; each is parsed on its own with JSON.parse (fresh strings, so no element keeps a big
// chunk alive, and memory stays flat whatever happens to the rows). Every element is its own row: an
// object a record candidate, anything else a reject of its own. A broken element costs itself only: the
// scanner notices the damage (a line break inside a string, the next element starting at the elements'
// indentation while this one is still open, an element past 1 MiB) and resumes at the next element
// start, found by position or by an object opening with a key good elements have (in any order).

const MAX_ELEMENT = 1 << 20;
/** Keys are learnt from this many good elements, at most MAX_KEYS of them. */
const KEYS_FROM = 16;
const MAX_KEYS = 256;
const RAW_LIMIT = 4000;

type Phase = 'before' | 'between' | 'element' | 'skip' | 'after';

export const jsonArrayParser: FormatParser = {
  id: 'json',
  open(_options, info) {
    return new JsonArrayCore(info);
  },
};

class JsonArrayCore implements ParserCore {
  private phase: Phase = 'before';
  private out: RowItem[] = [];
  // Position.
  private line = 1;
  private col = 0;
  private afterCR = false;
  private atLineStart = true;
  // The element being read.
  private parts: string[] = [];
  private size = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  private elemLine = 0;
  private elemCol = 0;
  private elemIndex = 0;
  /** Text of a damaged region, kept (clipped) for its reject. */
  private damaged: { line: number; raw: string; reason: string } | undefined;
  // Learnt from good elements: the column they start at and their keys (JSON-quoted), any of which may come first.
  private topCol = -1;
  private readonly keys = new Set<string>();
  private keysFrom = 0;
  private trailing: { line: number; raw: string } | undefined;

  constructor(private readonly info: ParseInfo) {}

  push(text: string): RowItem[] {
    this.scan(text);
    return this.drain();
  }

  end(): RowItem[] {
    if (this.phase === 'element') {
      // A stray quote can keep an element open to the end: the elements it took in are read again.
      const raw = this.parts.join('');
      const at = this.nextElementIn(raw);
      if (at > 0) {
        this.parts = [];
        this.size = 0;
        this.rescanFrom(raw, at, this.elemLine, `element ${++this.elemIndex} is not closed before the next element starts`);
      }
    }
    if (this.phase === 'element') {
      this.damage(`the array ends inside element ${this.elemIndex + 1} (a truncated file?)`);
    }
    this.flushDamage();
    if (this.trailing) this.out.push({ problem: { line: this.trailing.line, reason: 'text after the end of the JSON array', raw: this.trailing.raw } });
    if (this.phase === 'between' || this.phase === 'skip') (this.info.warnings ??= []).push('the JSON array is not closed by "]" (a truncated file?)');
    return this.drain();
  }

  private drain(): RowItem[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private scan(text: string): void {
    let segment = this.phase === 'element' ? 0 : -1;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 10 && this.afterCR) this.afterCR = false;
        else {
          this.line++;
          this.afterCR = c === 13;
        }
        this.col = 0;
        this.atLineStart = true;
        if (this.phase === 'element' && this.inString) {
          // JSON strings hold no raw line breaks: the string was never closed.
          this.appendTo(text, segment, i);
          segment = -1;
          this.damage(`element ${this.elemIndex + 1} has a string that is not closed before the end of its line`);
        }
        continue;
      }
      this.afterCR = false;
      const lineStart = this.atLineStart && c !== 32 && c !== 9;
      if (lineStart) this.atLineStart = false;
      const col = this.col++;

      switch (this.phase) {
        case 'element': {
          if (lineStart && c === 123 && col === this.topCol && !this.scalar && this.depth > 0) {
            // The next element begins where elements begin, and this one is still open.
            this.appendTo(text, segment, i);
            segment = -1;
            this.damage(`element ${this.elemIndex + 1} is not closed before the next element starts`);
            this.flushDamage();
            this.startElement(c, col, lineStart);
            segment = i;
            break;
          }
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === 92) this.escaped = true;
            else if (c === 34) this.inString = false;
            break;
          }
          if (c === 34) this.inString = true;
          else if (c === 123 || c === 91) this.depth++;
          else if (c === 125 || c === 93) {
            if (this.scalar || this.depth === 0) {
              // `]` ends the array after a scalar element.
              this.appendTo(text, segment, i);
              segment = -1;
              this.finishElement();
              this.phase = 'after';
              break;
            }
            this.depth--;
            if (this.depth === 0) {
              this.appendTo(text, segment, i + 1);
              segment = -1;
              this.finishElement();
            }
          } else if (c === 44 && this.scalar) {
            this.appendTo(text, segment, i);
            segment = -1;
            this.finishElement();
          }
          break;
        }
        case 'between':
          if (c === 32 || c === 9 || c === 44) break;
          if (c === 93) {
            this.flushDamage();
            this.phase = 'after';
            break;
          }
          if (c !== 123 && c !== 91 && this.damaged) {
            // Right after a broken element, something that does not open an object or array: its tail, skipped with it.
            if (!this.damaged) this.damaged = { line: this.line, raw: '', reason: `text between elements ${this.elemIndex} and ${this.elemIndex + 1} that is not an element` };
            this.phase = 'skip';
            this.keepDamaged(text[i]);
            break;
          }
          this.flushDamage();
          this.startElement(c, col, lineStart);
          segment = i;
          break;
        case 'skip':
          // After damage: wait for something that starts an element the way good elements start.
          if (c === 123 && (lineStart ? this.topCol < 0 || col === this.topCol : this.knownKeyAt(text, nextNonBlank(text, i + 1)))) {
            this.flushDamage();
            this.startElement(c, col, lineStart);
            segment = i;
          } else if (c === 93 && lineStart) {
            this.flushDamage();
            this.phase = 'after';
          } else this.keepDamaged(text[i]);
          break;
        case 'before':
          if (c === 0xfeff || c === 32 || c === 9) break;
          if (c === 91) this.phase = 'between';
          else {
            this.phase = 'skip';
            this.damaged = { line: this.line, raw: '', reason: 'expected "[" to open the JSON array' };
            this.keepDamaged(text[i]);
          }
          break;
        case 'after':
          if (c === 32 || c === 9) break;
          if (c === 91 || c === 44) {
            // Concatenated arrays, or a `]` a broken element let through: elements go on.
            this.phase = 'between';
            break;
          }
          if (c === 123) {
            this.startElement(c, col, lineStart);
            segment = i;
            break;
          }
          if (!this.trailing) this.trailing = { line: this.line, raw: '' };
          if (this.trailing.raw.length < RAW_LIMIT) this.trailing.raw += text[i];
          break;
      }
      if (this.phase === 'element' && this.size + (segment >= 0 ? i - segment : 0) > MAX_ELEMENT) {
        this.appendTo(text, segment, i + 1);
        segment = -1;
        this.oversize();
      }
      // Reading a bad element's tail again may leave an element open: it continues in this text.
      if (this.phase === 'element' && segment < 0) segment = i + 1;
    }
    if (this.phase === 'element') this.appendTo(text, segment, n);
  }

  private startElement(c: number, col: number, lineStart: boolean): void {
    this.phase = 'element';
    this.parts = [];
    this.size = 0;
    this.depth = c === 123 || c === 91 ? 1 : 0;
    this.scalar = !(c === 123 || c === 91);
    this.inString = c === 34 && this.scalar;
    this.escaped = false;
    this.elemLine = this.line;
    this.elemCol = col + 1;
    if (lineStart && c === 123 && this.topCol < 0) this.topCol = col;
  }

  private appendTo(text: string, from: number, to: number): void {
    if (from < 0 || to <= from) return;
    this.parts.push(text.slice(from, to));
    this.size += to - from;
  }

  private finishElement(): void {
    const raw = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.phase = 'between';
    const index = this.elemIndex++;
    const line = this.elemLine;
    const column = this.elemCol;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      const at = this.nextElementIn(raw);
      // Held, not emitted: what a broken element leaves before the next one belongs to the same reject.
      if (at < 0) this.damaged = { line, raw: clip(raw), reason: `element ${index + 1}: invalid JSON: ${(err as Error).message}` };
      else this.rescanFrom(raw, at, line, `element ${index + 1} is not closed before the next element starts`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.out.push({ problem: { line, reason: `array element ${index + 1} (column ${column}) is not a JSON object`, raw: clip(raw.trim()) } });
      return;
    }
    if (this.keysFrom < KEYS_FROM) {
      this.keysFrom++;
      for (const k of Object.keys(value)) if (this.keys.size < MAX_KEYS) this.keys.add(JSON.stringify(k));
    }
    this.out.push({ row: { line, fields: value as Record<string, unknown>, raw } });
  }

  /**
   * A bad element that holds the start of another (one `}` short, on one line): the part before the next
   * element is the reject, the rest is read again as elements.
   */
  private rescanFrom(raw: string, at: number, line: number, reason: string): void {
    this.out.push({ problem: { line, reason, raw: clip(raw.slice(0, at).replace(/[\s,]+$/, '')) } });
    const saved = { line: this.line, col: this.col, afterCR: this.afterCR, atLineStart: this.atLineStart };
    this.line = line + countLines(raw, 0, at);
    this.col = 0;
    this.atLineStart = false;
    this.afterCR = false;
    this.phase = 'between';
    this.scan(raw.slice(at));
    // Scanning the rest ends where the outer scan stands.
    Object.assign(this, saved);
  }

  /**
   * Where in a bad element another element starts: a `{` after its own start that opens with a known key
   * (before any good element, a key the bad one has: the elements of an array are alike).
   */
  private nextElementIn(raw: string): number {
    const keys = this.keys.size > 0 ? this.keys : new Set(Array.from(raw.matchAll(/[{,]\s*("(?:[^"\\]|\\.)*")\s*:/g), (m) => m[1]));
    for (let b = raw.indexOf('{', 1); b > 0; b = raw.indexOf('{', b + 1)) {
      let k = b + 1;
      while (k < raw.length && (raw.charCodeAt(k) === 32 || raw.charCodeAt(k) === 9 || raw.charCodeAt(k) === 10 || raw.charCodeAt(k) === 13)) k++;
      if (this.knownKeyAt(raw, k, keys)) return b;
    }
    return -1;
  }

  /** Whether text at `at` is a key good elements have, followed by its colon. */
  private knownKeyAt(text: string, at: number, keys = this.keys): boolean {
    if (keys.size === 0 || text.charCodeAt(at) !== 34) return false;
    let end = at + 1;
    while (end < text.length && text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
    if (!keys.has(text.slice(at, end + 1))) return false;
    return text.charCodeAt(nextNonBlank(text, end + 1)) === 58;
  }

  private oversize(): void {
    const raw = this.parts.join('');
    const at = this.nextElementIn(raw);
    if (at < 0) {
      this.damage(`element ${this.elemIndex + 1} runs past ${MAX_ELEMENT >> 20} MiB without closing`);
      return;
    }
    const index = this.elemIndex++;
    this.parts = [];
    this.size = 0;
    this.rescanFrom(raw, at, this.elemLine, `element ${index + 1} is not closed before the next element starts`);
  }

  /** Ends the element being read as damaged; what follows is skipped until an element starts. */
  private damage(reason: string): void {
    const raw = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.damaged = { line: this.elemLine, raw: clip(raw), reason };
    this.elemIndex++;
    this.phase = 'skip';
  }

  private keepDamaged(ch: string): void {
    if (this.damaged && this.damaged.raw.length < RAW_LIMIT) this.damaged.raw += ch;
  }

  private flushDamage(): void {
    if (!this.damaged) return;
    this.out.push({ problem: { line: this.damaged.line, reason: this.damaged.reason, raw: this.damaged.raw.trimEnd() } });
    this.damaged = undefined;
  }
}

function nextNonBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

function countLines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) {
      if (i === 0 || s.charCodeAt(i - 1) !== 13) n++;
    } else if (c === 13) n++;
  }
  return n;
}

function clip(raw: string): string {
  return raw.length > RAW_LIMIT ? raw.slice(0, RAW_LIMIT) + '…' : raw;
}
