import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/demo/demo-data.ts";
import { dateText, parseDateText } from "../../src/store/date-text.ts";

// What Prisma's SQLite adapter writes for a DateTime, and what the runner wrote before it formatted by hand.
const prismaText = (d: Date) => d.toISOString().replace("Z", "+00:00");

describe("SQLite date text", () => {
  const rand = seededRandom(7);
  const instants = [
    0,
    Date.UTC(2026, 9, 1, 12),
    Date.UTC(2026, 0, 1, 0, 0, 0, 5),
    Date.UTC(2026, 11, 31, 23, 59, 59, 999),
    Date.UTC(2028, 1, 29, 7, 8, 9, 10),
    Date.UTC(2100, 5, 6, 1, 2, 3, 40),
    ...Array.from({ length: 2000 }, () => Math.floor(rand() * Date.UTC(2100, 0, 1))),
  ];

  it("writes every instant exactly as Prisma does, and reads it back to the same millisecond", () => {
    for (const time of instants) {
      const text = dateText(new Date(time));
      expect(text).toBe(prismaText(new Date(time)));
      expect(parseDateText(text).getTime()).toBe(time);
    }
  });

  it("writes the right text when instants alternate (the last one is remembered, not confused)", () => {
    const a = new Date(Date.UTC(2026, 9, 1, 12));
    const b = new Date(Date.UTC(2026, 9, 1, 12, 0, 0, 1));
    expect([dateText(a), dateText(b), dateText(a), dateText(a)]).toEqual([
      prismaText(a),
      prismaText(b),
      prismaText(a),
      prismaText(a),
    ]);
  });

  it("leaves years outside 1000–9999 to toISOString", () => {
    for (const d of [new Date(Date.UTC(999, 0, 1)), new Date(Date.UTC(10000, 0, 1)), new Date(-1)]) {
      expect(dateText(d)).toBe(prismaText(d));
    }
  });

  it("reads any other text the way new Date does", () => {
    for (const text of [
      "2026-10-01T12:00:00.000Z",
      "2026-10-01 12:00:00",
      "2026-10-01T12:00:00.000-05:00",
      "2026-02-30T00:00:00.000+00:00",
      "2026-13-01T00:00:00.000+00:00",
      "2026-10-01T24:00:00.000+00:00",
      "2026-1O-01T12:00:00.000+00:00",
      "20x6-10-01T12:00:00.000+00:00",
      "not a date at all, 29 chars!!",
      "",
    ]) {
      expect(parseDateText(text).getTime(), text).toEqual(new Date(text).getTime());
    }
  });
});
