// What the scheduled-report tests across real server processes share: a schedule in a Slack channel,
// a server process's environment against the fake Slack, and waiting for what it posts.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conversationRef } from "../../src/domain/conversation-ref.ts";
import type { ScheduleRule } from "../../src/domain/schedule-time.ts";
import type { Store } from "../../src/store/open-store.ts";
import { createSchedule } from "../../src/store/schedules.ts";
import type { FakeSlack } from "./fake-slack.ts";
import { SIGNING_SECRET, TEAM } from "./slack.ts";

export const ZONE = "America/Lima";

export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** HH:MM in the zone, of an instant. */
export function localTime(ms: number): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  return `${parts.find((p) => p.type === "hour")?.value}:${parts.find((p) => p.type === "minute")?.value}`;
}

export const daily = (time: string): ScheduleRule => ({
  frequency: "daily",
  weekday: null,
  monthDay: null,
  time,
  timeZone: ZONE,
});

export async function scheduleIn(store: Store, channel: string, rule: ScheduleRule, format: "csv" | "xlsx" = "csv") {
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

export function serverEnv(url: string, slack: FakeSlack, extra: Record<string, string> = {}) {
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

export const uploadsTo = (slack: FakeSlack, channel: string) => slack.uploads.filter((u) => u.channel === channel);
export const blocksText = (blocks: unknown[] | null) => JSON.stringify(blocks ?? []);
