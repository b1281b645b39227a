// One send record (JSON object, or a CSV row turned into one) → a SendRecord, or every reason it is not.
import { z } from "zod";
import { OUTBOUND_ERROR_CODES } from "../domain/outbound-errors.ts";
import { normalizeDestination } from "../domain/send-checks.ts";
import type { RecordError, SendRecord } from "../domain/send-record.ts";

/** Absent, null and "" all mean "not given" (CSV has no null). Numbers are accepted where ids are text. */
const blankToUndefined = (v: unknown) => (v === null || v === "" ? undefined : typeof v === "number" ? String(v) : v);

const text = z.preprocess(blankToUndefined, z.string({ error: "must be a string" }).trim().min(1, "must not be empty"));
const optionalText = z
  .preprocess(blankToUndefined, z.string({ error: "must be a string" }).optional())
  .transform((s) => s ?? null);

const DATE_TIME_REASON = "must be an ISO 8601 date-time with a time zone, e.g. 2026-10-01T09:30:00-05:00";
const isoDateTime = z
  .string({ error: DATE_TIME_REASON })
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: DATE_TIME_REASON,
  })
  .transform((s) => new Date(s));
const dateTime = z.preprocess(blankToUndefined, isoDateTime);
const optionalDateTime = z.preprocess(blankToUndefined, isoDateTime.optional()).transform((d) => d ?? null);

const record = z.object({
  id: text,
  waMessageId: optionalText,
  campaign: text,
  channel: text,
  agent: text,
  hsm: z.object({ id: text, name: text, language: optionalText }, { error: "must be an object {id, name}" }),
  destination: text,
  body: z.string({ error: "must be a string" }).min(1, "must not be empty"),
  header: optionalText,
  queuedAt: dateTime,
  outboundAt: optionalDateTime,
  outboundError: z
    .preprocess(
      blankToUndefined,
      z.enum(OUTBOUND_ERROR_CODES, { error: `must be one of ${OUTBOUND_ERROR_CODES.join(", ")}` }).optional(),
    )
    .transform((v) => v ?? null),
});

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

export type ParsedRecord = { ok: true; record: SendRecord } | { ok: false; errors: RecordError[] };

export function parseSendRecord(input: unknown, index: number): ParsedRecord {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ index, field: "record", reason: "must be a JSON object" }] };
  }
  const parsed = record.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      index,
      field: issue.path.map(String).join(".") || "record",
      reason: blankToUndefined(valueAt(input, issue.path)) === undefined ? "is required" : issue.message,
    }));
    return { ok: false, errors };
  }
  const r = parsed.data;
  return {
    ok: true,
    record: {
      ...r,
      hsm: { id: r.hsm.id, name: r.hsm.name, language: r.hsm.language },
      destination: normalizeDestination(r.destination),
    },
  };
}

/** CSV columns → the JSON shape: `hsm.id`, `hsm.name`, `hsm.language` (or hsmId, hsmName) become `hsm`. */
export function csvRowToRecord(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const hsm: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    const k = key.trim();
    const m = /^hsm[._]?(id|name|language)$/i.exec(k);
    if (m) hsm[(m[1] as string).toLowerCase()] = value;
    else out[k] = value;
  }
  if (Object.keys(hsm).length > 0) out.hsm = hsm;
  return out;
}
