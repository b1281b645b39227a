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
  if (to < from) {
    throw new ReportError("report_reversed_range", `The range is reversed: it ends (${to}) before it starts (${from}).`, {
      from,
      to,
    });
  }
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
