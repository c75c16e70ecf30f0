import { idKey } from '../src/keytable.js';
// One worker's share of an input: the rows of the terminals whose id hashes to k of n. A parser reads a
// line's terminal id without parsing the line where the id is written plainly, so each worker parses only
// its own rows; a line whose id is not plain (quoted, escaped, long, spaced, named twice) has owner -1 and
// every worker parses it, deciding by the record's terminal once it is read.

/**
 * FNV-1a over the id's UTF-16 code units (of an all-digit id, past its leading zeros): the same terminal lands in the same share on every host and Node
 * version (no dependence on V8's own string hashes).
 */
export function shardOf(terminalId: string, n: number): number {
  // Leading zeros of an id of digits do not count: the join reads 01234567 and 1234567 as one terminal.
  terminalId = idKey(terminalId);
  let h = 0x811c9dc5;
  for (let i = 0; i < terminalId.length; i++) {
    h ^= terminalId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % n;
}

export class RowShare {
  /**
   * Lines of other shares are dropped unread only once this is on: ingest turns it on when the input's
   * reading decisions (date order, decimal mark) are settled, so every worker decides them from the same rows.
   */
  dropping = false;

  constructor(
    readonly k: number,
    readonly n: number,
  ) {}

  /** The share of a plainly written id, -1 when the text is not one. */
  ownerOfPlain(text: string, from: number, to: number): number {
    return plainId(text, from, to) ? shardOf(text.slice(from, to), this.n) : -1;
  }

  /** Whether a line of this owner is parsed here. */
  keeps(owner: number): boolean {
    return owner < 0 || owner === this.k || !this.dropping;
  }

  /** Whether this worker counts a row that did not become a record (a reject or a skip): its owner's, else the first worker's. */
  counts(owner: number | undefined): boolean {
    return owner === undefined || owner < 0 ? this.k === 0 : owner === this.k;
  }
}

/**
 * Text that every reader keeps as it is: 1 to 12 of [0-9A-Za-z_.:-]. Nothing to trim or unquote, and too
 * short to be a card number that the id policy would replace by a token.
 */
function plainId(text: string, from: number, to: number): boolean {
  const n = to - from;
  if (n < 1 || n > 12) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46)) return false;
  }
  return true;
}

const KEY = '"terminalId"';

/**
 * Owner of an NDJSON line from its `"terminalId": "…"` member. Only when no other key or value of the line
 * mentions a terminal: the member is then the one JSON.parse gives (or the line is no record, and its
 * reject is this owner's), also after snake_case keys are camel-cased.
 */
export function ndjsonOwner(text: string, share: RowShare): number {
  const at = text.indexOf(KEY);
  if (at < 0 || text.indexOf('erminal') !== at + 2 || text.indexOf('erminal', at + 9) >= 0 || text.indexOf('ERMINAL') >= 0) return -1;
  let i = at + KEY.length;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 58) return -1;
  i++;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 34) return -1;
  const end = text.indexOf('"', i + 1);
  return end < 0 ? -1 : share.ownerOfPlain(text, i + 1, end);
}

/** Owner of a quote-free CSV line from its terminal column (the `column`-th cell). */
export function csvOwner(text: string, delimiter: string, column: number, share: RowShare): number {
  let from = 0;
  for (let c = 0; c < column; c++) {
    const d = text.indexOf(delimiter, from);
    if (d < 0) return -1;
    from = d + 1;
  }
  let to = text.indexOf(delimiter, from);
  if (to < 0) to = text.length;
  return share.ownerOfPlain(text, from, to);
}
