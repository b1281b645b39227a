// What a post made by a schedule says besides the report, and what a schedule tells its
// conversation otherwise: facts only; each chat platform puts them in words.
import type { Totals } from "./report-summary.ts";
import type { ScheduleRule } from "./schedule-time.ts";

export type RunKind = "scheduled" | "manual" | "retry";

export interface MissedPeriod {
  from: string;
  to: string;
}

/** What a post made by a schedule says besides the report: which schedule, what period, how it went. */
export interface ScheduledPost {
  scheduleId: number;
  runId: number;
  kind: RunKind;
  rule: ScheduleRule;
  createdBy: string | null;
  from: string;
  to: string;
  /** Posted long after its fire (no instance ran then). */
  late: boolean;
  fireAt: Date;
  /** Periods missed too long ago to replay: listed with the command that makes them. */
  missed: MissedPeriod[];
  /**
   * The totals of the previous period of the same length (same filters), to compare this period's
   * rates with (comparePeriods); null when they could not be worked out.
   */
  previous: { from: string; to: string; totals: Totals } | null;
}

/** Something a schedule tells its conversation, apart from a report. */
export type ScheduleNotice = { kind: "paused_after_failures"; scheduleId: number; failures: number; rule: ScheduleRule };
