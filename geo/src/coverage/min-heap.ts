/**
 * A binary min-heap of (priority, id) pairs on typed arrays, for Dijkstra.
 * Ids may be pushed more than once; callers skip stale pops (lazy deletion).
 */
export class MinHeap {
  private keys: Float64Array;
  private ids: Int32Array;
  length = 0;

  constructor(capacity = 64) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.ids = new Int32Array(this.keys.length);
  }

  push(key: number, id: number): void {
    if (this.length === this.keys.length) {
      const keys = new Float64Array(this.keys.length * 2);
      const ids = new Int32Array(keys.length);
      keys.set(this.keys);
      ids.set(this.ids);
      this.keys = keys;
      this.ids = ids;
    }
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.ids[i] = this.ids[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.ids[i] = id;
  }

  /** Priority of the top pair; call only when length > 0. */
  peekKey(): number {
    return this.keys[0]!;
  }

  /** Removes the top pair and returns its id; call only when length > 0. */
  pop(): number {
    const top = this.ids[0]!;
    const n = --this.length;
    if (n > 0) {
      const key = this.keys[n]!;
      const id = this.ids[n]!;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.keys[child + 1]! < this.keys[child]!) child++;
        if (this.keys[child]! >= key) break;
        this.keys[i] = this.keys[child]!;
        this.ids[i] = this.ids[child]!;
        i = child;
      }
      this.keys[i] = key;
      this.ids[i] = id;
    }
    return top;
  }
}
