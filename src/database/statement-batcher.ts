interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(err: unknown): void;
}

/**
 * Gathers concurrent calls into one statement per batch ("group commit"): an item waits only for
 * the end of the current event-loop turn, or — while `maxConcurrent` batches already run — until
 * one of them ends; then everything that gathered goes in the next batch (at most `maxBatch`).
 * Alone, an item runs at once; under load, N callers cost one round trip instead of N. A batch
 * that fails fails each of its callers.
 */
export class StatementBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: { maxBatch: number; maxConcurrent: number },
  ) {}

  /** Resolves with this item's result: `run`'s answer at the item's position in its batch. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.drain();
        });
      }
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.running < this.options.maxConcurrent) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      this.run(batch.map((p) => p.item)).then(
        (results) => batch.forEach((p, i) => p.resolve(results[i])),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      ).finally(() => {
        this.running--;
        this.drain();
      });
    }
  }
}
