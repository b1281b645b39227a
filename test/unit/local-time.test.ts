import { describe, expect, it } from "vitest";
import {
  addDays,
  excelSerial,
  formatLocalDateTime,
  isIsoDate,
  localDate,
  startOfLocalDay,
  zoneOffsetMs,
} from "../../src/domain/local-time.ts";

describe("tenant time zones", () => {
  it("a Lima day starts at 05:00 UTC", () => {
    expect(new Date(startOfLocalDay("2026-10-01", "America/Lima")).toISOString()).toBe("2026-10-01T05:00:00.000Z");
  });

  it("days across a DST change are 23 or 25 hours long (Madrid, Santiago)", () => {
    const len = (zone: string, day: string) => (startOfLocalDay(addDays(day, 1), zone) - startOfLocalDay(day, zone)) / 3_600_000;
    expect(len("Europe/Madrid", "2026-03-29")).toBe(23);
    expect(len("Europe/Madrid", "2026-10-25")).toBe(25);
    expect(len("America/Santiago", "2026-09-06")).toBe(23);
    // Santiago springs forward at midnight: the day starts at 01:00 local.
    expect(formatLocalDateTime(startOfLocalDay("2026-09-06", "America/Santiago"), "America/Santiago")).toBe(
      "2026-09-06 01:00:00",
    );
  });

  it("formats instants as local wall-clock time, sortable as text", () => {
    const t = Date.parse("2026-10-01T04:59:59Z");
    expect(formatLocalDateTime(t, "America/Lima")).toBe("2026-09-30 23:59:59");
    expect(localDate(t, "America/Lima")).toBe("2026-09-30");
    expect(formatLocalDateTime(Date.parse("2026-07-01T10:00:00Z"), "Europe/Madrid")).toBe("2026-07-01 12:00:00");
  });

  it("gives Excel serial numbers of the local time", () => {
    expect(excelSerial(Date.parse("2026-10-01T17:00:00Z"), "America/Lima")).toBeCloseTo(46296.5, 9);
    expect(zoneOffsetMs(0, "UTC")).toBe(0);
  });

  it("knows a real calendar date from a malformed one", () => {
    expect(["2026-02-28", "2024-02-29"].map(isIsoDate)).toEqual([true, true]);
    expect(["2026-02-29", "2026-13-01", "26-1-1", "2026-1-01"].map(isIsoDate)).toEqual([false, false, false, false]);
  });
});

describe("offset segments", () => {
  it("finds each change of a zone's offset to the hour, and none where there is none", async () => {
    const { offsetSegments } = await import("../../src/domain/local-time.ts");
    const year = (zone: string) => offsetSegments(Date.parse("2026-01-01T00:00:00Z"), Date.parse("2027-01-01T00:00:00Z"), zone);
    expect(year("America/Lima").map((s) => s.offset / 3_600_000)).toEqual([-5]);
    expect(year("Europe/Madrid").map((s) => [new Date(s.from).toISOString(), s.offset / 3_600_000])).toEqual([
      ["2026-01-01T00:00:00.000Z", 1],
      ["2026-03-29T01:00:00.000Z", 2],
      ["2026-10-25T01:00:00.000Z", 1],
    ]);
    const century = offsetSegments(Date.parse("2000-01-01T00:00:00Z"), Date.parse("2100-01-01T00:00:00Z"), "Europe/Madrid");
    expect(century.length).toBeGreaterThan(190);
  });
});
