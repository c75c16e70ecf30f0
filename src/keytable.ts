/**
 * A map from (terminal, key text) to a slot number, packed: key characters in one byte arena, the hash
 * table in an Int32Array. A JS Map of strings costs ~100 bytes an entry on the heap and keeps alive the
 * whole line a key was cut from (V8 slices strings of 13+ characters); this costs ~30 bytes outside the
 * heap, and has no 2^24 entry limit. Keys with a character past U+00FF (rare in ids) go to a plain Map.
 * An id of digits only is one key with or without its leading zeros (0123 is 123): a file opened and saved
 * in Excel loses them, and the other side of the join keeps them. The text filed is kept as it was.
 */
export class KeyTable {
  private table = new Int32Array(1 << 12);
  // A byte of the hash of each bucket's key, beside the bucket: a probe passes a bucket of another key
  // without reading that key's slot (a cache miss each, at any distance from the table).
  private tagAt = new Uint8Array(1 << 12);
  // Buckets: any number (a run that knows its size gets a table of that size, not the next power of two).
  private size = this.table.length;
  private count = 0;
  // Per slot: where its key starts in the arena, its length, and its terminal, unless the caller keeps
  // that. No hash: a rehash hashes the arena's text again.
  private offset = new Uint32Array(1024);
  private length = new Uint16Array(1024);
  private owner = new Int32Array(1024);
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  private readonly wide = new Map<string, number>();
  private readonly wideKeys = new Map<number, string>();
  /** Lookups that found their key only with leading zeros ignored (the two texts differ). */
  loose = 0;

  // A key looked up and then filed (the index does both for every new line) is hashed once, and a lookup
  // that missed remembers the empty bucket it stopped at: filing the key there is one write, not a probe.
  private lastKey = '';
  private lastTerminal = -1;
  private lastHash = 0;
  private lastLatin1 = true;
  private missAt = -1;
  private missCount = -1;

  /**
   * `owners`: where the caller keeps each slot's terminal (the settlement index does, for its own use), set
   * before the slot is filed; then the table keeps no copy (4 bytes a line).
   */
  constructor(private readonly owners?: { ownerOf(slot: number): number }) {}

  private ownerOf(slot: number): number {
    return this.owners ? this.owners.ownerOf(slot) : this.owner[slot];
  }

  /** The key's hash; sets lastLatin1 (keys with a character past U+00FF are filed in `wide`). */
  private hashOf(terminal: number, key: string): number {
    if (key === this.lastKey && terminal === this.lastTerminal) return this.lastHash;
    this.lastKey = key;
    this.lastTerminal = terminal;
    this.missAt = -1;
    this.lastLatin1 = latin1(key);
    return (this.lastHash = hash(terminal, key, digitsFrom(key)));
  }

  /** The slot of this terminal's key, or -1. */
  get(terminal: number, key: string): number {
    const h = this.hashOf(terminal, key);
    if (!this.lastLatin1) return this.wide.get(terminal + '\u0000' + key) ?? -1;
    for (let i = this.bucket(h); ; i = i + 1 === this.size ? 0 : i + 1) {
      const e = this.table[i];
      if (e === 0) {
        this.missAt = i;
        this.missCount = this.count;
        return -1;
      }
      const slot = e - 1;
      if (this.tagAt[i] === (h & 0xff) && this.ownerOf(slot) === terminal && this.same(slot, key)) {
        if (this.length[slot] !== key.length) this.loose++;
        return slot;
      }
    }
  }

  /** Files `key` of `terminal` under `slot` (a slot holds one key; a later set of the same key wins). */
  set(terminal: number, key: string, slot: number): void {
    const h = this.hashOf(terminal, key);
    if (!this.lastLatin1) {
      this.wide.set(terminal + '\u0000' + key, slot);
      this.wideKeys.set(slot, key);
      return;
    }
    this.reserve(slot, key.length);
    this.offset[slot] = this.used;
    this.length[slot] = key.length;
    if (!this.owners) this.owner[slot] = terminal;
    for (let k = 0; k < key.length; k++) this.arena[this.used + k] = key.charCodeAt(k);
    this.used += key.length;
    // The bucket this key's lookup stopped at, while nothing was filed since (a filing or a rehash moves it).
    let i = this.missAt >= 0 && this.missCount === this.count ? this.missAt : this.bucket(h);
    this.missAt = -1;
    for (; ; i = i + 1 === this.size ? 0 : i + 1) {
      const e = this.table[i];
      if (e === 0) {
        this.table[i] = slot + 1;
        this.tagAt[i] = h & 0xff;
        if (++this.count > this.size * LOAD) this.rehash(this.size * 2);
        return;
      }
      const other = e - 1;
      if (this.tagAt[i] === (h & 0xff) && this.ownerOf(other) === terminal && this.same(other, key)) {
        this.table[i] = slot + 1;
        return;
      }
    }
  }

  /**
   * Makes room for `slots` slots at once, the key text sized by the keys so far: a run that knows how many
   * lines are coming grows once instead of doubling (which leaves up to half of every array unused).
   */
  expect(slots: number): void {
    if (slots <= this.offset.length) return;
    this.offset = grow(this.offset, slots);
    this.length = grow(this.length, slots);
    if (!this.owners) this.owner = grow(this.owner, slots);
    if (this.count > 0) {
      const chars = Math.ceil((this.used / this.count) * slots * 1.02);
      if (chars > this.arena.length && chars <= 0xffffffff) this.arena = grow(this.arena, chars);
    }
    const table = Math.ceil(slots / SIZED_LOAD) + 1;
    if (table > this.size) this.rehash(table);
  }

  /** The key text filed under `slot`, or undefined. */
  keyOf(slot: number): string | undefined {
    const wide = this.wideKeys.get(slot);
    if (wide !== undefined) return wide;
    // Keys are never empty: length 0 is a slot filed under no key here.
    if (slot >= this.length.length || this.length[slot] === 0) return undefined;
    const from = this.offset[slot];
    return latin1Text(this.arena, from, from + this.length[slot]);
  }

  private same(slot: number, key: string): boolean {
    const length = this.length[slot];
    let from = this.offset[slot];
    let k = 0;
    // Leading zeros, on either side, only where the id is all digits.
    if (this.arena[from] === 48 || key.charCodeAt(0) === 48) {
      const skip = arenaDigitsFrom(this.arena, from, length);
      k = digitsFrom(key);
      if (length - skip !== key.length - k) return false;
      from += skip - k;
    } else if (length !== key.length) return false;
    for (; k < key.length; k++) if (this.arena[from + k] !== key.charCodeAt(k)) return false;
    return true;
  }

  /** The hash `set` filed the slot's key under (`hash`, over the key's text in the arena; a wide key is never in the table). */
  private arenaHash(slot: number): number {
    const from = this.offset[slot];
    const length = this.length[slot];
    let h = Math.imul(0x811c9dc5 ^ this.ownerOf(slot), 0x01000193);
    for (let i = from + arenaDigitsFrom(this.arena, from, length); i < from + length; i++) h = Math.imul(h ^ this.arena[i], 0x01000193);
    return h | 0;
  }

  private reserve(slot: number, chars: number): void {
    if (slot >= this.offset.length) {
      let n = this.offset.length;
      while (n <= slot) n *= 2;
      this.offset = grow(this.offset, n);
      this.length = grow(this.length, n);
      if (!this.owners) this.owner = grow(this.owner, n);
    }
    if (this.used + chars > this.arena.length) {
      // Offsets are 32-bit: 4 GiB of key text is some 200 million settlement lines, far past one run's memory.
      if (this.used + chars > 0xffffffff) throw new RangeError('settlement index: more than 4 GiB of keys');
      let n = this.arena.length;
      while (n < this.used + chars) n *= 2;
      this.arena = grow(this.arena, n);
    }
  }

  /** The hash's bucket: its high bits scaled to the table (Lemire's multiply-shift, no power of two needed). */
  private bucket(h: number): number {
    return Math.floor((h >>> 0) * this.size * 2 ** -32);
  }

  private rehash(size: number): void {
    this.missAt = -1;
    const old = this.table;
    const oldTags = this.tagAt;
    this.table = new Int32Array(size);
    this.tagAt = new Uint8Array(size);
    this.size = size;
    for (let i = 0; i < old.length; i++) {
      const e = old[i];
      if (e === 0) continue;
      let j = this.bucket(this.arenaHash(e - 1));
      while (this.table[j] !== 0) j = j + 1 === size ? 0 : j + 1;
      this.table[j] = e;
      this.tagAt[j] = oldTags[i];
    }
  }
}

/**
 * Filled buckets per bucket before the table doubles. Linear probing stays short up to here: a miss, which
 * every new settlement line is, probes ~4 buckets at 0.6 and ~8 at 0.75. A table sized for the lines a run
 * expects is sized to end at SIZED_LOAD: a third of the buckets of one kept at most half full.
 */
const LOAD = 0.75;
const SIZED_LOAD = 0.65;

/** A typed array of length n holding a's values (the rest zero). */
export function grow<T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

function latin1(s: string): boolean {
  if (s.length > 0xffff) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

function latin1Text(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** FNV-1a over the terminal number and the key's characters from `from`. */
function hash(terminal: number, key: string, from: number): number {
  let h = 0x811c9dc5 ^ terminal;
  h = Math.imul(h, 0x01000193);
  for (let i = from; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** An id as joins know it: one of digits only without its leading zeros (0123 is 123; a lone 0 stays). */
export function idKey(id: string): string {
  const from = digitsFrom(id);
  return from === 0 ? id : id.slice(from);
}

/** Where an all-digit id's value starts, past its leading zeros (a lone 0 stays); 0 for any other id. */
function digitsFrom(key: string): number {
  if (key.charCodeAt(0) !== 48) return 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
  }
  let i = 0;
  while (i < key.length - 1 && key.charCodeAt(i) === 48) i++;
  return i;
}

/** digitsFrom of a key filed in the arena. */
function arenaDigitsFrom(arena: Uint8Array, from: number, length: number): number {
  if (arena[from] !== 48) return 0;
  for (let i = from; i < from + length; i++) if (arena[i] < 48 || arena[i] > 57) return 0;
  let i = 0;
  while (i < length - 1 && arena[from + i] === 48) i++;
  return i;
}
