// Event-log rows received at chosen times, as the webhook and send-record paths store them: a
// webhook event points at its stored body, a send-record event carries its record as payload.
import type { EventOutcome } from "../../src/domain/webhook-events.ts";
import { eventRow, insertEvents, insertRawBodies } from "../../src/store/event-log.ts";
import type { SqlStore } from "../../src/store/open-sql.ts";
import { all } from "../../src/store/sql.ts";

export interface SeededEvent {
  receivedAt: Date;
  /** A webhook body holding this many events (default: a send record with a payload). */
  webhookEvents?: number;
  outcome?: EventOutcome;
}

export async function seedEvents(store: SqlStore, events: readonly SeededEvent[]): Promise<void> {
  await store.sql.transaction(function* (dialect) {
    for (const [i, e] of events.entries()) {
      const outcome = e.outcome ?? "applied";
      if (e.webhookEvents) {
        const [bodyId] = yield* insertRawBodies(dialect, [{ receivedAt: e.receivedAt, raw: `{"entry":[${i}]}` }]);
        const rows = Array.from({ length: e.webhookEvents }, (_, n) =>
          eventRow({
            receivedAt: e.receivedAt,
            source: "webhook",
            kind: "status",
            bodyId: bodyId ?? null,
            wamid: `wamid.${i}.${n}`,
            outcome,
          }),
        );
        yield* insertEvents(dialect, rows);
      } else {
        const payload = JSON.stringify({ id: `r${i}`, destination: "51977452931", body: "Hola Ana" });
        yield* insertEvents(dialect, [
          eventRow({ receivedAt: e.receivedAt, source: "api", kind: "send_record", platformId: `r${i}`, payload, outcome }),
        ]);
      }
    }
  });
}

export interface StoredEvent {
  id: number;
  bodyId: number | null;
  payload: string | null;
  outcome: string;
}

export async function storedEvents(store: SqlStore): Promise<StoredEvent[]> {
  const rows = await store.sql.read(function* () {
    return yield* all<{ id: unknown; body_id: unknown; payload: string | null; outcome: string }>(
      "SELECT id, body_id, payload, outcome FROM event_log ORDER BY id",
    );
  });
  return rows.map((r) => ({
    id: Number(r.id),
    bodyId: r.body_id === null ? null : Number(r.body_id),
    payload: r.payload,
    outcome: r.outcome,
  }));
}

export async function storedBodyCount(store: SqlStore): Promise<number> {
  const [row] = await store.sql.read(function* () {
    return yield* all<{ n: unknown }>("SELECT COUNT(*) AS n FROM raw_bodies");
  });
  return Number(row?.n);
}
