// A running job's lease: renewed in the background while the report is written, and confirmed
// (renewed, and checked) right before anything is posted. A worker whose lease was taken over —
// it stalled past the lease and another worker claimed the job — stops: it posts nothing more and
// does not complete or fail a job that is no longer its.
import type { Clock, ClockTimer } from "../clock.ts";
import type { Store } from "../store/open-store.ts";
import { renewLease } from "../store/report-jobs.ts";

export class LeaseLostError extends Error {
  readonly code = "job_lease_lost";
  constructor(jobId: number) {
    super(`report job ${jobId} is no longer this worker's: another worker took it over`);
    this.name = "LeaseLostError";
  }
}

export function isLeaseLost(error: unknown): error is LeaseLostError {
  return error instanceof LeaseLostError;
}

export class JobLease {
  readonly #abort = new AbortController();
  #timer: ClockTimer | null = null;

  constructor(
    private readonly store: Store,
    private readonly jobId: number,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly clock: Clock,
  ) {}

  /** Aborted once the lease is known to be lost. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get lost(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Renews every third of the lease; a failed renewal (database away) is tried again next time. */
  start(): void {
    const timer = this.clock.setInterval(
      () => {
        void this.#renew().catch(() => {});
      },
      Math.max(250, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    this.#timer = timer;
  }

  stop(): void {
    this.clock.clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Extends the lease now; throws LeaseLostError when the job is no longer ours. */
  async confirm(): Promise<void> {
    if (this.lost || !(await this.#renew())) throw new LeaseLostError(this.jobId);
  }

  async #renew(): Promise<boolean> {
    if (this.lost) return false;
    const held = await renewLease(this.store, this.jobId, this.owner, new Date(this.clock.now().getTime() + this.leaseMs));
    if (!held) this.#abort.abort(new LeaseLostError(this.jobId));
    return held;
  }
}
