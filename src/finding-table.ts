// The findings of a run, held compactly from classification to the outputs. What incidents, context,
// attribution and groupings read of each finding (its terminal, time, cause, outcome, reasons, codes, card)
// sits in typed columns of interned values; the whole finding, as findings.ndjson writes it, is one JSON
// line kept on the heap for a merchant's file and past that in a temporary file, read back only to be
// written out. A nightly job of millions of findings held them as objects of a kilobyte or more each.
import { closeSync, readSync } from 'node:fs';
import { fsError, isFsError } from './errors.js';
import type { Finding } from './model.js';
import { compareFindings } from './order.js';
import { openUnlinked, writeAll } from './spill.js';

/** Interned fields of a finding that analysis reads (low-cardinality texts: ids, codes, causes). */
const TEXT_FIELDS = [
  'terminalId',
  'merchantId',
  'outcome',
  'cause',
  'ruleId',
  'status',
  'responseCode',
  'errorCode',
  'entryMode',
  'softwareVersion',
  'model',
  'connection',
  'currency',
  'incident',
  'localCause',
  'localRuleId',
] as const satisfies readonly (keyof Finding)[];
type TextField = (typeof TEXT_FIELDS)[number];

/** What analysis reads of a finding; the rest (ids, times as text, settlement, provenance) is only written out. */
export type HotFinding = Pick<Finding, TextField | 'cardRef' | 'reasons' | 'evidence'>;

/** A finding with what analysis needs beyond what is written out. */
export interface Observed {
  finding: HotFinding;
  /** Attempt time (epoch ms); absent for settlement-only findings. */
  ts?: number;
  /** Amount in minor units of `finding.currency`. */
  minor: number;
  /** Card identity (keyed hash), never written out. */
  cardKey?: string;
  /** Id fields Excel damaged: not used to group. */
  damaged?: string[];
}

/** An observed finding whole, as classification makes it and a shard's partial stores it. */
export interface FullObserved extends Omit<Observed, 'finding'> {
  finding: Finding;
}

/** Findings in their order, by position: a table, or a table with the revisions of a later phase. */
export interface ObservedList extends Iterable<Observed> {
  readonly length: number;
  at(i: number): Observed;
}

/** A later phase's changes to findings, by position: what it set, and nothing else. */
export type Revision = Partial<Pick<HotFinding, 'incident' | 'cause' | 'ruleId' | 'localCause' | 'localRuleId' | 'evidence'>>;

/** A list with revisions over it, and what it revised: the whole findings as the outputs write them. */
export interface RevisableList extends ObservedList {
  revisionOf(i: number): Revision | undefined;
  line(i: number): string;
}

/** Characters of finding lines kept on the heap before the rest go to a temporary file. */
const HOLD_CHARS = 16 << 20;

// A worker thread's own files close when it ends: the thread that merges opens the one a worker's findings
// go to, and hands it over (src/jobs.ts).
let givenFile: number | null = null;

/** The temporary file the next table to spill writes its findings to (opened by the thread that reads them). */
export function holdFindingsIn(fd: number): void {
  givenFile = fd;
}

class Interner {
  readonly values: (string | null)[] = [null];
  private readonly ids = new Map<string, number>();

  id(v: string | null | undefined): number {
    if (v === null || v === undefined) return 0;
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.ids.set(v, id);
    }
    return id;
  }

  /** No more values come (a sorted table): what found an id by value goes, the values stay. */
  seal(): void {
    this.ids.clear();
  }
}

/** Reason and evidence lists: a run repeats a few hundred; an event's evidence (with its time) is near unique. */
class ListInterner<T> {
  readonly values: T[] = [];
  private readonly same = new Map<unknown, number>();
  private readonly keys = new Map<string, number>();

  id(v: T): number {
    const known = this.same.get(v);
    if (known !== undefined) return known;
    const key = JSON.stringify(v);
    let id = this.keys.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      if (this.keys.size < 200_000) this.keys.set(key, id);
      if (Object.isFrozen(v) && this.same.size < 200_000) this.same.set(v, id);
    }
    return id;
  }

  seal(): void {
    this.same.clear();
    this.keys.clear();
  }
}

/** One table's plain parts: what crosses from a worker thread and what `FindingTable.from` takes back. */
export interface FindingTableState {
  count: number;
  texts: Uint32Array;
  cards: Uint32Array;
  refs: Uint32Array;
  reasons: Uint32Array;
  evidence: Uint32Array;
  ts: Float64Array;
  minor: Float64Array;
  textValues: (string | null)[];
  cardValues: (string | null)[];
  reasonValues: HotFinding['reasons'][];
  evidenceValues: HotFinding['evidence'][];
  damaged: [number, string[]][];
  cold: ColdState;
}

type ColdState = { rows: string[] } | { fd: number; offsets: Float64Array; lengths: Uint32Array; written: number };

const NO_TS = Number.NaN;

/**
 * Rows pushed in any order, then `sort()` fixes the order every phase indexes by (a total order on what a
 * finding says, so shuffled input gives the same bytes). Nothing is pushed after sorting.
 */
export class FindingTable implements RevisableList {
  private count = 0;
  private capacity = 0;
  private texts = new Uint32Array(0);
  private cards = new Uint32Array(0);
  private refs = new Uint32Array(0);
  private reasons = new Uint32Array(0);
  private evidence = new Uint32Array(0);
  private ts = new Float64Array(0);
  private minor = new Float64Array(0);
  private readonly textIds = new Interner();
  private readonly cardIds = new Interner();
  private readonly reasonIds = new ListInterner<HotFinding['reasons']>();
  private readonly evidenceIds = new ListInterner<HotFinding['evidence']>();
  private readonly damaged = new Map<number, string[]>();
  private readonly cold: ColdRows;
  private order: Uint32Array | null = null;

  /** `holdRows`: finding lines kept on the heap before the rest go to a temporary file (tests set it low). */
  constructor(holdRows?: number) {
    this.cold = new ColdRows(holdRows);
  }

  get length(): number {
    return this.count;
  }

  push(o: FullObserved): void {
    this.pushRow(o, JSON.stringify(o.finding));
  }

  private pushRow(o: Observed, line: string): void {
    if (this.order !== null) throw new Error('a sorted finding table takes no more rows');
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    const f = o.finding;
    const base = i * TEXT_FIELDS.length;
    for (let k = 0; k < TEXT_FIELDS.length; k++) this.texts[base + k] = this.textIds.id(f[TEXT_FIELDS[k]]);
    this.cards[i] = this.cardIds.id(o.cardKey);
    this.refs[i] = this.cardIds.id(f.cardRef);
    this.reasons[i] = this.reasonIds.id(f.reasons);
    this.evidence[i] = this.evidenceIds.id(f.evidence);
    this.ts[i] = o.ts ?? NO_TS;
    this.minor[i] = o.minor;
    if (o.damaged) this.damaged.set(i, o.damaged);
    this.cold.push(line);
  }

  private grow(rows?: number): void {
    const capacity = rows ?? Math.max(1024, this.capacity * 2);
    const more = <A extends Uint32Array | Float64Array>(a: A, per = 1): A => {
      const b = new (a.constructor as new (n: number) => A)(capacity * per);
      b.set(a);
      return b;
    };
    this.texts = more(this.texts, TEXT_FIELDS.length);
    this.cards = more(this.cards);
    this.refs = more(this.refs);
    this.reasons = more(this.reasons);
    this.evidence = more(this.evidence);
    this.ts = more(this.ts);
    this.minor = more(this.minor);
    this.capacity = capacity;
  }

  /**
   * Fixes the order: by terminal, then time (none first), then by what the whole finding says
   * (compareFindings), read back only for the rows that tie on both.
   */
  sort(): void {
    if (this.order !== null) return;
    const n = this.count;
    const values = this.textIds.values;
    const rank = new Uint32Array(values.length);
    [...values.keys()].sort((a, b) => cmpText(values[a], values[b])).forEach((id, r) => (rank[id] = r));
    const width = TEXT_FIELDS.length;
    const term = (i: number) => rank[this.texts[i * width]];
    const ts = this.ts;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const tsCmp = (a: number, b: number) => {
      const x = ts[a];
      const y = ts[b];
      if (x === y) return 0;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return x < y ? -1 : 1;
    };
    order.sort((a, b) => term(a) - term(b) || tsCmp(a, b));
    // Rows of one terminal and one time (settlement lines without a time, duplicates): by the whole finding.
    for (let s = 0; s < n; ) {
      let e = s + 1;
      while (e < n && term(order[e]) === term(order[s]) && tsCmp(order[e], order[s]) === 0) e++;
      if (e - s > 1) {
        const run = [...order.subarray(s, e)].map((row) => ({ row, f: JSON.parse(this.cold.get(row)) as Finding }));
        run.sort((a, b) => compareFindings(a.f, b.f) || a.row - b.row);
        run.forEach((r, k) => (order[s + k] = r.row));
      }
      s = e;
    }
    this.order = order;
    this.seal();
  }

  /**
   * Nothing is pushed after sorting: the maps that found a value's id go (at 10M findings tens of MB of
   * evidence lists as JSON and card keys), and the columns shrink from their doubled capacity to the rows.
   */
  private seal(): void {
    this.textIds.seal();
    this.cardIds.seal();
    this.reasonIds.seal();
    this.evidenceIds.seal();
    const n = this.count;
    if (this.capacity === n) return;
    this.texts = this.texts.slice(0, n * TEXT_FIELDS.length);
    this.cards = this.cards.slice(0, n);
    this.refs = this.refs.slice(0, n);
    this.reasons = this.reasons.slice(0, n);
    this.evidence = this.evidence.slice(0, n);
    this.ts = this.ts.slice(0, n);
    this.minor = this.minor.slice(0, n);
    this.capacity = n;
  }

  private rowOf(i: number): number {
    if (i < 0 || i >= this.count) throw new RangeError(`finding ${i} of ${this.count}`);
    return this.order === null ? i : this.order[i];
  }

  at(i: number): Observed {
    return new RowView(this, this.rowOf(i));
  }

  /** @internal A row's values, for its view. */
  text(row: number, k: number): string | null {
    return this.textIds.values[this.texts[row * TEXT_FIELDS.length + k]];
  }
  /** @internal */
  rowCardRef(row: number): string | null {
    return this.cardIds.values[this.refs[row]];
  }
  /** @internal */
  rowReasons(row: number): HotFinding['reasons'] {
    return this.reasonIds.values[this.reasons[row]];
  }
  /** @internal */
  rowEvidence(row: number): HotFinding['evidence'] {
    return this.evidenceIds.values[this.evidence[row]];
  }
  /** @internal */
  rowTs(row: number): number | undefined {
    const ts = this.ts[row];
    return Number.isNaN(ts) ? undefined : ts;
  }
  /** @internal */
  rowMinor(row: number): number {
    return this.minor[row];
  }
  /** @internal */
  rowCardKey(row: number): string | undefined {
    return this.cardIds.values[this.cards[row]] ?? undefined;
  }
  /** @internal */
  rowDamaged(row: number): string[] | undefined {
    return this.damaged.get(row);
  }

  revisionOf(): undefined {
    return undefined;
  }

  /** The i-th finding whole, as classified (JSON). */
  line(i: number): string {
    return this.cold.get(this.rowOf(i));
  }

  *[Symbol.iterator](): Iterator<Observed> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** Each finding whole with what analysis keeps of it, as a shard's partial stores it, in order. */
  *observedLines(): Generator<string> {
    for (let i = 0; i < this.count; i++) {
      const o = this.at(i);
      const full: FullObserved = { finding: JSON.parse(this.line(i)) as Finding, ts: o.ts, minor: o.minor };
      if (o.cardKey !== undefined) full.cardKey = o.cardKey;
      if (o.damaged) full.damaged = o.damaged;
      yield JSON.stringify(full);
    }
  }

  /** Its plain parts, rows in the order pushed (a worker's table crosses to the thread that merges). */
  state(): FindingTableState {
    const n = this.count;
    return {
      count: n,
      texts: this.texts.slice(0, n * TEXT_FIELDS.length),
      cards: this.cards.slice(0, n),
      refs: this.refs.slice(0, n),
      reasons: this.reasons.slice(0, n),
      evidence: this.evidence.slice(0, n),
      ts: this.ts.slice(0, n),
      minor: this.minor.slice(0, n),
      textValues: this.textIds.values,
      cardValues: this.cardIds.values,
      reasonValues: this.reasonIds.values,
      evidenceValues: this.evidenceIds.values,
      damaged: [...this.damaged],
      cold: this.cold.state(),
    };
  }

  /** One table of the rows of several (shards, passes, threads), unsorted: sort it. */
  static merged(parts: readonly FindingTableState[], holdRows?: number): FindingTable {
    const table = new FindingTable(holdRows);
    // Its columns at their size at once: doubling them would copy each and hold the old beside the parts.
    const rows = parts.reduce((n, p) => n + p.count, 0);
    if (rows > 0) table.grow(rows);
    for (const p of parts) {
      const cold = ColdRows.from(p.cold);
      const width = TEXT_FIELDS.length;
      const damaged = new Map(p.damaged);
      for (let row = 0; row < p.count; row++) {
        const finding = {} as Record<string, unknown>;
        for (let k = 0; k < width; k++) finding[TEXT_FIELDS[k]] = p.textValues[p.texts[row * width + k]];
        finding.cardRef = p.cardValues[p.refs[row]];
        finding.reasons = p.reasonValues[p.reasons[row]];
        finding.evidence = p.evidenceValues[p.evidence[row]];
        const o: Observed = { finding: finding as HotFinding, minor: p.minor[row] };
        if (!Number.isNaN(p.ts[row])) o.ts = p.ts[row];
        const card = p.cardValues[p.cards[row]];
        if (card !== null) o.cardKey = card;
        const d = damaged.get(row);
        if (d) o.damaged = d;
        table.pushRow(o, cold.get(row));
      }
      cold.dispose();
    }
    return table;
  }
}

/**
 * One row as analysis reads it, its values read from the columns when asked: a phase that keeps many
 * findings at hand (attribution keeps every terminal's) holds a table and a row for each, not copies.
 * It is its own `finding`.
 */
class RowView {
  constructor(
    private readonly t: FindingTable,
    private readonly row: number,
  ) {}
  get finding(): HotFinding {
    return this as unknown as HotFinding;
  }
  get ts(): number | undefined {
    return this.t.rowTs(this.row);
  }
  get minor(): number {
    return this.t.rowMinor(this.row);
  }
  get cardKey(): string | undefined {
    return this.t.rowCardKey(this.row);
  }
  get damaged(): string[] | undefined {
    return this.t.rowDamaged(this.row);
  }
  get cardRef(): string | null {
    return this.t.rowCardRef(this.row);
  }
  get reasons(): HotFinding['reasons'] {
    return this.t.rowReasons(this.row);
  }
  get evidence(): HotFinding['evidence'] {
    return this.t.rowEvidence(this.row);
  }
}
TEXT_FIELDS.forEach((name, k) =>
  Object.defineProperty(RowView.prototype, name, {
    get(this: { t: FindingTable; row: number }) {
      return this.t.text(this.row, k);
    },
  }),
);

/** A finding's analysed fields as a plain object (to revise, or to copy). */
export function plainHot(f: HotFinding): HotFinding {
  const out = { cardRef: f.cardRef, reasons: f.reasons, evidence: f.evidence } as Record<string, unknown>;
  for (const name of TEXT_FIELDS) out[name] = f[name];
  return out as HotFinding;
}

/**
 * Findings with a phase's revisions over them (the incident a finding belongs to, the cause context gives
 * it): the list given is not edited, and the finding as the record alone said is still there below.
 */
export class RevisedList implements RevisableList {
  constructor(
    private readonly base: RevisableList,
    private readonly revisions: ReadonlyMap<number, Revision>,
  ) {}

  get length(): number {
    return this.base.length;
  }

  at(i: number): Observed {
    const o = this.base.at(i);
    const r = this.revisions.get(i);
    if (r === undefined) return o;
    const v: Observed = { finding: { ...plainHot(o.finding), ...r }, minor: o.minor };
    if (o.ts !== undefined) v.ts = o.ts;
    if (o.cardKey !== undefined) v.cardKey = o.cardKey;
    if (o.damaged !== undefined) v.damaged = o.damaged;
    return v;
  }

  revisionOf(i: number): Revision | undefined {
    const below = this.base.revisionOf(i);
    const r = this.revisions.get(i);
    return r === undefined ? below : below === undefined ? r : { ...below, ...r };
  }

  line(i: number): string {
    return this.base.line(i);
  }

  *[Symbol.iterator](): Iterator<Observed> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/** The findings as the outputs write them: whole, in order, each revision applied. */
export interface Findings extends Iterable<Finding> {
  readonly length: number;
  causeAt(i: number): Finding['cause'];
  at(i: number): Finding;
  /** findings.ndjson's lines, each with its newline. */
  lines(): Iterable<string>;
  toArray(): Finding[];
}

/** Findings of a list with revisions: a finding no phase revised is written as it was classified. */
export function findingsOf(list: RevisableList): Findings {
  const at = (i: number): Finding => {
    const f = JSON.parse(list.line(i)) as Finding;
    const r = list.revisionOf(i);
    return r === undefined ? f : { ...f, ...r };
  };
  return {
    length: list.length,
    causeAt: (i) => list.at(i).finding.cause,
    at,
    *lines() {
      for (let i = 0; i < list.length; i++) yield list.revisionOf(i) === undefined ? `${list.line(i)}\n` : `${JSON.stringify(at(i))}\n`;
    },
    toArray: () => Array.from({ length: list.length }, (_, i) => at(i)),
    *[Symbol.iterator]() {
      for (let i = 0; i < list.length; i++) yield at(i);
    },
  };
}

/** Findings given whole (a caller's own list), or as they are. */
export function asFindings(list: Findings | readonly Finding[]): Findings {
  if (!Array.isArray(list)) return list as Findings;
  return {
    length: list.length,
    causeAt: (i) => list[i].cause,
    at: (i) => list[i],
    *lines() {
      for (const f of list) yield `${JSON.stringify(f)}\n`;
    },
    toArray: () => [...list],
    [Symbol.iterator]: () => list[Symbol.iterator](),
  };
}

function cmpText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

// A table no longer used closes its temporary file (already unlinked): runs in one process do not leak them.
const closeOnCollect = new FinalizationRegistry<{ fd: number | null }>((h) => {
  if (h.fd !== null) closeSync(h.fd);
});

/** The whole findings' JSON lines: on the heap up to a size, past it in a temporary file. */
class ColdRows {
  private rows: string[] = [];
  private chars = 0;
  private readonly handle: { fd: number | null } = { fd: null };
  private offsets: Float64Array = new Float64Array(0);
  private lengths: Uint32Array = new Uint32Array(0);
  private n = 0;
  private written = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private buffer: Buffer | null = null;

  constructor(private readonly holdRows?: number) {}

  static from(s: ColdState): ColdRows {
    const c = new ColdRows();
    if ('rows' in s) {
      c.rows = s.rows;
      c.n = s.rows.length;
    } else {
      c.handle.fd = s.fd;
      c.offsets = s.offsets;
      c.lengths = s.lengths;
      c.n = s.offsets.length;
      c.written = s.written;
    }
    return c;
  }

  push(line: string): void {
    if (this.handle.fd === null) {
      this.rows.push(line);
      this.chars += line.length;
      this.n++;
      if (this.holdRows !== undefined ? this.rows.length > this.holdRows : this.chars > HOLD_CHARS) this.toFile();
      return;
    }
    this.append(line);
  }

  get(row: number): string {
    if (this.handle.fd === null) return this.rows[row];
    if (this.pending.length) this.flush();
    const length = this.lengths[row];
    if (this.buffer === null || this.buffer.length < length) this.buffer = Buffer.allocUnsafe(Math.max(length, 1 << 16));
    let done = 0;
    while (done < length) {
      const got = readSync(this.handle.fd, this.buffer, done, length - done, this.offsets[row] + done);
      if (got === 0) throw new Error(`temporary findings file ended at ${this.offsets[row] + done} of ${this.written} bytes`);
      done += got;
    }
    return this.buffer.toString('utf8', 0, length);
  }

  state(): ColdState {
    if (this.handle.fd === null) return { rows: this.rows };
    if (this.pending.length) this.flush();
    // The file now belongs to whoever takes the state: this side no longer closes it.
    closeOnCollect.unregister(this);
    return { fd: this.handle.fd, offsets: this.offsets.slice(0, this.n), lengths: this.lengths.slice(0, this.n), written: this.written };
  }

  dispose(): void {
    if (this.handle.fd !== null) closeSync(this.handle.fd);
    this.handle.fd = null;
    this.rows = [];
  }

  private toFile(): void {
    try {
      this.handle.fd = givenFile ?? openUnlinked();
      givenFile = null;
    } catch (err) {
      throw isFsError(err) ? fsError(err, 'holding findings in a temporary file under TMPDIR (set TMPDIR to a disk with room)') : err;
    }
    closeOnCollect.register(this, this.handle, this);
    const rows = this.rows;
    this.rows = [];
    this.n = 0;
    for (const line of rows) this.append(line);
  }

  private append(line: string): void {
    if (this.n === this.offsets.length) {
      const capacity = Math.max(1024, this.n * 2);
      const o = new Float64Array(capacity);
      o.set(this.offsets);
      this.offsets = o;
      const l = new Uint32Array(capacity);
      l.set(this.lengths);
      this.lengths = l;
    }
    const bytes = Buffer.byteLength(line);
    this.offsets[this.n] = this.written + this.pendingBytes;
    this.lengths[this.n] = bytes;
    this.n++;
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  private flush(): void {
    const buf = Buffer.from(this.pending.join(''));
    this.pending = [];
    try {
      writeAll(this.handle.fd!, buf);
    } catch (err) {
      throw isFsError(err) ? fsError(err, 'holding findings in a temporary file under TMPDIR (set TMPDIR to a disk with room)') : err;
    }
    this.written += buf.length;
    this.pendingBytes = 0;
  }
}
