// Retention: webhook bodies and event payloads hold customer data (message texts, phone numbers),
// so past EVENT_LOG_RETENTION_DAYS they are removed. The event-log rows stay, with their outcomes:
// what happened to every event is still known, only the raw text is gone.
//
// Both tables can hold millions of rows, so the work goes in chunks of consecutive ids, one short
// transaction each, with the event loop free in between (SQLite runs each chunk synchronously). A
// chunk is found through the primary key, never by scanning from the start of the table again.
import type { SqlStore } from "./open-sql.ts";
import { all, asNumber, run, type Work } from "./sql.ts";

export const PRUNE_CHUNK_ROWS = 5000;

/** What was received before this is past retention (days of 24 hours, whatever the time zone). */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

export interface PruneOptions {
  /** Remove what was received before this instant. */
  before: Date;
  chunkRows?: number;
  /**
   * Event-log ids up to this one were pruned by an earlier sweep (its `eventLogDoneThrough`), so
   * a sweep every few hours does not walk the whole log again. 0 (the default) starts at the start.
   */
  eventLogDoneThrough?: number;
  /** Stops between chunks (a server shutting down). */
  signal?: AbortSignal;
}

export interface PruneResult {
  /** Webhook bodies deleted. */
  bodies: number;
  /** Event-log payloads emptied. */
  payloads: number;
  /** Pass to the next sweep as `eventLogDoneThrough`. */
  eventLogDoneThrough: number;
}

/**
 * Ids are handed out in arrival order, so old rows come first: a sweep stops at the first chunk
 * with nothing old in it. (An old row after that, from a server whose clock ran behind, goes at a
 * later sweep.)
 */
export async function pruneOldEventData(store: SqlStore, options: PruneOptions): Promise<PruneResult> {
  const limit = options.chunkRows ?? PRUNE_CHUNK_ROWS;
  const stopped = () => options.signal?.aborted === true;
  const result: PruneResult = { bodies: 0, payloads: 0, eventLogDoneThrough: options.eventLogDoneThrough ?? 0 };

  // Deleted bodies are gone, so this table only holds the retention period's: start at its first id.
  for (let after = 0; !stopped(); ) {
    const chunk = await store.sql.transaction(() => deleteOldBodies(after, options.before, limit));
    result.bodies += chunk.deleted;
    if (chunk.through === null || chunk.old === 0) break;
    after = chunk.through;
    await nextTick();
  }

  let after = result.eventLogDoneThrough;
  let firstRecent: number | null = null;
  while (!stopped()) {
    const chunk = await store.sql.transaction(() => emptyOldPayloads(after, options.before, limit));
    result.payloads += chunk.emptied;
    if (chunk.through === null) break;
    firstRecent ??= chunk.firstRecent;
    after = chunk.through;
    if (chunk.old === 0) break;
    await nextTick();
  }
  // The next sweep starts before the first row that was too recent this time. It stays a chunk
  // behind the end even so: on PostgreSQL an id taken from the sequence just before ours may
  // commit just after this sweep read past it.
  const reached = firstRecent === null ? after : firstRecent - 1;
  result.eventLogDoneThrough = Math.max(result.eventLogDoneThrough, Math.min(reached, after - limit));
  return result;
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface BodyChunk {
  through: number | null;
  old: number;
  deleted: number;
}

/** The next `limit` bodies after id `after`: those received before `before` go. */
function* deleteOldBodies(after: number, before: Date, limit: number): Work<BodyChunk> {
  const [edge] = yield* all(`SELECT MAX(id) AS last_id FROM (SELECT id FROM raw_bodies WHERE id > ? ORDER BY id LIMIT ?) chunk`, [
    after,
    limit,
  ]);
  const through = asNumber(edge?.last_id);
  if (through === null) return { through: null, old: 0, deleted: 0 };
  // The event-log rows keep their outcome; only their link to the body goes (a foreign key).
  yield* run(
    `UPDATE event_log SET body_id = NULL
     WHERE body_id IN (SELECT id FROM raw_bodies WHERE id > ? AND id <= ? AND received_at < ?)`,
    [after, through, before],
  );
  const deleted = yield* run(`DELETE FROM raw_bodies WHERE id > ? AND id <= ? AND received_at < ?`, [after, through, before]);
  return { through, old: deleted, deleted };
}

interface EventChunk {
  through: number | null;
  /** Rows in the chunk received before the cutoff (payload or not). */
  old: number;
  /** The chunk's first row received after the cutoff. */
  firstRecent: number | null;
  emptied: number;
}

/** The next `limit` event-log rows after id `after`: payloads of those received before `before` go. */
function* emptyOldPayloads(after: number, before: Date, limit: number): Work<EventChunk> {
  const [edge] = yield* all(
    `SELECT MAX(id) AS last_id,
            SUM(CASE WHEN received_at < ? THEN 1 ELSE 0 END) AS old,
            MIN(CASE WHEN received_at >= ? THEN id END) AS first_recent
     FROM (SELECT id, received_at FROM event_log WHERE id > ? ORDER BY id LIMIT ?) chunk`,
    [before, before, after, limit],
  );
  const through = asNumber(edge?.last_id);
  if (through === null) return { through: null, old: 0, firstRecent: null, emptied: 0 };
  const emptied = yield* run(
    `UPDATE event_log SET payload = NULL WHERE id > ? AND id <= ? AND received_at < ? AND payload IS NOT NULL`,
    [after, through, before],
  );
  return { through, old: asNumber(edge?.old) ?? 0, firstRecent: asNumber(edge?.first_recent), emptied };
}
