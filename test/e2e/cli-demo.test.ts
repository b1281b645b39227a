// `hsm-report demo` as a user runs it (the built bin). Its own file: it is the longest of the CLI's
// tests, and files run side by side.
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.ts";
import { freshSqlite } from "../support/databases.ts";
import { runCli } from "../support/server-process.ts";

describe("demo", () => {
  it("creates tenant demo with 50,000 messages in all seven states, and a second run does not duplicate", async () => {
    const db = freshSqlite();
    try {
      const first = runCli(["demo"], { DATABASE_URL: db.url });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/API key for tenant demo \(shown once\): hsm_/);
      const snapshot = async () => {
        const store = await openStore(db.url);
        try {
          const states = await store.prisma.message.groupBy({ by: ["state"], _count: true });
          return {
            messages: await store.prisma.message.count(),
            states: Object.fromEntries(states.map((s) => [s.state, s._count])),
            campaigns: await store.prisma.campaign.count(),
            channels: await store.prisma.channel.count(),
            agents: await store.prisma.agent.count(),
            templates: await store.prisma.template.count(),
            events: await store.prisma.eventLog.count(),
            replies: await store.prisma.message.count({ where: { repliedAt: { not: null } } }),
            codes: (await store.prisma.message.groupBy({ by: ["metaErrorCode"], where: { state: "meta_failed" } })).map(
              (g) => g.metaErrorCode,
            ),
          };
        } finally {
          await store.close();
        }
      };
      const a = await snapshot();
      expect(a.messages).toBe(50_000);
      expect(Object.keys(a.states).sort()).toEqual([
        "delivered",
        "meta_failed",
        "outbound",
        "outbound_failed",
        "queued",
        "read",
        "sent",
      ]);
      expect(a.states.read).toBeGreaterThan(a.states.delivered as number);
      expect([a.campaigns >= 3, a.channels, a.agents, a.templates]).toEqual([true, 2, 5, 4]);
      expect(a.replies).toBeGreaterThan(1000);
      expect(a.codes).toEqual(expect.arrayContaining([131026, 131049, 131050]));

      const second = runCli(["demo"], { DATABASE_URL: db.url });
      expect(second.status).toBe(0);
      expect(second.stdout).not.toContain("API key");
      const b = await snapshot();
      expect(b.messages).toBe(50_000);
      expect(b.events).toBe(a.events);
      expect([b.campaigns, b.channels, b.agents, b.templates]).toEqual([a.campaigns, a.channels, a.agents, a.templates]);
    } finally {
      await db.drop();
    }
  }, 180_000); // two demo runs of 50,000 messages: CPU-bound, and the suite runs files side by side
});
