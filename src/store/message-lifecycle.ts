// Reading a message's send facts and evidence from its row, and writing back what the lifecycle
// derives from them. Shared by webhook batches and send-record batches.
import { deriveLifecycle, type Evidence, type SendFacts } from "../domain/lifecycle.ts";
import { isOutboundErrorCode } from "../domain/outbound-errors.ts";
import { asDate, asNumber, chunks, type Dialect, type Row, run, type SqlOp } from "./sql.ts";

export const LIFECYCLE_COLUMNS =
  "id, tenant_id, platform_id, wamid, queued_at, outbound_at, outbound_error, sent_at, delivered_at, read_at, " +
  "replied_at, failed_at, meta_error_code, meta_error_title, pricing_category, event_keys";

export interface LifecycleRow {
  id: number;
  tenantId: number;
  platformId: string;
  send: SendFacts;
  evidence: Evidence;
  /** Keys of the Meta events seen for this message (see messageEventKey). */
  eventKeys: Set<string>;
}

export function toLifecycleRow(r: Row): LifecycleRow {
  const failedAt = asDate(r.failed_at);
  const outboundError = r.outbound_error;
  return {
    id: Number(r.id),
    tenantId: Number(r.tenant_id),
    platformId: String(r.platform_id),
    send: {
      queuedAt: asDate(r.queued_at) as Date,
      outboundAt: asDate(r.outbound_at),
      outboundError: isOutboundErrorCode(outboundError) ? outboundError : null,
      wamid: (r.wamid as string | null) ?? null,
    },
    evidence: {
      sentAt: asDate(r.sent_at),
      deliveredAt: asDate(r.delivered_at),
      readAt: asDate(r.read_at),
      repliedAt: asDate(r.replied_at),
      failure: failedAt
        ? { at: failedAt, code: asNumber(r.meta_error_code), title: (r.meta_error_title as string | null) ?? null }
        : null,
      pricing: (r.pricing_category as string | null) ?? null,
    },
    eventKeys: new Set(
      String(r.event_keys ?? "")
        .split(" ")
        .filter(Boolean),
    ),
  };
}

/** The evidence and derived columns of a message, in UPDATE_COLUMNS order. */
export function lifecycleValues(send: SendFacts, evidence: Evidence, eventKeys: ReadonlySet<string>, now: Date) {
  const l = deriveLifecycle(send, evidence);
  return [
    evidence.sentAt,
    evidence.deliveredAt,
    evidence.readAt,
    evidence.repliedAt,
    evidence.failure?.at ?? null,
    evidence.failure?.code ?? null,
    evidence.failure?.title ?? null,
    evidence.pricing,
    [...eventKeys].join(" "),
    l.state,
    l.stages.outbound,
    l.stages.sent,
    l.stages.delivered,
    l.stages.read,
    l.comment,
    now,
  ] as const;
}

export const UPDATE_COLUMNS = [
  "sent_at",
  "delivered_at",
  "read_at",
  "replied_at",
  "failed_at",
  "meta_error_code",
  "meta_error_title",
  "pricing_category",
  "event_keys",
  "state",
  "outbound_stage",
  "sent_stage",
  "delivered_stage",
  "read_stage",
  "comment",
  "updated_at",
] as const;

const PG_TYPES: Record<(typeof UPDATE_COLUMNS)[number], string> = {
  sent_at: "timestamp(3)",
  delivered_at: "timestamp(3)",
  read_at: "timestamp(3)",
  replied_at: "timestamp(3)",
  failed_at: "timestamp(3)",
  meta_error_code: "int",
  meta_error_title: "text",
  pricing_category: "text",
  event_keys: "text",
  state: "text",
  outbound_stage: "text",
  sent_stage: "text",
  delivered_stage: "text",
  read_stage: "text",
  comment: "text",
  updated_at: "timestamp(3)",
};

export interface LifecycleUpdate {
  id: number;
  send: SendFacts;
  evidence: Evidence;
  eventKeys: ReadonlySet<string>;
}

/** Writes evidence and derived state for many messages: set-based on PostgreSQL, row by row on SQLite. */
export function* writeLifecycles(
  dialect: Dialect,
  updates: readonly LifecycleUpdate[],
  now: Date,
): Generator<SqlOp, void, unknown> {
  if (updates.length === 0) return;
  if (dialect === "sqlite") {
    const sql = `UPDATE messages SET ${UPDATE_COLUMNS.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`;
    for (const u of updates) yield* run(sql, [...lifecycleValues(u.send, u.evidence, u.eventKeys, now), u.id]);
    return;
  }
  for (const part of chunks(updates, 5000)) {
    const columns: unknown[][] = UPDATE_COLUMNS.map(() => []);
    for (const u of part) {
      lifecycleValues(u.send, u.evidence, u.eventKeys, now).forEach((v, i) => {
        columns[i]?.push(v);
      });
    }
    const arrays = UPDATE_COLUMNS.map((c) => `?::${PG_TYPES[c]}[]`).join(", ");
    yield* run(
      `UPDATE messages AS m SET ${UPDATE_COLUMNS.map((c) => `${c} = v.${c}`).join(", ")}
       FROM unnest(?::int[], ${arrays}) AS v(id, ${UPDATE_COLUMNS.join(", ")})
       WHERE m.id = v.id`,
      [part.map((u) => u.id), ...columns],
    );
  }
}
