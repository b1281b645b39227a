// A scheduled report across a crash: a SIGKILL while the report is being built, then a restart,
// still ends in one post (real server processes and a fake Slack, on SQLite and PostgreSQL).
import { afterAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";
import { lastFireAtOrBefore, type ScheduleRule } from "../../src/domain/schedule-time.ts";
import { openStore } from "../../src/store/open-store.ts";
import { DATABASES } from "../support/databases.ts";
import { startFakeSlack } from "../support/fake-slack.ts";
import { daily, localTime, scheduleIn, serverEnv, until, uploadsTo, ZONE } from "../support/schedule-processes.ts";
import { startServerProcess } from "../support/server-process.ts";

describe.each(DATABASES)("a scheduled report across a crash on $kind", ({ fresh }) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it("SIGKILL while it is being built, restart: one post", async () => {
    const db = fresh();
    cleanups.push(() => db.drop());
    const seed = await openStore(db.url);
    await runDemo(seed, { messages: 30_000, windowDays: 30, now: new Date() });
    // A monthly schedule whose fire has just passed: due at the first tick, covering the last month
    // (nearly all 30,000 messages, as XLSX: long enough to be killed while it is written).
    const now = Date.now() - 60_000;
    const dayOfMonth = Number(new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric" }).format(new Date(now)));
    const rule: ScheduleRule = { ...daily(localTime(now)), frequency: "monthly", monthDay: dayOfMonth };
    const schedule = await scheduleIn(seed, "C0SCRASH", rule, "xlsx");
    const fire = lastFireAtOrBefore(rule, Date.now()) as number;
    await seed.prisma.schedule.update({ where: { id: schedule.id }, data: { nextRunAt: new Date(fire) } });
    await seed.close();

    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const env = serverEnv(db.url, slack, { JOB_LEASE_MS: "1500", REPORT_XLSX_MAX_ROWS: "1800000" });
    let server = await startServerProcess(env);
    cleanups.push(async () => server.child.kill("SIGKILL"));
    await until(
      "the progress message",
      () => slack.callsTo("chat.postMessage").find((c) => c.args.channel === "C0SCRASH"),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 150));
    server.child.kill("SIGKILL");
    await server.exited;
    const postedBefore = uploadsTo(slack, "C0SCRASH").length;

    server = await startServerProcess(env);
    await until("the post after the restart", () => (uploadsTo(slack, "C0SCRASH").length ? true : null), 120_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(uploadsTo(slack, "C0SCRASH")).toHaveLength(1);
    expect(postedBefore).toBe(0);

    const check = await openStore(db.url);
    try {
      const runs = await check.prisma.scheduleRun.findMany({ where: { scheduleId: schedule.id } });
      expect(runs.map((r) => r.outcome)).toEqual(["posted"]);
      const job = await check.prisma.reportJob.findFirstOrThrow({ where: { scheduleRunId: runs[0]?.id } });
      expect([job.status, job.attempts]).toEqual(["done", 2]);
    } finally {
      await check.close();
    }
    server.child.kill("SIGTERM");
  }, 240_000);
});
