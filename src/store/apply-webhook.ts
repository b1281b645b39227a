// One transaction for a batch of webhook bodies: store each body and every event in it, and apply
// the lifecycle events to their messages. Nothing is acknowledged until this commits.
import { type Evidence, evidenceOfEvent, isLate, joinEvidence, sameEvidence } from "../domain/lifecycle.ts";
import { dedupeKey, type EventOutcome, targetWamid, toMetaEvent, type WebhookEvent } from "../domain/webhook-events.ts";
import { type EventKind, type EventLogRow, insertEvents, insertRawBodies, knownDedupeKeys } from "./event-log.ts";
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
  const lock = dialect === "postgresql" ? " ORDER BY id FOR UPDATE" : "";
  for (const part of chunks([...new Set(wamids)], 500)) {
    const rows = yield* all(
      `SELECT ${LIFECYCLE_COLUMNS} FROM messages WHERE wamid IN (${placeholders(part.length)})${lock}`,
      part,
    );
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
    const flat = bodies.flatMap((body, b) => body.events.map((event) => ({ event, b, key: dedupeKey(event) })));

    const seen = yield* knownDedupeKeys(flat.flatMap((f) => (f.key ? [f.key] : [])));
    const wamids = flat.flatMap((f) => {
      const w = targetWamid(f.event);
      return w && !(f.key && seen.has(f.key)) ? [w] : [];
    });
    const messages = yield* messagesByWamid(dialect, wamids);

    const evidence = new Map<number, { row: LifecycleRow; evidence: Evidence }>();
    const results: BodyResult[] = bodies.map((_, b) => ({ bodyId: bodyIds[b] as number, outcomes: emptyCounts() }));
    const log: EventLogRow[] = [];

    for (const { event, b, key } of flat) {
      const wamid = targetWamid(event);
      const message = wamid ? messages.get(wamid) : undefined;
      let outcome: EventOutcome;
      let reason: string | null = null;
      const lifecycle = toMetaEvent(event);
      if (key && seen.has(key)) {
        outcome = "duplicate";
      } else if ("ignored" in lifecycle) {
        outcome = "ignored";
        reason = lifecycle.ignored;
      } else if (!message) {
        outcome = "waiting";
      } else if (isLate(lifecycle.event, message.send, options.windowDays)) {
        outcome = "late";
        reason = `more than ${options.windowDays} days after the message left`;
      } else {
        outcome = "applied";
        const current = evidence.get(message.id) ?? { row: message, evidence: message.evidence };
        current.evidence = joinEvidence(current.evidence, evidenceOfEvent(lifecycle.event));
        evidence.set(message.id, current);
      }
      if (key) seen.add(key);
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

    const changed = [...evidence.values()].filter(({ row, evidence }) => !sameEvidence(row.evidence, evidence));
    yield* writeLifecycles(
      dialect,
      changed.map(({ row, evidence }) => ({ id: row.id, send: row.send, evidence })),
      options.now,
    );
    yield* insertEvents(log);
    return results;
  };
}
