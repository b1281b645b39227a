// SPEC "The chat side", scheduled reports (issue 8): a schedule fires daily, weekly or monthly at a
// local time in a zone, and its report covers the period just ended. Every instant below was worked
// out by hand from the zone's rules (offsets noted beside them), not by the code under test.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { offsetSegments } from "../../src/domain/local-time.ts";
import {
  fireDay,
  firesBetween,
  isScheduleError,
  lastFireAtOrBefore,
  nextFireAfter,
  periodOfFire,
  type ScheduleRule,
  type Weekday,
} from "../../src/domain/schedule-time.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const daily = (time: string, timeZone: string): ScheduleRule => ({
  frequency: "daily",
  weekday: null,
  monthDay: null,
  time,
  timeZone,
});
const weekly = (weekday: Weekday, time: string, timeZone: string): ScheduleRule => ({
  frequency: "weekly",
  weekday,
  monthDay: null,
  time,
  timeZone,
});
const monthly = (monthDay: number | "last", time: string, timeZone: string): ScheduleRule => ({
  frequency: "monthly",
  weekday: null,
  monthDay,
  time,
  timeZone,
});
/** The next `count` fires after an instant, as ISO instants. */
const firesAfter = (rule: ScheduleRule, from: string, count: number) => {
  const fires: string[] = [];
  let t = at(from);
  for (let i = 0; i < count; i++) {
    t = nextFireAfter(rule, t);
    fires.push(new Date(t).toISOString());
  }
  return fires;
};
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (isScheduleError(error)) return error.code;
    throw error;
  }
  return null;
};

describe("a schedule fires at its local time", () => {
  it("a daily 08:00 in Lima (UTC-5, no DST) fires at 13:00 UTC every day", () => {
    expect(firesAfter(daily("08:00", "America/Lima"), "2026-12-07T12:00:00Z", 2)).toEqual([
      "2026-12-07T13:00:00.000Z",
      "2026-12-08T13:00:00.000Z",
    ]);
  });

  it("exactly at a fire, the next fire is the following one and the last fire is that one", () => {
    const rule = daily("08:00", "America/Lima");
    expect(iso(nextFireAfter(rule, at("2026-12-07T13:00:00Z")))).toBe("2026-12-08T13:00:00.000Z");
    expect(iso(lastFireAtOrBefore(rule, at("2026-12-07T13:00:00Z")))).toBe("2026-12-07T13:00:00.000Z");
    expect(iso(lastFireAtOrBefore(rule, at("2026-12-07T12:59:59.999Z")))).toBe("2026-12-06T13:00:00.000Z");
  });

  it("a local evening time belongs to the local day, not the UTC one", () => {
    // 20:00 in Lima is 01:00 UTC the next day.
    const rule = daily("20:00", "America/Lima");
    expect(iso(nextFireAfter(rule, at("2026-12-07T12:00:00Z")))).toBe("2026-12-08T01:00:00.000Z");
    expect(fireDay(rule, at("2026-12-08T01:00:00Z"))).toBe("2026-12-07");
  });

  it("has no fire before the year 2000", () => {
    expect(lastFireAtOrBefore(daily("08:00", "UTC"), at("2000-01-01T07:59:00Z"))).toBeNull();
    expect(iso(lastFireAtOrBefore(daily("08:00", "UTC"), at("2000-01-01T08:00:00Z")))).toBe("2000-01-01T08:00:00.000Z");
  });
});

describe("DST: a skipped time fires when the gap ends; a repeated time fires once, at its first occurrence", () => {
  it("Madrid springs forward 02:00→03:00 on 2026-03-29: 02:30 fires at 03:00 CEST, 08:00 an hour earlier in UTC", () => {
    expect(firesAfter(daily("02:30", "Europe/Madrid"), "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET (+1)
      "2026-03-29T01:00:00.000Z", // 03:00 CEST (+2), the end of the gap
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
    ]);
    expect(firesAfter(daily("08:00", "Europe/Madrid"), "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T07:00:00.000Z",
      "2026-03-29T06:00:00.000Z",
      "2026-03-30T06:00:00.000Z",
    ]);
  });

  it("Madrid falls back 03:00→02:00 on 2026-10-25: 02:30 fires once, at 02:30 CEST", () => {
    const rule = daily("02:30", "Europe/Madrid");
    expect(firesAfter(rule, "2026-10-23T12:00:00Z", 3)).toEqual([
      "2026-10-24T00:30:00.000Z", // 02:30 CEST (+2)
      "2026-10-25T00:30:00.000Z", // the first 02:30, still CEST
      "2026-10-26T01:30:00.000Z", // 02:30 CET (+1)
    ]);
    // The second 02:30 (01:30 UTC) is not a fire: right at it, the last fire is the first one.
    expect(iso(nextFireAfter(rule, at("2026-10-25T00:30:00Z")))).toBe("2026-10-26T01:30:00.000Z");
    expect(iso(lastFireAtOrBefore(rule, at("2026-10-25T01:30:00Z")))).toBe("2026-10-25T00:30:00.000Z");
    expect(refusal(() => fireDay(rule, at("2026-10-25T01:30:00Z")))).toBe("schedule_not_a_fire");
    expect(firesAfter(daily("08:00", "Europe/Madrid"), "2026-10-24T00:00:00Z", 2)).toEqual([
      "2026-10-24T06:00:00.000Z",
      "2026-10-25T07:00:00.000Z",
    ]);
  });

  it("New York springs forward 02:00→03:00 on 2026-03-08: 02:30 fires at 03:00 EDT, 01:30 is untouched", () => {
    expect(firesAfter(daily("02:30", "America/New_York"), "2026-03-07T00:00:00Z", 3)).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST (-5)
      "2026-03-08T07:00:00.000Z", // 03:00 EDT (-4)
      "2026-03-09T06:30:00.000Z", // 02:30 EDT
    ]);
    expect(firesAfter(daily("01:30", "America/New_York"), "2026-03-08T00:00:00Z", 2)).toEqual([
      "2026-03-08T06:30:00.000Z",
      "2026-03-09T05:30:00.000Z",
    ]);
  });

  it("New York falls back 02:00→01:00 on 2026-11-01: 01:30 fires once, at 01:30 EDT; 02:30 happens only once", () => {
    expect(firesAfter(daily("01:30", "America/New_York"), "2026-10-31T00:00:00Z", 3)).toEqual([
      "2026-10-31T05:30:00.000Z", // 01:30 EDT (-4)
      "2026-11-01T05:30:00.000Z", // the first 01:30, still EDT; the second is 06:30 UTC
      "2026-11-02T06:30:00.000Z", // 01:30 EST (-5)
    ]);
    expect(firesAfter(daily("02:30", "America/New_York"), "2026-10-31T00:00:00Z", 3)).toEqual([
      "2026-10-31T06:30:00.000Z",
      "2026-11-01T07:30:00.000Z",
      "2026-11-02T07:30:00.000Z",
    ]);
  });

  it("Santiago springs forward at midnight (00:00→01:00 on 2026-09-06): 00:30 fires at 01:00", () => {
    const rule = daily("00:30", "America/Santiago");
    expect(firesAfter(rule, "2026-09-05T00:00:00Z", 3)).toEqual([
      "2026-09-05T04:30:00.000Z", // 00:30 -04
      "2026-09-06T04:00:00.000Z", // 01:00 -03
      "2026-09-07T03:30:00.000Z", // 00:30 -03
    ]);
    expect(fireDay(rule, at("2026-09-06T04:00:00Z"))).toBe("2026-09-06");
    expect(periodOfFire(rule, at("2026-09-06T04:00:00Z")).key).toBe("2026-09-05..2026-09-05");
  });

  it("Santiago falls back at midnight (00:00→23:00 on 2026-04-04/05): 23:30 on the 4th fires once, and counts as the 4th", () => {
    const rule = daily("23:30", "America/Santiago");
    expect(firesAfter(rule, "2026-04-04T00:00:00Z", 3)).toEqual([
      "2026-04-04T02:30:00.000Z", // 2026-04-03 23:30 -03
      "2026-04-05T02:30:00.000Z", // 2026-04-04, the first 23:30 (-03); the second is 03:30 UTC
      "2026-04-06T03:30:00.000Z", // 2026-04-05 23:30 -04
    ]);
    expect(fireDay(rule, at("2026-04-05T02:30:00Z"))).toBe("2026-04-04");
    expect(periodOfFire(rule, at("2026-04-05T02:30:00Z")).key).toBe("2026-04-03..2026-04-03");
  });

  it("Lord Howe shifts by half an hour: 02:15 fires at 02:30 on 2026-10-04 (02:00→02:30) and once on 2026-04-05", () => {
    expect(firesAfter(daily("02:15", "Australia/Lord_Howe"), "2026-10-02T00:00:00Z", 3)).toEqual([
      "2026-10-02T15:45:00.000Z", // 2026-10-03 02:15 +10:30
      "2026-10-03T15:30:00.000Z", // 2026-10-04 02:30 +11, the end of the gap
      "2026-10-04T15:15:00.000Z", // 2026-10-05 02:15 +11
    ]);
    // 02:00→01:30 on 2026-04-05 repeats 01:30–01:59 only.
    expect(firesAfter(daily("02:15", "Australia/Lord_Howe"), "2026-04-03T00:00:00Z", 2)).toEqual([
      "2026-04-03T15:15:00.000Z", // 2026-04-04 02:15 +11
      "2026-04-04T15:45:00.000Z", // 2026-04-05 02:15 +10:30
    ]);
    expect(firesAfter(daily("01:45", "Australia/Lord_Howe"), "2026-04-03T00:00:00Z", 2)).toEqual([
      "2026-04-03T14:45:00.000Z", // 2026-04-04 01:45 +11
      "2026-04-04T14:45:00.000Z", // the first 01:45 on 2026-04-05 (+11); the second is 15:15 UTC
    ]);
  });

  it("a whole skipped day (Samoa, 2011-12-30) fires when the day after begins, and still counts as its own day", () => {
    const rule = daily("08:00", "Pacific/Apia");
    expect(firesAfter(rule, "2011-12-29T00:00:00Z", 3)).toEqual([
      "2011-12-29T18:00:00.000Z", // 2011-12-29 08:00 -10
      "2011-12-30T10:00:00.000Z", // 2011-12-31 00:00 +14, the end of the missing day
      "2011-12-30T18:00:00.000Z", // 2011-12-31 08:00 +14
    ]);
    expect(fireDay(rule, at("2011-12-30T10:00:00Z"))).toBe("2011-12-30");
    expect(fireDay(rule, at("2011-12-30T18:00:00Z"))).toBe("2011-12-31");
  });

  it("a weekly Sunday 02:30 in Madrid fires at the end of the gap on spring day and once on fall day", () => {
    const rule = weekly(6, "02:30", "Europe/Madrid");
    expect(iso(nextFireAfter(rule, at("2026-03-23T00:00:00Z")))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(nextFireAfter(rule, at("2026-10-19T00:00:00Z")))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(nextFireAfter(rule, at("2026-10-25T00:30:00Z")))).toBe("2026-11-01T01:30:00.000Z");
  });
});

describe("the days a schedule fires on", () => {
  it("a monthly 31 fires on the last day of shorter months: 2026-02-28, 2028-02-29", () => {
    expect(firesAfter(monthly(31, "08:00", "America/Lima"), "2026-01-31T13:00:00Z", 3)).toEqual([
      "2026-02-28T13:00:00.000Z",
      "2026-03-31T13:00:00.000Z",
      "2026-04-30T13:00:00.000Z",
    ]);
    expect(firesAfter(monthly(31, "08:00", "America/Lima"), "2028-01-31T13:00:00Z", 1)).toEqual(["2028-02-29T13:00:00.000Z"]);
  });

  it("a monthly 30 fires on February's last day, then back on the 30th", () => {
    expect(firesAfter(monthly(30, "08:00", "America/Lima"), "2026-01-30T13:00:00Z", 2)).toEqual([
      "2026-02-28T13:00:00.000Z",
      "2026-03-30T13:00:00.000Z",
    ]);
    expect(firesAfter(monthly(30, "08:00", "America/Lima"), "2028-01-30T13:00:00Z", 1)).toEqual(["2028-02-29T13:00:00.000Z"]);
  });

  it('a monthly "last" fires on every month\'s last day', () => {
    const rule = monthly("last", "08:00", "America/Lima");
    const days = firesBetween(rule, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")).map((t) => fireDay(rule, t));
    expect(days).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
      "2026-04-30",
      "2026-05-31",
      "2026-06-30",
      "2026-07-31",
      "2026-08-31",
      "2026-09-30",
      "2026-10-31",
      "2026-11-30",
      "2026-12-31",
    ]);
  });

  it("a weekly Monday crosses the year end: 2026-12-28, then 2027-01-04", () => {
    const rule = weekly(0, "08:00", "America/Lima");
    expect(iso(nextFireAfter(rule, at("2026-12-28T13:00:00Z")))).toBe("2027-01-04T13:00:00.000Z");
    expect(iso(lastFireAtOrBefore(rule, at("2027-01-04T12:59:00Z")))).toBe("2026-12-28T13:00:00.000Z");
  });
});

describe("the fires in an interval, to catch up missed periods", () => {
  it("lists the daily fires after the start and up to the end, over 3 days", () => {
    const rule = daily("08:00", "America/Lima");
    expect(firesBetween(rule, at("2026-12-01T13:00:00Z"), at("2026-12-04T13:00:00Z")).map(iso)).toEqual([
      "2026-12-02T13:00:00.000Z",
      "2026-12-03T13:00:00.000Z",
      "2026-12-04T13:00:00.000Z",
    ]);
  });

  it("keeps the local time across the spring change (Madrid 08:00)", () => {
    expect(
      firesBetween(daily("08:00", "Europe/Madrid"), at("2026-03-28T00:00:00Z"), at("2026-03-31T00:00:00Z")).map(iso),
    ).toEqual(["2026-03-28T07:00:00.000Z", "2026-03-29T06:00:00.000Z", "2026-03-30T06:00:00.000Z"]);
  });

  it("stops at max, keeping the oldest, and an empty or reversed interval has none", () => {
    const rule = daily("08:00", "America/Lima");
    expect(firesBetween(rule, at("2026-12-01T00:00:00Z"), at("2026-12-31T00:00:00Z"), 2).map(iso)).toEqual([
      "2026-12-01T13:00:00.000Z",
      "2026-12-02T13:00:00.000Z",
    ]);
    expect(firesBetween(rule, at("2026-12-01T00:00:00Z"), at("2026-12-31T00:00:00Z"), 0)).toEqual([]);
    expect(firesBetween(rule, at("2026-12-05T00:00:00Z"), at("2026-12-01T00:00:00Z"))).toEqual([]);
  });
});

describe("the period a fire covers: from the previous fire's day to the day before this one", () => {
  const period = (rule: ScheduleRule, fire: string) => periodOfFire(rule, at(fire));

  it("daily: yesterday, even when the fire moved to the end of a gap", () => {
    expect(period(daily("08:00", "America/Lima"), "2026-12-08T13:00:00Z")).toEqual({
      from: "2026-12-07",
      to: "2026-12-07",
      key: "2026-12-07..2026-12-07",
    });
    expect(period(daily("02:30", "Europe/Madrid"), "2026-03-29T01:00:00Z").key).toBe("2026-03-28..2026-03-28");
  });

  it("weekly on Monday: the previous Monday to Sunday, also across the year end", () => {
    const rule = weekly(0, "08:00", "America/Lima");
    expect(period(rule, "2026-12-07T13:00:00Z").key).toBe("2026-11-30..2026-12-06");
    expect(period(rule, "2027-01-04T13:00:00Z").key).toBe("2026-12-28..2027-01-03");
  });

  it("weekly on Wednesday: the previous Wednesday to Tuesday", () => {
    expect(period(weekly(2, "08:00", "America/Lima"), "2026-12-09T13:00:00Z").key).toBe("2026-12-02..2026-12-08");
  });

  it("monthly on the 1st: the previous calendar month, February 2028 with its 29th", () => {
    const rule = monthly(1, "08:00", "America/Lima");
    expect(period(rule, "2026-12-01T13:00:00Z").key).toBe("2026-11-01..2026-11-30");
    expect(period(rule, "2028-03-01T13:00:00Z").key).toBe("2028-02-01..2028-02-29");
  });

  it("monthly on the 15th: the 15th of the previous month to the 14th of this one", () => {
    expect(period(monthly(15, "08:00", "America/Lima"), "2026-12-15T13:00:00Z").key).toBe("2026-11-15..2026-12-14");
  });

  it("monthly 31 firing on Feb 28 covers Jan 31–Feb 27, and the March fire starts from Feb 28", () => {
    const rule = monthly(31, "08:00", "America/Lima");
    expect(period(rule, "2026-02-28T13:00:00Z").key).toBe("2026-01-31..2026-02-27");
    expect(period(rule, "2026-03-31T13:00:00Z").key).toBe("2026-02-28..2026-03-30");
  });

  it('monthly "last" firing on Nov 30 covers Oct 31–Nov 29', () => {
    expect(period(monthly("last", "08:00", "America/Lima"), "2026-11-30T13:00:00Z").key).toBe("2026-10-31..2026-11-29");
  });

  it("an instant that is not a fire has no period", () => {
    expect(refusal(() => period(daily("08:00", "America/Lima"), "2026-12-08T13:01:00Z"))).toBe("schedule_not_a_fire");
  });
});

describe("a bad rule or instant is refused with a code", () => {
  const next = (rule: Partial<ScheduleRule>, t = at("2026-12-01T00:00:00Z")) =>
    refusal(() => nextFireAfter({ ...daily("08:00", "America/Lima"), ...rule } as ScheduleRule, t));

  it("names the part that is wrong", () => {
    expect(next({})).toBeNull();
    expect(next({ timeZone: "America/Lma" })).toBe("schedule_invalid_zone");
    expect(next({ timeZone: " America/Lima" })).toBe("schedule_invalid_zone");
    for (const time of ["8:00", "24:00", "12:60", "08:00:00", ""]) expect(next({ time })).toBe("schedule_invalid_time");
    expect(next({ frequency: "hourly" as never })).toBe("schedule_invalid_frequency");
    expect(next({ weekday: 0 })).toBe("schedule_invalid_day");
    expect(next({ monthDay: 1 })).toBe("schedule_invalid_day");
    expect(next({ frequency: "weekly" })).toBe("schedule_invalid_day");
    expect(next({ frequency: "weekly", weekday: 7 as never })).toBe("schedule_invalid_day");
    expect(next({ frequency: "weekly", weekday: 6 })).toBeNull();
    for (const monthDay of [null, 0, 32, 1.5, "first" as never])
      expect(next({ frequency: "monthly", monthDay })).toBe("schedule_invalid_day");
    expect(next({ frequency: "monthly", monthDay: 31 })).toBeNull();
  });

  it("refuses instants that are not epoch milliseconds of this era", () => {
    expect(next({}, Number.NaN)).toBe("schedule_invalid_instant");
    expect(next({}, 1_780_000_000)).toBe("schedule_invalid_instant"); // seconds, not milliseconds
    const rule = daily("08:00", "America/Lima");
    expect(refusal(() => firesBetween(rule, at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"), -1))).toBe(
      "schedule_invalid_limit",
    );
  });
});

describe("for any rule and instant", () => {
  // Zones chosen for their quirks: half-hour shifts (Lord_Howe), a 45-minute base offset (Chatham),
  // a two-hour shift (Troll), midnight changes (Santiago), none at all (Lima, Kolkata).
  const zones = [
    "Europe/Madrid",
    "America/New_York",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Antarctica/Troll",
    "America/St_Johns",
    "America/Lima",
    "Asia/Kolkata",
    "UTC",
  ];
  const changes = zones.flatMap((zone) =>
    offsetSegments(at("2026-01-01T00:00:00Z"), at("2028-01-01T00:00:00Z"), zone)
      .slice(1)
      .map((s) => [zone, s.from] as const),
  );
  const DAY = 86_400_000;
  // Half the cases land within three days of a real offset change in their zone.
  const zonedInstant = fc.oneof(
    fc.tuple(fc.constantFrom(...zones), fc.integer({ min: at("2000-03-01T00:00:00Z"), max: at("2100-01-01T00:00:00Z") })),
    fc
      .constantFrom(...changes)
      .chain(([zone, t]) => fc.integer({ min: -3 * DAY, max: 3 * DAY }).map((d) => [zone, t + d] as const)),
  );
  const time = fc.oneof(
    fc.constantFrom("00:00", "00:30", "01:30", "01:45", "02:00", "02:15", "02:30", "03:00", "23:30"),
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${pad(h)}:${pad(m)}`),
  );
  const shape = fc.oneof(
    fc.constant({ frequency: "daily" as const, weekday: null, monthDay: null }),
    fc.integer({ min: 0, max: 6 }).map((w) => ({ frequency: "weekly" as const, weekday: w as Weekday, monthDay: null })),
    fc
      .oneof(fc.integer({ min: 1, max: 31 }), fc.constant("last" as const))
      .map((d) => ({ frequency: "monthly" as const, weekday: null, monthDay: d })),
  );
  const cases = fc.tuple(shape, time, zonedInstant).map(([s, time, [timeZone, t]]) => ({ rule: { ...s, time, timeZone }, t }));

  it("the next fire is after the instant, and is its own last fire; the last fire leads to the same next one", () => {
    fc.assert(
      fc.property(cases, ({ rule, t }) => {
        const next = nextFireAfter(rule, t);
        expect(next).toBeGreaterThan(t);
        expect(lastFireAtOrBefore(rule, next)).toBe(next);
        const last = lastFireAtOrBefore(rule, t) as number;
        expect(last).toBeLessThanOrEqual(t);
        expect(nextFireAfter(rule, last)).toBe(next);
      }),
      { numRuns: 400 },
    );
  });

  it("consecutive fires are ordered, fall on the rule's days, at its time or at the end of a gap, and never on a repeat", () => {
    fc.assert(
      fc.property(cases, ({ rule, t }) => {
        const first = nextFireAfter(rule, t);
        const second = nextFireAfter(rule, first);
        expect(second).toBeGreaterThan(first);
        const [day1, day2] = [fireDay(rule, first), fireDay(rule, second)];
        expect(day2 > day1).toBe(true);
        for (const [fire, day] of [
          [first, day1],
          [second, day2],
        ] as const) {
          expect(isRuleDay(rule, day)).toBe(true);
          const wall = wallClock(fire, rule.timeZone);
          if (wall !== `${day} ${rule.time}`) {
            // Only a skipped time moves, and then to the very instant the clocks jumped, later that day.
            expect(wall > `${day} ${rule.time}`).toBe(true);
            expect(wallClock(fire - 60_000, rule.timeZone) < `${day} ${rule.time}`).toBe(true);
          }
          // A repeated time fires at its first occurrence: the same wall time did not already happen.
          for (const back of [30, 60, 120]) expect(wallClock(fire - back * 60_000, rule.timeZone)).not.toBe(wall);
        }
        if (rule.frequency === "daily") expect(day2).toBe(addDay(day1, 1));
        if (rule.frequency === "weekly") expect(day2).toBe(addDay(day1, 7));
      }),
      { numRuns: 400 },
    );
  });
});

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function addDay(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Whether a day is one the rule fires on, from the calendar alone. */
function isRuleDay(rule: ScheduleRule, day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  if (rule.frequency === "daily") return true;
  if (rule.frequency === "weekly") return (date.getUTCDay() + 6) % 7 === rule.weekday;
  const lastOfMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  const wanted = rule.monthDay === "last" ? lastOfMonth : Math.min(rule.monthDay as number, lastOfMonth);
  return date.getUTCDate() === wanted;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD HH:MM" in the zone, straight from Intl. */
function wallClock(ms: number, zone: string): string {
  let f = wallFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    wallFormats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
