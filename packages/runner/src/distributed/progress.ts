/**
 * The coordinator's one-line progress on a terminal: files reported, work items queued, in flight and done, and the
 * workers seen so far. Nothing is printed when stderr is not a terminal or progress is off.
 */
export class DistributedProgress {
  private files = 0;
  private queued = 0;
  private inFlight = 0;
  private finished = 0;
  private workers = 0;
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    enabled: boolean,
    private readonly total: number,
  ) {
    this.enabled = enabled && stream.isTTY === true && total > 0;
  }

  /** Adds deltas to the item counters (`workers` is the new total). */
  update(change: { queued?: number; inFlight?: number; done?: number; workers?: number }): void {
    this.queued += change.queued ?? 0;
    this.inFlight += change.inFlight ?? 0;
    this.finished += change.done ?? 0;
    if (change.workers !== undefined) this.workers = change.workers;
    this.draw(false);
  }

  tick(): void {
    this.files += 1;
    this.draw(this.files === this.total);
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const waiting = Math.max(0, this.queued - this.inFlight);
    this.stream.write(
      `\r\x1b[K[${this.files}/${this.total}] items: ${waiting} queued, ${Math.max(0, this.inFlight)} in flight, ${this.finished} done; workers seen: ${this.workers}`,
    );
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
