// One transaction for a batch of webhook bodies: store each body and every event in it, and apply
// the lifecycle events to their messages. Nothing is acknowledged until this commits.
import { type Evidence, evidenceOfEvent, isLate, joinEvidence } from "../domain/lifecycle.ts";
import {
  dedupeKey,
  type EventOutcome,
  messageEventKey,
  targetWamid,
  toMetaEvent,
  type WebhookEvent,
} from "../domain/webhook-events.ts";
import { type EventKind, type EventLogRow, insertEvents, insertRawBodies, knownEventKeys } from "./event-log.ts";
import { LIFECYCLE_COLUMNS, type LifecycleRow, toLifecycleRow, writeLifecycles } from "./message-lifecycle.ts";
import { all, chunks, type Dialect, placeholders, type SqlOp, type Work } from "./sql.ts";

export interface ReceivedBody {
  raw: string;
  receivedAt: Date;
  events: WebhookEvent[];
}

export type OutcomeCounts = Record<EventOutcome, number>;

export interface BodyResult {
  bodyId: number;
  outcomes: OutcomeCounts;
}

export function emptyCounts(): OutcomeCounts {
  return { applied: 0, duplicate: 0, waiting: 0, late: 0, ignored: 0, rejected: 0 };
}

function kindOf(event: WebhookEvent): EventKind {
  if (event.kind === "inbound") return event.contextId ? "reply" : "inbound";
  return event.kind;
}

/** Messages by wamid, locked on PostgreSQL so concurrent batches from other instances queue up. */
export function* messagesByWamid(
  dialect: Dialect,
  wamids: readonly string[],
): Generator<SqlOp, Map<string, LifecycleRow>, unknown> {
  const found = new Map<string, LifecycleRow>();
  for (const part of chunks([...new Set(wamids)], 1000)) {
    const rows =
      dialect === "postgresql"
        ? yield* all(`SELECT ${LIFECYCLE_COLUMNS} FROM messages WHERE wamid = ANY(?::text[]) ORDER BY id FOR UPDATE`, [part])
        : yield* all(`SELECT ${LIFECYCLE_COLUMNS} FROM messages WHERE wamid IN (${placeholders(part.length)})`, part);
    for (const r of rows) {
      const row = toLifecycleRow(r);
      if (row.send.wamid) found.set(row.send.wamid, row);
    }
  }
  return found;
}

export function applyWebhookBodies(
  bodies: readonly ReceivedBody[],
  options: { windowDays: number; now: Date },
): (dialect: Dialect) => Work<BodyResult[]> {
  return function* (dialect) {
    const bodyIds = yield* insertRawBodies(dialect, bodies);
    const flat = bodies.flatMap((body, b) => body.events.map((event) => ({ event, b, wamid: targetWamid(event) })));

    // Re-sends are spotted with the keys each message row keeps; only events about messages we do
    // not know yet (a rare case) need the log itself.
    const messages = yield* messagesByWamid(
      dialect,
      flat.flatMap((f) => f.wamid ?? []),
    );
    const unknown = flat.flatMap((f) => (f.wamid && !messages.has(f.wamid) ? [f.wamid] : []));
    const seenWithoutMessage = yield* knownEventKeys(dialect, unknown);

    const touched = new Map<number, { row: LifecycleRow; evidence: Evidence; keys: Set<string> }>();
    const results: BodyResult[] = bodies.map((_, b) => ({ bodyId: bodyIds[b] as number, outcomes: emptyCounts() }));
    const log: EventLogRow[] = [];

    for (const { event, b, wamid } of flat) {
      const message = wamid ? messages.get(wamid) : undefined;
      const state = message
        ? (touched.get(message.id) ?? { row: message, evidence: message.evidence, keys: new Set(message.eventKeys) })
        : null;
      const key = dedupeKey(event);
      const localKey = messageEventKey(event);
      const lifecycle = toMetaEvent(event);
      let outcome: EventOutcome;
      let reason: string | null = null;
      if (state && localKey && state.keys.has(localKey)) {
        outcome = "duplicate";
      } else if (!state && key && seenWithoutMessage.has(key)) {
        outcome = "duplicate";
      } else if ("ignored" in lifecycle) {
        outcome = "ignored";
        reason = lifecycle.ignored;
      } else if (!state) {
        outcome = "waiting";
      } else if (isLate(lifecycle.event, state.row.send, options.windowDays)) {
        outcome = "late";
        reason = `more than ${options.windowDays} days after the message left`;
      } else {
        outcome = "applied";
        state.evidence = joinEvidence(state.evidence, evidenceOfEvent(lifecycle.event));
      }
      if (state && localKey && outcome !== "duplicate") {
        state.keys.add(localKey);
        touched.set(state.row.id, state);
      } else if (!state && key) {
        seenWithoutMessage.add(key);
      }
      (results[b] as BodyResult).outcomes[outcome]++;
      log.push({
        receivedAt: (bodies[b] as ReceivedBody).receivedAt,
        source: "webhook",
        kind: kindOf(event),
        bodyId: bodyIds[b] as number,
        tenantId: message?.tenantId ?? null,
        wamid,
        platformId: message?.platformId ?? null,
        dedupeKey: key,
        status: event.kind === "status" ? event.status : null,
        occurredAt: event.kind === "other" ? null : event.at,
        errorCode: event.kind === "status" ? event.errorCode : null,
        errorTitle: event.kind === "status" ? event.errorTitle : null,
        pricingCategory: event.kind === "status" ? event.pricingCategory : null,
        payload: null,
        outcome,
        reason,
        appliedAt: outcome === "applied" ? options.now : null,
      });
    }

    yield* writeLifecycles(
      dialect,
      [...touched.values()].map(({ row, evidence, keys }) => ({ id: row.id, send: row.send, evidence, eventKeys: keys })),
      options.now,
    );
    yield* insertEvents(dialect, log);
    return results;
  };
}
