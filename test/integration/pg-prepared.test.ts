// PostgreSQL parses and plans the ingest's statements once per connection, and the set of prepared
// statements a connection keeps stays bounded (statements with long IN lists run unnamed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { parseSendRecord } from "../../src/ingest/parse-send-record.ts";
import { parseWebhook } from "../../src/ingest/parse-webhook.ts";
import { ingestSendRecords } from "../../src/ingest/send-records.ts";
import { applyWebhookBodies } from "../../src/store/apply-webhook.ts";
import { parseDatabaseUrl } from "../../src/store/database-url.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { createPgPool, PgRunner } from "../../src/store/pg-runner.ts";
import { all } from "../../src/store/sql.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { upsertSendRecords } from "../../src/store/upsert-records.ts";
import { freshPostgres, type TestDatabase } from "../support/databases.ts";
import { statusEvent } from "../support/meta.ts";
import { sendRecord } from "../support/records.ts";

const NOW = new Date("2026-11-20T12:00:00Z");

describe("prepared statements on postgresql", () => {
  let db: TestDatabase;
  let store: Store;
  /** One connection, so what it has prepared can be read back from it. */
  let runner: PgRunner;
  let tenantId: number;

  beforeAll(async () => {
    db = freshPostgres();
    store = await openStore(db.url);
    tenantId = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
    const target = parseDatabaseUrl(db.url);
    if (target.kind !== "postgresql") throw new Error("expected PostgreSQL");
    runner = new PgRunner(createPgPool(target.connectionString, target.schema, { max: 1 }));
  });
  afterAll(async () => {
    await runner?.close();
    await store?.close();
    await db?.drop();
  });

  const webhook = (wamids: string[]) => {
    const raw = metaWebhookBody(wamids.map((w) => statusEvent(w, "delivered", "2026-10-01T14:00:10Z")));
    const parsed = parseWebhook(raw);
    if (!parsed.ok) throw new Error(parsed.reason);
    return runner.transaction(
      applyWebhookBodies([{ raw, receivedAt: NOW, events: parsed.events }], { windowDays: 30, now: NOW }),
    );
  };
  const prepared = () =>
    runner.read(function* () {
      return yield* all<{ name: string; statement: string }>("SELECT name, statement FROM pg_prepared_statements ORDER BY name");
    });

  it("a webhook batch's statements are prepared once and reused by the next batches; long IN lists are not prepared", async () => {
    const records = Array.from({ length: 40 }, (_, i) => sendRecord(`p${i}`, { waMessageId: `wamid.P${i}` }));
    await ingestSendRecords(
      store,
      tenantId,
      records.map((value, index) => ({ value, index, raw: JSON.stringify(value) })),
      { source: "api", windowDays: 30, now: NOW },
    );

    const first = await webhook(["wamid.P0", "wamid.P1", "wamid.UNKNOWN"]);
    expect(first[0]?.outcomes).toMatchObject({ applied: 2, waiting: 1 });
    const afterOne = await prepared();
    expect(afterOne.map((p) => p.statement).join("\n")).toMatch(/UPDATE messages AS m/);
    expect(afterOne.map((p) => p.statement).join("\n")).toMatch(/INSERT INTO event_log/);

    // Other wamids, more of them: the same statements, nothing new prepared.
    const second = await webhook(Array.from({ length: 30 }, (_, i) => `wamid.P${i + 2}`));
    expect(second[0]?.outcomes).toMatchObject({ applied: 30 });
    expect(await prepared()).toEqual(afterOne);

    // A send-record batch on this connection looks its 40 ids up with a 41-value IN list: run unnamed.
    const items = Array.from({ length: 40 }, (_, index) => {
      const value = sendRecord(`q${index}`);
      const parsed = parseSendRecord(value, index);
      if (!parsed.ok) throw new Error("a valid record was refused");
      return { index, raw: JSON.stringify(value), record: parsed.record, platformId: `q${index}`, errors: [] };
    });
    const stored = await runner.transaction(upsertSendRecords(tenantId, items, { source: "api", windowDays: 30, now: NOW }));
    expect(stored.accepted).toBe(40);
    expect((await prepared()).some((p) => /platform_id IN \(\$2, \$3/.test(p.statement))).toBe(false);
  });
});
