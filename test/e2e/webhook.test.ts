// Meta webhooks over real HTTP, against the real server, on SQLite and on PostgreSQL: shuffled,
// duplicated, some before their send record; the rows must be exactly what SPEC predicts.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookEvent } from "../../src/domain/webhook-events.ts";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { postWebhook, replyEvent, statusEvent, VERIFY_TOKEN } from "../support/meta.ts";
import { sendRecord } from "../support/records.ts";

const Q = "2026-10-01T14:00:00.000Z"; // 09:00 in Lima
const LEFT = "2026-10-01T14:00:05.000Z";

const record = (id: string, extra: Record<string, unknown> = {}) => sendRecord(id, { queuedAt: Q, ...extra });

const left = (n: number) => ({ waMessageId: `wamid.M${n}`, outboundAt: LEFT });

/** Send records that arrive before any webhook. */
const EARLY_RECORDS = [
  record("m1", left(1)),
  record("m2", left(2)),
  record("m3", left(3)),
  record("m5", left(5)),
  record("m6", { destination: "123" }),
  record("m7"),
  record("m8", left(8)),
  record("m10", left(10)),
  record("m11", left(11)),
  record("m12", { header: "H".repeat(61) }),
];
/** Send records that arrive after Meta already spoke about them. */
const LATE_RECORDS = [record("m4", left(4)), record("m9", left(9))];

const at = (minutes: number) => new Date(Date.parse(LEFT) + minutes * 60_000).toISOString();
const failed = (wamid: string, minutes: number, code: number, title: string) =>
  statusEvent(wamid, "failed", at(minutes), { errorCode: code, errorTitle: title });

const EVENTS: WebhookEvent[] = [
  statusEvent("wamid.M1", "sent", at(1), { pricingCategory: "marketing" }),
  statusEvent("wamid.M1", "delivered", at(2)),
  statusEvent("wamid.M1", "read", at(3)),
  statusEvent("wamid.M2", "sent", at(1)),
  failed("wamid.M2", 5, 131026, "Message undeliverable"),
  failed("wamid.M3", 1, 131049, "This message was not delivered to maintain healthy ecosystem engagement."),
  statusEvent("wamid.M4", "sent", at(1)),
  replyEvent("wamid.M4", "wamid.IN4", at(30), "text"),
  statusEvent("wamid.M5", "sent", at(1)),
  statusEvent("wamid.M5", "delivered", at(2)),
  replyEvent("wamid.M5", "wamid.IN5", at(40), "button"),
  statusEvent("wamid.M9", "sent", at(1)),
  statusEvent("wamid.M9", "delivered", at(3)),
  statusEvent("wamid.M10", "sent", at(1)),
  failed("wamid.M10", 2, 131000, "Something went wrong"),
  statusEvent("wamid.M10", "delivered", at(9)),
  statusEvent("wamid.M11", "sent", at(1)),
  statusEvent("wamid.M11", "played", at(4)),
];

type Expected = [state: string, stages: string, comment: string, dates: string, replied: string | null];
const S = (m: number) => (m === -1 ? "" : at(m));
const dates = (sent: number, delivered: number, read: number) => [S(sent), S(delivered), S(read)].join("|");

const EXPECTED: Record<string, Expected> = {
  m1: ["read", "success success success success", "Mensaje leído.", dates(1, 2, 3), null],
  m2: ["meta_failed", "success success failed na", "131026 - Message undeliverable", dates(1, -1, -1), null],
  m3: [
    "meta_failed",
    "success failed na na",
    "131049 - This message was not delivered to maintain healthy ecosystem engagement.",
    dates(-1, -1, -1),
    null,
  ],
  m4: ["read", "success success success success", "Mensaje leído.", dates(1, -1, -1), at(30)],
  m5: ["read", "success success success success", "Mensaje leído.", dates(1, 2, -1), at(40)],
  m6: [
    "outbound_failed",
    "failed na na na",
    "Número inválido. Comprueba si lo ingresaste correctamente.",
    dates(-1, -1, -1),
    null,
  ],
  m7: ["queued", "pending pending pending pending", "El mensaje será enviado pronto.", dates(-1, -1, -1), null],
  m8: [
    "outbound",
    "success pending pending pending",
    "Enviamos el mensaje. A la espera de confirmación por parte de Meta.",
    dates(-1, -1, -1),
    null,
  ],
  m9: [
    "delivered",
    "success success success pending",
    "Mensaje entregado. A la espera de confirmación de lectura.",
    dates(1, 3, -1),
    null,
  ],
  m10: [
    "delivered",
    "success success success pending",
    "Mensaje entregado. A la espera de confirmación de lectura.",
    dates(1, 9, -1),
    null,
  ],
  m11: [
    "sent",
    "success success pending pending",
    "Mensaje enviado a su destino. A la espera de confirmación de entrega.",
    dates(1, -1, -1),
    null,
  ],
  m12: [
    "outbound_failed",
    "failed na na na",
    "El encabezado del mensaje es muy largo. No debe superar los 60 caracteres.",
    dates(-1, -1, -1),
    null,
  ],
};

/** Deterministic shuffle so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe.each(DATABASES)("Meta webhooks end to end on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let app: TestApp;
  let apiKey: string;

  const postRecords = async (records: unknown[]) => {
    const res = await fetch(`${app.url}/api/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(records),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const counts = async () => ({
    events: await app.store.prisma.eventLog.count(),
    bodies: await app.store.prisma.rawBody.count(),
    messages: JSON.stringify(await app.store.prisma.message.findMany({ orderBy: { id: "asc" } })),
  });

  beforeAll(async () => {
    db = fresh();
    app = await startTestApp(db.url);
    ({ apiKey } = await createTenant(app.store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" }));
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("answers Meta's verification handshake only with the right verify token", async () => {
    const ok = await fetch(
      `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(
      `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock`,
    );
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("1158201444");
  });

  it("shuffled, duplicated bodies, some before their send record, end in exactly the rows SPEC predicts", async () => {
    const early = await postRecords(EARLY_RECORDS);
    expect(early).toEqual({ status: 200, body: { accepted: EARLY_RECORDS.length, rejected: 0, errors: [] } });

    // Bodies of one to three events, each event also repeated in a later body, all in a shuffled order.
    const withRepeats = [...EVENTS, ...shuffled(EVENTS, 7).slice(0, 8)];
    const groups: WebhookEvent[][] = [];
    const order = shuffled(withRepeats, 42);
    for (let i = 0; i < order.length; i += 1 + (i % 3)) groups.push(order.slice(i, i + 1 + (i % 3)));
    const bodies = groups.map((g) => metaWebhookBody(g));
    const resent = [...bodies, bodies[0] as string, bodies[3] as string]; // Meta retries whole bodies too

    // Half the bodies concurrently before the late send records, half after.
    const half = Math.floor(resent.length / 2);
    const first = await Promise.all(resent.slice(0, half).map((b) => postWebhook(app.url, b)));
    const late = await postRecords(LATE_RECORDS);
    expect(late.status).toBe(200);
    const second = await Promise.all(resent.slice(half).map((b) => postWebhook(app.url, b)));
    for (const r of [...first, ...second]) expect(r.status).toBe(200);

    const rows = await app.store.prisma.message.findMany({ orderBy: { platformId: "asc" } });
    const actual = Object.fromEntries(
      rows.map((m) => [
        m.platformId,
        [
          m.state,
          [m.outboundStage, m.sentStage, m.deliveredStage, m.readStage].join(" "),
          m.comment,
          [m.sentAt, m.deliveredAt, m.readAt].map((d) => d?.toISOString() ?? "").join("|"),
          m.repliedAt?.toISOString() ?? null,
        ],
      ]),
    );
    expect(actual).toEqual(EXPECTED);

    const m1 = rows.find((m) => m.platformId === "m1");
    expect(m1?.pricingCategory).toBe("marketing");
    const m2 = rows.find((m) => m.platformId === "m2");
    expect([m2?.metaErrorCode, m2?.metaErrorTitle]).toEqual([131026, "Message undeliverable"]);

    // The event log holds every accepted event: one row per event of every body answered 200.
    const posted = resent.reduce(
      (n, b) =>
        n +
        (JSON.parse(b).entry as { changes: { value: Record<string, unknown[]> }[] }[])
          .flatMap((e) => e.changes)
          .reduce((k, c) => k + (c.value.statuses?.length ?? 0) + (c.value.messages?.length ?? 0), 0),
      0,
    );
    const logged = await app.store.prisma.eventLog.groupBy({ by: ["outcome"], where: { source: "webhook" }, _count: true });
    const byOutcome = Object.fromEntries(logged.map((g) => [g.outcome, g._count]));
    expect(Object.values(byOutcome).reduce((a, b) => a + b, 0)).toBe(posted);
    expect(byOutcome.duplicate).toBe(posted - EVENTS.length);
    expect(byOutcome.ignored).toBe(1); // "played"
    expect(byOutcome.waiting ?? 0).toBe(0); // m4 and m9's early events were applied when their records came
    expect(byOutcome.applied).toBe(EVENTS.length - 1);
    expect(await app.store.prisma.rawBody.count()).toBe(resent.length);
  });

  it("a played status is logged as ignored, with the reason, not treated as an error", async () => {
    const played = await app.store.prisma.eventLog.findFirst({ where: { status: "played" } });
    expect(played?.outcome).toBe("ignored");
    expect(played?.reason).toBe('status "played" is not part of the HSM lifecycle');
  });

  it("a wrong or missing signature gets 401 and leaves the store unchanged", async () => {
    const before = await counts();
    const body = metaWebhookBody([statusEvent("wamid.M8", "read", at(50))]);
    const wrong = await postWebhook(app.url, body, { secret: "not-the-app-secret" });
    expect(wrong.status).toBe(401);
    expect(wrong.body?.error).toBe("webhook_bad_signature");
    const missing = await postWebhook(app.url, body, { signature: null });
    expect(missing.status).toBe(401);
    const tampered = await postWebhook(app.url, body.replace("read", "sent"), {
      signature: (await import("../../src/ingest/webhook-signature.ts")).metaSignature(body, "test-app-secret-0123456789"),
    });
    expect(tampered.status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("malformed JSON or shape gets 400 with a reason and applies nothing", async () => {
    const before = await counts();
    const notJson = await postWebhook(app.url, '{"object":"whatsapp_business_account","entry":[');
    expect(notJson.status).toBe(400);
    expect(notJson.body?.message).toMatch(/^body is not valid JSON/);

    // A good status next to a broken one: neither is applied.
    const good = JSON.parse(metaWebhookBody([statusEvent("wamid.M8", "read", at(50))]));
    good.entry[0].changes[0].value.statuses.push({ status: "delivered", timestamp: "1751142888" });
    const shape = await postWebhook(app.url, JSON.stringify(good));
    expect(shape.status).toBe(400);
    expect(shape.body?.message).toBe(
      "entry[0].changes[0].value.statuses[1].id: Invalid input: expected string, received undefined",
    );

    const wrongObject = await postWebhook(app.url, JSON.stringify({ object: "page", entry: [] }));
    expect(wrongObject.status).toBe(400);
    expect(wrongObject.body?.message).toBe('object: must be "whatsapp_business_account"');

    const after = await counts();
    expect(after.messages).toBe(before.messages);
    // Kept for the record, marked rejected, nothing applied.
    const rejected = await app.store.prisma.eventLog.findMany({ where: { outcome: "rejected", source: "webhook" } });
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^body is not valid JSON/),
      "entry[0].changes[0].value.statuses[1].id: Invalid input: expected string, received undefined",
      'object: must be "whatsapp_business_account"',
    ]);
    expect(after.events).toBe(before.events + 3);
  });

  it("a body over Meta's 3 MB ceiling gets 413 and is not stored", async () => {
    const before = await counts();
    const huge = JSON.stringify({ object: "whatsapp_business_account", entry: [], padding: "x".repeat(3 * 1024 * 1024) });
    const res = await postWebhook(app.url, huge);
    expect([res.status, res.body?.error]).toEqual([413, "webhook_too_large"]);
    expect(await counts()).toEqual(before);
  });

  it("a real Meta sample (the failed 131049 fixture) is accepted and its failure applied", async () => {
    const fixture = readFileSync(new URL("../fixtures/meta/status-failed-131049.json", import.meta.url), "utf8");
    const wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA";
    await postRecords([
      record("fx1", { waMessageId: wamid, outboundAt: "2025-06-28T20:34:00Z", queuedAt: "2025-06-28T20:33:00Z" }),
    ]);
    expect((await postWebhook(app.url, fixture)).status).toBe(200);
    const row = await app.store.prisma.message.findFirst({ where: { platformId: "fx1" } });
    expect([row?.state, row?.comment]).toEqual([
      "meta_failed",
      "131049 - This message was not delivered to maintain healthy ecosystem engagement.",
    ]);
  });
});
