// The running server's housekeeping: retention at start-up and every round after, and leftover
// report files swept from REPORTS_DIR, without start-up waiting for either.

import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { openStore } from "../../src/store/open-store.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, freshSqlite, type TestDatabase } from "../support/databases.ts";
import { seedEvents, storedBodyCount, storedEvents } from "../support/event-log.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(DATABASES)("retention in the running server on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = fresh();
    const store = await openStore(db.url);
    await seedEvents(store, [
      { receivedAt: daysAgo(45), webhookEvents: 2 },
      { receivedAt: daysAgo(40) },
      { receivedAt: daysAgo(20), webhookEvents: 1 },
      { receivedAt: daysAgo(10) },
    ]);
    await store.close();
    app = await startTestApp(
      db.url,
      { EVENT_LOG_RETENTION_DAYS: "30" },
      { clock: { ...systemClock, now: () => NOW }, housekeepingIntervalMs: 200 },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("at start-up removes bodies and payloads older than EVENT_LOG_RETENTION_DAYS, keeping the events", async () => {
    await app.housekeepingIdle();
    const events = await storedEvents(app.store);
    expect(events.map((e) => [e.bodyId !== null, e.payload !== null])).toEqual([
      [false, false],
      [false, false],
      [false, false],
      [true, false],
      [false, true],
    ]);
    expect(await storedBodyCount(app.store)).toBe(1);
    expect(app.logs).toContainEqual(
      expect.objectContaining({ msg: "removed webhook bodies and event payloads past retention", bodies: 1, payloads: 1 }),
    );
  });

  it("keeps doing it, round after round, while it runs", async () => {
    for (let round = 0; round < 2; round++) {
      await seedEvents(app.store, [{ receivedAt: daysAgo(31) }, { receivedAt: daysAgo(35), webhookEvents: 1 }]);
      await until(async () => (await storedEvents(app.store)).every((e, i) => i === 3 || i === 4 || (!e.payload && !e.bodyId)));
      expect(await storedBodyCount(app.store)).toBe(1);
    }
  });
});

describe("leftover report files at start-up", () => {
  it("are swept from REPORTS_DIR; a file another instance wrote moments ago stays", async () => {
    const db = freshSqlite();
    const dir = mkdtempSync(join(tmpdir(), "hsm-reports-"));
    const leftover = join(dir, "job-4-acme-2026-10-01_2026-10-31.xlsx");
    const live = join(dir, ".9a8b7c6d5e4f.partial");
    writeFileSync(leftover, "PK");
    writeFileSync(live, "PK");
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(leftover, hourAgo, hourAgo);
    const app = await startTestApp(db.url, { REPORTS_DIR: dir });
    try {
      await app.housekeepingIdle();
      expect([existsSync(leftover), existsSync(live)]).toEqual([false, true]);
    } finally {
      await app.stop();
      await db.drop();
    }
  });

  it("a REPORTS_DIR that does not exist yet is not an error", async () => {
    const db = freshSqlite();
    const app = await startTestApp(db.url, { REPORTS_DIR: join(tmpdir(), "hsm-no-such-dir", "reports") });
    try {
      await app.housekeepingIdle();
      expect(app.logs.filter((l) => (l.level as number) >= 40)).toEqual([]);
    } finally {
      await app.stop();
      await db.drop();
    }
  });
});
