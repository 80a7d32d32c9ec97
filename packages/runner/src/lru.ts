/**
 * A cache bounded by a total weight (bytes, entries, ...) with second-chance (CLOCK) eviction: a hit only sets a
 * flag, and eviction walks from the oldest entry, giving flagged entries another round at the end. This keeps
 * recently used entries like an LRU does, without reordering the map on every hit (which showed in profiles).
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number; used: boolean }>();
  private totalWeight = 0;

  /**
   * @param maxWeight the most total weight kept; older entries are dropped past it.
   * @param weigh the weight of one value (1 by default, making `maxWeight` an entry count).
   */
  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.totalWeight -= previous.weight;
      this.entries.delete(key);
    }
    const weight = this.weigh(value);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight, used: false });
    this.totalWeight += weight;
    while (this.totalWeight > this.maxWeight) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      if (oldest.used && oldestKey !== key) {
        oldest.used = false;
        this.entries.set(oldestKey, oldest);
      } else {
        this.totalWeight -= oldest.weight;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
