// What the job runner asks about a job a schedule made: what its post says besides the report (the
// schedule, the period, lateness, missed periods, the previous period's totals to compare with),
// and what to do once it ended (record the run; pause the schedule after repeated failures).
import type { Clock } from "../clock.ts";
import { isMessageState } from "../domain/lifecycle.ts";
import { previousPeriod } from "../domain/period-comparison.ts";
import { totalsOf } from "../domain/report-summary.ts";
import type { ScheduledPost } from "../domain/scheduled-post.ts";
import type { ReportDelivery } from "../jobs/delivery.ts";
import type { JobSettlement, ScheduledJobs } from "../jobs/job-runner.ts";
import type { Logger } from "../log.ts";
import { planReport, type ReportSettings } from "../reports/plan.ts";
import type { Store } from "../store/open-store.ts";
import type { ReportJob } from "../store/report-jobs.ts";
import { summaryGroups } from "../store/report-source.ts";
import { getRun, settleRun } from "../store/schedule-runs.ts";
import { toSchedule } from "../store/schedules.ts";

/** A schedule pauses itself after this many scheduled runs failed in a row. */
export const PAUSE_AFTER_FAILURES = 3;

export interface ScheduledJobsDeps {
  store: Store;
  settings: ReportSettings;
  deliveries: Record<string, ReportDelivery>;
  clock: Clock;
  log: Logger;
}

async function previousTotals(store: Store, job: ReportJob, settings: ReportSettings) {
  const { from, to } = previousPeriod(job.request.from, job.request.to);
  // The data start date must not move the previous period (it would no longer be comparable).
  const plan = await planReport(store, { ...job.request, from, to }, { ...settings, dataStartDate: null });
  const groups = await summaryGroups(store, plan.filter);
  const named = groups.flatMap(({ campaignId, state, ...g }) =>
    isMessageState(state) ? [{ ...g, state, campaign: String(campaignId) }] : [],
  );
  return { from, to, totals: totalsOf(named) };
}

export function scheduledJobs(deps: ScheduledJobsDeps): ScheduledJobs {
  return {
    async describe(job) {
      if (job.scheduleRunId === null) return null;
      const run = await getRun(deps.store, job.scheduleRunId);
      if (!run) return null;
      // Even a schedule deleted since: its run was claimed while it lived, and still posts.
      const row = await deps.store.prisma.schedule.findUnique({ where: { id: run.scheduleId } });
      if (!row) return null;
      const schedule = toSchedule(row);
      const previous = await previousTotals(deps.store, job, deps.settings).catch((error: unknown) => {
        deps.log.warn({ err: error, job: job.id }, "could not work out the previous period of a scheduled report");
        return null;
      });
      const post: ScheduledPost = {
        scheduleId: schedule.id,
        runId: run.id,
        kind: run.kind,
        rule: schedule.rule,
        createdBy: schedule.createdBy,
        from: run.from,
        to: run.to,
        late: run.late,
        fireAt: run.fireAt,
        missed: run.missed,
        previous,
      };
      return post;
    },

    async settled(job: ReportJob, settlement: JobSettlement) {
      if (job.scheduleRunId === null) return;
      const { pausedNow } = await settleRun(deps.store, job.scheduleRunId, settlement, deps.clock.now(), PAUSE_AFTER_FAILURES);
      if (!pausedNow) return;
      const run = await getRun(deps.store, job.scheduleRunId);
      const row = run ? await deps.store.prisma.schedule.findUnique({ where: { id: run.scheduleId } }) : null;
      if (!row) return;
      const schedule = toSchedule(row);
      deps.log.warn({ schedule: schedule.id }, "schedule paused itself after repeated failures");
      await deps.deliveries[schedule.conversation.platform]?.notice(
        schedule.conversation,
        { kind: "paused_after_failures", scheduleId: schedule.id, failures: PAUSE_AFTER_FAILURES, rule: schedule.rule },
        schedule.locale,
      );
    },
  };
}
