// Groups many small submissions into one flush (one database transaction). Each submitter's promise
// settles only when the flush holding its item has committed, so an HTTP answer still waits for its
// own events to be durable (NOTES.md: per-event transactions cap out near 5,500/s; batches reach 50k+).

export interface BatcherOptions<I> {
  /** Flush as soon as the queued weight reaches this. */
  maxWeight: number;
  /** How long the first item of a batch may wait for company. */
  maxWaitMs: number;
  /** Flushes allowed at once (1 for SQLite: one writer). */
  concurrency: number;
  weigh: (item: I) => number;
}

interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class Batcher<I, R> {
  readonly #flush: (items: I[]) => Promise<R[]>;
  readonly #options: BatcherOptions<I>;
  #queue: Pending<I, R>[] = [];
  #queuedWeight = 0;
  #running = 0;
  #timer: NodeJS.Timeout | null = null;
  #idle: (() => void)[] = [];

  constructor(flush: (items: I[]) => Promise<R[]>, options: BatcherOptions<I>) {
    this.#flush = flush;
    this.#options = options;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#queuedWeight += this.#options.weigh(item);
      this.#schedule();
    });
  }

  /** Resolves once everything submitted so far has been flushed. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#running === 0) return Promise.resolve();
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#startFlushes();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#queuedWeight >= this.#options.maxWeight) {
      this.#startFlushes();
    } else if (!this.#timer && this.#running < this.#options.concurrency) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#startFlushes();
      }, this.#options.maxWaitMs);
    }
  }

  #take(): Pending<I, R>[] {
    const batch: Pending<I, R>[] = [];
    let weight = 0;
    while (this.#queue.length > 0 && (batch.length === 0 || weight < this.#options.maxWeight)) {
      const next = this.#queue.shift() as Pending<I, R>;
      weight += this.#options.weigh(next.item);
      batch.push(next);
    }
    this.#queuedWeight -= weight;
    return batch;
  }

  #startFlushes(): void {
    while (this.#running < this.#options.concurrency && this.#queue.length > 0) {
      const batch = this.#take();
      this.#running++;
      void this.#run(batch).finally(() => {
        this.#running--;
        if (this.#queue.length > 0) this.#startFlushes();
        else if (this.#running === 0) for (const done of this.#idle.splice(0)) done();
      });
    }
  }

  async #run(batch: Pending<I, R>[]): Promise<void> {
    try {
      const results = await this.#flush(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad item must not fail its neighbours: retry each alone, so only the culprit fails.
      for (const p of batch) {
        try {
          const [result] = await this.#flush([p.item]);
          p.resolve(result as R);
        } catch (single) {
          p.reject(single);
        }
      }
    }
  }
}
