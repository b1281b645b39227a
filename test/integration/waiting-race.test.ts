// A status for a wamid we do not know yet, and the send record that brings that wamid, committed
// at the same moment: whatever the order, they must meet (SPEC rule 7). Both transactions are
// driven by hand, one stopped halfway while the other runs, in both orders; and events a past race
// left waiting are healed by the sweep.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { parseSendRecord } from "../../src/ingest/parse-send-record.ts";
import { parseWebhook } from "../../src/ingest/parse-webhook.ts";
import { applyWebhookBodies } from "../../src/store/apply-webhook.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import type { PgRunner } from "../../src/store/pg-runner.ts";
import { settleWaitingEvents } from "../../src/store/settle-waiting.ts";
import { run } from "../../src/store/sql.ts";
import type { SqliteRunner } from "../../src/store/sqlite-runner.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { type RecordItem, upsertSendRecords } from "../../src/store/upsert-records.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { beginManual } from "../support/manual-transaction.ts";
import { statusEvent } from "../support/meta.ts";
import { sendRecord } from "../support/records.ts";

const NOW = new Date("2026-11-20T12:00:00Z");

function webhookWork(wamid: string) {
  const raw = metaWebhookBody([
    statusEvent(wamid, "failed", "2026-10-01T14:01:00Z", { errorCode: 131026, errorTitle: "Message undeliverable" }),
  ]);
  const parsed = parseWebhook(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return applyWebhookBodies([{ raw, receivedAt: NOW, events: parsed.events }], { windowDays: 30, now: NOW });
}

function recordWork(tenantId: number, id: string, wamid: string) {
  const value = sendRecord(id, { waMessageId: wamid, queuedAt: "2026-10-01T14:00:00Z", outboundAt: "2026-10-01T14:00:02Z" });
  const parsed = parseSendRecord(value, 0);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const item: RecordItem = { index: 0, raw: JSON.stringify(value), record: parsed.record, platformId: id, errors: [] };
  return upsertSendRecords(tenantId, [item], { source: "api", windowDays: 30, now: NOW });
}

/** Waits for a promise up to `ms`; says whether it settled (a transaction blocked on a lock has not). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setTimeout(r, ms));
  return done;
}

const beforeLogInsert = (op: { sql: string }) => op.sql.trimStart().startsWith("INSERT INTO event_log");

describe.each(DATABASES)("the waiting race on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let tenantId: number;
  const runner = () => store.sql as SqliteRunner | PgRunner;
  const outcome = async (wamid: string) =>
    (await store.prisma.eventLog.findFirstOrThrow({ where: { wamid, source: "webhook" } })).outcome;
  const state = async (id: string) => (await store.prisma.message.findFirstOrThrow({ where: { platformId: id } })).state;

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    tenantId = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("status first, record committed while the status is uncommitted: the failure is applied", async () => {
    const webhook = await beginManual(runner(), webhookWork("wamid.RACE1"));
    // The webhook has looked for the message, found none, and decided `waiting` — not committed.
    await webhook.runUntil(beforeLogInsert);
    const record = store.sql.transaction(recordWork(tenantId, "race1", "wamid.RACE1"));
    // The record must wait for the webhook's transaction rather than miss its event.
    expect(await settlesWithin(record, 300)).toBe(false);
    await webhook.finish();
    await record;
    expect(await outcome("wamid.RACE1")).toBe("applied");
    expect(await state("race1")).toBe("meta_failed");
  });

  it("record first, status committed while the record is uncommitted: the failure is applied", async () => {
    const record = await beginManual(runner(), recordWork(tenantId, "race2", "wamid.RACE2"));
    // The record has written its message and found no waiting event — not committed.
    await record.runUntil(beforeLogInsert);
    const webhook = store.sql.transaction(webhookWork("wamid.RACE2"));
    expect(await settlesWithin(webhook, 300)).toBe(false);
    await record.finish();
    await webhook;
    expect(await outcome("wamid.RACE2")).toBe("applied");
    expect(await state("race2")).toBe("meta_failed");
  });

  it("an event a past race left waiting although its message exists is applied by the sweep", async () => {
    await store.sql.transaction(recordWork(tenantId, "race3", "wamid.RACE3"));
    await store.sql.transaction(webhookWork("wamid.RACE3"));
    // What the race used to leave behind: the event back to waiting, the message without it.
    await store.sql.transaction(function* () {
      yield* run("UPDATE event_log SET outcome = 'waiting', tenant_id = NULL, applied_at = NULL WHERE wamid = ?", [
        "wamid.RACE3",
      ]);
      yield* run(
        "UPDATE messages SET failed_at = NULL, meta_error_code = NULL, meta_error_title = NULL, event_keys = '', state = 'outbound', sent_stage = 'pending', delivered_stage = 'pending', read_stage = 'pending' WHERE platform_id = ?",
        ["race3"],
      );
    });
    expect(await state("race3")).toBe("outbound");
    const settled = await store.sql.transaction(settleWaitingEvents({ windowDays: 30, now: NOW, limit: 100 }));
    expect(settled).toBe(1);
    expect(await outcome("wamid.RACE3")).toBe("applied");
    expect(await state("race3")).toBe("meta_failed");
    // A second pass finds nothing left to do.
    expect(await store.sql.transaction(settleWaitingEvents({ windowDays: 30, now: NOW, limit: 100 }))).toBe(0);
  });
});
