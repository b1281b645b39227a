// SIGKILL in the middle of a stream of webhook POSTs: after a restart, every event that had been
// answered 200 is in the event log (acknowledged means stored).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../../src/domain/webhook-events.ts";
import { dedupeKey } from "../../src/domain/webhook-events.ts";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { openStore } from "../../src/store/open-store.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { APP_SECRET, postWebhook, statusEvent, VERIFY_TOKEN } from "../support/meta.ts";
import { sendRecord } from "../support/records.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";

const MESSAGES = 300;
const CLIENTS = 8;

function bodyFor(n: number): { raw: string; events: WebhookEvent[] } {
  // Each body: a few statuses for a few messages, unique by timestamp so every event is distinct.
  const events = Array.from({ length: 1 + (n % 7) }, (_, k) => {
    const m = (n * 7 + k) % MESSAGES;
    const status = ["sent", "delivered", "read"][(n + k) % 3] as string;
    return statusEvent(`wamid.K${m}`, status, new Date(Date.UTC(2026, 9, 1, 14) + n * 1000 + k).toISOString());
  });
  return { raw: metaWebhookBody(events), events };
}

describe.each(DATABASES)("crash safety on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let server: ServerProcess | null = null;
  const env = () => ({ DATABASE_URL: db.url, WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN });

  beforeAll(async () => {
    db = fresh();
    server = await startServerProcess(env());
    const store = await openStore(db.url);
    const { apiKey } = await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" });
    await store.close();
    const records = Array.from({ length: MESSAGES }, (_, m) =>
      sendRecord(`k${m}`, { waMessageId: `wamid.K${m}`, queuedAt: "2026-10-01T13:59:00Z", outboundAt: "2026-10-01T14:00:00Z" }),
    );

    const res = await fetch(`${server.url}/api/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(records),
    });
    expect(res.status).toBe(200);
  });

  afterAll(async () => {
    server?.child.kill("SIGKILL");
    await db?.drop();
  });

  it("every event answered 200 before a SIGKILL is in the event log after restart", async () => {
    const running = server as ServerProcess;
    const acknowledged: WebhookEvent[] = [];
    let next = 0;
    let killed = false;
    const client = async () => {
      while (!killed) {
        const body = bodyFor(next++);
        try {
          const res = await postWebhook(running.url, body.raw);
          if (res.status === 200) acknowledged.push(...body.events);
        } catch {
          return; // connection reset by the kill
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    // Kill mid-stream, once a good number of bodies have been answered.
    while (acknowledged.length < 1500) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    running.child.kill("SIGKILL");
    await Promise.all(clients);
    expect(await running.exited).toBe(null);

    server = await startServerProcess(env());
    const store = await openStore(db.url);
    try {
      const keys = new Set(
        (await store.prisma.eventLog.findMany({ where: { source: "webhook" }, select: { dedupeKey: true } })).map(
          (e) => e.dedupeKey,
        ),
      );
      const missing = acknowledged.filter((e) => !keys.has(dedupeKey(e)));
      expect(acknowledged.length).toBeGreaterThanOrEqual(1500);
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe("graceful stop", () => {
  it("SIGTERM lets requests in flight finish, stores what it answered, and exits 0", async () => {
    const { freshSqlite } = await import("../support/databases.ts");
    const db = freshSqlite();
    try {
      const server = await startServerProcess({
        DATABASE_URL: db.url,
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      });
      const inFlight = Array.from({ length: 20 }, (_, n) => bodyFor(n)).map((b) =>
        postWebhook(server.url, b.raw).then((r) => ({ r, b })),
      );
      await new Promise((r) => setTimeout(r, 5));
      server.child.kill("SIGTERM");
      const settled = await Promise.allSettled(inFlight);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain("hsm-report stopped");
      const answered = settled.flatMap((s) => (s.status === "fulfilled" && s.value.r.status === 200 ? s.value.b.events : []));
      const store = await openStore(db.url);
      try {
        const keys = new Set((await store.prisma.eventLog.findMany({ select: { dedupeKey: true } })).map((e) => e.dedupeKey));
        expect(answered.filter((e) => !keys.has(dedupeKey(e)))).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });
});
