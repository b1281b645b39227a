// Events in the log that a message's send record can still change (waiting for it, or kept aside as
// late), and settling them against the message: shared by send-record batches and the sweep that
// heals waiting events whose message exists.
import { type Evidence, evidenceOfEvent, isLate, joinEvidence, type MetaEvent, type SendFacts } from "../domain/lifecycle.ts";
import { type EventOutcome, statusKey } from "../domain/webhook-events.ts";
import { type LineOwners, lineMismatch } from "./channel-owners.ts";
import { LOOKED_UP } from "./event-log.ts";
import { all, asDate, asNumber, chunks, type Dialect, placeholders, run, type SqlOp } from "./sql.ts";

export interface LoggedEvent {
  id: number;
  wamid: string;
  phoneNumberId: string | null;
  /** The key the message row keeps for it (see messageEventKey). */
  key: string;
  /** Null for events outside the lifecycle (e.g. `played`): kept only to spot their re-sends. */
  event: MetaEvent | null;
  outcome: EventOutcome;
}

function toLoggedEvent(r: Record<string, unknown>): LoggedEvent | null {
  const at = asDate(r.occurred_at);
  if (!at) return null;
  const base = {
    id: Number(r.id),
    wamid: String(r.wamid),
    phoneNumberId: (r.phone_number_id as string | null) ?? null,
    outcome: r.outcome as EventOutcome,
  };
  if (r.kind === "reply") return { ...base, key: String(r.dedupe_key), event: { kind: "reply", at } };
  const status = String(r.status);
  const errorCode = asNumber(r.error_code);
  const key = statusKey(status, at, errorCode);
  if (status === "failed") {
    return {
      ...base,
      key,
      event: { kind: "status", status, at, errorCode, errorTitle: (r.error_title as string | null) ?? null },
    };
  }
  if (status === "sent" || status === "delivered" || status === "read") {
    return {
      ...base,
      key,
      event: { kind: "status", status, at, pricingCategory: (r.pricing_category as string | null) ?? null },
    };
  }
  return { ...base, key, event: null };
}

/**
 * Events in the log that a message's record can still change: those waiting for it, and those
 * kept aside as late (a record that brings the time the message left can bring them inside the
 * window). Applied events are already in the message row's evidence.
 */
export function* loggedEvents(wamids: readonly string[]): Generator<SqlOp, Map<string, LoggedEvent[]>, unknown> {
  const byWamid = new Map<string, LoggedEvent[]>();
  for (const part of chunks([...new Set(wamids)], 500)) {
    const rows = yield* all(
      `SELECT id, wamid, kind, status, occurred_at, error_code, error_title, pricing_category, outcome, dedupe_key, phone_number_id
       FROM event_log WHERE wamid IN (${placeholders(part.length)}) AND ${LOOKED_UP} AND kind IN ('status', 'reply')`,
      part,
    );
    for (const r of rows) {
      const e = toLoggedEvent(r);
      if (!e) continue;
      const list = byWamid.get(e.wamid) ?? [];
      list.push(e);
      byWamid.set(e.wamid, list);
    }
  }
  return byWamid;
}

export interface OutcomeChange {
  id: number;
  outcome: EventOutcome;
  reason: string | null;
  tenantId: number;
  platformId: string;
}

export function* updateEventOutcomes(
  dialect: Dialect,
  changes: readonly OutcomeChange[],
  now: Date,
): Generator<SqlOp, void, unknown> {
  if (changes.length === 0) return;
  if (dialect === "sqlite") {
    for (const c of changes) {
      yield* run(`UPDATE event_log SET outcome = ?, reason = ?, applied_at = ?, tenant_id = ?, platform_id = ? WHERE id = ?`, [
        c.outcome,
        c.reason,
        c.outcome === "applied" ? now : null,
        c.tenantId,
        c.platformId,
        c.id,
      ]);
    }
    return;
  }
  for (const part of chunks(changes, 5000)) {
    yield* run(
      `UPDATE event_log AS e SET outcome = v.outcome, reason = v.reason, tenant_id = v.tenant_id, platform_id = v.platform_id,
         applied_at = CASE WHEN v.outcome = 'applied' THEN ?::timestamp(3) ELSE NULL END
       FROM unnest(?::int[], ?::text[], ?::text[], ?::int[], ?::text[]) AS v(id, outcome, reason, tenant_id, platform_id)
       WHERE e.id = v.id`,
      [
        now,
        part.map((c) => c.id),
        part.map((c) => c.outcome),
        part.map((c) => c.reason),
        part.map((c) => c.tenantId),
        part.map((c) => c.platformId),
      ],
    );
  }
}

/** What a message becomes once the logged events that concern it are settled against it. */
export interface Settled {
  evidence: Evidence;
  eventKeys: Set<string>;
  changes: OutcomeChange[];
}

/**
 * Applies the logged events of a message (waiting or late) that now can be: from a line of its
 * company, and inside the window of rule 6. Evidence only grows, so settling twice changes nothing.
 */
export function settleLoggedEvents(
  message: { tenantId: number; platformId: string; send: SendFacts; evidence: Evidence; eventKeys: Iterable<string> },
  events: readonly LoggedEvent[],
  lines: LineOwners,
  windowDays: number,
): Settled {
  let evidence = message.evidence;
  const eventKeys = new Set(message.eventKeys);
  const changes: OutcomeChange[] = [];
  for (const e of events) {
    if (e.event === null) continue;
    const mismatch = lineMismatch(lines, message.tenantId, e.phoneNumberId, true);
    const late = !mismatch && isLate(e.event, message.send, windowDays);
    const outcome: EventOutcome = mismatch ? "rejected" : late ? "late" : "applied";
    if (outcome === "applied") evidence = joinEvidence(evidence, evidenceOfEvent(e.event));
    if (outcome !== "rejected") eventKeys.add(e.key);
    if (outcome !== e.outcome) {
      const reason = mismatch ?? (late ? `more than ${windowDays} days after the message left` : null);
      changes.push({ id: e.id, outcome, reason, tenantId: message.tenantId, platformId: message.platformId });
    }
  }
  return { evidence, eventKeys, changes };
}
