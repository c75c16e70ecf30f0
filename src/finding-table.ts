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
/** Bytes of finding lines gathered before one write to the temporary file. */
const FLUSH_BYTES = 1 << 20;
/** Bytes read at once when finding lines are read back in about the order they were written. */
const READ_AHEAD = 256 << 10;

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

  /** Takes another table's values as they are (not matched against these); returns the id of the first. */
  append(values: readonly T[]): number {
    const base = this.values.length;
    for (const v of values) this.values.push(v);
    return base;
  }

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
  // null's id is 0.
  private readonly lastText: (string | null | undefined)[] = TEXT_FIELDS.map(() => null);
  private readonly lastTextId = new Uint32Array(TEXT_FIELDS.length);
  private readonly cardIds = new Interner();
  private readonly reasonIds = new ListInterner<HotFinding['reasons']>();
  private readonly evidenceIds = new ListInterner<HotFinding['evidence']>();
  private readonly damaged = new Map<number, string[]>();
  private cold: ColdStore;
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
    // Consecutive findings mostly share a terminal, its merchant, model and link, a cause: the last id of each field is asked first.
    const last = this.lastText;
    for (let k = 0; k < TEXT_FIELDS.length; k++) {
      const v = f[TEXT_FIELDS[k]];
      if (v !== last[k]) {
        last[k] = v;
        this.lastTextId[k] = this.textIds.id(v);
      }
      this.texts[base + k] = this.lastTextId[k];
    }
    this.cards[i] = this.cardIds.id(o.cardKey);
    this.refs[i] = this.cardIds.id(f.cardRef);
    this.reasons[i] = this.reasonIds.id(f.reasons);
    this.evidence[i] = this.evidenceIds.id(f.evidence);
    this.ts[i] = o.ts ?? NO_TS;
    this.minor[i] = o.minor;
    if (o.damaged) this.damaged.set(i, o.damaged);
    this.cold.push(line);
  }

  private grow(atLeast = 0): void {
    const capacity = Math.max(1024, this.capacity * 2, atLeast);
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

  /**
   * One table of the rows of several (shards, passes, threads), unsorted: sort it. The parts' columns are
   * copied with their ids mapped into this table's values, and their finding lines stay where they are (on
   * the heap, or in each part's temporary file): a merge no longer reads and writes every line again.
   */
  static merged(parts: readonly FindingTableState[], holdRows?: number): FindingTable {
    const table = new FindingTable(holdRows);
    const total = parts.reduce((n, p) => n + p.count, 0);
    table.reserve(total);
    const width = TEXT_FIELDS.length;
    const sources: ColdRows[] = [];
    const starts: number[] = [];
    let base = 0;
    for (const p of parts) {
      const textOf = Uint32Array.from(p.textValues, (v) => table.textIds.id(v));
      const cardOf = Uint32Array.from(p.cardValues, (v) => table.cardIds.id(v));
      const reasonBase = table.reasonIds.append(p.reasonValues);
      const evidenceBase = table.evidenceIds.append(p.evidenceValues);
      for (let j = 0, n = p.count * width; j < n; j++) table.texts[base * width + j] = textOf[p.texts[j]];
      for (let row = 0; row < p.count; row++) {
        table.cards[base + row] = cardOf[p.cards[row]];
        table.refs[base + row] = cardOf[p.refs[row]];
        table.reasons[base + row] = reasonBase + p.reasons[row];
        table.evidence[base + row] = evidenceBase + p.evidence[row];
      }
      table.ts.set(p.ts.subarray(0, p.count), base);
      table.minor.set(p.minor.subarray(0, p.count), base);
      for (const [row, d] of p.damaged) table.damaged.set(base + row, d);
      sources.push(ColdRows.from(p.cold));
      starts.push(base);
      base += p.count;
    }
    table.count = total;
    table.cold = new JoinedRows(sources, starts, holdRows);
    return table;
  }

  /** Room for `n` rows at once. */
  private reserve(n: number): void {
    if (this.capacity < n) this.grow(n);
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

/**
 * A revised finding as analysis reads it: a field the revision sets reads from the revision, any other from
 * the finding below. Built when asked, no copy of the finding's fields (every phase reads every finding).
 */
class RevisedView {
  constructor(
    private readonly o: Observed,
    private readonly r: Revision,
  ) {}
  get finding(): HotFinding {
    return this as unknown as HotFinding;
  }
  get ts(): number | undefined {
    return this.o.ts;
  }
  get minor(): number {
    return this.o.minor;
  }
  get cardKey(): string | undefined {
    return this.o.cardKey;
  }
  get damaged(): string[] | undefined {
    return this.o.damaged;
  }
}
for (const name of [...TEXT_FIELDS, 'cardRef', 'reasons', 'evidence'] as const) {
  Object.defineProperty(RevisedView.prototype, name, {
    get(this: { o: Observed; r: Revision }) {
      return Object.hasOwn(this.r, name) ? this.r[name as keyof Revision] : this.o.finding[name];
    },
  });
}

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
  // Which positions have a revision: most findings have none, and every phase asks for every finding.
  private readonly revised: Uint8Array;

  constructor(
    private readonly base: RevisableList,
    private readonly revisions: ReadonlyMap<number, Revision>,
  ) {
    this.revised = new Uint8Array(base.length);
    for (const i of revisions.keys()) if (i >= 0 && i < base.length) this.revised[i] = 1;
  }

  get length(): number {
    return this.base.length;
  }

  at(i: number): Observed {
    const o = this.base.at(i);
    if (this.revised[i] !== 1) return o;
    return new RevisedView(o, this.revisions.get(i)!);
  }

  revisionOf(i: number): Revision | undefined {
    const below = this.base.revisionOf(i);
    const r = this.revised[i] === 1 ? this.revisions.get(i) : undefined;
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

/** Where a table's whole finding lines are, by row. */
interface ColdStore {
  push(line: string): void;
  get(row: number): string;
  state(): ColdState;
  dispose(): void;
}

/** The whole findings' JSON lines: on the heap up to a size, past it in a temporary file. */
class ColdRows implements ColdStore {
  private rows: string[] = [];
  private chars = 0;
  private readonly handle: { fd: number | null } = { fd: null };
  private offsets: Float64Array = new Float64Array(0);
  private lengths: Uint32Array = new Uint32Array(0);
  private n = 0;
  private written = 0;
  // Lines written since the last flush, encoded in place (no join, no second pass to count their bytes).
  private out: Buffer | null = null;
  private pendingBytes = 0;
  private buffer: Buffer | null = null;
  // The stretch of the file `buffer` holds.
  private blockAt = 0;
  private blockBytes = 0;

  constructor(private readonly holdRows?: number) {}

  get length(): number {
    return this.n;
  }

  get onHeap(): boolean {
    return this.handle.fd === null;
  }

  /** The lines, while on the heap. */
  heapRows(): readonly string[] {
    return this.rows;
  }

  static from(s: ColdState): ColdRows {
    const c = new ColdRows();
    if ('rows' in s) {
      c.rows = s.rows;
      c.n = s.rows.length;
    } else {
      // The file is this side's now: it closes when the rows are no longer used.
      closeOnCollect.register(c, c.handle, c);
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
    if (this.pendingBytes > 0) this.flush();
    const length = this.lengths[row];
    const at = this.offsets[row];
    if (at < this.blockAt || at + length > this.blockAt + this.blockBytes) {
      // Rows are mostly read in about the order they were written (sorted by terminal and time, as logs are):
      // a row at or just past the last block read starts a block of many; one far from it is read alone.
      const near = at >= this.blockAt && at <= this.blockAt + this.blockBytes + READ_AHEAD;
      const want = Math.min(Math.max(length, near || this.blockBytes === 0 ? READ_AHEAD : 0), this.written - at);
      if (this.buffer === null || this.buffer.length < want) this.buffer = Buffer.allocUnsafe(Math.max(want, READ_AHEAD));
      let done = 0;
      while (done < want) {
        const got = readSync(this.handle.fd, this.buffer, done, want - done, at + done);
        if (got === 0) throw new Error(`temporary findings file ended at ${at + done} of ${this.written} bytes`);
        done += got;
      }
      this.blockAt = at;
      this.blockBytes = want;
    }
    const from = at - this.blockAt;
    return this.buffer!.toString('utf8', from, from + length);
  }

  state(): ColdState {
    if (this.handle.fd === null) return { rows: this.rows };
    if (this.pendingBytes > 0) this.flush();
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
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.out === null || this.pendingBytes + line.length * 3 > this.out.length) {
      if (this.pendingBytes > 0) this.flush();
      if (this.out === null || line.length * 3 > this.out.length) this.out = Buffer.allocUnsafe(Math.max(FLUSH_BYTES * 2, line.length * 3));
    }
    const bytes = this.out.write(line, this.pendingBytes);
    this.offsets[this.n] = this.written + this.pendingBytes;
    this.lengths[this.n] = bytes;
    this.n++;
    this.pendingBytes += bytes;
    if (this.pendingBytes > FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    const buf = this.out!.subarray(0, this.pendingBytes);
    try {
      writeAll(this.handle.fd!, buf);
    } catch (err) {
      throw isFsError(err) ? fsError(err, 'holding findings in a temporary file under TMPDIR (set TMPDIR to a disk with room)') : err;
    }
    this.written += buf.length;
    this.pendingBytes = 0;
  }
}

/**
 * The lines of several tables' rows, one after the other (a merge's), each part's where it was; rows pushed
 * after them go to a store of their own.
 */
class JoinedRows implements ColdStore {
  private tail: ColdRows | null = null;
  private count: number;

  constructor(
    private readonly parts: ColdRows[],
    /** The first row of each part. */
    private readonly starts: number[],
    private readonly holdRows?: number,
  ) {
    this.count = parts.reduce((n, p) => n + p.length, 0);
  }

  push(line: string): void {
    if (this.tail === null) {
      this.tail = new ColdRows(this.holdRows);
      this.parts.push(this.tail);
      this.starts.push(this.count);
    }
    this.tail.push(line);
    this.count++;
  }

  get(row: number): string {
    // A handful of parts: the last whose first row is at or before this one.
    let k = this.starts.length - 1;
    while (k > 0 && this.starts[k] > row) k--;
    return this.parts[k].get(row - this.starts[k]);
  }

  state(): ColdState {
    if (this.parts.every((p) => p.onHeap)) return { rows: this.parts.flatMap((p) => p.heapRows()) };
    // Lines in several files cross as one: copied into a store of their own.
    const one = new ColdRows(this.holdRows);
    for (let row = 0; row < this.count; row++) one.push(this.get(row));
    return one.state();
  }

  dispose(): void {
    for (const p of this.parts) p.dispose();
  }
}
