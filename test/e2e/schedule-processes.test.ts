// Scheduled reports across real server processes and a fake Slack: two instances on one PostgreSQL
// database post a due schedule exactly once, and its missed fire exactly once (late) after both
// were down; a SIGKILL while a scheduled report is built still ends in one post.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";
import { conversationRef } from "../../src/domain/conversation-ref.ts";
import { addDays } from "../../src/domain/local-time.ts";
import { lastFireAtOrBefore, type ScheduleRule } from "../../src/domain/schedule-time.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { createSchedule } from "../../src/store/schedules.ts";
import { DATABASES, freshPostgres } from "../support/databases.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { SIGNING_SECRET, TEAM } from "../support/slack.ts";

const ZONE = "America/Lima";

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** HH:MM in the zone, of an instant. */
function localTime(ms: number): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  return `${parts.find((p) => p.type === "hour")?.value}:${parts.find((p) => p.type === "minute")?.value}`;
}

const daily = (time: string): ScheduleRule => ({ frequency: "daily", weekday: null, monthDay: null, time, timeZone: ZONE });

async function scheduleIn(store: Store, channel: string, rule: ScheduleRule, format: "csv" | "xlsx" = "csv") {
  const demo = await store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
  return createSchedule(
    store,
    {
      tenantId: demo.id,
      conversation: conversationRef("slack", TEAM, channel, { extra: { creatorId: "U0ANA" } }),
      rule,
      filters: { campaigns: [], channels: [], agents: [], states: [] },
      format,
      locale: "es",
      createdBy: "U0ANA",
    },
    new Date(),
  );
}

function serverEnv(url: string, slack: FakeSlack, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: url,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-schedule-reports-")),
    JOB_POLL_MS: "100",
    JOB_PROGRESS_INTERVAL_MS: "0",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

const uploadsTo = (slack: FakeSlack, channel: string) => slack.uploads.filter((u) => u.channel === channel);
const blocksText = (blocks: unknown[] | null) => JSON.stringify(blocks ?? []);

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
