// `hsm-report schedule …` as an operator runs it (the built CLI), on SQLite and PostgreSQL: the list
// (one line each, id first; --json for scripts), pause, resume, delete, and clear errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationRef } from "../../src/domain/conversation-ref.ts";
import { openStore } from "../../src/store/open-store.ts";
import { claimDue } from "../../src/store/schedule-runs.ts";
import { createSchedule } from "../../src/store/schedules.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { runCli } from "../support/server-process.ts";

describe.each(DATABASES)("schedule commands on $kind", ({ kind, fresh }) => {
  let db: TestDatabase;
  const ids: number[] = [];
  const cli = (...args: string[]) => runCli(["schedule", ...args], { DATABASE_URL: db.url });

  beforeAll(async () => {
    db = fresh();
    const store = await openStore(db.url);
    try {
      const acme = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant;
      const beta = (await createTenant(store, { slug: "beta", name: "Beta", timeZone: "Europe/Madrid", locale: "en" })).tenant;
      const created = new Date("2026-12-03T12:00:00Z");
      const a = await createSchedule(
        store,
        {
          tenantId: acme.id,
          conversation: conversationRef("slack", "T0ACME", "C0VENTAS"),
          rule: { frequency: "weekly", weekday: 0, monthDay: null, time: "08:00", timeZone: "America/Lima" },
          filters: { campaigns: ["Campaña chattigo"], channels: [], agents: [], states: [] },
          format: "xlsx",
          locale: "es",
          createdBy: "U0ANA",
        },
        created,
      );
      const b = await createSchedule(
        store,
        {
          tenantId: beta.id,
          conversation: conversationRef("slack", "T0BETA", "C0OPS"),
          rule: { frequency: "monthly", weekday: null, monthDay: "last", time: "07:30", timeZone: "Europe/Madrid" },
          filters: { campaigns: [], channels: [], agents: [], states: ["read"] },
          format: "csv",
          locale: "en",
          createdBy: null,
        },
        created,
      );
      ids.push(a.id, b.id);
      // The weekly one has run once (on SQLite the test picks the instant; PostgreSQL's is its own).
      if (kind === "sqlite") await claimDue(store, a.id, { now: new Date("2026-12-07T13:00:30Z"), catchUpMs: 86_400_000 });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("lists every live schedule, one a line with its id first; --tenant narrows it", () => {
    const all = cli("list");
    expect(all.status).toBe(0);
    const lines = all.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^#${ids[0]}  acme  slack  C0VENTAS  weekly mon 08:00 America/Lima  campaign:"Campaña chattigo"  xlsx/es  next `,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^#${ids[1]}  beta  slack  C0OPS  monthly last 07:30 Europe/Madrid  state:read  csv/en  next .*last: never run$`,
      ),
    );
    const beta = cli("list", "--tenant", "beta");
    expect(beta.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("--json gives scripts the values in effect, next run in UTC and the last run", () => {
    const r = cli("list", "--json", "--tenant", "acme");
    expect(r.status).toBe(0);
    const [s] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(s).toMatchObject({
      id: ids[0],
      tenant: "acme",
      platform: "slack",
      conversation: "C0VENTAS",
      frequency: "weekly",
      day: "mon",
      time: "08:00",
      timezone: "America/Lima",
      locale: "es",
      filters: { campaigns: ["Campaña chattigo"], channels: [], agents: [], states: [] },
      format: "xlsx",
      paused: false,
    });
    expect(String(s?.nextRunAt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    if (kind === "sqlite") {
      expect(s?.lastRun).toEqual({
        periodKey: "2026-11-30..2026-12-06",
        from: "2026-11-30",
        to: "2026-12-06",
        outcome: "queued",
        late: false,
        at: "2026-12-07T13:00:30.000Z",
      });
    }
  });

  it("pause, resume and delete by id; a deleted schedule is not listed; an unknown id is an error", () => {
    const [a, b] = ids as [number, number];
    expect(cli("pause", String(a)).stdout).toBe(`Schedule #${a} paused.\n`);
    expect((JSON.parse(cli("list", "--json").stdout) as { id: number; paused: boolean }[]).find((s) => s.id === a)?.paused).toBe(
      true,
    );
    const resumed = cli("resume", String(a));
    expect(resumed.stdout).toMatch(new RegExp(`^Schedule #${a} resumed; next run \\d{4}-`));
    expect(cli("delete", String(b)).stdout).toBe(`Schedule #${b} deleted.\n`);
    expect((JSON.parse(cli("list", "--json").stdout) as { id: number }[]).map((s) => s.id)).toEqual([a]);
    const again = cli("delete", String(b));
    expect([again.status, again.stderr.trim()]).toEqual([1, `No schedule #${b} (deleted, or it never existed).`]);
    const typo = cli("pause", "abc");
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('"abc" is not a schedule id');
  });
});
