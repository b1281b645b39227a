// Housekeeping of a running server: at start-up (in the background: start-up does not wait for it)
// and then every few hours, webhook bodies and event payloads past retention are removed,
// leftover report files are swept from REPORTS_DIR, and published files whose link expired go.
import type { Logger } from "../log.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { pruneOldEventData, retentionCutoff } from "../store/prune-event-data.ts";
import { sweepPublishedFiles } from "./sweep-published-files.ts";
import { sweepReportFiles } from "./sweep-report-files.ts";

export const HOUSEKEEPING_INTERVAL_MS = 6 * 60 * 60_000;

export interface HousekeepingOptions {
  store: SqlStore;
  reportsDir: string;
  retentionDays: number;
  jobLeaseMs: number;
  now: () => Date;
  log: Logger;
  intervalMs?: number;
}

export interface Housekeeping {
  /** Resolves once the round under way, if any, is over. */
  idle(): Promise<void>;
  /** No more rounds; the one under way stops after its current chunk. */
  stop(): Promise<void>;
}

export function startHousekeeping(options: HousekeepingOptions): Housekeeping {
  const { store, log } = options;
  const abort = new AbortController();
  let round: Promise<void> | null = null;
  // Where the last round's walk of the event log ended (see pruneOldEventData).
  let eventLogDoneThrough = 0;

  async function sweepFiles(): Promise<void> {
    const removed = await sweepReportFiles(options.reportsDir, { now: options.now(), jobLeaseMs: options.jobLeaseMs });
    if (removed.length > 0) log.info({ files: removed }, "removed leftover report files");
  }

  async function sweepPublished(): Promise<void> {
    const { removed, failed } = await sweepPublishedFiles(store, options.reportsDir, options.now());
    if (removed.length > 0) log.info({ files: removed }, "removed published files whose download link expired");
    if (failed.length > 0) log.warn({ files: failed }, "could not remove published files whose download link expired");
  }

  async function pruneEvents(): Promise<void> {
    const before = retentionCutoff(options.now(), options.retentionDays);
    const result = await pruneOldEventData(store, { before, eventLogDoneThrough, signal: abort.signal });
    eventLogDoneThrough = result.eventLogDoneThrough;
    if (result.bodies + result.payloads > 0)
      log.info(
        { bodies: result.bodies, payloads: result.payloads, before },
        "removed webhook bodies and event payloads past retention",
      );
  }

  function runRound(): void {
    if (round || abort.signal.aborted) return;
    round = (async () => {
      // Each step on its own: a full disk or a busy database must not keep the other from running.
      await sweepFiles().catch((error) => log.warn({ err: error }, "could not sweep leftover report files"));
      await sweepPublished().catch((error) => log.warn({ err: error }, "could not sweep expired published files"));
      await pruneEvents().catch((error) => {
        if (!abort.signal.aborted) log.warn({ err: error }, "could not remove event data past retention");
      });
    })().finally(() => {
      round = null;
    });
  }

  runRound();
  const timer = setInterval(runRound, options.intervalMs ?? HOUSEKEEPING_INTERVAL_MS);
  timer.unref();

  return {
    idle: async () => {
      await round;
    },
    stop: async () => {
      clearInterval(timer);
      abort.abort();
      await round;
    },
  };
}
