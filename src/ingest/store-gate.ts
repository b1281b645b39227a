// Remembers that the database is unavailable, so that the next thousand webhooks are refused at
// once (503, come back later) instead of each waiting out its own timeout. While shut, one request
// at a time is let through as a trial (so the first retry after the database returns is served,
// not refused), and a probe in the background reopens the gate even when no request comes.
import type { Logger } from "../log.ts";

export class StoreDownError extends Error {
  readonly code = "store_unavailable";
  constructor(options?: ErrorOptions) {
    super("the database is unavailable", options);
  }
}

export interface StoreGateOptions {
  /** Succeeds when the database takes writes again. */
  probe: () => Promise<void>;
  /** How often to probe while the gate is shut. */
  probeEveryMs: number;
  log: Logger;
}

export class StoreGate {
  readonly #o: StoreGateOptions;
  #down: unknown = null;
  #trial = false;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(options: StoreGateOptions) {
    this.#o = options;
  }

  get isDown(): boolean {
    return this.#down !== null;
  }

  /**
   * Lets a request through, or throws while the database is known to be unavailable. While shut,
   * the one request let through is a trial (true): call endTrial() once it is settled.
   */
  admit(): boolean {
    if (this.#down === null) return false;
    if (this.#trial) throw new StoreDownError({ cause: this.#down });
    this.#trial = true;
    return true;
  }

  endTrial(): void {
    this.#trial = false;
  }

  /** The database just served us. */
  open(): void {
    if (this.#down !== null) this.#o.log.info("database available again: accepting webhooks");
    this.#down = null;
  }

  /** The database just failed us: shut the gate until a trial or a probe succeeds. */
  shut(error: unknown): void {
    if (this.#down === null)
      this.#o.log.error({ err: error }, "database unavailable: refusing webhooks with 503 until it answers");
    this.#down = error;
    this.#scheduleProbe();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #scheduleProbe(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#down === null) return;
      this.#o.probe().then(
        () => this.open(),
        (error: unknown) => {
          this.#down = error;
          this.#scheduleProbe();
        },
      );
    }, this.#o.probeEveryMs);
    this.#timer.unref();
  }
}
