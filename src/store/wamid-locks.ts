// One lock per wamid, taken by both paths that can meet over it: a webhook batch (a status for a
// wamid we may not know yet) and a send-record batch (the record that brings that wamid).
//
// On PostgreSQL two READ COMMITTED transactions otherwise miss each other: the webhook sees no
// message and logs its event as `waiting`, the send record sees no waiting event, both commit, and
// the event waits forever (a failed message showing "Salió" for good). There is no row to lock when
// the message does not exist yet, so the lock is an advisory one on the wamid's hash, held to the
// end of the transaction. Both paths take it before reading, in ascending order (no deadlock
// between them); whichever commits second then sees what the first wrote.
//
// SQLite needs nothing: every write transaction is BEGIN IMMEDIATE, so writers run one at a time
// and each sees everything committed before it.
import { all, type Dialect, type SqlOp } from "./sql.ts";

export function* lockWamids(dialect: Dialect, wamids: Iterable<string>): Generator<SqlOp, void, unknown> {
  if (dialect !== "postgresql") return;
  const distinct = [...new Set(wamids)];
  if (distinct.length === 0) return;
  yield* all(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(w, 0) AS k FROM unnest(?::text[]) AS w ORDER BY 1) AS keys`,
    [distinct],
  );
}
