// The scheduler: a heartbeat that finds due schedules in the store and claims their runs.
//
// node-schedule is only the heartbeat (a job every minute, in UTC, plus one tick at start-up): fire
// times are computed by domain/schedule-time.ts and kept in the store (`next_run_at`), so nothing
// has to be re-armed when a schedule changes or another instance creates one, and node-schedule's
// own DST and time-zone handling (issues #588, #632, #542 in NOTES.md) never decides anything.
import nodeSchedule from "node-schedule";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/open-store.ts";
import { type ClaimedRun, claimDue, dueScheduleIds } from "../store/schedule-runs.ts";

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** A fire missed while no instance ran is still run (late) within this long. */
  catchUpMs: number;
  /** A run was claimed and its job queued: start it. */
  onRunQueued: (run: ClaimedRun) => void;
}

export class Scheduler {
  readonly #o: SchedulerOptions;
  #heartbeat: nodeSchedule.Job | null = null;
  #ticking: Promise<void> | null = null;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#o = options;
  }

  start(): void {
    this.#stopped = false;
    this.#heartbeat = nodeSchedule.scheduleJob({ rule: "* * * * *", tz: "Etc/UTC" }, () => void this.tick());
    void this.tick();
  }

  /** Claims every due run (one transaction each). Overlapping ticks wait for the one under way. */
  tick(): Promise<void> {
    this.#ticking ??= this.#claimDue().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #claimDue(): Promise<void> {
    const { store, clock, log } = this.#o;
    let ids: number[];
    try {
      ids = await dueScheduleIds(store, clock.now());
    } catch (error) {
      log.warn({ err: error }, "could not look for due schedules; the next tick tries again");
      return;
    }
    for (const id of ids) {
      if (this.#stopped) return;
      try {
        const run = await claimDue(store, id, { now: clock.now(), catchUpMs: this.#o.catchUpMs });
        if (!run) continue;
        log.info(
          { schedule: id, run: run.runId, job: run.jobId, period: `${run.from}..${run.to}`, late: run.late },
          "scheduled report queued",
        );
        this.#o.onRunQueued(run);
      } catch (error) {
        // A schedule that cannot be claimed now is due still: the next tick tries it again.
        log.warn({ err: error, schedule: id }, "could not claim a due schedule");
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#heartbeat?.cancel();
    this.#heartbeat = null;
    await this.#ticking?.catch(() => {});
  }
}
