// The event log: every event as received, with what became of it.
import type { EventOutcome } from "../domain/webhook-events.ts";
import { all, chunks, type Dialect, placeholders, run, type SqlOp, valuesList } from "./sql.ts";

export type EventSource = "webhook" | "api" | "import" | "demo";
export type EventKind = "status" | "reply" | "inbound" | "send_record" | "other";

export interface EventLogRow {
  receivedAt: Date;
  source: EventSource;
  kind: EventKind;
  bodyId: number | null;
  tenantId: number | null;
  wamid: string | null;
  platformId: string | null;
  /** The WhatsApp line a webhook event came through (metadata.phone_number_id). */
  phoneNumberId: string | null;
  dedupeKey: string | null;
  status: string | null;
  occurredAt: Date | null;
  errorCode: number | null;
  errorTitle: string | null;
  pricingCategory: string | null;
  payload: string | null;
  outcome: EventOutcome;
  reason: string | null;
  appliedAt: Date | null;
}

/** A log row from the fields that matter for it; the rest are empty. */
export function eventRow(
  fields: Partial<EventLogRow> & Pick<EventLogRow, "receivedAt" | "source" | "kind" | "outcome">,
): EventLogRow {
  return {
    bodyId: null,
    tenantId: null,
    wamid: null,
    platformId: null,
    phoneNumberId: null,
    dedupeKey: null,
    status: null,
    occurredAt: null,
    errorCode: null,
    errorTitle: null,
    pricingCategory: null,
    payload: null,
    reason: null,
    appliedAt: null,
    ...fields,
  };
}

const COLUMNS =
  "received_at, source, kind, body_id, tenant_id, wamid, platform_id, phone_number_id, dedupe_key, status, occurred_at, " +
  "error_code, error_title, pricing_category, payload, outcome, reason, applied_at";
const COLUMN_COUNT = 18;

function values(e: EventLogRow) {
  return [
    e.receivedAt,
    e.source,
    e.kind,
    e.bodyId,
    e.tenantId,
    e.wamid,
    e.platformId,
    e.phoneNumberId,
    e.dedupeKey,
    e.status,
    e.occurredAt,
    e.errorCode,
    e.errorTitle,
    e.pricingCategory,
    e.payload,
    e.outcome,
    e.reason,
    e.appliedAt,
  ];
}

const PG_TYPES = [
  "timestamp(3)",
  "text",
  "text",
  "int",
  "int",
  "text",
  "text",
  "text",
  "text",
  "text",
  "timestamp(3)",
  "int",
  "text",
  "text",
  "text",
  "text",
  "text",
  "timestamp(3)",
];

export function* insertEvents(dialect: Dialect, rows: readonly EventLogRow[]): Generator<SqlOp, void, unknown> {
  if (rows.length === 0) return;
  if (dialect === "postgresql") {
    // One statement with a column array each: far fewer parameters to bind than multi-row VALUES.
    const columns: unknown[][] = PG_TYPES.map(() => []);
    for (const row of rows) {
      values(row).forEach((v, i) => {
        columns[i]?.push(v);
      });
    }
    yield* run(
      `INSERT INTO event_log (${COLUMNS}) SELECT * FROM unnest(${PG_TYPES.map((t) => `?::${t}[]`).join(", ")})`,
      columns,
    );
    return;
  }
  // 100 rows × 18 columns stays far below SQLite's limit on bound parameters.
  for (const part of chunks(rows, 100)) {
    yield* run(`INSERT INTO event_log (${COLUMNS}) VALUES ${valuesList(part.length, COLUMN_COUNT)}`, part.flatMap(values));
  }
}

/** Outcomes of the events the partial wamid index holds: the only ones ever looked up by wamid. */
export const LOOKED_UP = "outcome IN ('waiting', 'late')";

/**
 * Dedupe keys of the events still waiting for these wamids' messages (a re-sent event about a
 * message we do not know yet). Events about known messages are spotted with the keys the message
 * row keeps, so only waiting ones need the log, through its small partial index.
 */
export function* knownEventKeys(dialect: Dialect, wamids: readonly string[]): Generator<SqlOp, Set<string>, unknown> {
  const known = new Set<string>();
  for (const part of chunks([...new Set(wamids)], 1000)) {
    const rows =
      dialect === "postgresql"
        ? yield* all<{ dedupe_key: string }>(
            `SELECT dedupe_key FROM event_log WHERE wamid = ANY(?::text[]) AND ${LOOKED_UP} AND dedupe_key IS NOT NULL`,
            [part],
          )
        : yield* all<{ dedupe_key: string }>(
            `SELECT dedupe_key FROM event_log WHERE wamid IN (${placeholders(part.length)}) AND ${LOOKED_UP} AND dedupe_key IS NOT NULL`,
            part,
          );
    for (const r of rows) known.add(r.dedupe_key);
  }
  return known;
}

/** Stores webhook bodies as received and returns their ids, in order. */
export function* insertRawBodies(
  dialect: Dialect,
  bodies: readonly { receivedAt: Date; raw: string }[],
): Generator<SqlOp, number[], unknown> {
  if (bodies.length === 0) return [];
  if (dialect === "sqlite") {
    const ids: number[] = [];
    for (const b of bodies) {
      const [row] = yield* all<{ id: number | bigint }>(`INSERT INTO raw_bodies (received_at, body) VALUES (?, ?) RETURNING id`, [
        b.receivedAt,
        b.raw,
      ]);
      ids.push(Number(row?.id));
    }
    return ids;
  }
  // Take ids from the sequence first so that each body's id is known without relying on RETURNING order.
  const idRows = yield* all<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('raw_bodies', 'id')) AS id FROM generate_series(1, ?::int)`,
    [bodies.length],
  );
  const ids = idRows.map((r) => Number(r.id));
  yield* run(`INSERT INTO raw_bodies (id, received_at, body) SELECT * FROM unnest(?::int[], ?::timestamp(3)[], ?::text[])`, [
    ids,
    bodies.map((b) => b.receivedAt),
    bodies.map((b) => b.raw),
  ]);
  return ids;
}

/** A signed body we could not read: kept whole, with why, and nothing in it applied. */
export function recordRejectedBody(
  raw: string,
  receivedAt: Date,
  reason: string,
): (dialect: Dialect) => Generator<SqlOp, void, unknown> {
  return function* (dialect) {
    const [bodyId] = yield* insertRawBodies(dialect, [{ receivedAt, raw }]);
    yield* insertEvents(dialect, [
      eventRow({ receivedAt, source: "webhook", kind: "other", bodyId: bodyId ?? null, outcome: "rejected", reason }),
    ]);
  };
}
