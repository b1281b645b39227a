// Schedules in the store: what to post, where, and when next. Deleted schedules are kept (soft
// delete) so their runs stay explained, but are never listed, found or fired again.
import { type ConversationRef, readConversationRef } from "../domain/conversation-ref.ts";
import type { ReportFormat } from "../domain/report-request.ts";
import { nextFireAfter, type ScheduleRule, WEEKDAY_CODES, type Weekday } from "../domain/schedule-time.ts";
import type { MissedPeriod } from "../domain/scheduled-post.ts";
import type { Locale } from "../domain/tenant.ts";
import type { Store } from "./open-store.ts";

export type { MissedPeriod } from "../domain/scheduled-post.ts";

export interface ScheduleFilters {
  campaigns: string[];
  channels: string[];
  agents: string[];
  states: string[];
}

export interface Schedule {
  id: number;
  tenantId: number;
  conversation: ConversationRef;
  rule: ScheduleRule;
  filters: ScheduleFilters;
  format: ReportFormat;
  locale: Locale;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  paused: boolean;
  deletedAt: Date | null;
  nextRunAt: Date;
  consecutiveFailures: number;
  missed: MissedPeriod[];
}

/** The `day` column: weekly mon … sun, monthly 1 … 31 or last, daily nothing. */
export function dayOf(rule: ScheduleRule): string | null {
  if (rule.frequency === "weekly") return WEEKDAY_CODES[rule.weekday ?? 0] as string;
  if (rule.frequency === "monthly") return String(rule.monthDay ?? 1);
  return null;
}

export function ruleOf(row: { frequency: string; day: string | null; time: string; timeZone: string }): ScheduleRule {
  const frequency = row.frequency as ScheduleRule["frequency"];
  const weekday = frequency === "weekly" ? (Math.max(0, WEEKDAY_CODES.indexOf(row.day as never)) as Weekday) : null;
  const monthDay = frequency === "monthly" ? (row.day === "last" ? "last" : Number(row.day)) : null;
  return { frequency, weekday, monthDay, time: row.time, timeZone: row.timeZone };
}

type Row = Awaited<ReturnType<Store["prisma"]["schedule"]["findUniqueOrThrow"]>>;

export function toSchedule(r: Row): Schedule {
  return {
    id: r.id,
    tenantId: r.tenantId,
    conversation: readConversationRef(JSON.parse(r.conversation), r.platform),
    rule: ruleOf(r),
    filters: JSON.parse(r.filters) as ScheduleFilters,
    format: r.format as ReportFormat,
    locale: r.locale as Locale,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    paused: r.paused,
    deletedAt: r.deletedAt,
    nextRunAt: r.nextRunAt,
    consecutiveFailures: r.consecutiveFailures,
    missed: r.missed ? (JSON.parse(r.missed) as MissedPeriod[]) : [],
  };
}

export interface NewSchedule {
  tenantId: number;
  conversation: ConversationRef;
  rule: ScheduleRule;
  filters: ScheduleFilters;
  format: ReportFormat;
  locale: Locale;
  createdBy: string | null;
}

export async function createSchedule(store: Store, input: NewSchedule, now: Date): Promise<Schedule> {
  const row = await store.prisma.schedule.create({
    data: {
      tenantId: input.tenantId,
      platform: input.conversation.platform,
      conversation: JSON.stringify(input.conversation),
      conversationId: input.conversation.conversationId,
      frequency: input.rule.frequency,
      day: dayOf(input.rule),
      time: input.rule.time,
      timeZone: input.rule.timeZone,
      filters: JSON.stringify(input.filters),
      format: input.format,
      locale: input.locale,
      createdBy: input.createdBy,
      createdAt: now,
      updatedAt: now,
      nextRunAt: new Date(nextFireAfter(input.rule, now.getTime())),
    },
  });
  return toSchedule(row);
}

/** A live (not deleted) schedule by id, if any. */
export async function getSchedule(store: Store, id: number): Promise<Schedule | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await store.prisma.schedule.findFirst({ where: { id, deletedAt: null } });
  return row ? toSchedule(row) : null;
}

async function getScheduleEvenDeleted(store: Store, id: number): Promise<Schedule | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const row = await store.prisma.schedule.findUnique({ where: { id } });
  return row ? toSchedule(row) : null;
}

/**
 * A live schedule of this very conversation (a deleted one too with `evenDeleted`, to name it): an
 * id of another channel or tenant is not found, exactly as an id that never existed (its contents
 * are never shown there).
 */
export async function findScheduleHere(
  store: Store,
  where: { tenantId: number; platform: string; conversationId: string },
  id: number,
  options: { evenDeleted?: boolean } = {},
): Promise<Schedule | null> {
  const s = options.evenDeleted ? await getScheduleEvenDeleted(store, id) : await getSchedule(store, id);
  if (!s || s.tenantId !== where.tenantId) return null;
  if (s.conversation.platform !== where.platform || s.conversation.conversationId !== where.conversationId) return null;
  return s;
}

export async function listSchedules(
  store: Store,
  where: { tenantId?: number; platform?: string; conversationId?: string } = {},
): Promise<Schedule[]> {
  const rows = await store.prisma.schedule.findMany({
    where: {
      deletedAt: null,
      ...(where.tenantId === undefined ? {} : { tenantId: where.tenantId }),
      ...(where.platform === undefined ? {} : { platform: where.platform }),
      ...(where.conversationId === undefined ? {} : { conversationId: where.conversationId }),
    },
    orderBy: { id: "asc" },
  });
  return rows.map(toSchedule);
}

export async function pauseSchedule(store: Store, id: number, now: Date): Promise<Schedule | null> {
  const { count } = await store.prisma.schedule.updateMany({
    where: { id, deletedAt: null },
    data: { paused: true, updatedAt: now },
  });
  return count ? getSchedule(store, id) : null;
}

/**
 * Resumes from now on: fires that fell while the schedule was paused are not replayed, so the next
 * run is the first fire after now, and nothing missed while paused is listed.
 */
export async function resumeSchedule(store: Store, id: number, now: Date): Promise<Schedule | null> {
  const s = await getSchedule(store, id);
  if (!s) return null;
  await store.prisma.schedule.updateMany({
    where: { id, deletedAt: null },
    data: {
      paused: false,
      consecutiveFailures: 0,
      missed: null,
      updatedAt: now,
      nextRunAt: new Date(nextFireAfter(s.rule, now.getTime())),
    },
  });
  return getSchedule(store, id);
}

export async function deleteSchedule(store: Store, id: number, now: Date): Promise<Schedule | null> {
  const s = await getSchedule(store, id);
  if (!s) return null;
  await store.prisma.schedule.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: now, updatedAt: now } });
  return s;
}
