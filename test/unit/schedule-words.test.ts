// SPEC "The chat side", scheduled reports: what the channel reads when a schedule is set up, listed,
// or posts — in the tenant's language (es, en).
import { describe, expect, it } from "vitest";
import { isScheduleError, type ScheduleRule, type Weekday } from "../../src/domain/schedule-time.ts";
import { describeSchedule, periodWords, scheduleLine } from "../../src/domain/schedule-words.ts";

const LIMA = "America/Lima";
const daily = (time = "08:00"): ScheduleRule => ({ frequency: "daily", weekday: null, monthDay: null, time, timeZone: LIMA });
const weekly = (weekday: Weekday): ScheduleRule => ({
  frequency: "weekly",
  weekday,
  monthDay: null,
  time: "08:00",
  timeZone: LIMA,
});
const monthly = (monthDay: number | "last"): ScheduleRule => ({
  frequency: "monthly",
  weekday: null,
  monthDay,
  time: "08:00",
  timeZone: LIMA,
});
// 08:00 in Lima is 13:00 UTC. 2026-12-07 is a Monday.
const at = (iso: string) => Date.parse(iso);

describe("a schedule described when it is set up", () => {
  it("daily: the previous day", () => {
    expect(describeSchedule(daily(), "es", at("2026-12-08T13:00:00Z"))).toBe(
      "Cada día a las 08:00 (America/Lima), reporte del día anterior; primera entrega: martes 8 de diciembre",
    );
    expect(describeSchedule(daily(), "en", at("2026-12-08T13:00:00Z"))).toBe(
      "Every day at 08:00 (America/Lima), report of the previous day; first post: Tuesday, December 8",
    );
  });

  it("weekly on Monday: the previous week", () => {
    expect(describeSchedule(weekly(0), "es", at("2026-12-07T13:00:00Z"))).toBe(
      "Cada lunes a las 08:00 (America/Lima), reporte de la semana anterior; primera entrega: lunes 7 de diciembre",
    );
    expect(describeSchedule(weekly(0), "en", at("2026-12-07T13:00:00Z"))).toBe(
      "Every Monday at 08:00 (America/Lima), report of the previous week; first post: Monday, December 7",
    );
  });

  it("weekly on another day: the seven days before", () => {
    expect(describeSchedule(weekly(2), "es", at("2026-12-09T13:00:00Z"))).toBe(
      "Cada miércoles a las 08:00 (America/Lima), reporte de los siete días anteriores; primera entrega: miércoles 9 de diciembre",
    );
    expect(describeSchedule(weekly(2), "en", at("2026-12-09T13:00:00Z"))).toBe(
      "Every Wednesday at 08:00 (America/Lima), report of the previous seven days; first post: Wednesday, December 9",
    );
  });

  it("monthly on the 1st: the previous month", () => {
    expect(describeSchedule(monthly(1), "es", at("2027-01-01T13:00:00Z"))).toBe(
      "El día 1 de cada mes a las 08:00 (America/Lima), reporte del mes anterior; primera entrega: viernes 1 de enero",
    );
    expect(describeSchedule(monthly(1), "en", at("2027-01-01T13:00:00Z"))).toBe(
      "On the 1st of every month at 08:00 (America/Lima), report of the previous month; first post: Friday, January 1",
    );
  });

  it("monthly on the 15th: from the 15th of the previous month to the 14th", () => {
    expect(describeSchedule(monthly(15), "es", at("2026-12-15T13:00:00Z"))).toBe(
      "El día 15 de cada mes a las 08:00 (America/Lima), reporte del día 15 del mes anterior al día 14 de este mes; primera entrega: martes 15 de diciembre",
    );
    expect(describeSchedule(monthly(15), "en", at("2026-12-15T13:00:00Z"))).toBe(
      "On the 15th of every month at 08:00 (America/Lima), report from the 15th of the previous month to the 14th of this month; first post: Tuesday, December 15",
    );
    expect(describeSchedule(monthly(2), "en", at("2026-12-02T13:00:00Z"))).toContain(
      "from the 2nd of the previous month to the 1st",
    );
    expect(describeSchedule(monthly(23), "en", at("2026-12-23T13:00:00Z"))).toContain("On the 23rd of every month");
  });

  it("monthly on the 31st: says it falls back to shorter months' last day", () => {
    expect(describeSchedule(monthly(31), "es", at("2026-12-31T13:00:00Z"))).toBe(
      "El día 31 de cada mes (o el último, si el mes es más corto) a las 08:00 (America/Lima), reporte desde el día de la entrega anterior hasta la víspera de esta; primera entrega: jueves 31 de diciembre",
    );
    expect(describeSchedule(monthly(31), "en", at("2026-12-31T13:00:00Z"))).toBe(
      "On the 31st of every month (or its last day, in shorter months) at 08:00 (America/Lima), report from the day of the previous post to the day before this one; first post: Thursday, December 31",
    );
  });

  it("monthly on the last day: from the previous month's last day", () => {
    expect(describeSchedule(monthly("last"), "es", at("2026-11-30T13:00:00Z"))).toBe(
      "El último día de cada mes a las 08:00 (America/Lima), reporte desde el último día del mes anterior hasta la víspera; primera entrega: lunes 30 de noviembre",
    );
    expect(describeSchedule(monthly("last"), "en", at("2026-11-30T13:00:00Z"))).toBe(
      "On the last day of every month at 08:00 (America/Lima), report from the last day of the previous month to the day before; first post: Monday, November 30",
    );
  });

  it("dates the first post in the schedule's zone, not in UTC", () => {
    // 20:00 on Monday 7 December in Lima is already Tuesday in UTC.
    expect(describeSchedule(daily("20:00"), "es", at("2026-12-08T01:00:00Z"))).toBe(
      "Cada día a las 20:00 (America/Lima), reporte del día anterior; primera entrega: lunes 7 de diciembre",
    );
  });

  it("says 'a la' for one o'clock in Spanish", () => {
    expect(describeSchedule(daily("01:30"), "es", at("2026-12-08T06:30:00Z"))).toMatch(/^Cada día a la 01:30 \(/);
  });
});

describe("a schedule in a list", () => {
  it("reads as cadence, time and zone", () => {
    const lines = (locale: "es" | "en") => [daily(), weekly(0), monthly(1), monthly("last")].map((r) => scheduleLine(r, locale));
    expect(lines("es")).toEqual([
      "Diario 08:00 America/Lima",
      "Semanal (lunes) 08:00 America/Lima",
      "Mensual (día 1) 08:00 America/Lima",
      "Mensual (último día) 08:00 America/Lima",
    ]);
    expect(lines("en")).toEqual([
      "Daily 08:00 America/Lima",
      "Weekly (Monday) 08:00 America/Lima",
      "Monthly (day 1) 08:00 America/Lima",
      "Monthly (last day) 08:00 America/Lima",
    ]);
    expect(scheduleLine(weekly(6), "es")).toBe("Semanal (domingo) 08:00 America/Lima");
  });

  it("refuses a rule that would not run", () => {
    const bad = { ...weekly(0), weekday: null };
    expect(() => scheduleLine(bad, "en")).toThrow(/weekday from 0 \(Monday\) to 6 \(Sunday\)/);
  });
});

describe("the period of a scheduled post", () => {
  it("across two months", () => {
    expect(periodWords("2026-11-30", "2026-12-06", "es")).toBe("del 30 de noviembre al 6 de diciembre de 2026");
    expect(periodWords("2026-11-30", "2026-12-06", "en")).toBe("November 30 – December 6, 2026");
  });

  it("within one month", () => {
    expect(periodWords("2026-11-01", "2026-11-30", "es")).toBe("del 1 al 30 de noviembre de 2026");
    expect(periodWords("2026-11-01", "2026-11-30", "en")).toBe("November 1–30, 2026");
  });

  it("across a year end", () => {
    expect(periodWords("2026-12-28", "2027-01-03", "es")).toBe("del 28 de diciembre de 2026 al 3 de enero de 2027");
    expect(periodWords("2026-12-28", "2027-01-03", "en")).toBe("December 28, 2026 – January 3, 2027");
  });

  it("a single day", () => {
    expect(periodWords("2026-12-06", "2026-12-06", "es")).toBe("el 6 de diciembre de 2026");
    expect(periodWords("2026-12-06", "2026-12-06", "en")).toBe("December 6, 2026");
  });

  it("refuses reversed or malformed dates", () => {
    for (const [from, to] of [
      ["2026-12-07", "2026-12-06"],
      ["2026-02-30", "2026-03-01"],
      ["2026-12-6", "2026-12-07"],
    ] as const) {
      let code: string | null = null;
      try {
        periodWords(from, to, "es");
      } catch (error) {
        if (isScheduleError(error)) code = error.code;
      }
      expect(code).toBe("schedule_invalid_period");
    }
  });
});
