// Runs report jobs: claims them from the store (at most `concurrency` at once), builds each report
// in worker threads, and answers in the conversation through the platform's ReportDelivery.
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Logger } from "../log.ts";
import type { ReportSettings } from "../reports/plan.ts";
import { runReport } from "../reports/run-report.ts";
import type { Store } from "../store/open-store.ts";
import {
  claimNextJob,
  completeJob,
  failJob,
  getJob,
  type ReportJob,
  recordDelivery,
  recordMessageRef,
  recordProgress,
  releaseJob,
  renewLease,
} from "../store/report-jobs.ts";
import type { ReportDelivery } from "./delivery.ts";

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
  deliveries: Record<string, ReportDelivery>;
  log: Logger;
  now?: () => Date;
}

export class JobRunner {
  readonly #o: JobRunnerOptions;
  readonly #owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #polling = false;

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  get #now(): Date {
    return this.#o.now?.() ?? new Date();
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
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#poll(), ms);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    if (this.#stopped || this.#polling) return;
    this.#polling = true;
    try {
      while (!this.#stopped && this.#running.size < this.#o.concurrency) {
        const job = await claimNextJob(this.#o.store, this.#owner, this.#o.leaseMs, this.#now);
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

  async #run(job: ReportJob, signal: AbortSignal): Promise<void> {
    const { store, log } = this.#o;
    const delivery = this.#o.deliveries[job.platform];
    if (!delivery) {
      await failJob(store, job.id, this.#owner, "no_delivery", `no delivery for platform ${job.platform}`, this.#now);
      return;
    }
    const heartbeat = setInterval(
      () => {
        void renewLease(store, job.id, this.#owner, new Date(this.#now.getTime() + this.#o.leaseMs)).catch(() => {});
      },
      Math.max(250, Math.floor(this.#o.leaseMs / 3)),
    );
    heartbeat.unref();
    let ref = job.messageRef;
    const path = join(
      this.#o.reportsDir,
      `job-${job.id}-${basename(`${job.request.tenant}-${job.request.from}_${job.request.to}`)}.${job.request.format}`,
    );
    try {
      if (!ref) {
        ref = await delivery.start(job);
        await recordMessageRef(store, job.id, ref);
      }
      const messageRef = ref;
      let lastShown = 0;
      const report = await runReport(store, job.request, {
        databaseUrl: this.#o.databaseUrl,
        busyTimeoutMs: this.#o.busyTimeoutMs,
        outputPath: path,
        settings: this.#o.settings,
        signal,
        onProgress: (p) => {
          const now = Date.now();
          if (now - lastShown < this.#o.progressIntervalMs || p.rows === p.total) return;
          lastShown = now;
          void recordProgress(store, job.id, this.#owner, p.rows, p.total).catch(() => {});
          void delivery
            .progress(job, messageRef, p.rows, p.total)
            .catch((error) => log.warn({ err: error, job: job.id }, "progress update failed"));
        },
      });
      if (report.rows === 0) {
        await delivery.empty(job, messageRef, report.summary);
        await completeJob(
          store,
          job.id,
          this.#owner,
          { fileName: null, fileBytes: null, rows: 0, summary: report.summary },
          this.#now,
        );
        return;
      }
      const name = basename(report.path).replace(/^job-\d+-/, "hsm-report-");
      // A re-run after a crash finds the file already posted and does not post it again.
      const fresh = await getJob(store, job.id);
      let delivered = fresh?.fileId ? { fileId: fresh.fileId, permalink: fresh.permalink } : null;
      if (!delivered) {
        delivered = await delivery.deliver(job, messageRef, { path: report.path, name, bytes: report.bytes }, report.summary);
        await recordDelivery(store, job.id, delivered.fileId, delivered.permalink);
      }
      await delivery.finish(job, messageRef, report.summary, delivered);
      await completeJob(
        store,
        job.id,
        this.#owner,
        { fileName: name, fileBytes: report.bytes, rows: report.rows, summary: report.summary },
        this.#now,
      );
      log.info({ job: job.id, rows: report.rows, bytes: report.bytes }, "report delivered");
    } catch (error) {
      if (signal.aborted) return; // stopping: the job goes back to the queue
      const problem = delivery.explain(error, job);
      log.warn({ err: error, job: job.id, code: problem.code }, "report job failed");
      await delivery
        .failed(job, ref, problem)
        .catch((e) => log.error({ err: e, job: job.id }, "could not tell the conversation a job failed"));
      await failJob(store, job.id, this.#owner, problem.code, problem.text, this.#now).catch(() => {});
    } finally {
      clearInterval(heartbeat);
      await rm(path, { force: true }).catch(() => {});
    }
  }

  /** Stops claiming; running jobs are cancelled and handed back to the queue for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const [id, { abort, done }] of this.#running) {
      abort.abort();
      await done.catch(() => {});
      await releaseJob(this.#o.store, id, this.#owner).catch(() => {});
    }
  }
}
