// Runs of schedules, claimed exactly once. A due schedule is claimed in one transaction that
// inserts its `schedule_runs` row (unique per schedule and period), advances `next_run_at` with a
// conditional update, and queues the report job: two instances (or a restarted one) cannot both
// win, and a claimed run always has its job. On PostgreSQL the database's clock decides what is
// due, so instances with skewed clocks agree.
import { randomUUID } from "node:crypto";
import type { ReportRequest } from "../domain/report-request.ts";
import { firesBetween, nextFireAfter, periodOfFire, type ScheduleRule } from "../domain/schedule-time.ts";
import type { MissedPeriod, RunKind } from "../domain/scheduled-post.ts";
import type { Store } from "./open-store.ts";
import { ruleOf, type ScheduleFilters } from "./schedules.ts";
import { all, asDate, type Dialect, first, run, type SqlOp, type Work } from "./sql.ts";

export type { RunKind } from "../domain/scheduled-post.ts";
export type RunOutcome = "queued" | "posted" | "empty" | "failed";

export interface ClaimedRun {
  runId: number;
  jobId: number;
  scheduleId: number;
  from: string;
  to: string;
  late: boolean;
}

/** A run that starts this long after its fire is late (the heartbeat starts them within a minute). */
const LATE_AFTER_MS = 5 * 60_000;
/** At most this many missed periods are remembered to be listed. */
const MISSED_MAX = 31;

const SCHEDULE_COLUMNS =
  "s.id, s.tenant_id, s.conversation, s.platform, s.frequency, s.day, s.time, s.time_zone, s.filters, s.format, s.locale, " +
  "s.next_run_at, s.missed, s.paused, s.deleted_at, t.slug";

interface ScheduleRow {
  id: number;
  tenant_id: number;
  conversation: string;
  platform: string;
  frequency: string;
  day: string | null;
  time: string;
  time_zone: string;
  filters: string;
  format: string;
  locale: string;
  next_run_at: unknown;
  missed: string | null;
  slug: string;
}

function* scheduleForUpdate(dialect: Dialect, id: number): Generator<SqlOp, ScheduleRow | undefined, unknown> {
  return yield* first<ScheduleRow & Record<string, unknown>>(
    `SELECT ${SCHEDULE_COLUMNS} FROM schedules s JOIN tenants t ON t.id = s.tenant_id
     WHERE s.id = ? AND s.deleted_at IS NULL${dialect === "postgresql" ? " FOR UPDATE OF s" : ""}`,
    [id],
  );
}

/** "Now" for deciding what is due: the database's clock on PostgreSQL, the process's on SQLite. */
function* clockNow(dialect: Dialect, processNow: Date): Generator<SqlOp, Date, unknown> {
  if (dialect !== "postgresql") return processNow;
  const row = yield* first<{ now: unknown }>("SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS now");
  return asDate(row?.now) ?? processNow;
}

function requestOf(row: ScheduleRow, from: string, to: string): ReportRequest {
  const f = JSON.parse(row.filters) as ScheduleFilters;
  return {
    tenant: row.slug,
    from,
    to,
    campaigns: f.campaigns,
    channels: f.channels,
    agents: f.agents,
    templates: [],
    states: f.states,
    format: row.format as ReportRequest["format"],
    locale: row.locale as ReportRequest["locale"],
    // Nobody is there to ask for CSV instead: a schedule's XLSX over the row limit comes as CSV.
    allowCsvFallback: true,
  };
}

function* insertRun(
  row: ScheduleRow,
  run_: {
    key: string;
    from: string;
    to: string;
    kind: RunKind;
    fireAt: Date;
    now: Date;
    late: boolean;
    missed: MissedPeriod[];
    by: string | null;
  },
): Generator<SqlOp, ClaimedRun | null, unknown> {
  const inserted = yield* first<{ id: number }>(
    `INSERT INTO schedule_runs (schedule_id, period_key, period_from, period_to, kind, fire_at, started_at, late, missed, requested_by, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')
     ON CONFLICT (schedule_id, period_key) DO NOTHING RETURNING id`,
    [
      row.id,
      run_.key,
      run_.from,
      run_.to,
      run_.kind,
      run_.fireAt,
      run_.now,
      run_.late,
      run_.missed.length ? JSON.stringify(run_.missed) : null,
      run_.by,
    ],
  );
  if (!inserted) return null;
  const runId = Number(inserted.id);
  const conversation = JSON.parse(row.conversation);
  const job = yield* first<{ id: number }>(
    `INSERT INTO report_jobs (tenant_id, platform, requester_id, conversation, request, schedule_run_id, status, attempts, progress_rows, created_at)
     VALUES (?, ?, NULL, ?, ?, ?, 'queued', 0, 0, ?) RETURNING id`,
    [
      row.tenant_id,
      row.platform,
      JSON.stringify(conversation),
      JSON.stringify(requestOf(row, run_.from, run_.to)),
      runId,
      run_.now,
    ],
  );
  const jobId = Number(job?.id);
  yield* run("UPDATE schedule_runs SET job_id = ? WHERE id = ?", [jobId, runId]);
  return { runId, jobId, scheduleId: row.id, from: run_.from, to: run_.to, late: run_.late };
}

class ClaimLost extends Error {}

/**
 * Claims the schedule's due fire, if it is due and nobody else claimed it. A fire missed while no
 * instance ran is run once, late, if it is within `catchUpMs`; older ones are not replayed but
 * remembered, to be listed by the next post.
 */
export function claimDueRun(
  scheduleId: number,
  options: { now: Date; catchUpMs: number },
): (dialect: Dialect) => Work<ClaimedRun | null> {
  return function* (dialect) {
    const row = yield* scheduleForUpdate(dialect, scheduleId);
    if (!row || truthy((row as unknown as Record<string, unknown>).paused)) return null;
    const now = yield* clockNow(dialect, options.now);
    const due = asDate(row.next_run_at) as Date;
    if (due.getTime() > now.getTime()) return null;
    const rule: ScheduleRule = ruleOf({ frequency: row.frequency, day: row.day, time: row.time, timeZone: row.time_zone });
    const fires = [due.getTime(), ...firesBetween(rule, due.getTime(), now.getTime(), 400)];
    const latest = fires.at(-1) as number;
    const runnable = latest >= now.getTime() - options.catchUpMs;
    const missedFires = runnable ? fires.slice(0, -1) : fires;
    const missed = [
      ...(row.missed ? (JSON.parse(row.missed) as MissedPeriod[]) : []),
      ...missedFires.map((f) => {
        const p = periodOfFire(rule, f);
        return { from: p.from, to: p.to };
      }),
    ].slice(-MISSED_MAX);
    const next = new Date(nextFireAfter(rule, now.getTime()));
    // Conditional on the fire this transaction saw: of two claimers, one moves it, the other finds
    // it moved. On PostgreSQL also on the database's clock: what is due is decided there.
    const moved = yield* run(
      `UPDATE schedules SET next_run_at = ?, missed = ?, updated_at = ? WHERE id = ? AND next_run_at = ?${
        dialect === "postgresql" ? " AND next_run_at <= (now() AT TIME ZONE 'UTC')" : ""
      }`,
      [next, runnable || missed.length === 0 ? null : JSON.stringify(missed), now, scheduleId, due],
    );
    if (moved !== 1) throw new ClaimLost();
    if (!runnable) return null;
    const period = periodOfFire(rule, latest);
    const claimed = yield* insertRun(row, {
      key: period.key,
      from: period.from,
      to: period.to,
      kind: "scheduled",
      fireAt: new Date(latest),
      now,
      late: now.getTime() - latest > LATE_AFTER_MS,
      missed,
      by: null,
    });
    // The period has a run already (its time was changed so that two fires cover the same days):
    // the schedule still moves on, so it is not found due again and again.
    return claimed;
  };
}

/** Runs claimDueRun; a claim another instance won is simply not this one's (null). */
export async function claimDue(
  store: Store,
  scheduleId: number,
  options: { now: Date; catchUpMs: number },
): Promise<ClaimedRun | null> {
  try {
    return await store.sql.transaction(claimDueRun(scheduleId, options));
  } catch (error) {
    if (error instanceof ClaimLost) return null;
    throw error;
  }
}

/** Schedules whose next fire is due, oldest first (a cheap indexed read; each is claimed on its own). */
export async function dueScheduleIds(store: Store, now: Date, limit = 100): Promise<number[]> {
  const rows = await store.sql.read(function* (dialect) {
    const due = dialect === "postgresql" ? "(now() AT TIME ZONE 'UTC')" : "?";
    return yield* all<{ id: number }>(
      `SELECT id FROM schedules WHERE deleted_at IS NULL AND paused = ? AND next_run_at <= ${due} ORDER BY next_run_at LIMIT ?`,
      dialect === "postgresql" ? [false, limit] : [false, now, limit],
    );
  });
  return rows.map((r) => Number(r.id));
}

/**
 * A run asked for by someone: `manual` (run now: the last scheduled period again) or `retry` (a
 * failed run's period again). It has a key of its own, so it never takes a scheduled run's place.
 */
export function startExtraRun(
  scheduleId: number,
  input: { kind: "manual" | "retry"; from: string; to: string; requestedBy: string | null; now: Date },
): (dialect: Dialect) => Work<ClaimedRun | null> {
  return function* (dialect) {
    const row = yield* scheduleForUpdate(dialect, scheduleId);
    if (!row) return null;
    return yield* insertRun(row, {
      key: `${input.from}..${input.to}#${input.kind}-${randomUUID().slice(0, 8)}`,
      from: input.from,
      to: input.to,
      kind: input.kind,
      fireAt: input.now,
      now: input.now,
      late: false,
      missed: [],
      by: input.requestedBy,
    });
  };
}

export interface ScheduleRun {
  id: number;
  scheduleId: number;
  periodKey: string;
  from: string;
  to: string;
  kind: RunKind;
  fireAt: Date;
  startedAt: Date;
  late: boolean;
  missed: MissedPeriod[];
  requestedBy: string | null;
  jobId: number | null;
  outcome: RunOutcome;
  postRef: string | null;
  error: string | null;
  finishedAt: Date | null;
}

type RunRow = Awaited<ReturnType<Store["prisma"]["scheduleRun"]["findUniqueOrThrow"]>>;

function toRun(r: RunRow): ScheduleRun {
  return {
    id: r.id,
    scheduleId: r.scheduleId,
    periodKey: r.periodKey,
    from: r.periodFrom,
    to: r.periodTo,
    kind: r.kind as RunKind,
    fireAt: r.fireAt,
    startedAt: r.startedAt,
    late: r.late,
    missed: r.missed ? (JSON.parse(r.missed) as MissedPeriod[]) : [],
    requestedBy: r.requestedBy,
    jobId: r.jobId,
    outcome: r.outcome as RunOutcome,
    postRef: r.postRef,
    error: r.error,
    finishedAt: r.finishedAt,
  };
}

export async function getRun(store: Store, id: number): Promise<ScheduleRun | null> {
  const row = await store.prisma.scheduleRun.findUnique({ where: { id } });
  return row ? toRun(row) : null;
}

export async function lastRunOf(store: Store, scheduleId: number): Promise<ScheduleRun | null> {
  const row = await store.prisma.scheduleRun.findFirst({
    where: { scheduleId },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
  });
  return row ? toRun(row) : null;
}

export async function runsOf(store: Store, scheduleId: number): Promise<ScheduleRun[]> {
  const rows = await store.prisma.scheduleRun.findMany({ where: { scheduleId }, orderBy: { id: "asc" } });
  return rows.map(toRun);
}

/**
 * How a run ended. Consecutive failures of scheduled runs are counted on the schedule; at
 * `pauseAfter` the schedule pauses itself (the caller says so in the channel). Returns whether it did.
 */
export async function settleRun(
  store: Store,
  runId: number,
  result: { outcome: Exclude<RunOutcome, "queued">; postRef: string | null; error: string | null },
  now: Date,
  pauseAfter = 3,
): Promise<{ pausedNow: boolean }> {
  const r = await getRun(store, runId);
  if (!r || r.outcome !== "queued") return { pausedNow: false };
  await store.prisma.scheduleRun.updateMany({
    where: { id: runId, outcome: "queued" },
    data: { outcome: result.outcome, postRef: result.postRef, error: result.error, finishedAt: now },
  });
  if (r.kind !== "scheduled") return { pausedNow: false };
  if (result.outcome !== "failed") {
    await store.prisma.schedule.updateMany({ where: { id: r.scheduleId }, data: { consecutiveFailures: 0 } });
    return { pausedNow: false };
  }
  const s = await store.prisma.schedule.update({
    where: { id: r.scheduleId },
    data: { consecutiveFailures: { increment: 1 }, updatedAt: now },
  });
  if (s.consecutiveFailures < pauseAfter || s.paused) return { pausedNow: false };
  await store.prisma.schedule.updateMany({ where: { id: r.scheduleId, paused: false }, data: { paused: true, updatedAt: now } });
  return { pausedNow: true };
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === "1" || v === "t";
}
