// Physical lines, the unit every line number in txlog counts: LF, CRLF and a bare CR each end one line,
// also when a chunk boundary falls between CR and LF.

/** Lines longer than this are cut: what is kept is enough to show in a reject, and memory stays bounded. */
export const MAX_LINE = 4 << 20;
const KEEP_OF_LONG_LINE = 4096;

export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** The line was longer than MAX_LINE; `text` is its start only. */
  oversize: boolean;
  /** What ended it: "\n", "\r\n", "\r", or "" for a last line without a line break. */
  eol: string;
}

export class LineSplitter {
  /** Number of the last line handed out. */
  line = 0;
  private carry = '';
  private carryOversize = false;
  private afterCR = false;

  constructor(
    private readonly maxLine = MAX_LINE,
    /** Copy each line out of its chunk, for callers that keep pieces of lines (architecture.md). */
    private readonly copy = false,
  ) {}

  push(chunk: string, out: Line[]): void {
    let start = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    // The next CR is looked up again only once passed, so a chunk with one early CR stays linear.
    let cr = chunk.indexOf('\r', start);
    for (;;) {
      let end = chunk.indexOf('\n', start);
      let next = end + 1;
      if (cr >= 0) {
        if (cr < start) cr = chunk.indexOf('\r', start);
        if (cr >= 0 && (end < 0 || cr < end)) {
          end = cr;
          if (cr + 1 === chunk.length) {
            this.afterCR = true;
            next = cr + 1;
          } else next = chunk.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        }
      }
      if (end < 0) break;
      this.emit(chunk, start, end, out, next - end === 2 ? '\r\n' : chunk.charCodeAt(end) === 13 ? (this.afterCR ? '\r\n' : '\r') : '\n');
      start = next;
    }
    if (start < chunk.length) this.hold(chunk.slice(start));
  }

  end(out: Line[]): void {
    if (this.carry !== '' || this.carryOversize) {
      out.push({ text: this.carry, line: ++this.line, oversize: this.carryOversize, eol: '' });
      this.carry = '';
      this.carryOversize = false;
    }
  }

  private emit(chunk: string, start: number, end: number, out: Line[], eol: string): void {
    let text: string;
    let oversize = this.carryOversize;
    if (this.carry !== '') {
      if (!oversize && this.carry.length + (end - start) > this.maxLine) {
        oversize = true;
        text = this.carry.slice(0, KEEP_OF_LONG_LINE);
      } else text = oversize ? this.carry : this.carry + chunk.slice(start, end);
      this.carry = '';
    } else if (oversize || end - start > this.maxLine) {
      oversize = true;
      text = chunk.slice(start, start + KEEP_OF_LONG_LINE);
    } else {
      text = this.copy && end - start >= 13 ? (' ' + chunk.slice(start, end)).slice(1) : chunk.slice(start, end);
    }
    this.carryOversize = false;
    out.push({ text, line: ++this.line, oversize, eol });
  }

  private hold(rest: string): void {
    if (this.carryOversize) return;
    if (this.carry.length + rest.length > this.maxLine) {
      this.carry = (this.carry + rest.slice(0, KEEP_OF_LONG_LINE)).slice(0, KEEP_OF_LONG_LINE);
      this.carryOversize = true;
      return;
    }
    // Copy, so the big chunk the remainder was sliced from can be collected (architecture.md).
    this.carry = this.carry === '' ? (' ' + rest).slice(1) : this.carry + rest;
  }
}

/** Counts line ends in text the way LineSplitter does (for parsers that scan characters themselves). */
export class LineCounter {
  line = 1;
  private afterCR = false;

  /** Advances over text[from, to); returns nothing, `line` is the line of text[to]. */
  advance(text: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (this.afterCR) this.afterCR = false;
        else this.line++;
      } else if (c === 13) {
        this.line++;
        this.afterCR = true;
      } else this.afterCR = false;
    }
  }
}
