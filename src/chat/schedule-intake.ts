// Schedules from chat, for every platform: create one from a parsed command or a form, run one now
// (the last period again, as an extra run), retry a failed run. Who may do it is the caller's access
// check (the same as for reports); what is said about it is the platform's.

import type { ConversationRef } from "../domain/conversation-ref.ts";
import { localDate } from "../domain/local-time.ts";
import type { ReportFormat } from "../domain/report-request.ts";
import { lastFireAtOrBefore, nextFireAfter, periodOfFire, type ScheduleRule, type Weekday } from "../domain/schedule-time.ts";
import type { Locale } from "../domain/tenant.ts";
import type { ReportSettings } from "../reports/plan.ts";
import type { Store } from "../store/open-store.ts";
import { type ClaimedRun, getRun, startExtraRun } from "../store/schedule-runs.ts";
import { createSchedule, getSchedule, type Schedule } from "../store/schedules.ts";
import type { Tenant } from "../store/tenants.ts";
import { checkRequest, requestFor } from "./intake.ts";

export interface ScheduleInput {
  frequency: ScheduleRule["frequency"];
  weekday: Weekday | null;
  monthDay: number | "last" | null;
  time: string;
  /** Null: the tenant's zone. */
  timeZone: string | null;
  campaigns: string[];
  channels: string[];
  agents: string[];
  states: string[];
  format: ReportFormat | null;
  locale: Locale | null;
}

export interface ScheduleDeps {
  store: Store;
  reportSettings: ReportSettings;
  now: () => Date;
  /** A run's job was queued: start it. */
  onJobQueued: () => void;
}

/**
 * Creates the schedule, after checking its filters name things that exist (a ReportError, as for a
 * report, otherwise). Returns it with its first fire.
 */
export async function createScheduleFor(
  deps: ScheduleDeps,
  input: { tenant: Tenant; conversation: ConversationRef; createdBy: string | null; schedule: ScheduleInput },
): Promise<{ schedule: Schedule; firstFire: Date }> {
  const { tenant, schedule: s } = input;
  const rule: ScheduleRule = {
    frequency: s.frequency,
    weekday: s.frequency === "weekly" ? s.weekday : null,
    monthDay: s.frequency === "monthly" ? s.monthDay : null,
    time: s.time,
    timeZone: s.timeZone ?? tenant.timeZone,
  };
  const format = s.format ?? "xlsx";
  const locale = s.locale ?? tenant.locale;
  const yesterday = localDate(deps.now().getTime() - 86_400_000, tenant.timeZone);
  // Names are checked now, against a one-day period: a typo is answered at once, not by a failed post.
  await checkRequest(
    deps.store,
    requestFor(tenant, {
      from: yesterday,
      to: yesterday,
      campaigns: s.campaigns,
      channels: s.channels,
      agents: s.agents,
      templates: [],
      states: s.states,
      format: "csv",
      locale,
    }),
    deps.reportSettings,
  );
  const schedule = await createSchedule(
    deps.store,
    {
      tenantId: tenant.id,
      conversation: { ...input.conversation, requesterId: null, extra: creatorExtra(input.conversation, input.createdBy) },
      rule,
      filters: { campaigns: s.campaigns, channels: s.channels, agents: s.agents, states: s.states },
      format,
      locale,
      createdBy: input.createdBy,
    },
    deps.now(),
  );
  return { schedule, firstFire: schedule.nextRunAt };
}

/** A schedule's post has no requester; its creator is who hears about it when the channel cannot. */
function creatorExtra(conversation: ConversationRef, createdBy: string | null): Record<string, string> {
  const { responseUrl: _oneCommandOnly, ...rest } = conversation.extra;
  return createdBy ? { ...rest, creatorId: createdBy } : rest;
}

/** The period the schedule's latest fire covered (what "run now" posts again). */
export function lastPeriod(schedule: Schedule, now: Date): { from: string; to: string } {
  const last = lastFireAtOrBefore(schedule.rule, now.getTime()) ?? nextFireAfter(schedule.rule, now.getTime());
  const p = periodOfFire(schedule.rule, last);
  return { from: p.from, to: p.to };
}

/** Run now: the last period again, at once, as a manual run (the next scheduled one stays as it is). */
export async function runScheduleNow(
  deps: ScheduleDeps,
  schedule: Schedule,
  requestedBy: string | null,
): Promise<ClaimedRun | null> {
  const period = lastPeriod(schedule, deps.now());
  const run = await deps.store.sql.transaction(
    startExtraRun(schedule.id, { kind: "manual", ...period, requestedBy, now: deps.now() }),
  );
  if (run) deps.onJobQueued();
  return run;
}

/** Retry: a failed run's period again. Null when the run or its schedule no longer exists. */
export async function retryRun(
  deps: ScheduleDeps,
  runId: number,
  requestedBy: string | null,
): Promise<{ run: ClaimedRun; schedule: Schedule } | null> {
  const failed = await getRun(deps.store, runId);
  const schedule = failed ? await getSchedule(deps.store, failed.scheduleId) : null;
  if (!failed || !schedule) return null;
  const run = await deps.store.sql.transaction(
    startExtraRun(schedule.id, { kind: "retry", from: failed.from, to: failed.to, requestedBy, now: deps.now() }),
  );
  if (!run) return null;
  deps.onJobQueued();
  return { run, schedule };
}
