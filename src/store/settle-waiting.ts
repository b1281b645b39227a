// Heals events left `waiting` although their message exists: what the wamid race of PostgreSQL
// (before wamid-locks.ts) could leave behind, or anything else that let a status and its record
// miss each other. Run at start-up and now and then; a pass with nothing to do is one indexed query.

import { messagesByWamid } from "./apply-webhook.ts";
import { lineOwners } from "./channel-owners.ts";
import { loggedEvents, type OutcomeChange, settleLoggedEvents, updateEventOutcomes } from "./logged-events.ts";
import type { LifecycleRow } from "./message-lifecycle.ts";
import { writeLifecycles } from "./message-lifecycle.ts";
import { all, type Dialect, type Work } from "./sql.ts";
import { lockWamids } from "./wamid-locks.ts";

/** Settles up to `limit` messages' waiting events; returns how many events it settled. */
export function settleWaitingEvents(options: {
  windowDays: number;
  now: Date;
  limit: number;
}): (dialect: Dialect) => Work<number> {
  return function* (dialect) {
    // The partial index on event_log(wamid) holds exactly the waiting and late events.
    const found = yield* all<{ wamid: string }>(
      `SELECT DISTINCT e.wamid AS wamid FROM event_log e JOIN messages m ON m.wamid = e.wamid
       WHERE e.outcome IN ('waiting', 'late') AND e.outcome = 'waiting' LIMIT ?`,
      [options.limit],
    );
    const wamids = found.map((r) => r.wamid);
    if (wamids.length === 0) return 0;
    yield* lockWamids(dialect, wamids);
    const messages = yield* messagesByWamid(dialect, wamids);
    const logged = yield* loggedEvents(wamids);
    const lines = yield* lineOwners(
      dialect,
      [...logged.values()].flatMap((events) => events.flatMap((e) => e.phoneNumberId ?? [])),
    );
    const changes: OutcomeChange[] = [];
    const updates: { id: number; send: LifecycleRow["send"]; evidence: LifecycleRow["evidence"]; eventKeys: Set<string> }[] = [];
    for (const [wamid, message] of messages) {
      const settled = settleLoggedEvents(message, logged.get(wamid) ?? [], lines, options.windowDays);
      if (settled.changes.length === 0) continue;
      changes.push(...settled.changes);
      updates.push({ id: message.id, send: message.send, evidence: settled.evidence, eventKeys: settled.eventKeys });
    }
    yield* writeLifecycles(dialect, updates, options.now);
    yield* updateEventOutcomes(dialect, changes, options.now);
    return changes.length;
  };
}
