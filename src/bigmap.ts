/**
 * A Map without V8's limit of 2^24 entries per Map (a nightly settlement file can hold more
 * lines than that). Entries go into the newest part; a part is sealed at PART_SIZE, so below that size
 * this is one plain Map and costs nothing extra, and beyond it a lookup probes one Map per 8M entries.
 */
export class BigMap<K, V> {
  static PART_SIZE = 1 << 23;
  private readonly parts: Map<K, V>[] = [new Map()];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    const parts = this.parts;
    for (let i = parts.length - 1; i >= 0; i--) {
      const v = parts[i].get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  set(key: K, value: V): this {
    const parts = this.parts;
    for (let i = parts.length - 1; i >= 0; i--) {
      if (parts[i].has(key)) {
        parts[i].set(key, value);
        return this;
      }
    }
    let last = parts[parts.length - 1];
    if (last.size >= BigMap.PART_SIZE) parts.push((last = new Map()));
    last.set(key, value);
    this.count++;
    return this;
  }

  delete(key: K): boolean {
    for (const part of this.parts) {
      if (part.delete(key)) {
        this.count--;
        return true;
      }
    }
    return false;
  }
}
