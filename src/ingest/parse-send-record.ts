// One send record (JSON object, or a CSV row turned into one) → a SendRecord, or every reason it is not.
import { z } from "zod";
import { OUTBOUND_ERROR_CODES } from "../domain/outbound-errors.ts";
import { normalizeDestination } from "../domain/send-checks.ts";
import type { RecordError, SendRecord } from "../domain/send-record.ts";

/** Absent, null and "" all mean "not given" (CSV has no null). Numbers are accepted where ids are text. */
const blankToUndefined = (v: unknown) => (v === null || v === "" ? undefined : typeof v === "number" ? String(v) : v);

/**
 * A string for a column: bounded (names end up in spreadsheets and chat messages) and without NUL,
 * which PostgreSQL's text cannot hold (one such record used to fail its whole batch with a 500).
 */
const columnString = (max: number) =>
  z
    .string({ error: "must be a string" })
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

const text = (max = 512) => z.preprocess(blankToUndefined, columnString(max).trim().min(1, "must not be empty"));
const optionalText = (max = 512) => z.preprocess(blankToUndefined, columnString(max).optional()).transform((s) => s ?? null);

/** Longer than WhatsApp allows (bodies over 1,024 characters are kept, and fail as body_too_long). */
const MAX_BODY = 65_536;

const DATE_TIME_REASON = "must be an ISO 8601 date-time with a time zone, e.g. 2026-10-01T09:30:00-05:00";
// WhatsApp did not exist before 2000; a date past 2100 is a typo or an attack.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const isoDateTime = z
  .string({ error: DATE_TIME_REASON })
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: DATE_TIME_REASON,
    abort: true,
  })
  .refine((s) => Date.parse(s) >= EARLIEST && Date.parse(s) < LATEST, { message: "must be between 2000 and 2100" })
  .transform((s) => new Date(s));
const dateTime = z.preprocess(blankToUndefined, isoDateTime);
const optionalDateTime = z.preprocess(blankToUndefined, isoDateTime.optional()).transform((d) => d ?? null);

const record = z.object({
  id: text(256),
  waMessageId: optionalText(256),
  campaign: text(),
  channel: text(64),
  agent: text(),
  hsm: z.object({ id: text(256), name: text(), language: optionalText(32) }, { error: "must be an object {id, name}" }),
  destination: text(64),
  body: columnString(MAX_BODY).min(1, "must not be empty"),
  header: optionalText(MAX_BODY),
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
