// Which company an event may touch, on SQLite and PostgreSQL: a webhook event applies to a message
// only if its metadata.phone_number_id is one of that message's company's lines; a send record
// refused for another company's wamid never says so; a customer's ordinary chat leaves its outcome
// in the log but its body is not kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../../src/domain/webhook-events.ts";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { parseWebhook } from "../../src/ingest/parse-webhook.ts";
import { ingestSendRecords } from "../../src/ingest/send-records.ts";
import { applyWebhookBodies } from "../../src/store/apply-webhook.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { replyEvent, statusEvent } from "../support/meta.ts";
import { sendRecord } from "../support/records.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const ACME_LINE = "106540352242922";
const OTHER_LINE = "999000111222333";

describe.each(DATABASES)("tenancy of events on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let acme: number;
  let beta: number;
  const send = (tenantId: number, records: Record<string, unknown>[]) =>
    ingestSendRecords(
      store,
      tenantId,
      records.map((value, index) => ({ value, index, raw: JSON.stringify(value) })),
      { source: "api", windowDays: 30, now: NOW },
    );
  const webhook = (events: WebhookEvent[]) => {
    const raw = metaWebhookBody(events);
    const parsed = parseWebhook(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    return store.sql.transaction(
      applyWebhookBodies([{ raw, receivedAt: NOW, events: parsed.events }], { windowDays: 30, now: NOW }),
    );
  };
  const logged = (wamid: string) =>
    store.prisma.eventLog.findMany({ where: { wamid, source: "webhook" }, orderBy: { id: "asc" } });
  const state = async (id: string) => (await store.prisma.message.findFirstOrThrow({ where: { platformId: id } })).state;

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    acme = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
    beta = (await createTenant(store, { slug: "beta", name: "Beta", timeZone: "America/Lima", locale: "es" })).tenant.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const left = { queuedAt: "2026-10-01T14:00:00Z", outboundAt: "2026-10-01T14:00:02Z" };

  it("a status from another company's line is refused with the reason and changes nothing", async () => {
    await send(acme, [sendRecord("t1", { waMessageId: "wamid.T1", ...left })]);
    // Beta has a line of its own; the status comes through it, naming acme's wamid.
    await send(beta, [sendRecord("b1", { waMessageId: "wamid.B1", channel: OTHER_LINE, ...left })]);
    const [result] = await webhook([statusEvent("wamid.T1", "read", "2026-10-01T15:00:00Z", { phoneNumberId: OTHER_LINE })]);
    expect(result?.outcomes.rejected).toBe(1);
    const [event] = await logged("wamid.T1");
    expect([event?.outcome, event?.phoneNumberId, event?.tenantId]).toEqual(["rejected", OTHER_LINE, null]);
    expect(event?.reason).toBe(`metadata.phone_number_id ${OTHER_LINE} is not a channel of the company this message belongs to`);
    expect(await state("t1")).toBe("outbound");
    // Through acme's own line it applies.
    await webhook([statusEvent("wamid.T1", "read", "2026-10-01T15:00:00Z", { phoneNumberId: ACME_LINE })]);
    expect(await state("t1")).toBe("read");
  });

  it("an event waiting for its message is refused when the message's company does not own its line", async () => {
    await webhook([statusEvent("wamid.T2", "delivered", "2026-10-01T14:05:00Z", { phoneNumberId: OTHER_LINE })]);
    expect((await logged("wamid.T2")).map((e) => e.outcome)).toEqual(["waiting"]);
    await send(acme, [sendRecord("t2", { waMessageId: "wamid.T2", ...left })]);
    const [event] = await logged("wamid.T2");
    expect(event?.outcome).toBe("rejected");
    expect(await state("t2")).toBe("outbound");
  });

  it("a record claiming another company's wamid is refused without saying that the wamid exists there", async () => {
    const result = await send(beta, [sendRecord("b2", { waMessageId: "wamid.T1", channel: OTHER_LINE, ...left })]);
    expect(result.accepted).toBe(0);
    const reason = result.errors[0]?.reason ?? "";
    expect(reason).toBe("is not accepted for this record: check that it is the id Meta returned for this message");
    expect(reason).not.toMatch(/exist|belong|another|tenant|company/i);
    // The same company's own conflict still names its own message.
    const own = await send(acme, [sendRecord("t9", { waMessageId: "wamid.T1", ...left })]);
    expect(own.errors[0]?.reason).toBe("already belongs to message t1");
  });

  it("a customer's ordinary chat leaves its outcome in the log, and its body is not kept", async () => {
    const bodiesBefore = await store.prisma.rawBody.count();
    const chat: WebhookEvent = {
      kind: "inbound",
      inboundId: "wamid.IN1",
      contextId: null,
      at: new Date("2026-10-01T16:00:00Z"),
      type: "text",
      phoneNumberId: ACME_LINE,
    };
    const [result] = await webhook([chat]);
    expect([result?.bodyId, result?.outcomes.ignored]).toEqual([null, 1]);
    expect(await store.prisma.rawBody.count()).toBe(bodiesBefore);
    const row = await store.prisma.eventLog.findFirstOrThrow({ where: { dedupeKey: "in:wamid.IN1" } });
    expect([row.outcome, row.bodyId]).toEqual(["ignored", null]);
    // A reply to one of our messages concerns a company: its body is kept.
    const [reply] = await webhook([replyEvent("wamid.T1", "wamid.IN2", "2026-10-01T16:05:00Z", "text")]);
    expect(reply?.bodyId).not.toBeNull();
  });
});
