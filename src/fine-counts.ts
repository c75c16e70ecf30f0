import { lowerBound } from './order.js';

/**
 * Counts per fine time bucket (by bucket number: the bucket's start over its length) for one terminal.
 * A terminal's buckets lie close together (days of a log), so they are held in one typed array over the
 * span they cover: 4 bytes a bucket, where a Map took about 60 per bucket held (a 10M-line fleet of 5000
 * terminals held 2.9M buckets twice over, ~200 MB). Buckets far apart (a span mostly empty) go to a Map.
 */
export class FineCounts {
  /** Bucket number of `dense[0]`. */
  private lo = 0;
  private dense: Uint32Array | null = null;
  private sparse: Map<number, number> | null = null;
  /** Buckets counted (not zero). */
  private held = 0;
  private prefix: { lo: number; sums: Uint32Array | Float64Array } | { starts: Float64Array; sums: Float64Array } | null = null;

  add(b: number, by = 1): void {
    this.prefix = null;
    if (this.sparse === null && !this.fits(b)) this.widen(b);
    if (this.sparse !== null) {
      const was = this.sparse.get(b) ?? 0;
      if (was === 0) this.held++;
      this.sparse.set(b, was + by);
      return;
    }
    const i = b - this.lo;
    if (this.dense![i] === 0) this.held++;
    this.dense![i] += by;
  }

  get(b: number): number {
    if (this.sparse !== null) return this.sparse.get(b) ?? 0;
    return this.fits(b) ? this.dense![b - this.lo] : 0;
  }

  has(b: number): boolean {
    return this.get(b) !== 0;
  }

  /** [bucket number, count] of every bucket counted, in time order. */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    if (this.sparse !== null) {
      for (const b of [...this.sparse.keys()].sort((x, y) => x - y)) out.push([b, this.sparse.get(b)!]);
    } else if (this.dense !== null) {
      this.dense.forEach((n, i) => n !== 0 && out.push([this.lo + i, n]));
    }
    return out;
  }

  /** Counts of the buckets numbered in [from, to) (either may be infinite). */
  sumBetween(from: number, to: number): number {
    if (this.held === 0) return 0;
    const p = (this.prefix ??= this.sums());
    if ('lo' in p) {
      const n = p.sums.length - 1;
      const at = (b: number) => (b <= p.lo ? 0 : b >= p.lo + n ? n : Math.ceil(b - p.lo));
      return p.sums[at(to)] - p.sums[at(from)];
    }
    return p.sums[lowerBound(p.starts, to)] - p.sums[lowerBound(p.starts, from)];
  }

  private sums(): NonNullable<FineCounts['prefix']> {
    if (this.sparse === null) {
      const d = this.dense!;
      let total = 0;
      for (let i = 0; i < d.length; i++) total += d[i];
      const sums = total < 2 ** 32 ? new Uint32Array(d.length + 1) : new Float64Array(d.length + 1);
      for (let i = 0; i < d.length; i++) sums[i + 1] = sums[i] + d[i];
      return { lo: this.lo, sums };
    }
    const starts = Float64Array.from([...this.sparse.keys()].sort((x, y) => x - y));
    const sums = new Float64Array(starts.length + 1);
    for (let i = 0; i < starts.length; i++) sums[i + 1] = sums[i] + this.sparse.get(starts[i])!;
    return { starts, sums };
  }

  private fits(b: number): boolean {
    return this.dense !== null && b >= this.lo && b < this.lo + this.dense.length;
  }

  /** A wider span that holds `b` (doubling, so a log read in any order costs few copies), or a Map. */
  private widen(b: number): void {
    const d = this.dense;
    // A bucket number no span can hold (a time out of range): a Map takes anything.
    if (!Number.isSafeInteger(b)) {
      this.sparse = new Map(this.entries());
      this.dense = null;
      return;
    }
    if (d === null) {
      this.lo = b - 64;
      this.dense = new Uint32Array(256);
      return;
    }
    const lo = Math.min(this.lo, b);
    const hi = Math.max(this.lo + d.length, b + 1);
    if (hi - lo > MIN_SPAN && hi - lo > SPARSE_RATIO * (this.held + 1)) {
      this.sparse = new Map(this.entries());
      this.dense = null;
      return;
    }
    const length = Math.max(hi - lo, 2 * d.length);
    // Room on the side it grew towards.
    const start = b < this.lo ? hi - length : lo;
    const next = new Uint32Array(length);
    next.set(d, this.lo - start);
    this.lo = start;
    this.dense = next;
  }
}

/** Spans up to this many buckets (10-minute ones: about two weeks) stay dense however empty. */
const MIN_SPAN = 2048;
/** Past it, a span more than this many times the buckets counted is held in a Map. */
const SPARSE_RATIO = 8;
