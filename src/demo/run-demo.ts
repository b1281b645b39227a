// `hsm-report demo`: tenant `demo` with believable data, rebuilt from scratch on every run (so a
// second run replaces the first instead of adding to it), through the same ingest paths as real data.

import type { WebhookEvent } from "../domain/webhook-events.ts";
import { metaWebhookBody } from "../ingest/meta-body.ts";
import { parseWebhook } from "../ingest/parse-webhook.ts";
import { ingestSendRecords } from "../ingest/send-records.ts";
import { applyWebhookBodies, type ReceivedBody } from "../store/apply-webhook.ts";
import type { Store } from "../store/open-store.ts";
import { all, chunks, placeholders, run } from "../store/sql.ts";
import { createTenant, findTenantBySlug } from "../store/tenants.ts";
import { DEMO_CHANNELS, demoMessage, seededRandom } from "./demo-data.ts";

export interface DemoResult {
  messages: number;
  events: number;
  /** Set when this run created the tenant. */
  apiKey: string | null;
}

const DEMO_SLUG = "demo";
const DAYS = 30;

function* resetTenant(tenantId: number) {
  const bodyIds = (yield* all<{ body_id: number }>(
    `SELECT DISTINCT body_id FROM event_log WHERE body_id IS NOT NULL AND (tenant_id = ? OR wamid LIKE 'wamid.DEMO%')`,
    [tenantId],
  )).map((r) => Number(r.body_id));
  yield* run(`DELETE FROM event_log WHERE tenant_id = ? OR wamid LIKE 'wamid.DEMO%'`, [tenantId]);
  for (const part of chunks(bodyIds, 500)) {
    yield* run(
      `DELETE FROM raw_bodies WHERE id IN (${placeholders(part.length)}) AND NOT EXISTS (SELECT 1 FROM event_log e WHERE e.body_id = raw_bodies.id)`,
      part,
    );
  }
  yield* run(`DELETE FROM messages WHERE tenant_id = ?`, [tenantId]);
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export async function runDemo(
  store: Store,
  options: { messages: number; windowDays: number; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<DemoResult> {
  let apiKey: string | null = null;
  let tenant = await findTenantBySlug(store, DEMO_SLUG);
  if (!tenant) {
    const created = await createTenant(store, { slug: DEMO_SLUG, name: "Demo chattigo", timeZone: "America/Lima", locale: "es" });
    tenant = created.tenant;
    apiKey = created.apiKey;
  }
  const tenantId = tenant.id;
  await store.sql.transaction(() => resetTenant(tenantId));

  const rand = seededRandom(42);
  let events = 0;
  const CHUNK = 1000;
  for (let start = 0; start < options.messages; start += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, options.messages - start) }, (_, k) =>
      demoMessage(start + k, options.now, DAYS),
    );
    await ingestSendRecords(
      store,
      tenantId,
      batch.map((m, index) => ({ value: m.record, raw: JSON.stringify(m.record), index })),
      { source: "demo", windowDays: options.windowDays, now: options.now },
    );
    // Meta's order is not ours: deliver the chunk's events shuffled, up to 50 to a body.
    const chunkEvents: WebhookEvent[] = shuffle(
      batch.flatMap((m) => m.events),
      rand,
    );
    const bodies: ReceivedBody[] = chunks(chunkEvents, 50).map((list) => {
      const raw = metaWebhookBody(list);
      const parsed = parseWebhook(raw);
      if (!parsed.ok) throw new Error(`demo body malformed: ${parsed.reason}`);
      return { raw, receivedAt: options.now, events: parsed.events };
    });
    for (const part of chunks(bodies, 40)) {
      await store.sql.transaction(applyWebhookBodies(part, { windowDays: options.windowDays, now: options.now }));
    }
    events += chunkEvents.length;
    options.onProgress?.(start + batch.length, options.messages);
  }

  for (const c of DEMO_CHANNELS) {
    await store.prisma.channel.updateMany({
      where: { tenantId, phoneNumberId: c.phoneNumberId },
      data: { name: c.name, displayNumber: c.displayNumber },
    });
  }
  return { messages: options.messages, events, apiKey };
}
