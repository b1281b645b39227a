// Schedules in the store, on SQLite and PostgreSQL: a due fire is claimed exactly once (its run row,
// its job, the next fire), a fire missed while nobody ran is run once, late, within the catch-up
// window and only listed beyond it, paused fires are not replayed, deleted schedules never fire.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRef } from "../../src/domain/conversation-ref.ts";
import { lastFireAtOrBefore, type ScheduleRule } from "../../src/domain/schedule-time.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { getJob } from "../../src/store/report-jobs.ts";
import { claimDue, dueScheduleIds, runsOf, settleRun } from "../../src/store/schedule-runs.ts";
import { createSchedule, deleteSchedule, getSchedule, pauseSchedule, resumeSchedule } from "../../src/store/schedules.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const daily: ScheduleRule = { frequency: "daily", weekday: null, monthDay: null, time: "08:00", timeZone: "America/Lima" };
/** 08:00 in Lima (UTC−5) on 2026-12-07. */
const FIRE = Date.UTC(2026, 11, 7, 13, 0);

describe.each(DATABASES)("schedule runs on $kind", ({ kind, fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let tenantId: number;
  const make = (createdAt: number, rule = daily) =>
    createSchedule(
      store,
      {
        tenantId,
        conversation: conversationRef("slack", "T0FAKE", "C0SCHED", { extra: { creatorId: "U0ANA" } }),
        rule,
        filters: { campaigns: [], channels: [], agents: [], states: [] },
        format: "csv",
        locale: "es",
        createdBy: "U0ANA",
      },
      new Date(createdAt),
    );
  /** On PostgreSQL the database's clock decides what is due: the schedule's latest real fire is made its next. */
  const dueNow = async (id: number, fireMs: number) => {
    if (kind !== "postgresql") return new Date(fireMs + 30_000);
    const latest = lastFireAtOrBefore(daily, Date.now()) as number;
    await store.prisma.schedule.update({ where: { id }, data: { nextRunAt: new Date(latest) } });
    return new Date();
  };

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    tenantId = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("a new schedule's next run is its first fire after now", async () => {
    const s = await make(FIRE - HOUR);
    expect(s.nextRunAt.toISOString()).toBe("2026-12-07T13:00:00.000Z");
  });

  it("two instances claiming the same due fire at once: one run, one job, the next fire moves a day", async () => {
    const s = await make(FIRE - HOUR);
    const now = await dueNow(s.id, FIRE);
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimDue(store, s.id, { now, catchUpMs: DAY })));
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(1);
    const runs = await runsOf(store, s.id);
    // On PostgreSQL the fire made due is the latest real one, up to a day ago: late unless within 5 minutes.
    const fire = runs[0]?.fireAt.getTime() ?? 0;
    expect(runs.map((r) => [r.kind, r.from, r.to, r.late])).toEqual([
      ["scheduled", expect.any(String), expect.any(String), kind === "sqlite" ? false : now.getTime() - fire > 5 * 60_000],
    ]);
    const job = await getJob(store, won[0]?.jobId as number);
    expect([job?.scheduleRunId, job?.requesterId, job?.request.allowCsvFallback]).toEqual([runs[0]?.id, null, true]);
    const after = await getSchedule(store, s.id);
    expect((after?.nextRunAt.getTime() ?? 0) > now.getTime()).toBe(true);
    // A second claim afterwards finds nothing due.
    expect(await claimDue(store, s.id, { now, catchUpMs: DAY })).toBeNull();
  });

  // SQLite only: there the process's clock decides, so the test picks the instant (PostgreSQL's is the database's).
  if (kind === "sqlite")
    it("the period of a daily run is the day before its fire", async () => {
      const s = await make(FIRE - HOUR);
      const run = await claimDue(store, s.id, { now: new Date(FIRE + 20_000), catchUpMs: DAY });
      expect([run?.from, run?.to, run?.late]).toEqual(["2026-12-06", "2026-12-06", false]);
    });

  // SQLite only: there the process's clock decides, so the test picks the instant (PostgreSQL's is the database's).
  if (kind === "sqlite")
    it("a fire missed while nobody ran: run once, late, within the catch-up window; older ones only listed", async () => {
      const s = await make(FIRE - HOUR);
      // Three days without an instance: the fires of the 7th and 8th are too old, the 9th's is 3 h late.
      const now = new Date(FIRE + 2 * DAY + 3 * HOUR);
      const run = await claimDue(store, s.id, { now, catchUpMs: DAY });
      expect([run?.from, run?.to, run?.late]).toEqual(["2026-12-08", "2026-12-08", true]);
      const [recorded] = await runsOf(store, s.id);
      expect(recorded?.missed).toEqual([
        { from: "2026-12-06", to: "2026-12-06" },
        { from: "2026-12-07", to: "2026-12-07" },
      ]);
      expect((await getSchedule(store, s.id))?.nextRunAt.toISOString()).toBe("2026-12-10T13:00:00.000Z");
    });

  // SQLite only: there the process's clock decides, so the test picks the instant (PostgreSQL's is the database's).
  if (kind === "sqlite")
    it("missed beyond the window with nothing to run: remembered, and listed by the next run", async () => {
      const s = await make(FIRE - HOUR);
      const late = new Date(FIRE + 5 * HOUR);
      expect(await claimDue(store, s.id, { now: late, catchUpMs: HOUR })).toBeNull();
      expect((await getSchedule(store, s.id))?.missed).toEqual([{ from: "2026-12-06", to: "2026-12-06" }]);
      const next = await claimDue(store, s.id, { now: new Date(FIRE + DAY + 10_000), catchUpMs: HOUR });
      expect(next?.from).toBe("2026-12-07");
      expect((await runsOf(store, s.id))[0]?.missed).toEqual([{ from: "2026-12-06", to: "2026-12-06" }]);
    });

  // SQLite only: there the process's clock decides, so the test picks the instant (PostgreSQL's is the database's).
  if (kind === "sqlite")
    it("a fire whose days already have a run (its time was moved back) moves on instead of being due forever", async () => {
      const s = await make(FIRE - HOUR);
      expect((await claimDue(store, s.id, { now: new Date(FIRE + 10_000), catchUpMs: DAY }))?.from).toBe("2026-12-06");
      // The schedule's time moved to 06:00: today's 06:00 fire covers the same day as the run above.
      const earlier = Date.UTC(2026, 11, 7, 11, 0);
      await store.prisma.schedule.update({ where: { id: s.id }, data: { time: "06:00", nextRunAt: new Date(earlier) } });
      expect(await claimDue(store, s.id, { now: new Date(FIRE + 20_000), catchUpMs: DAY })).toBeNull();
      expect((await getSchedule(store, s.id))?.nextRunAt.toISOString()).toBe("2026-12-08T11:00:00.000Z");
      expect(await runsOf(store, s.id)).toHaveLength(1);
    });

  it("paused: not due; resumed: the next fire after now, the paused ones not replayed", async () => {
    const s = await make(FIRE - HOUR);
    await pauseSchedule(store, s.id, new Date(FIRE - HOUR));
    expect(await dueScheduleIds(store, new Date(FIRE + 3 * DAY))).not.toContain(s.id);
    const resumed = await resumeSchedule(store, s.id, new Date(FIRE + 3 * DAY + HOUR));
    expect(resumed?.nextRunAt.toISOString()).toBe("2026-12-11T13:00:00.000Z");
    expect(resumed?.missed).toEqual([]);
  });

  it("deleted: never found, never due, never claimed", async () => {
    const s = await make(FIRE - HOUR);
    await deleteSchedule(store, s.id, new Date(FIRE - HOUR));
    expect(await getSchedule(store, s.id)).toBeNull();
    expect(await dueScheduleIds(store, new Date(FIRE + DAY))).not.toContain(s.id);
    expect(await claimDue(store, s.id, { now: new Date(FIRE + DAY), catchUpMs: DAY })).toBeNull();
  });

  // SQLite only: there the process's clock decides, so the test picks the instant (PostgreSQL's is the database's).
  if (kind === "sqlite")
    it("three failed scheduled runs in a row pause the schedule", async () => {
      const s = await make(FIRE - HOUR);
      const paused: boolean[] = [];
      for (let d = 0; d < 3; d++) {
        const now = new Date(FIRE + d * DAY + 10_000);
        const run = await claimDue(store, s.id, { now, catchUpMs: DAY });
        expect(run).not.toBeNull();
        const r = await settleRun(store, run?.runId as number, { outcome: "failed", postRef: null, error: "x" }, now);
        paused.push(r.pausedNow);
      }
      expect(paused).toEqual([false, false, true]);
      expect((await getSchedule(store, s.id))?.paused).toBe(true);
    });
});
