// Runs report jobs: claims them from the store (at most `concurrency` at once, tenants by turns),
// builds each report in worker threads, and answers in the conversation through the platform's
// ReportDelivery.
//
// Invariants:
// - Only the lease holder posts, completes or fails a job; a worker that lost its lease stops.
// - A file is posted at most once: its id is recorded before the step that posts it, and its
//   posting once confirmed; a job whose file is posted never tells the conversation it failed.
// - A transient failure (database or platform away, rate limit, network) is tried again, up to
//   `maxAttempts` claims in all (runs lost to crashes count); then the conversation hears that the
//   job gave up and what to do. The request's own problems are said at once.
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Clock, ClockTimer } from "../clock.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import type { ScheduledPost } from "../domain/scheduled-post.ts";
import type { Logger } from "../log.ts";
import type { ReportSettings } from "../reports/plan.ts";
import { runReport } from "../reports/run-report.ts";
import type { Store } from "../store/open-store.ts";
import { type ClaimedJob, claimNextJob } from "../store/report-job-claim.ts";
import {
  completeJob,
  failJob,
  type ReportJob,
  recordFileId,
  recordMessageRef,
  recordPosted,
  recordProgress,
  releaseJob,
  retryJobLater,
} from "../store/report-jobs.ts";
import type { DeliveryProblem, ReportDelivery } from "./delivery.ts";
import { failureRef, gaveUpText } from "./failure-text.ts";
import { isLeaseLost, JobLease, LeaseLostError } from "./job-lease.ts";

export interface JobRunnerOptions {
  store: Store;
  databaseUrl: string;
  busyTimeoutMs: number;
  settings: ReportSettings;
  reportsDir: string;
  concurrency: number;
  leaseMs: number;
  /** How often the progress message may change (Slack rate-limits chat.update). */
  progressIntervalMs: number;
  pollMs: number;
  /** Claims a job gets (crashed runs included) before it is failed for good. */
  maxAttempts: number;
  /** The first retry waits this long, each next one twice as long, at most five minutes (default 1 s). */
  retryBaseMs?: number;
  deliveries: Record<string, ReportDelivery>;
  log: Logger;
  clock: Clock;
  /** For jobs a schedule made: what their post says besides the report, and how their run ended. */
  scheduled?: ScheduledJobs;
}

const MAX_RETRY_DELAY_MS = 5 * 60_000;

/** What a completed job records. */
interface Outcome {
  fileName: string | null;
  fileBytes: number | null;
  rows: number;
  summary: ReportSummary;
}

/** How a schedule's job ended, for its run: a file, no messages, or a failure said in the channel. */
export interface JobSettlement {
  outcome: "posted" | "empty" | "failed";
  postRef: string | null;
  error: string | null;
}

export interface ScheduledJobs {
  describe(job: ReportJob): Promise<ScheduledPost | null>;
  settled(job: ReportJob, settlement: JobSettlement): Promise<void>;
}

export class JobRunner {
  readonly #o: JobRunnerOptions;
  readonly #owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  #timer: ClockTimer | null = null;
  #stopped = false;
  #polling = false;

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  get #now(): Date {
    return this.#o.clock.now();
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** A job was just queued: look now rather than at the next poll. */
  wake(): void {
    if (!this.#stopped) this.#schedule(0);
  }

  #schedule(ms: number): void {
    this.#o.clock.clearTimeout(this.#timer);
    const timer = this.#o.clock.setTimeout(() => void this.#poll(), ms);
    timer.unref();
    this.#timer = timer;
  }

  async #poll(): Promise<void> {
    if (this.#stopped || this.#polling) return;
    this.#polling = true;
    try {
      while (!this.#stopped && this.#running.size < this.#o.concurrency) {
        const job = await claimNextJob(this.#o.store, this.#owner, this.#o.leaseMs, this.#now, {
          maxAttempts: this.#o.maxAttempts,
        });
        if (!job) break;
        const abort = new AbortController();
        const done = this.#run(job, abort.signal).finally(() => {
          this.#running.delete(job.id);
          this.wake();
        });
        this.#running.set(job.id, { abort, done });
      }
    } catch (error) {
      this.#o.log.error({ err: error }, "could not claim report jobs");
    } finally {
      this.#polling = false;
      if (!this.#stopped) this.#schedule(this.#o.pollMs);
    }
  }

  async #run(job: ClaimedJob, stopping: AbortSignal): Promise<void> {
    const { store } = this.#o;
    const delivery = this.#o.deliveries[job.platform];
    if (!delivery) {
      await failJob(store, job.id, this.#owner, "no_delivery", `no delivery for platform ${job.platform}`, this.#now);
      return;
    }
    const lease = new JobLease(store, job.id, this.#owner, this.#o.leaseMs, this.#o.clock);
    lease.start();
    if (job.scheduleRunId !== null && this.#o.scheduled) {
      job.post = await this.#o.scheduled.describe(job).catch((error: unknown) => {
        this.#o.log.warn({ err: error, job: job.id }, "could not describe a scheduled report's run; posting it without");
        return null;
      });
    }
    // Set once the file is in the conversation (by this attempt or an earlier one).
    let posted: Outcome | null =
      job.fileId && job.fileName && job.summary
        ? { fileName: job.fileName, fileBytes: job.fileBytes, rows: job.rows ?? 0, summary: job.summary }
        : null;
    let path: string | null = null;
    try {
      if (posted) return await this.#finishPosted(job, delivery, lease, posted);
      if (job.exhausted) return await this.#giveUp(job, delivery, lease, null);
      let ref = job.messageRef;
      if (!ref) {
        await lease.confirm();
        ref = await delivery.start(job);
        await recordMessageRef(store, job.id, ref);
        // This attempt's own copy of the row: a failure below answers in that message too.
        job.messageRef = ref;
      }
      const messageRef = ref;
      path = join(
        this.#o.reportsDir,
        `job-${job.id}-${basename(`${job.request.tenant}-${job.request.from}_${job.request.to}`)}.${job.request.format}`,
      );
      let lastShown = 0;
      const report = await runReport(store, job.request, {
        databaseUrl: this.#o.databaseUrl,
        busyTimeoutMs: this.#o.busyTimeoutMs,
        outputPath: path,
        settings: this.#o.settings,
        signal: AbortSignal.any([stopping, lease.signal]),
        onProgress: (p) => {
          const now = this.#now.getTime();
          if (lease.lost || now - lastShown < this.#o.progressIntervalMs || p.rows === p.total) return;
          lastShown = now;
          // Checked before each update, not only by the lease's periodic renewal: a worker that
          // lost the job in between must not touch the other worker's progress message.
          void (async () => {
            await lease.confirm();
            await recordProgress(store, job.id, this.#owner, p.rows, p.total);
            await delivery.progress(job, messageRef, p.rows, p.total);
          })().catch((error) => {
            if (!isLeaseLost(error)) this.#o.log.warn({ err: error, job: job.id }, "progress update failed");
          });
        },
      });
      path = report.path;
      if (report.rows === 0) {
        await lease.confirm();
        await delivery.empty(job, messageRef, report.summary);
        await completeJob(
          store,
          job.id,
          this.#owner,
          { fileName: null, fileBytes: null, rows: 0, summary: report.summary },
          this.#now,
        );
        await this.#settled(job, { outcome: "empty", postRef: messageRef, error: null });
        return;
      }
      const name = basename(report.path).replace(/^job-\d+-/, "hsm-report-");
      await lease.confirm();
      const delivered = await delivery.deliver(
        job,
        messageRef,
        { path: report.path, name, bytes: report.bytes },
        report.summary,
        {
          earlierFileId: job.fileId,
          fileIdKnown: async (fileId) => {
            if (!(await recordFileId(store, job.id, this.#owner, fileId))) throw new LeaseLostError(job.id);
          },
          aboutToPost: () => lease.confirm(),
        },
      );
      const outcome = { fileName: name, fileBytes: report.bytes, rows: report.rows, summary: report.summary };
      await recordPosted(store, job.id, delivered.fileId, { ...outcome, permalink: delivered.permalink });
      posted = outcome;
      await lease.confirm();
      await delivery.finish(job, messageRef, report.summary, delivered);
      await completeJob(store, job.id, this.#owner, outcome, this.#now);
      await this.#settled(job, { outcome: "posted", postRef: delivered.fileId, error: null });
      this.#o.log.info({ job: job.id, rows: report.rows, bytes: report.bytes }, "report delivered");
    } catch (error) {
      await this.#failed(job, delivery, lease, error, posted, stopping.aborted);
    } finally {
      lease.stop();
      if (path) await rm(path, { force: true }).catch(() => {});
    }
  }

  /** The file is already in the conversation: only the progress message is left to finish. */
  async #finishPosted(job: ClaimedJob, delivery: ReportDelivery, lease: JobLease, posted: Outcome): Promise<void> {
    await lease.confirm();
    if (job.messageRef && job.fileId) {
      await delivery.finish(job, job.messageRef, posted.summary, { fileId: job.fileId, permalink: job.permalink });
    }
    await completeJob(this.#o.store, job.id, this.#owner, posted, this.#now);
    await this.#settled(job, { outcome: "posted", postRef: job.fileId, error: null });
    this.#o.log.info({ job: job.id }, "report already posted by an earlier attempt: finished");
  }

  /** Tells the schedule how its job ended; its own failure is logged, never the job's. */
  async #settled(job: ReportJob, settlement: JobSettlement): Promise<void> {
    if (job.scheduleRunId === null || !this.#o.scheduled) return;
    await this.#o.scheduled
      .settled(job, settlement)
      .catch((error: unknown) => this.#o.log.error({ err: error, job: job.id }, "could not record how a scheduled run ended"));
  }

  async #failed(
    job: ClaimedJob,
    delivery: ReportDelivery,
    lease: JobLease,
    error: unknown,
    posted: Outcome | null,
    stopping: boolean,
  ): Promise<void> {
    const { store, log } = this.#o;
    if (lease.lost || isLeaseLost(error)) {
      log.warn({ job: job.id }, "report job taken over by another worker: this one stops and posts nothing more");
      return;
    }
    if (stopping) return; // stop() hands the job back to the queue
    const ref = failureRef();
    const problem = delivery.explain(error, job, ref);
    const again = problem.retry && job.attempts < this.#o.maxAttempts;
    if (posted) {
      // The file is in the conversation: never say the job failed, never post the file again.
      log.warn({ err: error, job: job.id, code: problem.code, ref }, "report posted, but finishing its job failed");
      if (again) await this.#retryLater(job, problem);
      else {
        await completeJob(store, job.id, this.#owner, posted, this.#now).catch((e) => log.error({ err: e, job: job.id }));
        await this.#settled(job, { outcome: "posted", postRef: job.fileId, error: null });
      }
      return;
    }
    log.warn(
      { err: error, job: job.id, code: problem.code, ref, attempt: job.attempts, retry: again },
      again ? "report job failed; it will be tried again" : "report job failed",
    );
    if (again) return this.#retryLater(job, problem);
    if (problem.retry)
      return this.#giveUp(job, delivery, lease, { ...problem, text: gaveUpText(job.request.locale, job.attempts, ref) });
    await this.#tell(job, delivery, lease, problem);
  }

  async #retryLater(job: ClaimedJob, problem: DeliveryProblem): Promise<void> {
    const base = this.#o.retryBaseMs ?? 1000;
    const delay = Math.min(MAX_RETRY_DELAY_MS, Math.max(problem.retryAfterMs ?? 0, base * 2 ** Math.max(0, job.attempts - 1)));
    await retryJobLater(this.#o.store, job.id, this.#owner, new Date(this.#now.getTime() + delay), problem).catch((e) =>
      this.#o.log.error({ err: e, job: job.id }, "could not put a report job back in the queue"),
    );
  }

  /** Every attempt is spent (the last one failed here, or was lost to a crash): say so and stop. */
  async #giveUp(job: ClaimedJob, delivery: ReportDelivery, lease: JobLease, last: DeliveryProblem | null): Promise<void> {
    let problem = last;
    if (!problem) {
      const ref = failureRef();
      this.#o.log.warn(
        { job: job.id, ref, attempts: job.attempts, lastCode: job.errorCode },
        "report job gave up: its last attempts were lost (crash or expired lease)",
      );
      problem = { code: "job_gave_up", text: gaveUpText(job.request.locale, job.attempts, ref), retry: false };
    }
    await this.#tell(job, delivery, lease, { ...problem, code: "job_gave_up" });
  }

  /** The conversation hears why, and the job is failed for good. */
  async #tell(job: ReportJob, delivery: ReportDelivery, lease: JobLease, problem: DeliveryProblem): Promise<void> {
    const { store, log } = this.#o;
    try {
      await lease.confirm();
      await delivery.failed(job, job.messageRef, problem);
    } catch (error) {
      if (isLeaseLost(error)) return;
      log.error({ err: error, job: job.id }, "could not tell the conversation a job failed");
    }
    await failJob(store, job.id, this.#owner, problem.code, problem.text, this.#now).catch((e) =>
      log.error({ err: e, job: job.id }, "could not record a failed report job"),
    );
    await this.#settled(job, { outcome: "failed", postRef: job.messageRef, error: problem.text });
  }

  /** Stops claiming; running jobs are cancelled and handed back to the queue for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#o.clock.clearTimeout(this.#timer);
    for (const [id, { abort, done }] of this.#running) {
      abort.abort();
      await done.catch(() => {});
      await releaseJob(this.#o.store, id, this.#owner).catch(() => {});
    }
  }
}
