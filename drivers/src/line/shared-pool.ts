/**
 * Things several devices share (a bus, a line), created on first use and
 * closed when the last user lets go.
 */
export class SharedPool<T extends { readonly key: string; close(): Promise<void> }> {
  private readonly entries = new Map<string, { item: T; users: number }>();

  acquire(key: string, create: () => T): T {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { item: create(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users++;
    return entry.item;
  }

  async release(item: T): Promise<void> {
    const entry = this.entries.get(item.key);
    if (!entry || --entry.users > 0) return;
    this.entries.delete(item.key);
    await entry.item.close();
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}
