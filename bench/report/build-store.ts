// A store of N believable messages for the report benchmark, loaded straight into `messages` (the
// lifecycle computed with the product's own domain functions), so that building a million rows
// takes seconds, not the minutes the ingest path would.

import { DEMO_AGENTS, DEMO_CAMPAIGNS, DEMO_CHANNELS, DEMO_TEMPLATES, demoMessage } from "../../src/demo/demo-data.ts";
import { evidenceOf, type MetaEvent } from "../../src/domain/lifecycle.ts";
import { addDays, localDate } from "../../src/domain/local-time.ts";
import { detectOutboundError } from "../../src/domain/send-checks.ts";
import { toMetaEvent } from "../../src/domain/webhook-events.ts";
import { parseSendRecord } from "../../src/ingest/parse-send-record.ts";
import type { Store } from "../../src/store/open-store.ts";
import { all, chunks, run, valuesList } from "../../src/store/sql.ts";
import { createTenant, findTenantBySlug } from "../../src/store/tenants.ts";
import { MESSAGE_COLUMNS, messageRow } from "../../src/store/upsert-records.ts";

export const BENCH_TENANT = "bench";

export async function messageCount(store: Store): Promise<number> {
  const tenant = await findTenantBySlug(store, BENCH_TENANT);
  return tenant ? store.prisma.message.count({ where: { tenantId: tenant.id } }) : 0;
}

export async function buildStore(store: Store, n: number, now: Date, log: (line: string) => void): Promise<void> {
  const existing = await findTenantBySlug(store, BENCH_TENANT);
  if (existing) await store.prisma.tenant.delete({ where: { id: existing.id } });
  const { tenant } = await createTenant(store, { slug: BENCH_TENANT, name: "Bench", timeZone: "America/Lima", locale: "es" });
  const ids = async (table: string, key: string, values: string[], extra: Record<string, (v: string) => string> = {}) => {
    const map = new Map<string, number>();
    for (const v of values) {
      const cols = ["tenant_id", key, ...Object.keys(extra)];
      await store.sql.transaction(function* () {
        yield* run(`INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`, [
          tenant.id,
          v,
          ...Object.values(extra).map((f) => f(v)),
        ]);
      });
      const [row] = await store.sql.read(function* () {
        return yield* all<{ id: number }>(`SELECT id FROM ${table} WHERE tenant_id = ? AND ${key} = ?`, [tenant.id, v]);
      });
      map.set(v, Number(row?.id));
    }
    return map;
  };
  const campaigns = await ids("campaigns", "name", [...DEMO_CAMPAIGNS]);
  const agents = await ids("agents", "name", [...DEMO_AGENTS]);
  const channels = await ids(
    "channels",
    "phone_number_id",
    DEMO_CHANNELS.map((c) => c.phoneNumberId),
    { name: (v) => v },
  );
  const templates = await ids(
    "templates",
    "hsm_id",
    DEMO_TEMPLATES.map((t) => t.id),
    {
      name: (v) => DEMO_TEMPLATES.find((t) => t.id === v)?.name ?? v,
    },
  );

  // Rows go in in the order their messages were queued, as a live platform records them (and so
  // the report's queued-time order follows the table's own order, as it would in production).
  const queuedAt = new Float64Array(n);
  for (let i = 0; i < n; i++) queuedAt[i] = Date.parse(demoMessage(i, now, 30).record.queuedAt as string);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (queuedAt[a] as number) - (queuedAt[b] as number));

  const started = Date.now();
  for (let start = 0; start < n; start += 10_000) {
    const rows: unknown[][] = [];
    for (let k = start; k < Math.min(n, start + 10_000); k++) {
      const i = order[k] as number;
      const demo = demoMessage(i, now, 30);
      const parsed = parseSendRecord(demo.record, i);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const r = parsed.record;
      const outboundError = r.outboundError ?? (r.waMessageId ? null : detectOutboundError(r));
      const send = { queuedAt: r.queuedAt, outboundAt: r.outboundAt, outboundError, wamid: r.waMessageId };
      const events = demo.events.flatMap((e) => {
        const m = toMetaEvent(e);
        return "event" in m ? [m.event as MetaEvent] : [];
      });
      const evidence = evidenceOf(send, events, 30);
      const ids = {
        campaign: campaigns.get(r.campaign) as number,
        channel: channels.get(r.channel) as number,
        agent: agents.get(r.agent) as number,
        template: templates.get(r.hsm.id) as number,
      };
      rows.push(messageRow(tenant.id, r, ids, send, evidence, new Set(), now));
    }
    await store.sql.transaction(function* () {
      for (const part of chunks(rows, 500)) {
        yield* run(
          `INSERT INTO messages (${MESSAGE_COLUMNS.join(", ")}) VALUES ${valuesList(part.length, MESSAGE_COLUMNS.length)}`,
          part.flat() as never[],
        );
      }
    });
    if ((start / 10_000) % 10 === 0)
      log(`  loaded ${(start + rows.length).toLocaleString("en-US")} messages (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  if (store.dialect === "postgresql") {
    await store.sql.read(function* () {
      yield* run("ANALYZE messages");
    });
  }
}

/** The benchmark's store: a file in .bench/, or the bench_report schema of the PostgreSQL server. */
export function benchDatabaseUrl(kind: "sqlite" | "postgresql", work: string, postgres: string): string {
  if (kind === "sqlite") return `file:${work}/report.db`;
  const u = new URL(postgres);
  u.searchParams.set("schema", "bench_report");
  return u.toString();
}

/**
 * The whole store as one report range, in the tenant's own dates, a day either side (a request may
 * cover at most 366 days, so "2000-01-01..2099-12-31" is refused as a person's would be).
 */
export async function wholeStoreRange(
  store: Store,
  tenant: { id: number; timeZone: string },
): Promise<{ from: string; to: string }> {
  const span = await store.prisma.message.aggregate({
    where: { tenantId: tenant.id },
    _min: { queuedAt: true },
    _max: { queuedAt: true },
  });
  return {
    from: addDays(localDate((span._min.queuedAt as Date).getTime(), tenant.timeZone), -1),
    to: addDays(localDate((span._max.queuedAt as Date).getTime(), tenant.timeZone), 1),
  };
}
