// One transaction for a batch of webhook bodies: every event in them is written to the event log
// with its outcome, and the lifecycle events are applied to their messages. Nothing is
// acknowledged until this commits.
import { type Evidence, evidenceOfEvent, isLate, joinEvidence } from "../domain/lifecycle.ts";
import {
  dedupeKey,
  type EventOutcome,
  messageEventKey,
  targetWamid,
  toMetaEvent,
  type WebhookEvent,
} from "../domain/webhook-events.ts";
import { lineMismatch, lineOwners } from "./channel-owners.ts";
import { type EventKind, type EventLogRow, eventRow, insertEvents, insertRawBodies, knownEventKeys } from "./event-log.ts";
import { LIFECYCLE_COLUMNS, type LifecycleRow, toLifecycleRow, writeLifecycles } from "./message-lifecycle.ts";
import { all, chunks, type Dialect, placeholders, type SqlOp, type Work } from "./sql.ts";
import { lockWamids } from "./wamid-locks.ts";

export interface ReceivedBody {
  raw: string;
  receivedAt: Date;
  events: WebhookEvent[];
  /** A signed body we could not read: kept whole with this reason, nothing in it applied. */
  rejected?: string;
}

export type OutcomeCounts = Record<EventOutcome, number>;

export interface BodyResult {
  /** Null when the body was not kept: nothing in it concerned any company (e.g. a customer's chat). */
  bodyId: number | null;
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

interface Decided {
  event: WebhookEvent;
  body: number;
  wamid: string | null;
  message: LifecycleRow | null;
  outcome: EventOutcome;
  reason: string | null;
}

export function applyWebhookBodies(
  bodies: readonly ReceivedBody[],
  options: { windowDays: number; now: Date },
): (dialect: Dialect) => Work<BodyResult[]> {
  return function* (dialect) {
    const flat = bodies.flatMap((body, b) => body.events.map((event) => ({ event, b, wamid: targetWamid(event) })));
    const wamids = flat.flatMap((f) => f.wamid ?? []);
    yield* lockWamids(dialect, wamids);
    const messages = yield* messagesByWamid(dialect, wamids);
    const owners = yield* lineOwners(
      dialect,
      flat.flatMap((f) => (f.event.kind !== "other" && f.event.phoneNumberId ? [f.event.phoneNumberId] : [])),
    );
    // Re-sends are spotted with the keys each message row keeps; only events about messages we do
    // not know yet (a rare case) need the log itself.
    const unknown = flat.flatMap((f) => (f.wamid && !messages.has(f.wamid) ? [f.wamid] : []));
    const seenWithoutMessage = yield* knownEventKeys(dialect, unknown);

    const touched = new Map<number, { row: LifecycleRow; evidence: Evidence; keys: Set<string> }>();
    const decided: Decided[] = [];
    for (const { event, b, wamid } of flat) {
      const found = wamid ? messages.get(wamid) : undefined;
      const key = dedupeKey(event);
      const localKey = messageEventKey(event);
      const lifecycle = toMetaEvent(event);
      const mismatch = found && event.kind !== "other" ? lineMismatch(owners, found.tenantId, event.phoneNumberId, false) : null;
      const message = found && !mismatch ? found : null;
      const state = message
        ? (touched.get(message.id) ?? { row: message, evidence: message.evidence, keys: new Set(message.eventKeys) })
        : null;
      let outcome: EventOutcome;
      let reason: string | null = null;
      if (mismatch) {
        outcome = "rejected";
        reason = mismatch;
      } else if (state && localKey && state.keys.has(localKey)) {
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
      } else if (!state && !mismatch && key) {
        seenWithoutMessage.add(key);
      }
      decided.push({ event, body: b, wamid, message, outcome, reason });
    }

    yield* writeLifecycles(
      dialect,
      [...touched.values()].map(({ row, evidence, keys }) => ({ id: row.id, send: row.send, evidence, eventKeys: keys })),
      options.now,
    );

    // A body is kept while it concerns a company (or may: an event waits for its message); an
    // ordinary customer chat, or a re-send of something kept already, leaves only its outcomes.
    const kept = bodies.map(
      (body, b) =>
        body.rejected !== undefined || decided.some((d) => d.body === b && (d.message !== null || d.outcome === "waiting")),
    );
    const keptBodies = bodies.filter((_, b) => kept[b]);
    const keptIds = yield* insertRawBodies(dialect, keptBodies);
    const bodyIds: (number | null)[] = [];
    let next = 0;
    for (const k of kept) bodyIds.push(k ? (keptIds[next++] as number) : null);

    const results: BodyResult[] = bodies.map((_, b) => ({ bodyId: bodyIds[b] ?? null, outcomes: emptyCounts() }));
    const log: EventLogRow[] = decided.map((d) => {
      (results[d.body] as BodyResult).outcomes[d.outcome]++;
      return eventLogRow(d, bodies[d.body] as ReceivedBody, bodyIds[d.body] ?? null, options.now);
    });
    for (const [b, body] of bodies.entries()) {
      if (body.rejected === undefined) continue;
      (results[b] as BodyResult).outcomes.rejected++;
      log.push(
        eventRow({
          receivedAt: body.receivedAt,
          source: "webhook",
          kind: "other",
          bodyId: bodyIds[b] ?? null,
          outcome: "rejected",
          reason: body.rejected,
        }),
      );
    }
    yield* insertEvents(dialect, log);
    return results;
  };
}

function eventLogRow(d: Decided, body: ReceivedBody, bodyId: number | null, now: Date): EventLogRow {
  const { event, message } = d;
  return {
    receivedAt: body.receivedAt,
    source: "webhook",
    kind: kindOf(event),
    bodyId,
    tenantId: message?.tenantId ?? null,
    wamid: d.wamid,
    platformId: message?.platformId ?? null,
    phoneNumberId: event.kind === "other" ? null : event.phoneNumberId,
    dedupeKey: dedupeKey(event),
    status: event.kind === "status" ? event.status : null,
    occurredAt: event.kind === "other" ? null : event.at,
    errorCode: event.kind === "status" ? event.errorCode : null,
    errorTitle: event.kind === "status" ? event.errorTitle : null,
    pricingCategory: event.kind === "status" ? event.pricingCategory : null,
    payload: null,
    outcome: d.outcome,
    reason: d.reason,
    appliedAt: d.outcome === "applied" ? now : null,
  };
}
