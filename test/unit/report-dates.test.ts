// SPEC "The report": the period a report may cover. Every entry point (the text grammar, the form,
// `hsm-report generate`) goes through these rules.
import { describe, expect, it } from "vitest";
import { isReportError } from "../../src/domain/report-errors.ts";
import { applyDateRules } from "../../src/domain/report-request.ts";

const refusal = (from: string, to: string) => {
  try {
    applyDateRules(from, to, null);
  } catch (error) {
    if (isReportError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  return null;
};

describe("the period of a report", () => {
  it("covers at most 366 days, both ends included", () => {
    expect(refusal("2024-01-01", "2024-12-31")).toBeNull();
    expect(refusal("2025-01-01", "2026-01-01")).toBeNull();
    expect(refusal("2025-01-01", "2026-01-02")).toEqual({
      code: "report_range_too_long",
      details: { from: "2025-01-01", to: "2026-01-02", days: 367, maxDays: 366 },
    });
  });

  it("lies within the years 2000 to 2100", () => {
    expect(refusal("2000-01-01", "2000-01-31")).toBeNull();
    expect(refusal("2100-12-01", "2100-12-31")).toBeNull();
    expect(refusal("1999-12-31", "2000-01-01")).toMatchObject({
      code: "report_date_out_of_range",
      details: { field: "start", date: "1999-12-31" },
    });
    expect(refusal("2100-12-31", "2101-01-01")).toMatchObject({
      code: "report_date_out_of_range",
      details: { field: "end", date: "2101-01-01" },
    });
  });

  it("a year out of range is said before the length or the order", () => {
    expect(refusal("2026-01-01", "1926-01-01")?.code).toBe("report_date_out_of_range");
  });
});
