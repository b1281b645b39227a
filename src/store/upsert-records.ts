// One transaction for a batch of send records: create or update each message, look up the Meta
// events already waiting for it in the log, and derive its row. Re-sending a record is idempotent.
import { type Evidence, NO_EVIDENCE, type SendFacts } from "../domain/lifecycle.ts";
import { detectOutboundError } from "../domain/send-checks.ts";
import type { RecordError, SendRecord } from "../domain/send-record.ts";
import { lineOwners } from "./channel-owners.ts";
import { type EventSource, eventRow, insertEvents } from "./event-log.ts";
import { loggedEvents, type OutcomeChange, settleLoggedEvents, updateEventOutcomes } from "./logged-events.ts";
import { LIFECYCLE_COLUMNS, lifecycleValues, toLifecycleRow, UPDATE_COLUMNS } from "./message-lifecycle.ts";
import { all, chunks, type Dialect, placeholders, run, type SqlOp, valuesList, type Work } from "./sql.ts";
import { lockWamids } from "./wamid-locks.ts";

export interface RecordItem {
  /** Position in the batch or line in the file. */
  index: number;
  /** The record as received, for the event log. */
  raw: string;
  record: SendRecord | null;
  /** The record's `id` as given, even when the record is invalid, so the log can name it. */
  platformId: string | null;
  /** Why the record was refused before reaching the store (empty when it is valid). */
  errors: RecordError[];
}

export interface RecordBatchResult {
  accepted: number;
  errors: RecordError[];
}

type DimensionTable = "campaigns" | "agents" | "channels" | "templates";

/** Ids of named things (campaigns, agents, channels, templates), creating the ones not seen before. */
function* ensureDimension(
  table: DimensionTable,
  keyColumn: string,
  tenantId: number,
  entries: Map<string, Record<string, string | null>>,
  refresh: boolean,
): Generator<SqlOp, Map<string, number>, unknown> {
  const ids = new Map<string, number>();
  const keys = [...entries.keys()];
  const select = function* (part: string[]) {
    const rows = yield* all<{ id: number; k: string }>(
      `SELECT id, ${keyColumn} AS k FROM ${table} WHERE tenant_id = ? AND ${keyColumn} IN (${placeholders(part.length)})`,
      [tenantId, ...part],
    );
    for (const r of rows) ids.set(r.k, Number(r.id));
  };
  for (const part of chunks(keys, 500)) yield* select(part);
  const missing = refresh ? keys : keys.filter((k) => !ids.has(k));
  if (missing.length === 0) return ids;
  const extraColumns = Object.keys(entries.get(missing[0] as string) ?? {});
  const columns = ["tenant_id", keyColumn, ...extraColumns];
  const onConflict = refresh ? `DO UPDATE SET ${extraColumns.map((c) => `${c} = excluded.${c}`).join(", ")}` : "DO NOTHING";
  for (const part of chunks(missing, 200)) {
    yield* run(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${valuesList(part.length, columns.length)}
       ON CONFLICT (tenant_id, ${keyColumn}) ${onConflict}`,
      part.flatMap((k) => [tenantId, k, ...extraColumns.map((c) => entries.get(k)?.[c] ?? null)]),
    );
    yield* select(part);
  }
  return ids;
}

/** A message's values in MESSAGE_COLUMNS order. */
export function messageRow(
  tenantId: number,
  r: SendRecord,
  ids: { campaign: number; channel: number; agent: number; template: number },
  send: SendFacts,
  evidence: Evidence,
  eventKeys: ReadonlySet<string>,
  now: Date,
): unknown[] {
  return [
    tenantId,
    r.id,
    send.wamid ?? null,
    ids.campaign,
    ids.channel,
    ids.agent,
    ids.template,
    r.destination,
    r.body,
    r.header,
    r.queuedAt,
    r.outboundAt,
    send.outboundError ?? null,
    ...lifecycleValues(send, evidence, eventKeys, now),
  ];
}

export const MESSAGE_COLUMNS = [
  "tenant_id",
  "platform_id",
  "wamid",
  "campaign_id",
  "channel_id",
  "agent_id",
  "template_id",
  "destination",
  "body",
  "header",
  "queued_at",
  "outbound_at",
  "outbound_error",
  ...UPDATE_COLUMNS,
] as const;

const UPSERT_SET = MESSAGE_COLUMNS.filter((c) => c !== "tenant_id" && c !== "platform_id")
  .map((c) => `${c} = excluded.${c}`)
  .join(", ");

export function upsertSendRecords(
  tenantId: number,
  items: readonly RecordItem[],
  options: { source: EventSource; windowDays: number; now: Date },
): (dialect: Dialect) => Work<RecordBatchResult> {
  return function* (dialect) {
    const errors: RecordError[] = items.flatMap((i) => i.errors);
    const rejected = new Map<number, string>(
      items.filter((i) => i.errors.length > 0).map((i) => [i.index, i.errors.map((e) => `${e.field}: ${e.reason}`).join("; ")]),
    );

    // Later records with the same id replace earlier ones, as if sent one after the other.
    const latest = new Map<string, RecordItem & { record: SendRecord }>();
    for (const item of items)
      if (item.record && item.errors.length === 0) latest.set(item.record.id, item as RecordItem & { record: SendRecord });
    let valid = [...latest.values()];
    // Before anything is read: a webhook batch about these wamids either committed already (and
    // its waiting events are visible below) or waits for this transaction (see wamid-locks.ts).
    yield* lockWamids(
      dialect,
      valid.flatMap((v) => v.record.waMessageId ?? []),
    );

    const existing = new Map<string, ReturnType<typeof toLifecycleRow>>();
    for (const part of chunks(
      valid.map((v) => v.record.id),
      500,
    )) {
      const rows = yield* all(
        `SELECT ${LIFECYCLE_COLUMNS} FROM messages WHERE tenant_id = ? AND platform_id IN (${placeholders(part.length)})${dialect === "postgresql" ? " ORDER BY id FOR UPDATE" : ""}`,
        [tenantId, ...part],
      );
      for (const r of rows) existing.set(String(r.platform_id), toLifecycleRow(r));
    }
    const wamidOf = (v: (typeof valid)[number]) => v.record.waMessageId ?? existing.get(v.record.id)?.send.wamid ?? null;

    // A wamid names one message: refuse a record that would give it to a second one.
    const owners = new Map<string, { tenantId: number; platformId: string }>();
    const wanted = valid.flatMap((v) => (v.record.waMessageId ? [v.record.waMessageId] : []));
    for (const part of chunks([...new Set(wanted)], 500)) {
      const rows = yield* all<{ tenant_id: number; platform_id: string; wamid: string }>(
        `SELECT tenant_id, platform_id, wamid FROM messages WHERE wamid IN (${placeholders(part.length)})`,
        part,
      );
      for (const r of rows) owners.set(r.wamid, { tenantId: Number(r.tenant_id), platformId: r.platform_id });
    }
    valid = valid.filter((v) => {
      const w = v.record.waMessageId;
      if (!w) return true;
      const owner = owners.get(w);
      if (!owner || (owner.tenantId === tenantId && owner.platformId === v.record.id)) {
        owners.set(w, { tenantId, platformId: v.record.id });
        return true;
      }
      // Another company's message is not named, nor said to exist: the record is just not accepted.
      const reason =
        owner.tenantId === tenantId
          ? `already belongs to message ${owner.platformId}`
          : "is not accepted for this record: check that it is the id Meta returned for this message";
      errors.push({ index: v.index, field: "waMessageId", reason });
      rejected.set(v.index, `waMessageId: ${reason}`);
      return false;
    });

    const campaigns = yield* ensureDimension(
      "campaigns",
      "name",
      tenantId,
      new Map(valid.map((v) => [v.record.campaign, {}])),
      false,
    );
    const agents = yield* ensureDimension("agents", "name", tenantId, new Map(valid.map((v) => [v.record.agent, {}])), false);
    const channels = yield* ensureDimension(
      "channels",
      "phone_number_id",
      tenantId,
      new Map(valid.map((v) => [v.record.channel, { name: v.record.channel }])),
      false,
    );
    const templates = yield* ensureDimension(
      "templates",
      "hsm_id",
      tenantId,
      new Map(valid.map((v) => [v.record.hsm.id, { name: v.record.hsm.name, language: v.record.hsm.language }])),
      true,
    );

    const logged = yield* loggedEvents(valid.flatMap((v) => wamidOf(v) ?? []));
    const lines = yield* lineOwners(
      dialect,
      [...logged.values()].flatMap((events) => events.flatMap((e) => e.phoneNumberId ?? [])),
    );
    const outcomeChanges: OutcomeChange[] = [];
    const rows: unknown[][] = [];
    for (const v of valid) {
      const r = v.record;
      const wamid = wamidOf(v);
      const outboundError = r.outboundError ?? (wamid ? null : detectOutboundError(r));
      const send: SendFacts = { queuedAt: r.queuedAt, outboundAt: r.outboundAt, outboundError, wamid };
      // What the message already knows stays (events are only ever added: rule 1), unless the record
      // gives it another wamid, whose events are another story.
      const before = existing.get(r.id);
      const kept = before && before.send.wamid === wamid ? before : null;
      const { evidence, eventKeys, changes } = settleLoggedEvents(
        { tenantId, platformId: r.id, send, evidence: kept?.evidence ?? NO_EVIDENCE, eventKeys: kept?.eventKeys ?? [] },
        wamid ? (logged.get(wamid) ?? []) : [],
        lines,
        options.windowDays,
      );
      outcomeChanges.push(...changes);
      const ids = {
        campaign: campaigns.get(r.campaign) as number,
        channel: channels.get(r.channel) as number,
        agent: agents.get(r.agent) as number,
        template: templates.get(r.hsm.id) as number,
      };
      rows.push(messageRow(tenantId, r, ids, send, evidence, eventKeys, options.now));
    }
    for (const part of chunks(rows, 100)) {
      yield* run(
        `INSERT INTO messages (${MESSAGE_COLUMNS.join(", ")}) VALUES ${valuesList(part.length, MESSAGE_COLUMNS.length)}
         ON CONFLICT (tenant_id, platform_id) DO UPDATE SET ${UPSERT_SET}`,
        part.flat() as never[],
      );
    }
    yield* updateEventOutcomes(dialect, outcomeChanges, options.now);

    const accepted = new Set(valid.map((v) => v.index));
    // An earlier copy of a record that a later one in the same batch replaced shares its fate.
    const fateOf = (item: RecordItem): number =>
      item.record && item.errors.length === 0 ? (latest.get(item.record.id)?.index ?? item.index) : item.index;
    yield* insertEvents(
      dialect,
      items.map((item) => {
        const fate = fateOf(item);
        const applied = accepted.has(fate);
        return eventRow({
          receivedAt: options.now,
          source: options.source,
          kind: "send_record",
          tenantId,
          wamid: item.record?.waMessageId ?? null,
          platformId: item.record?.id ?? item.platformId,
          payload: item.raw,
          outcome: applied ? "applied" : "rejected",
          reason: applied ? null : (rejected.get(fate) ?? null),
          appliedAt: applied ? options.now : null,
        });
      }),
    );
    const refused = items.filter((item) => !accepted.has(fateOf(item))).length;
    return { accepted: items.length - refused, errors: errors.sort((a, b) => a.index - b.index) };
  };
}
