// What the report engine reads: the names a tenant's filters can use, aggregates for the summary,
// and the message rows, streamed in bounded memory (raw SQL: Prisma's query API pages too slowly
// for a million rows, NOTES.md).
import Cursor from "pg-cursor";
import type { SummaryGroup } from "../domain/report-summary.ts";
import type { SqlStore } from "./open-sql.ts";
import { numberPlaceholders, type PgRunner } from "./pg-runner.ts";
import { all, asDate, placeholders, type Row, type SqlValue } from "./sql.ts";
import { type SqliteRunner, toSqlite } from "./sqlite-runner.ts";
import { type Tenant, toTenant } from "./tenants.ts";

export interface Dimensions {
  campaigns: { id: number; name: string }[];
  channels: { id: number; phoneNumberId: string; displayNumber: string | null; name: string }[];
  agents: { id: number; name: string }[];
  templates: { id: number; hsmId: string; name: string }[];
}

/** Raw SQL rather than Prisma here: report workers open the store only for this and the rows. */
export async function loadDimensions(store: SqlStore, tenantId: number): Promise<Dimensions> {
  return store.sql.read(function* () {
    const campaigns = yield* all(`SELECT id, name FROM campaigns WHERE tenant_id = ? ORDER BY name`, [tenantId]);
    const channels = yield* all(
      `SELECT id, phone_number_id, display_number, name FROM channels WHERE tenant_id = ? ORDER BY name`,
      [tenantId],
    );
    const agents = yield* all(`SELECT id, name FROM agents WHERE tenant_id = ? ORDER BY name`, [tenantId]);
    const templates = yield* all(`SELECT id, hsm_id, name FROM templates WHERE tenant_id = ? ORDER BY name`, [tenantId]);
    return {
      campaigns: campaigns.map((r) => ({ id: Number(r.id), name: String(r.name) })),
      channels: channels.map((r) => ({
        id: Number(r.id),
        phoneNumberId: String(r.phone_number_id),
        displayNumber: (r.display_number as string | null) ?? null,
        name: String(r.name),
      })),
      agents: agents.map((r) => ({ id: Number(r.id), name: String(r.name) })),
      templates: templates.map((r) => ({ id: Number(r.id), hsmId: String(r.hsm_id), name: String(r.name) })),
    };
  });
}

export async function reportTenant(store: SqlStore, slug: string): Promise<Tenant | null> {
  const [row] = await store.sql.read(function* () {
    return yield* all(`SELECT id, slug, name, time_zone, locale FROM tenants WHERE slug = ?`, [slug]);
  });
  if (!row) return null;
  return toTenant({
    id: Number(row.id),
    slug: String(row.slug),
    name: String(row.name),
    timeZone: String(row.time_zone),
    locale: String(row.locale),
  });
}

/** Which messages a report covers: one tenant, queued in [fromUtc, toUtc), optional id filters. */
export interface MessageFilter {
  tenantId: number;
  fromUtc: Date;
  toUtc: Date;
  campaignIds: number[] | null;
  channelIds: number[] | null;
  agentIds: number[] | null;
  templateIds: number[] | null;
  states: string[] | null;
  /** Only rows after this one in report order (queued time, then id): a report split in parts. */
  after?: RowKey | null;
  /** Only rows up to and including this one in report order. */
  through?: RowKey | null;
}

/** A row's place in report order. */
export interface RowKey {
  queuedAt: Date;
  id: number;
}

export function filterSql(f: MessageFilter): { where: string; params: SqlValue[] } {
  const clauses = ["m.tenant_id = ?", "m.queued_at >= ?", "m.queued_at < ?"];
  const params: SqlValue[] = [f.tenantId, f.fromUtc, f.toUtc];
  const list = (column: string, values: readonly (number | string)[] | null) => {
    if (!values) return;
    clauses.push(values.length ? `${column} IN (${placeholders(values.length)})` : "1 = 0");
    params.push(...values);
  };
  list("m.campaign_id", f.campaignIds);
  list("m.channel_id", f.channelIds);
  list("m.agent_id", f.agentIds);
  list("m.template_id", f.templateIds);
  list("m.state", f.states);
  // Written as a range on queued_at plus a tie-break, so both databases seek the index to the
  // part's first row instead of walking past the rows before it.
  if (f.after) {
    clauses.push("m.queued_at >= ? AND (m.queued_at > ? OR m.id > ?)");
    params.push(f.after.queuedAt, f.after.queuedAt, f.after.id);
  }
  if (f.through) {
    clauses.push("m.queued_at <= ? AND (m.queued_at < ? OR m.id <= ?)");
    params.push(f.through.queuedAt, f.through.queuedAt, f.through.id);
  }
  return { where: clauses.join(" AND "), params };
}

/** The key of the row at a position (from 0) in report order, to split a report into parts. */
export async function rowKeyAt(store: SqlStore, f: MessageFilter, position: number): Promise<RowKey | null> {
  const { where, params } = filterSql(f);
  const [row] = await store.sql.read(function* () {
    return yield* all(
      `SELECT m.queued_at AS queued_at, m.id AS id FROM messages m WHERE ${where} ORDER BY m.queued_at, m.id LIMIT 1 OFFSET ?`,
      [...params, position],
    );
  });
  return row ? { queuedAt: asDate(row.queued_at) as Date, id: Number(row.id) } : null;
}

export async function countMessages(store: SqlStore, f: MessageFilter): Promise<number> {
  const { where, params } = filterSql(f);
  const [row] = await store.sql.read(function* () {
    return yield* all<{ n: number }>(`SELECT COUNT(*) AS n FROM messages m WHERE ${where}`, params);
  });
  return Number(row?.n ?? 0);
}

/** A summary group as the store has it: the campaign's id, the state as stored. */
export type SummaryGroupRow = Omit<SummaryGroup, "campaign" | "state"> & { campaignId: number; state: string };

export async function summaryGroups(store: SqlStore, f: MessageFilter): Promise<SummaryGroupRow[]> {
  const { where, params } = filterSql(f);
  const rows = await store.sql.read(function* () {
    return yield* all(
      `SELECT m.campaign_id AS campaign_id, m.state AS state,
         CASE WHEN m.sent_stage = 'success' THEN 1 ELSE 0 END AS sent,
         CASE WHEN m.delivered_stage = 'success' THEN 1 ELSE 0 END AS delivered,
         CASE WHEN m.read_stage = 'success' THEN 1 ELSE 0 END AS rd,
         CASE WHEN m.replied_at IS NOT NULL THEN 1 ELSE 0 END AS replied,
         CASE WHEN m.state = 'outbound_failed' AND m.outbound_error = 'invalid_number' THEN 1 ELSE 0 END AS invalid,
         COUNT(*) AS n
       FROM messages m WHERE ${where}
       GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      params,
    );
  });
  return rows.map((r: Row) => ({
    campaignId: Number(r.campaign_id),
    state: String(r.state),
    sent: Number(r.sent) === 1,
    delivered: Number(r.delivered) === 1,
    read: Number(r.rd) === 1,
    replied: Number(r.replied) === 1,
    invalidNumber: Number(r.invalid) === 1,
    count: Number(r.n),
  }));
}

export interface ErrorCountRow {
  code: number | null;
  title: string | null;
  count: number;
}

export async function metaErrorCounts(store: SqlStore, f: MessageFilter): Promise<ErrorCountRow[]> {
  const { where, params } = filterSql(f);
  const rows = await store.sql.read(function* () {
    return yield* all(
      `SELECT m.meta_error_code AS code, m.meta_error_title AS title, COUNT(*) AS n
       FROM messages m WHERE ${where} AND m.state = 'meta_failed'
       GROUP BY 1, 2`,
      params,
    );
  });
  return rows.map((r: Row) => ({
    code: r.code === null ? null : Number(r.code),
    title: (r.title as string | null) ?? null,
    count: Number(r.n),
  }));
}

/**
 * One message row as the engine reads it, by position (arrays are much cheaper than objects over a
 * million rows). Times are UTC milliseconds or null.
 */
export const RAW = {
  agentId: 0,
  campaignId: 1,
  templateId: 2,
  platformId: 3,
  body: 4,
  destination: 5,
  state: 6,
  outboundError: 7,
  metaErrorCode: 8,
  metaErrorTitle: 9,
  outboundStage: 10,
  sentStage: 11,
  deliveredStage: 12,
  readStage: 13,
  outboundAt: 14,
  sentAt: 15,
  deliveredAt: 16,
  readAt: 17,
  repliedAt: 18,
} as const;

export type RawRow = unknown[];

const DATE_COLUMNS = ["outbound_at", "sent_at", "delivered_at", "read_at", "replied_at"];

function rowSql(dialect: "sqlite" | "postgresql", where: string): string {
  const ms = (c: string) =>
    dialect === "sqlite"
      ? `CAST(round(unixepoch(m.${c}, 'subsec') * 1000) AS INTEGER)`
      : `(extract(epoch from m.${c}) * 1000)::int8`;
  return `SELECT m.agent_id, m.campaign_id, m.template_id, m.platform_id, m.body, m.destination, m.state,
      m.outbound_error, m.meta_error_code, m.meta_error_title,
      m.outbound_stage, m.sent_stage, m.delivered_stage, m.read_stage,
      ${DATE_COLUMNS.map(ms).join(", ")}
    FROM messages m WHERE ${where}
    ORDER BY m.queued_at, m.id`;
}

/**
 * The rows, in batches, oldest first. On SQLite a statement iterator on its own connection (it
 * never holds more than one batch); on PostgreSQL a server-side cursor.
 */
export async function* messageRows(store: SqlStore, f: MessageFilter, batchSize = 2000): AsyncGenerator<RawRow[]> {
  const { where, params } = filterSql(f);
  if (store.dialect === "sqlite") {
    const db = (store.sql as SqliteRunner).db;
    const stmt = db.prepare(rowSql("sqlite", where)).raw(true);
    const bound = params.map(toSqlite);
    let batch: RawRow[] = [];
    for (const row of stmt.iterate(...bound) as IterableIterator<RawRow>) {
      batch.push(row);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    return;
  }
  const pool = (store.sql as PgRunner).pool;
  const client = await pool.connect();
  try {
    const text = numberPlaceholders(rowSql("postgresql", where));
    const values = params.map((p) => (p instanceof Date ? p.toISOString() : p));
    const cursor = client.query(new Cursor(text, values, { rowMode: "array" }));
    try {
      for (;;) {
        const rows = (await cursor.read(batchSize)) as RawRow[];
        if (rows.length === 0) break;
        yield rows;
      }
    } finally {
      await cursor.close();
    }
  } finally {
    client.release();
  }
}
