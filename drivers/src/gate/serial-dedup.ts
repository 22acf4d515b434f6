/**
 * Which terminal serial numbers were already delivered. A terminal numbers
 * its events 1, 2, 3…; after a reconnect the catch-up search overlaps what
 * the stream already gave, and this is what keeps each event single.
 * Bounded: the oldest entries are forgotten, and anything at or below the
 * highest forgotten number counts as delivered for search results.
 */
export class SerialDedup {
  private readonly seen = new Set<number>();
  /** Search results at or below this are old news (delivered, forgotten, or before we started). */
  floor = 0;

  constructor(private readonly capacity = 10_000) {}

  /** True if `serial` is new (and records it). `fromSearch` also applies the floor. */
  admit(serial: number, fromSearch: boolean): boolean {
    if (this.seen.has(serial)) return false;
    if (fromSearch && serial <= this.floor) return false;
    this.seen.add(serial);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value!;
      this.seen.delete(oldest);
      this.floor = Math.max(this.floor, oldest);
    }
    return true;
  }
}
