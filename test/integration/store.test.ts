// The store on SQLite and on PostgreSQL: migrations, idempotent send records, waiting and late events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { parseWebhook } from "../../src/ingest/parse-webhook.ts";
import { ingestSendRecords } from "../../src/ingest/send-records.ts";
import { applyWebhookBodies } from "../../src/store/apply-webhook.ts";
import { loadMigrations } from "../../src/store/migrate.ts";
import { migrateDatabase, openStore, type Store } from "../../src/store/open-store.ts";
import { all } from "../../src/store/sql.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { statusEvent } from "../support/meta.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const base = {
  campaign: "Cobranza octubre",
  channel: "106540352242922",
  agent: "Carlos Rojas",
  hsm: { id: "77", name: "recordatorio_pago" },
  destination: "51977452931",
  body: "Hola",
  queuedAt: "2026-10-01T14:00:00Z",
};

describe.each(DATABASES)("store on $kind", ({ kind, fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let tenantId: number;
  const opts = { source: "api" as const, windowDays: 30, now: NOW };
  const send = (records: unknown[]) =>
    ingestSendRecords(
      store,
      tenantId,
      records.map((value, index) => ({ value, index, raw: JSON.stringify(value) })),
      opts,
    );
  const webhook = (events: Parameters<typeof metaWebhookBody>[0]) => {
    const raw = metaWebhookBody(events);
    const parsed = parseWebhook(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    return store.sql.transaction(
      applyWebhookBodies([{ raw, receivedAt: NOW, events: parsed.events }], { windowDays: 30, now: NOW }),
    );
  };
  const message = (platformId: string) =>
    store.prisma.message.findFirst({ where: { platformId }, include: { campaign: true, template: true } });

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    tenantId = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("a fresh database gets every committed migration, recorded where `prisma migrate status` looks", async () => {
    const applied = await store.sql.read(function* () {
      return yield* all<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`);
    });
    expect(applied.map((m) => m.migration_name)).toEqual(loadMigrations(kind).map((m) => m.name));
    expect(await migrateDatabase(db.url)).toEqual({ applied: [], alreadyApplied: applied.length });
  });

  it("re-sending a record updates it instead of adding a second message", async () => {
    await send([{ ...base, id: "r1" }]);
    await send([
      { ...base, id: "r1", campaign: "Campaña chattigo", waMessageId: "wamid.R1", outboundAt: "2026-10-01T14:00:03Z" },
    ]);
    await send([
      { ...base, id: "r1", campaign: "Campaña chattigo", waMessageId: "wamid.R1", outboundAt: "2026-10-01T14:00:03Z" },
    ]);
    const rows = await store.prisma.message.findMany({ where: { platformId: "r1" }, include: { campaign: true } });
    expect(rows.map((r) => [r.campaign.name, r.wamid, r.state])).toEqual([["Campaña chattigo", "wamid.R1", "outbound"]]);
  });

  it("a later record without waMessageId keeps the wamid it already had", async () => {
    await send([{ ...base, id: "r1", campaign: "Campaña chattigo" }]);
    expect((await message("r1"))?.wamid).toBe("wamid.R1");
  });

  it("valid records of a batch are kept when others are refused, each error with index, field and reason", async () => {
    const result = await send([
      { ...base, id: "ok1" },
      { ...base, id: "bad", queuedAt: "ayer" },
      { ...base, id: "ok2", waMessageId: "wamid.R1" },
    ]);
    expect(result).toEqual({
      accepted: 1,
      rejected: 2,
      errors: [
        { index: 1, field: "queuedAt", reason: "must be an ISO 8601 date-time with a time zone, e.g. 2026-10-01T09:30:00-05:00" },
        { index: 2, field: "waMessageId", reason: "already belongs to message r1" },
      ],
    });
    expect(await message("ok1")).not.toBeNull();
    expect(await message("ok2")).toBeNull();
    const logged = await store.prisma.eventLog.findMany({
      where: { kind: "send_record", platformId: { in: ["ok1", "bad", "ok2"] } },
    });
    expect(logged.map((e) => [e.platformId, e.outcome, e.reason]).sort()).toEqual([
      ["bad", "rejected", "queuedAt: must be an ISO 8601 date-time with a time zone, e.g. 2026-10-01T09:30:00-05:00"],
      ["ok1", "applied", null],
      ["ok2", "rejected", "waMessageId: already belongs to message r1"],
    ]);
  });

  it("events that beat their send record wait in the log and are applied when it arrives", async () => {
    const [result] = await webhook([
      statusEvent("wamid.W1", "sent", "2026-10-01T14:01:00Z"),
      statusEvent("wamid.W1", "read", "2026-10-01T15:00:00Z"),
    ]);
    expect(result?.outcomes.waiting).toBe(2);
    await send([{ ...base, id: "w1", waMessageId: "wamid.W1", outboundAt: "2026-10-01T14:00:30Z" }]);
    const row = await message("w1");
    expect([row?.state, row?.sentAt?.toISOString(), row?.readAt?.toISOString()]).toEqual([
      "read",
      "2026-10-01T14:01:00.000Z",
      "2026-10-01T15:00:00.000Z",
    ]);
    const events = await store.prisma.eventLog.findMany({ where: { wamid: "wamid.W1", kind: "status" }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.outcome, e.tenantId, e.platformId])).toEqual([
      ["applied", tenantId, "w1"],
      ["applied", tenantId, "w1"],
    ]);
  });

  it("a status more than 30 days after the message left is kept as late, not applied", async () => {
    await send([{ ...base, id: "l1", waMessageId: "wamid.L1", outboundAt: "2026-10-01T14:00:00Z" }]);
    const [result] = await webhook([
      statusEvent("wamid.L1", "delivered", "2026-10-01T14:05:00Z"),
      statusEvent("wamid.L1", "read", "2026-11-05T10:00:00Z"),
    ]);
    expect(result?.outcomes).toMatchObject({ applied: 1, late: 1 });
    expect((await message("l1"))?.state).toBe("delivered");
    const late = await store.prisma.eventLog.findFirst({ where: { wamid: "wamid.L1", outcome: "late" } });
    expect(late?.reason).toBe("more than 30 days after the message left");
  });

  it("a template renamed by a later record shows its new name", async () => {
    await send([{ ...base, id: "t1", hsm: { id: "77", name: "recordatorio_pago_v2" } }]);
    expect((await message("t1"))?.template.name).toBe("recordatorio_pago_v2");
  });

  it("the same record in one batch twice: the later copy wins", async () => {
    await send([
      { ...base, id: "d1", agent: "Uno" },
      { ...base, id: "d1", agent: "Dos" },
    ]);
    const rows = await store.prisma.message.findMany({ where: { platformId: "d1" }, include: { agent: true } });
    expect(rows.map((r) => r.agent.name)).toEqual(["Dos"]);
  });
});
