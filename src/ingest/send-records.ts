// Send records → the store, in batches of at most 1,000, each one transaction.
import type { RecordError } from "../domain/send-record.ts";
import type { EventSource } from "../store/event-log.ts";
import type { Store } from "../store/open-store.ts";
import { type RecordItem, upsertSendRecords } from "../store/upsert-records.ts";
import { parseSendRecord } from "./parse-send-record.ts";

export const MAX_RECORDS_PER_REQUEST = 1000;

export interface RecordsResult {
  accepted: number;
  rejected: number;
  errors: RecordError[];
}

/** Validates each record and stores the valid ones; the invalid ones come back with their reasons. */
export async function ingestSendRecords(
  store: Store,
  tenantId: number,
  inputs: readonly { value: unknown; raw: string; index: number }[],
  options: { source: EventSource; windowDays: number; now: Date },
): Promise<RecordsResult> {
  const items: RecordItem[] = inputs.map(({ value, raw, index }) => {
    const parsed = parseSendRecord(value, index);
    const id = (value as { id?: unknown } | null)?.id;
    const platformId = typeof id === "string" || typeof id === "number" ? String(id) : null;
    return parsed.ok
      ? { index, raw, record: parsed.record, platformId, errors: [] }
      : { index, raw, record: null, platformId, errors: parsed.errors };
  });
  const result = await store.sql.transaction(upsertSendRecords(tenantId, items, options));
  return { accepted: result.accepted, rejected: inputs.length - result.accepted, errors: result.errors };
}
