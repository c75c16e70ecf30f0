import { SpillList } from './spill.js';
import { normalizeHeader } from '../parsers/headers.js';
import type { SettlementRecord, SettlementStatus, TerminalTxn, TxnType } from './model.js';
import type { Subject } from '../rules/types.js';
import { BigMap } from './bigmap.js';
import { grow, idKey, KeyTable } from './keytable.js';

const STATUS_CODES: readonly SettlementStatus[] = ['settled', 'failed', 'rejected', 'held', 'pending'];

/**
 * Join keys belong to a terminal: RRNs are built from a terminal's trace number and clock, so two terminals
 * can issue the same one, and a run split by terminal (--shard) must join exactly as a whole run does.
 * The index keeps its keys per terminal; this joined form is for the small set of cancelled originals.
 */
function cancelKey(terminalId: string, field: Original, key: string): string {
  return idKey(terminalId) + '\u0000' + field + '\u0000' + idKey(key);
}

type Original = 'txnId' | 'rrn' | 'stan';

// The columns a void or reversal names its original by, as exports call them (compared like headers:
// case, spaces and punctuation ignored). 原凭证号 is the original's voucher (trace) number.
const ORIGINAL_COLUMNS: Readonly<Record<Original, readonly string[]>> = {
  txnId: ['originalTxnId', 'origTxnId', 'original transaction id', 'orig transaction id', 'original txn id', 'original order id', 'original trade no', 'original payment id', '原交易流水号', '原交易号', '原交易单号', '原订单号', '原商户订单号', '原流水号'],
  rrn: ['originalRrn', 'origRrn', 'original reference number', 'original retrieval reference number', 'orig ref no', 'original ref no', '原参考号', '原检索参考号', '原系统参考号'],
  stan: ['originalStan', 'origStan', 'original trace', 'original trace no', 'original stan', '原凭证号', '原系统跟踪号', '原终端流水号'],
};
const ORIGINAL_BY_KEY = new Map<string, Original>(
  (Object.entries(ORIGINAL_COLUMNS) as [Original, readonly string[]][]).flatMap(([field, names]) => names.map((n) => [normalizeHeader(n), field] as [string, Original])),
);

/** The ids a void or reversal gives for its original, from its extra columns. */
export function originalsOf(extra: Record<string, string> | undefined): [Original, string][] {
  if (!extra) return [];
  const out: [Original, string][] = [];
  for (const [name, value] of Object.entries(extra)) {
    const field = ORIGINAL_BY_KEY.get(normalizeHeader(name));
    if (field && value.trim()) out.push([field, value.trim()]);
  }
  return out;
}

/** The keys a record can be joined by: an id Excel rounded (3.10001E+11) matches other records by accident. */
function joinKeys(rec: { rrn?: string; txnId?: string; damaged?: string[] }): { rrn?: string; txnId?: string } {
  if (!rec.damaged) return rec;
  return { rrn: rec.damaged.includes('rrn') ? undefined : rec.rrn, txnId: rec.damaged.includes('txnId') ? undefined : rec.txnId };
}

/**
 * Which of two lines of one key the index keeps, whatever their order in the files: a settled line over any
 * other (a re-run after cutover settles what failed), the earliest settled day, else the latest day of the
 * others; then the lines' own content, so that equal days still decide the same way.
 */
function preferred(a: SettlementRecord, b: SettlementRecord): boolean {
  const settledA = a.status === 'settled';
  if (settledA !== (b.status === 'settled')) return settledA;
  if (a.settlementDay !== b.settlementDay) return settledA ? a.settlementDay < b.settlementDay : a.settlementDay > b.settlementDay;
  const key = (r: SettlementRecord) => [STATUS_CODES.indexOf(r.status), r.amount, r.currency, r.batchId ?? '', r.reasonCode ?? '', r.message ?? '', r.merchantId ?? ''];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i];
  return false;
}

/** Types that move money and so must appear in settlement when approved. */
export const MONEY_TYPES: ReadonlySet<TxnType> = new Set(['sale', 'refund', 'completion']);

/**
 * The settlement side, the only state that grows with the data: per line a slot in typed arrays plus
 * its keys in two maps. Whole records are kept only for lines that are not plainly settled (rare), since
 * those are what findings quote.
 */
export class SettlementIndex {
  // (terminal, key) → slot, packed outside the heap; also where a slot's key text is kept. The slot's
  // terminal is the index's own (terminalIdx), set before a key is filed.
  private readonly owners = { ownerOf: (slot: number) => this.terminalIdx[slot] };
  private readonly rrnKeys = new KeyTable(this.owners);
  private readonly txnIdKeys = new KeyTable(this.owners);
  private capacity = 1024;
  private amount = new Float64Array(this.capacity);
  private day = new Int32Array(this.capacity);
  private status = new Uint8Array(this.capacity);
  private matched = new Uint8Array(this.capacity);
  private fileIdx = new Uint16Array(this.capacity);
  private lineNo = new Int32Array(this.capacity);
  private terminalIdx = new Int32Array(this.capacity);
  private currencyIdx = new Uint16Array(this.capacity);
  // Settled lines' other texts (reason code, message, merchant, batch), interned together: a file repeats
  // the same few of them, line after line of a batch.
  private textsIdx = new Int32Array(this.capacity);
  private readonly texts = new TextsInterner();
  private readonly details = new BigMap<number, SettlementRecord>();
  private readonly files: string[] = [];
  private readonly terminals: string[] = [];
  private readonly terminalIds = new Map<string, number>();
  private looseTerminals = 0;
  private readonly currencies: string[] = [];
  size = 0;
  maxDay = -Infinity;
  /** Second `settled` lines for a key already settled: paid twice. */
  readonly duplicates: SettlementRecord[] = [];

  /** Lines seen in the input, also those of terminals another shard keeps (they decide asOf). */
  observed = 0;

  /** Every settlement line of the input passes here, kept or not: the run's as-of day is the input's. */
  observe(rec: SettlementRecord): void {
    this.observed++;
    if (rec.settlementDay > this.maxDay) this.maxDay = rec.settlementDay;
  }

  add(rec: SettlementRecord): void {
    this.observe(rec);
    const keys = joinKeys(rec);
    const existing = keys.rrn === undefined && keys.txnId === undefined ? -1 : this.find(rec.terminalId, keys.rrn, keys.txnId);
    if (existing >= 0) {
      const old = this.record(existing);
      const better = preferred(rec, old);
      // Two settled lines: paid twice; the one kept is the same whatever the order of the lines.
      if (old.status === 'settled' && rec.status === 'settled') this.duplicates.push(better ? old : rec);
      if (better) this.write(existing, rec, false);
      return;
    }
    if (this.size === this.capacity) this.grow();
    const slot = this.size++;
    const t = this.terminalOf(rec.terminalId);
    this.terminalIdx[slot] = t;
    if (keys.rrn !== undefined) this.rrnKeys.set(t, keys.rrn, slot);
    if (keys.txnId !== undefined) this.txnIdKeys.set(t, keys.txnId, slot);
    this.write(slot, rec, true);
  }

  // Lines come in runs of one terminal: the last one looked up is asked again first.
  private lastTerminalId = '';
  private lastTerminal = -1;

  /** The terminal's number, or undefined when no line of it was filed. */
  private knownTerminal(terminalId: string): number | undefined {
    if (terminalId === this.lastTerminalId) return this.lastTerminal;
    const t = this.terminalIds.get(idKey(terminalId));
    if (t !== undefined) {
      this.lastTerminalId = terminalId;
      this.lastTerminal = t;
    }
    return t;
  }

  // A terminal id of digits is one terminal with or without its leading zeros (Excel drops them from one file).
  private terminalOf(terminalId: string): number {
    let t = this.knownTerminal(terminalId);
    if (t === undefined) {
      t = this.terminals.length;
      this.terminals.push(terminalId);
      this.terminalIds.set(idKey(terminalId), t);
    }
    return t;
  }

  /** `fresh`: a new slot, whose keys are this line's own. */
  private write(slot: number, rec: SettlementRecord, fresh: boolean): void {
    this.amount[slot] = rec.amount;
    this.day[slot] = rec.settlementDay;
    this.status[slot] = STATUS_CODES.indexOf(rec.status);
    this.fileIdx[slot] = intern(this.files, rec.src.file);
    this.lineNo[slot] = rec.src.line;
    this.terminalIdx[slot] = this.terminalOf(rec.terminalId);
    this.currencyIdx[slot] = intern(this.currencies, rec.currency);
    this.textsIdx[slot] = this.texts.id(rec.reasonCode, rec.message, rec.merchantId, rec.batchId);
    // Whole records only for what findings quote most (lines not settled) and what the columns cannot hold.
    // A line that supersedes another under other ids is kept whole too: the slot's keys are the first line's.
    const whole = rec.status !== 'settled' || rec.damaged !== undefined || (!fresh && (this.rrnKeys.keyOf(slot) !== rec.rrn || this.txnIdKeys.keyOf(slot) !== rec.txnId));
    if (whole) this.details.set(slot, rec);
    else if (!fresh) this.details.delete(slot);
  }

  /** Lines the inputs are expected to hold (from their size), 0 when not known: the arrays grow to it at once. */
  expected = 0;

  private grow(): void {
    // Past a known size, by a quarter: the estimate was close.
    this.capacity = this.expected > this.capacity ? Math.ceil(this.expected * 1.02) : this.expected > 0 ? Math.ceil(this.capacity * 1.25) : this.capacity * 2;
    this.rrnKeys.expect(this.capacity);
    this.txnIdKeys.expect(this.capacity);
    const g = <T extends Float64Array | Int32Array | Uint8Array | Uint16Array>(a: T): T => grow(a, this.capacity);
    this.amount = g(this.amount);
    this.day = g(this.day);
    this.status = g(this.status);
    this.matched = g(this.matched);
    this.fileIdx = g(this.fileIdx);
    this.lineNo = g(this.lineNo);
    this.terminalIdx = g(this.terminalIdx);
    this.currencyIdx = g(this.currencyIdx);
    this.textsIdx = g(this.textsIdx);
  }

  /** Within the terminal, RRN first (formats.md: preferred when both sides have it), else txnId. */
  find(terminalId: string, rrn: string | undefined, txnId: string | undefined): number {
    const t = this.knownTerminal(terminalId);
    if (t === undefined) return -1;
    if (this.terminals[t] !== terminalId) this.looseTerminals++;
    if (rrn !== undefined) {
      const s = this.rrnKeys.get(t, rrn);
      if (s >= 0) return s;
    }
    return txnId !== undefined ? this.txnIdKeys.get(t, txnId) : -1;
  }

  /** Lookups that matched only with the leading zeros of an all-digit id ignored. */
  get looseKeys(): number {
    return this.rrnKeys.loose + this.txnIdKeys.loose + this.looseTerminals;
  }

  isMatched(slot: number): boolean {
    return this.matched[slot] === 1;
  }

  markMatched(slot: number): void {
    this.matched[slot] = 1;
  }

  statusOf(slot: number): SettlementStatus {
    return STATUS_CODES[this.status[slot]];
  }

  amountOf(slot: number): number {
    return this.amount[slot];
  }

  currencyOf(slot: number): string {
    return this.currencies[this.currencyIdx[slot]];
  }

  dayOf(slot: number): number {
    return this.day[slot];
  }

  /** The line as a record, rebuilt from the packed slot when it was not kept whole. */
  record(slot: number): SettlementRecord {
    const kept = this.details.get(slot);
    if (kept) return kept;
    // Built in the normalizer's key order, so a rebuilt line serializes exactly as the line read.
    const rec: SettlementRecord = {
      kind: 'settlement',
      terminalId: this.terminals[this.terminalIdx[slot]],
      settlementDay: this.day[slot],
      amount: this.amount[slot],
      currency: this.currencies[this.currencyIdx[slot]],
      status: STATUS_CODES[this.status[slot]],
      src: { file: this.files[this.fileIdx[slot]], line: this.lineNo[slot] },
    };
    const txnId = this.txnIdKeys.keyOf(slot);
    const rrn = this.rrnKeys.keyOf(slot);
    const [reasonCode, message, merchantId, batchId] = this.texts.texts(this.textsIdx[slot]);
    if (txnId !== undefined) rec.txnId = txnId;
    if (rrn !== undefined) rec.rrn = rrn;
    if (merchantId !== undefined) rec.merchantId = merchantId;
    if (batchId !== undefined) rec.batchId = batchId;
    if (reasonCode !== undefined) rec.reasonCode = reasonCode;
    if (message !== undefined) rec.message = message;
    return rec;
  }

  *unmatched(): Iterable<number> {
    for (let slot = 0; slot < this.size; slot++) if (this.matched[slot] === 0) yield slot;
  }
}

const part = (v: string | undefined): string => (v === undefined ? '-1:' : `${v.length}:${v}`);

type Texts = readonly [string | undefined, string | undefined, string | undefined, string | undefined];

/** Four optional texts to one small number and back. */
class TextsInterner {
  private readonly ids = new Map<string, number>();
  private readonly list: Texts[] = [];
  // Lines come in runs of one batch: the last four asked are asked again first, with no key built.
  private last: Texts = [undefined, undefined, undefined, undefined];
  private lastId = -1;

  id(a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined): number {
    const l = this.last;
    if (this.lastId >= 0 && l[0] === a && l[1] === b && l[2] === c && l[3] === d) return this.lastId;
    // Each text after its length (-1: absent), so no text can pass for two.
    const key = `${part(a)}${part(b)}${part(c)}${part(d)}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.list.push([a, b, c, d]);
      this.ids.set(key, id);
    }
    this.last = this.list[id];
    this.lastId = id;
    return id;
  }

  texts(id: number): Texts {
    return this.list[id];
  }
}

function intern(list: string[], value: string): number {
  const i = list.indexOf(value);
  if (i >= 0) return i;
  list.push(value);
  return list.length - 1;
}

export interface ReconcileOptions {
  /** Days after the transaction's local date by which it must be settled. */
  graceDays: number;
  /** Allowed |settled - terminal| in minor units. */
  toleranceMinor: number;
  localDay(ts: number): number;
  /**
   * Whether the run has settlement lines, when this reader cannot tell from its own (a worker's share may
   * hold none of the run's): approved transactions then wait for `finish` and the run's facts.
   */
  settlementGiven?: boolean;
  /** Approvals held on the heap while they wait; the rest go to a temporary file (src/spill.ts). */
  holdInMemory?: number;
}

/** What deciding due, not yet due and out of period needs from the whole run: every share's reading of it. */
export interface RunFacts {
  /** Settlement lines read, of every terminal. */
  settlementLines: number;
  /** The last settlement day: the day the settlement file was made. */
  asOf: number;
  /** The first and last local day of the terminal log's attempts (±Infinity without one). */
  firstDay: number;
  lastDay: number;
}

/** The facts of a run read in shares. */
export function wholeRun(parts: readonly RunFacts[]): RunFacts {
  return {
    settlementLines: parts.reduce((n, f) => n + f.settlementLines, 0),
    asOf: Math.max(...parts.map((f) => f.asOf)),
    firstDay: Math.min(...parts.map((f) => f.firstDay)),
    lastDay: Math.max(...parts.map((f) => f.lastDay)),
  };
}

/**
 * Joins approved terminal transactions to the settlement index as they stream past. Findings that need
 * the whole picture (missing lines, orphans) are decided in `finish`, when every input has been read.
 */
export class Reconciler {
  // Approvals with no settlement line yet, and with a pending one: a log whose settlement lags holds many.
  private readonly awaiting: SpillList<TerminalTxn>;
  private readonly pending: SpillList<{ txn: TerminalTxn; slot: number }>;
  private readonly cancelled = new Set<string>();
  matched = 0;
  notYetDue = 0;
  outOfPeriod = 0;
  private minDay = Infinity;
  private maxDay = -Infinity;

  // The index is let go once `finish` has read it: at its size it must not outlive the join.
  private index: SettlementIndex | null;
  private closed: { observed: number; maxDay: number; looseKeys: number } | null = null;

  constructor(
    index: SettlementIndex,
    private readonly options: ReconcileOptions,
    private readonly emit: (subject: Subject) => void,
  ) {
    this.index = index;
    this.awaiting = new SpillList(options.holdInMemory);
    this.pending = new SpillList(options.holdInMemory);
  }

  get enabled(): boolean {
    return this.options.settlementGiven ?? (this.index?.observed ?? this.closed!.observed) > 0;
  }

  /** This reader's facts of the run (the whole run's unless it read a share). */
  facts(): RunFacts {
    const index = this.index ?? this.closed!;
    return { settlementLines: index.observed, asOf: index.maxDay, firstDay: this.minDay, lastDay: this.maxDay };
  }

  /** Joins found only with the leading zeros of an all-digit id ignored. */
  get looseKeys(): number {
    return this.index?.looseKeys ?? this.closed!.looseKeys;
  }

  /** Every non-failed attempt of the input passes here, kept or not: the period the terminal log covers. */
  observe(txn: TerminalTxn): void {
    const day = this.options.localDay(txn.ts);
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
  }

  add(txn: TerminalTxn): void {
    this.observe(txn);
    if (!this.enabled) return;
    if (txn.status === 'approved' && (txn.type === 'void' || txn.type === 'reversal')) {
      // A void or reversal names its original; the original is then not expected in settlement.
      for (const [field, key] of originalsOf(txn.extra)) this.cancelled.add(cancelKey(txn.terminalId, field, key));
      return;
    }
    const keys = joinKeys(txn);
    if (txn.status === 'reversed') {
      if (keys.txnId !== undefined) this.cancelled.add(cancelKey(txn.terminalId, 'txnId', keys.txnId));
      return;
    }
    if (txn.status !== 'approved' || !MONEY_TYPES.has(txn.type)) return;
    const slot = this.index!.find(txn.terminalId, keys.rrn, keys.txnId);
    if (slot < 0) {
      this.awaiting.push(txn);
      return;
    }
    if (this.index!.isMatched(slot)) {
      this.emit({ outcome: 'duplicate', txn, settlement: this.index!.record(slot), facts: { duplicateSide: 'terminal', localDate: undefined } });
      return;
    }
    this.index!.markMatched(slot);
    this.matched++;
    const status = this.index!.statusOf(slot);
    if (status === 'settled') {
      // Settled, but past the window: the money came late (formats.md counts it unsettled by the window's end).
      const late = this.index!.dayOf(slot) - this.options.localDay(txn.ts);
      if (late > this.options.graceDays) {
        this.emit({ outcome: 'unsettled', txn, settlement: this.index!.record(slot), facts: { lateSettlementDays: late, graceDays: this.options.graceDays } });
        return;
      }
      // Minor units of two currencies are not comparable: a line in another currency is a mismatch, whatever its number.
      if (this.index!.currencyOf(slot) !== txn.currency) {
        this.emit({ outcome: 'amount_mismatch', txn, settlement: this.index!.record(slot), facts: { currencyDiffers: true } });
        return;
      }
      const delta = Math.abs(this.index!.amountOf(slot)) - Math.abs(txn.amount ?? 0);
      if (Math.abs(delta) > this.options.toleranceMinor) {
        this.emit({ outcome: 'amount_mismatch', txn, settlement: this.index!.record(slot), facts: { amountDelta: delta } });
      }
    } else if (status === 'failed' || status === 'rejected') {
      this.emit({ outcome: 'settlement_failed', txn, settlement: this.index!.record(slot), facts: {} });
    } else if (status === 'held') {
      this.emit({ outcome: 'unsettled', txn, settlement: this.index!.record(slot), facts: {} });
    } else {
      this.pending.push({ txn, slot });
    }
  }

  private wasCancelled(txn: TerminalTxn): boolean {
    const t = txn.terminalId;
    return (
      this.cancelled.has(cancelKey(t, 'txnId', txn.txnId)) ||
      (txn.rrn !== undefined && this.cancelled.has(cancelKey(t, 'rrn', txn.rrn))) ||
      (txn.stan !== undefined && this.cancelled.has(cancelKey(t, 'stan', txn.stan)))
    );
  }

  /** Missing and still-pending lines past their window, then orphans and settlement-side duplicates. */
  finish(facts: RunFacts = this.facts()): void {
    try {
      if (facts.settlementLines > 0) this.decide(facts);
    } finally {
      const index = this.index!;
      this.closed = { observed: index.observed, maxDay: index.maxDay, looseKeys: index.looseKeys };
      this.index = null;
    }
  }

  private decide(facts: RunFacts): void {
    const index = this.index!;
    const asOf = facts.asOf;
    const due = (txn: TerminalTxn) => this.options.localDay(txn.ts) + this.options.graceDays <= asOf;
    for (const txn of this.awaiting.drain()) {
      if (this.cancelled.size > 0 && this.wasCancelled(txn)) continue;
      if (!due(txn)) {
        this.notYetDue++;
        continue;
      }
      this.emit({ outcome: 'unsettled', txn, facts: { missingSettlement: true } });
    }
    for (const { txn, slot } of this.pending.drain()) {
      if (!due(txn)) {
        this.notYetDue++;
        continue;
      }
      this.emit({ outcome: 'unsettled', txn, settlement: index.record(slot), facts: {} });
    }
    const hasTerminalLog = facts.firstDay !== Infinity;
    for (const slot of index.unmatched()) {
      const rec = index.record(slot);
      // Lines for days the terminal log does not cover cannot be called orphans: their terminal records were never given.
      if (hasTerminalLog && (rec.settlementDay < facts.firstDay || rec.settlementDay > facts.lastDay + this.options.graceDays + 1)) {
        this.outOfPeriod++;
        continue;
      }
      this.emit({ outcome: 'orphan_settlement', settlement: rec, facts: {} });
    }
    for (const rec of index.duplicates) {
      this.emit({ outcome: 'duplicate', settlement: rec, facts: { duplicateSide: 'settlement' } });
    }
  }
}
