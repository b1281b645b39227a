// Group commit: many small submissions share one flush (one database transaction). Each
// submitter's promise settles only when the flush holding its item has committed, so an HTTP
// answer still waits for its own events to be durable (NOTES.md: per-event transactions cap out
// near 5,500/s; batches reach 50k+).
//
// A flush starts as soon as none is running (no fixed wait: a lone request is not made to wait
// for company); whatever arrives while one runs goes into the next. The queue is bounded by
// weight and bytes: past either, submit() refuses at once, so a slow or absent database turns
// into quick refusals rather than a growing heap.

export interface BatcherOptions<I> {
  /** Most weight (events) per flush. */
  maxWeight: number;
  /** Most weight waiting; beyond it submit() refuses. */
  maxQueuedWeight: number;
  /** Most bytes waiting; beyond it submit() refuses. */
  maxQueuedBytes: number;
  /** Flushes allowed at once (1 for SQLite: one writer). */
  concurrency: number;
  weigh: (item: I) => number;
  size: (item: I) => number;
  /**
   * Whether a failed flush should be retried item by item (a bug in one item must not fail its
   * neighbours) or fail whole (the database is unavailable: retrying each alone only multiplies
   * the waiting).
   */
  splitOnFailure: (error: unknown) => boolean;
}

export class QueueFullError extends Error {
  readonly code = "ingest_queue_full";
  constructor(what: string) {
    super(`the ingest queue is full (${what})`);
  }
}

interface Pending<I, R> {
  item: I;
  weight: number;
  bytes: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class Batcher<I, R> {
  readonly #flush: (items: I[]) => Promise<R[]>;
  readonly #options: BatcherOptions<I>;
  #queue: Pending<I, R>[] = [];
  #queuedWeight = 0;
  #queuedBytes = 0;
  #running = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(flush: (items: I[]) => Promise<R[]>, options: BatcherOptions<I>) {
    this.#flush = flush;
    this.#options = options;
  }

  get queuedWeight(): number {
    return this.#queuedWeight;
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  submit(item: I): Promise<R> {
    const weight = this.#options.weigh(item);
    const bytes = this.#options.size(item);
    // An item alone is always let in, however large, so that a big body is not refused forever.
    if (this.#queue.length > 0 && this.#queuedWeight + weight > this.#options.maxQueuedWeight) {
      return Promise.reject(new QueueFullError(`${this.#queuedWeight} events waiting`));
    }
    if (this.#queue.length > 0 && this.#queuedBytes + bytes > this.#options.maxQueuedBytes) {
      return Promise.reject(new QueueFullError(`${this.#queuedBytes} bytes waiting`));
    }
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, weight, bytes, resolve, reject });
      this.#queuedWeight += weight;
      this.#queuedBytes += bytes;
      this.#schedule();
    });
  }

  /** Refuses everything waiting (the database went away): each submitter hears it at once. */
  failQueued(error: unknown): void {
    const waiting = this.#queue.splice(0);
    this.#queuedWeight = 0;
    this.#queuedBytes = 0;
    for (const p of waiting) p.reject(error);
    this.#settleIdle();
  }

  /** Resolves once everything submitted so far has been flushed. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#running === 0) return Promise.resolve();
    this.#schedule();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Starts a flush on the next turn of the event loop rather than now: every request whose body
   * arrived in the same turn joins it. (On SQLite a transaction blocks the loop while it runs, so
   * the requests that arrived meanwhile are all read in that next turn.)
   */
  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#options.concurrency) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#startFlushes();
    });
  }

  #take(): Pending<I, R>[] {
    const batch: Pending<I, R>[] = [];
    let weight = 0;
    while (
      this.#queue.length > 0 &&
      (batch.length === 0 || weight + (this.#queue[0] as Pending<I, R>).weight <= this.#options.maxWeight)
    ) {
      const next = this.#queue.shift() as Pending<I, R>;
      weight += next.weight;
      this.#queuedBytes -= next.bytes;
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
        if (this.#queue.length > 0) this.#schedule();
        else this.#settleIdle();
      });
    }
  }

  #settleIdle(): void {
    if (this.#queue.length === 0 && this.#running === 0) for (const done of this.#idle.splice(0)) done();
  }

  async #run(batch: Pending<I, R>[]): Promise<void> {
    try {
      const results = await this.#flush(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
    } catch (error) {
      if (batch.length === 1 || !this.#options.splitOnFailure(error)) {
        for (const p of batch) p.reject(error);
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
