// What a report is asked for, and the rules on its dates (SPEC "The report", rule 8).
import { isIsoDate } from "./local-time.ts";
import { ReportError } from "./report-errors.ts";
import type { Locale } from "./tenant.ts";

export type ReportFormat = "xlsx" | "csv";

export interface ReportRequest {
  tenant: string;
  /** Local calendar dates in the tenant's time zone, both ends included. */
  from: string;
  to: string;
  /** Names as the user gave them; matched case- and accent-insensitively. */
  campaigns: string[];
  /** phone_number_id, display number or name of the WhatsApp line. */
  channels: string[];
  agents: string[];
  /** HSM id or template name. */
  templates: string[];
  /** State codes (meta_failed) or labels (Envío o entrega fallida, Delivered). */
  states: string[];
  format: ReportFormat;
  locale: Locale;
  /** Above the XLSX limit, produce CSV instead of refusing. */
  allowCsvFallback: boolean;
}

export interface AppliedRange {
  from: string;
  to: string;
  /** The start was moved to the data start date (rule 8). */
  clamped: boolean;
}

/** Years a report may ask about: outside them a date is a typo (20226, 1926), not a period of data. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
/** The longest period one report covers, both ends included (a leap year). */
export const MAX_RANGE_DAYS = 366;

/** Days from `from` to `to`, both included. */
export function rangeDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** What is wrong with a period of two valid dates, if anything: a year out of bounds, reversed, too long. */
export function rangeError(from: string, to: string): ReportError | null {
  for (const [name, value] of [
    ["start", from],
    ["end", to],
  ] as const) {
    const year = Number(value.slice(0, 4));
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      return new ReportError(
        "report_date_out_of_range",
        `The ${name} date ${value} is outside the years ${FIRST_YEAR}–${LAST_YEAR}.`,
        { field: name, date: value, firstYear: FIRST_YEAR, lastYear: LAST_YEAR },
      );
    }
  }
  if (to < from) {
    return new ReportError("report_reversed_range", `The range is reversed: it ends (${to}) before it starts (${from}).`, {
      from,
      to,
    });
  }
  const days = rangeDays(from, to);
  if (days > MAX_RANGE_DAYS) {
    return new ReportError(
      "report_range_too_long",
      `The range ${from}..${to} spans ${days} days; a report covers at most ${MAX_RANGE_DAYS}. Split it into shorter periods.`,
      { from, to, days, maxDays: MAX_RANGE_DAYS },
    );
  }
  return null;
}

/** Checks the requested dates and clamps the start to the date data begins, if one is set. */
export function applyDateRules(from: string, to: string, dataStartDate: string | null): AppliedRange {
  for (const [name, value] of [
    ["start", from],
    ["end", to],
  ] as const) {
    if (!isIsoDate(value)) {
      throw new ReportError("report_invalid_date", `The ${name} date "${value}" is not a date in the form YYYY-MM-DD.`, {
        field: name,
      });
    }
  }
  const problem = rangeError(from, to);
  if (problem) throw problem;
  if (dataStartDate && to < dataStartDate) {
    throw new ReportError(
      "report_before_data_start",
      `There is no data before ${dataStartDate}: the range ${from}..${to} ends before it. Choose an end date on or after ${dataStartDate}.`,
      { from, to, dataStartDate },
    );
  }
  if (dataStartDate && from < dataStartDate) return { from: dataStartDate, to, clamped: true };
  return { from, to, clamped: false };
}
