// A database that is down or locked: webhooks get 503 (Meta retries), nothing is half-stored, and the
// same body is accepted once the database is back.
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { parseDatabaseUrl } from "../../src/store/database-url.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { freshSqlite, POSTGRES_URL } from "../support/databases.ts";
import { postWebhook, statusEvent } from "../support/meta.ts";
import { sendRecord } from "../support/records.ts";

const RECORD = sendRecord("d1", {
  waMessageId: "wamid.D1",
  queuedAt: "2026-10-01T14:00:00Z",
  outboundAt: "2026-10-01T14:00:05Z",
});
const BODY = metaWebhookBody([statusEvent("wamid.D1", "delivered", "2026-10-01T14:01:00Z")]);

async function seed(app: TestApp) {
  const { apiKey } = await createTenant(app.store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" });
  const res = await fetch(`${app.url}/api/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}` },
    body: JSON.stringify([RECORD]),
  });
  expect(res.status).toBe(200);
  return apiKey;
}

async function stateOf(app: TestApp) {
  return (await app.store.prisma.message.findFirst({ where: { platformId: "d1" } }))?.state;
}

describe("database unavailable", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("SQLite locked by another process: 503, nothing stored, then the retry is applied", async () => {
    const db = freshSqlite();
    const app = await startTestApp(db.url, { DATABASE_BUSY_TIMEOUT_MS: "200" });
    cleanups.push(
      () => db.drop(),
      () => app.stop(),
    );
    const apiKey = await seed(app);
    const eventsBefore = await app.store.prisma.eventLog.count();

    const other = new Database(
      parseDatabaseUrl(db.url).kind === "sqlite" ? (parseDatabaseUrl(db.url) as { file: string }).file : "",
    );
    other.exec("BEGIN EXCLUSIVE");
    const refused = await postWebhook(app.url, BODY);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      error: "store_unavailable",
      message: "The database is unavailable; the webhook was not stored. Meta will retry.",
    });
    const records = await fetch(`${app.url}/api/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}` },
      body: JSON.stringify([{ ...RECORD, id: "d2", waMessageId: "wamid.D2" }]),
    });
    expect(records.status).toBe(503);
    other.exec("ROLLBACK");
    other.close();

    expect(await app.store.prisma.eventLog.count()).toBe(eventsBefore);
    expect(await stateOf(app)).toBe("outbound");
    expect((await postWebhook(app.url, BODY)).status).toBe(200);
    expect(await stateOf(app)).toBe("delivered");
  });

  it("PostgreSQL refusing connections: 503 and an unhealthy /healthz, then the retry is applied", async () => {
    const name = `hsm_down_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    const app = await startTestApp(url.toString(), { DATABASE_BUSY_TIMEOUT_MS: "1000" });
    cleanups.push(
      async () => {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
      () => app.stop(),
    );
    await seed(app);

    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    const refused = await postWebhook(app.url, BODY);
    expect(refused.status).toBe(503);
    expect(refused.body?.error).toBe("store_unavailable");
    // Meta is told when to come back.
    expect(refused.retryAfter).toBe("5");
    const health = await fetch(`${app.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([503, { status: "degraded", database: "down" }]);

    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await postWebhook(app.url, BODY)).status).toBe(200);
    expect(await stateOf(app)).toBe("delivered");
    expect(await app.store.prisma.eventLog.count({ where: { source: "webhook" } })).toBe(1);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
