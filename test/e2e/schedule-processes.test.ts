// Scheduled reports across real server processes and a fake Slack: two instances on one PostgreSQL
// database post a due schedule exactly once, and its missed fire exactly once (late) after both
// were down.
import { afterAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";
import { addDays } from "../../src/domain/local-time.ts";
import { lastFireAtOrBefore } from "../../src/domain/schedule-time.ts";
import { openStore } from "../../src/store/open-store.ts";
import { freshPostgres } from "../support/databases.ts";
import { startFakeSlack } from "../support/fake-slack.ts";
import { blocksText, daily, localTime, scheduleIn, serverEnv, until, uploadsTo } from "../support/schedule-processes.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";

describe("two instances on one PostgreSQL database", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it("post a daily schedule due in the coming minute once; after both were down past its next fire, once more, late", async () => {
    const db = freshPostgres();
    cleanups.push(() => db.drop());
    const seed = await openStore(db.url);
    await runDemo(seed, { messages: 400, windowDays: 30, now: new Date() });
    // The next whole minute, at least 15 s away, so that it is truly in the future when both start.
    let fire = Math.ceil(Date.now() / 60_000) * 60_000;
    if (fire - Date.now() < 15_000) fire += 60_000;
    const schedule = await scheduleIn(seed, "C0TWICE", daily(localTime(fire)));
    expect(schedule.nextRunAt.getTime()).toBe(fire);
    await seed.close();

    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const start = () => startServerProcess(serverEnv(db.url, slack));
    let servers: ServerProcess[] = await Promise.all([start(), start()]);
    cleanups.push(async () => {
      for (const s of servers) s.child.kill("SIGKILL");
    });

    const [first] = await until("the scheduled post", () =>
      uploadsTo(slack, "C0TWICE").length ? uploadsTo(slack, "C0TWICE") : null,
    );
    // Both instances ticked at that minute; give a second post, if there were one, time to come.
    await new Promise((r) => setTimeout(r, 5000));
    expect(uploadsTo(slack, "C0TWICE")).toHaveLength(1);
    expect(blocksText(first?.blocks ?? null)).toContain("Diario");
    expect(blocksText(first?.blocks ?? null)).not.toContain("llega tarde");

    // Both go down, and stay down past the schedule's next fire. Nobody waits a day in a test: the
    // day is made to have passed in the store instead (the first post moved one day back, and the
    // schedule's time two hours before now, its fire of today missed while no instance ran).
    for (const s of servers) s.child.kill("SIGKILL");
    await Promise.all(servers.map((s) => s.exited));
    const missedFire = lastFireAtOrBefore(daily(localTime(Date.now() - 2 * 3_600_000)), Date.now()) as number;
    const store = await openStore(db.url);
    const [firstRun] = await store.prisma.scheduleRun.findMany({ where: { scheduleId: schedule.id } });
    const dayBefore = addDays(firstRun?.periodFrom as string, -1);
    await store.prisma.scheduleRun.update({
      where: { id: firstRun?.id },
      data: { periodKey: `${dayBefore}..${dayBefore}`, periodFrom: dayBefore, periodTo: dayBefore },
    });
    await store.prisma.schedule.update({
      where: { id: schedule.id },
      data: { time: localTime(missedFire), nextRunAt: new Date(missedFire) },
    });
    await store.close();

    servers = await Promise.all([start(), start()]);
    await until("the late post", () => (uploadsTo(slack, "C0TWICE").length > 1 ? true : null));
    await new Promise((r) => setTimeout(r, 5000));
    const posts = uploadsTo(slack, "C0TWICE");
    expect(posts).toHaveLength(2);
    expect(blocksText(posts[1]?.blocks ?? null)).toContain("Este reporte llega tarde");

    const check = await openStore(db.url);
    try {
      const runs = await check.prisma.scheduleRun.findMany({ where: { scheduleId: schedule.id }, orderBy: { id: "asc" } });
      expect(runs.map((r) => [r.kind, r.late, r.outcome])).toEqual([
        ["scheduled", false, "posted"],
        ["scheduled", true, "posted"],
      ]);
    } finally {
      await check.close();
    }
    for (const s of servers) s.child.kill("SIGTERM");
  }, 300_000);
});
