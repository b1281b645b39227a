// Scheduled reports (issue 8): when a schedule fires, and which local days its report covers.
// Pure: Intl is the only source of time zone rules.
//
// The DST policy is ours, stated here because cron libraries disagree (node-schedule's
// RecurrenceRule skips a spring-forward 02:30 and fires twice at a fall-back 01:30, issue #588):
// - a local time that falls in a gap fires at the first instant after the gap (02:30 in
//   Europe/Madrid on 2026-03-29 fires at 03:00 local);
// - a local time that happens twice fires once, at its first occurrence (the earlier offset).
// Either way a fire belongs to its nominal local day, and periods are built from nominal days.
import { addDays, exactZoneOffsetMs } from "./local-time.ts";
import { isValidTimeZone } from "./tenant.ts";

export type Frequency = "daily" | "weekly" | "monthly";
/** Monday = 0 … Sunday = 6. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** A weekday's code, indexed by Weekday: the stored `day` of a weekly schedule, a form's value. */
export const WEEKDAY_CODES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface ScheduleRule {
  frequency: Frequency;
  /** Weekly only. */
  weekday: Weekday | null;
  /** Monthly only: 1–31, or "last"; 29–31 fall back to the month's last day in shorter months. */
  monthDay: number | "last" | null;
  /** Local "HH:MM", 00:00–23:59. */
  time: string;
  /** IANA zone. */
  timeZone: string;
}

export type ScheduleErrorCode =
  | "schedule_invalid_frequency"
  | "schedule_invalid_zone"
  | "schedule_invalid_time"
  | "schedule_invalid_day"
  | "schedule_invalid_instant"
  | "schedule_invalid_limit"
  | "schedule_invalid_period"
  | "schedule_not_a_fire";

export class ScheduleError extends Error {
  constructor(
    readonly code: ScheduleErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ScheduleError";
  }
}

export function isScheduleError(error: unknown, code?: ScheduleErrorCode): error is ScheduleError {
  return error instanceof ScheduleError && (code === undefined || error.code === code);
}

const FREQUENCIES: readonly string[] = ["daily", "weekly", "monthly"];
// Instants outside these bounds are a caller's bug (seconds for milliseconds read as 1970, NaN).
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);
const EARLIEST_DAY = "2000-01-01";
const DAY_MS = 86_400_000;
const validZones = new Set<string>();

/** Throws a ScheduleError naming the first thing wrong with the rule. */
export function validateScheduleRule(rule: ScheduleRule): void {
  if (!FREQUENCIES.includes(rule.frequency))
    throw new ScheduleError("schedule_invalid_frequency", `Unknown frequency "${rule.frequency}": use daily, weekly or monthly.`);
  validateZone(rule.timeZone);
  if (typeof rule.time !== "string" || !/^([01]\d|2[0-3]):[0-5]\d$/.test(rule.time))
    throw new ScheduleError("schedule_invalid_time", `Invalid time "${rule.time}": use HH:MM, from 00:00 to 23:59.`, {
      time: rule.time,
    });
  validateWeekday(rule);
  validateMonthDay(rule);
}

function validateZone(zone: string): void {
  if (validZones.has(zone)) return;
  if (typeof zone !== "string" || !isValidTimeZone(zone))
    throw new ScheduleError("schedule_invalid_zone", `Unknown time zone "${zone}": use an IANA name such as America/Lima.`, {
      timeZone: zone,
    });
  validZones.add(zone);
}

function validateWeekday({ frequency, weekday }: ScheduleRule): void {
  const wanted = frequency === "weekly";
  if (!wanted && weekday != null)
    throw new ScheduleError("schedule_invalid_day", `A weekday only applies to a weekly schedule, not a ${frequency} one.`);
  if (wanted && !(Number.isInteger(weekday) && (weekday as number) >= 0 && (weekday as number) <= 6))
    throw new ScheduleError(
      "schedule_invalid_day",
      `A weekly schedule needs a weekday from 0 (Monday) to 6 (Sunday), got ${weekday}.`,
    );
}

function validateMonthDay({ frequency, monthDay }: ScheduleRule): void {
  const wanted = frequency === "monthly";
  if (!wanted && monthDay != null)
    throw new ScheduleError(
      "schedule_invalid_day",
      `A day of the month only applies to a monthly schedule, not a ${frequency} one.`,
    );
  const ok = monthDay === "last" || (Number.isInteger(monthDay) && (monthDay as number) >= 1 && (monthDay as number) <= 31);
  if (wanted && !ok)
    throw new ScheduleError("schedule_invalid_day", `A monthly schedule needs a day from 1 to 31, or "last", got ${monthDay}.`);
}

function validateInstant(ms: number, name: string): void {
  if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms >= LATEST_MS)
    throw new ScheduleError(
      "schedule_invalid_instant",
      `${name} must be UTC epoch milliseconds between the years 2000 and 2200, got ${ms}.`,
    );
}

/** The first fire strictly after the instant `afterMs` (UTC epoch ms). */
export function nextFireAfter(rule: ScheduleRule, afterMs: number): number {
  validateScheduleRule(rule);
  validateInstant(afterMs, "afterMs");
  return firstFireAfter(rule, afterMs).at;
}

/** The latest fire at or before `atMs`, or null if none exists (only at the very start of 2000). */
export function lastFireAtOrBefore(rule: ScheduleRule, atMs: number): number | null {
  validateScheduleRule(rule);
  validateInstant(atMs, "atMs");
  return latestFireAtOrBefore(rule, atMs)?.at ?? null;
}

/**
 * Fires in (fromMs, toMs], oldest first, at most `max` of them. Past `max` the oldest are kept, so a
 * caller catching up after a long outage can continue from the last one it got. An empty or
 * reversed interval (a clock stepped back) has no fires.
 */
export function firesBetween(rule: ScheduleRule, fromMs: number, toMs: number, max = 100): number[] {
  validateScheduleRule(rule);
  validateInstant(fromMs, "fromMs");
  validateInstant(toMs, "toMs");
  if (!Number.isInteger(max) || max < 0)
    throw new ScheduleError("schedule_invalid_limit", `max must be a whole number of fires, 0 or more, got ${max}.`);
  const fires: number[] = [];
  let fire = firstFireAfter(rule, fromMs);
  while (fires.length < max && fire.at <= toMs) {
    fires.push(fire.at);
    fire = fireOn(rule, scheduledOnOrAfter(rule, addDays(fire.day, 1)));
  }
  return fires;
}

/** The local calendar day (YYYY-MM-DD) a fire belongs to: its nominal day, even when DST moved it. */
export function fireDay(rule: ScheduleRule, fireMs: number): string {
  validateScheduleRule(rule);
  validateInstant(fireMs, "fireMs");
  const fire = latestFireAtOrBefore(rule, fireMs);
  if (!fire || fire.at !== fireMs)
    throw new ScheduleError("schedule_not_a_fire", `${new Date(fireMs).toISOString()} is not a time this schedule fires.`, {
      fireMs,
    });
  return fire.day;
}

/** The whole local days a fire covers: from the previous fire's day to the day before this fire's. */
export function periodOfFire(rule: ScheduleRule, fireMs: number): { from: string; to: string; key: string } {
  const day = fireDay(rule, fireMs);
  const from = scheduledOnOrBefore(rule, addDays(day, -1));
  const to = addDays(day, -1);
  return { from, to, key: `${from}..${to}` };
}

interface Fire {
  /** The nominal local day. */
  day: string;
  at: number;
}

function firstFireAfter(rule: ScheduleRule, afterMs: number): Fire {
  // The local date is within a day of the UTC date, and a gap can carry a fire into the day after its
  // own (Pacific/Apia skipped 2011-12-30): every fire of a day two before the UTC date is already past.
  let fire = fireOn(rule, scheduledOnOrAfter(rule, addDays(utcDate(afterMs), -2)));
  while (fire.at <= afterMs) fire = fireOn(rule, scheduledOnOrAfter(rule, addDays(fire.day, 1)));
  return fire;
}

function latestFireAtOrBefore(rule: ScheduleRule, atMs: number): Fire | null {
  // A fire never comes before its own local day, which is at most a day after the UTC date.
  let day = scheduledOnOrBefore(rule, addDays(utcDate(atMs), 1));
  for (;;) {
    if (day < EARLIEST_DAY) return null;
    const fire = fireOn(rule, day);
    if (fire.at <= atMs) return fire;
    day = scheduledOnOrBefore(rule, addDays(day, -1));
  }
}

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// The scheduled days: calendar arithmetic only, no zone involved.

function scheduledOnOrAfter(rule: ScheduleRule, day: string): string {
  if (rule.frequency === "daily") return day;
  if (rule.frequency === "weekly") return addDays(day, ((rule.weekday as number) - weekdayOf(day) + 7) % 7);
  const [year, month] = yearMonth(day);
  const inMonth = monthlyDay(rule, year, month);
  return inMonth >= day ? inMonth : monthlyDay(rule, month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1);
}

function scheduledOnOrBefore(rule: ScheduleRule, day: string): string {
  if (rule.frequency === "daily") return day;
  if (rule.frequency === "weekly") return addDays(day, -((weekdayOf(day) - (rule.weekday as number) + 7) % 7));
  const [year, month] = yearMonth(day);
  const inMonth = monthlyDay(rule, year, month);
  return inMonth <= day ? inMonth : monthlyDay(rule, month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1);
}

/** The day a monthly rule fires in a month: day 29–31 and "last" land on the month's last day when it is shorter. */
function monthlyDay(rule: ScheduleRule, year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = rule.monthDay === "last" ? last : Math.min(rule.monthDay as number, last);
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function yearMonth(day: string): [number, number] {
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
}

/** Monday = 0. */
function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

// From a nominal day to an instant: the only place the zone matters.

const fireCache = new Map<string, number>();

/** The fire of a scheduled day. Cached: a scheduler asks about the same few days every minute. */
function fireOn(rule: ScheduleRule, day: string): Fire {
  const key = `${rule.timeZone} ${rule.time} ${day}`;
  let at = fireCache.get(key);
  if (at === undefined) {
    at = wallClockToInstant(day, rule.time, rule.timeZone);
    if (fireCache.size >= 50_000) fireCache.clear();
    fireCache.set(key, at);
  }
  return { day, at };
}

/** A local wall-clock time as an instant, by the DST policy at the top of this file. */
function wallClockToInstant(day: string, time: string, zone: string): number {
  const wall = Date.parse(`${day}T${time}:00Z`);
  // The instant is within 14 hours of the wall time read as UTC, and a zone changes offset at most
  // once in two days: the offsets a day either side are the ones before and after any change.
  const before = exactZoneOffsetMs(wall - DAY_MS, zone);
  const after = exactZoneOffsetMs(wall + DAY_MS, zone);
  const firstReading = wall - Math.max(before, after);
  const secondReading = wall - Math.min(before, after);
  if (readsAs(firstReading, wall, zone)) return firstReading;
  if (readsAs(secondReading, wall, zone)) return secondReading;
  // Neither reading exists: the wall time is in a gap, which ends at the change.
  return changeWithin(wall - after, wall - before, before, zone);
}

function readsAs(instant: number, wall: number, zone: string): boolean {
  return instant + exactZoneOffsetMs(instant, zone) === wall;
}

/** The first second in (lo, hi] whose offset is not `offsetAtLo`. Offsets change on whole seconds. */
function changeWithin(lo: number, hi: number, offsetAtLo: number, zone: string): number {
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (exactZoneOffsetMs(mid, zone) === offsetAtLo) lo = mid;
    else hi = mid;
  }
  return hi;
}
