/**
 * A fixed-capacity ring: the oldest item is overwritten once full. Wall
 * displays run for weeks; nothing they keep may grow without bound.
 */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    const i = (this.start + this.size) % this.capacity;
    this.items[i] = item;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  get length(): number {
    return this.size;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let k = 0; k < this.size; k++) out.push(this.items[(this.start + k) % this.capacity]!);
    return out;
  }
}
