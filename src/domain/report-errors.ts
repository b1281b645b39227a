// Coded errors of the report engine: each code maps to one message a user can act on.

export type ReportErrorCode =
  | "report_invalid_date"
  | "report_reversed_range"
  | "report_date_out_of_range"
  | "report_range_too_long"
  | "report_before_data_start"
  | "report_unknown_name"
  | "report_unknown_tenant"
  | "report_too_large"
  | "report_cancelled";

export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ReportError";
  }
}

export function isReportError(error: unknown, code?: ReportErrorCode): error is ReportError {
  return error instanceof ReportError && (code === undefined || error.code === code);
}
