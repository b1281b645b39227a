// A Meta webhook body → the events in it, or the reason it is malformed. Every level (entry[],
// changes[], statuses[], messages[]) is an array and is walked whole (meta-webhooks.md §1).
import { z } from "zod";
import type { WebhookEvent } from "../domain/webhook-events.ts";
import { parseJsonBounded } from "./safe-json.ts";

/**
 * Text that becomes a column: bounded, and without NUL, which PostgreSQL's text type cannot hold
 * (one such string used to fail the whole batch it was in).
 */
const columnText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

/** Meta's free texts (error titles) are cut rather than refused: they are descriptions, not keys. */
const description = z
  .string()
  .transform((s) => s.replaceAll("\u0000", "").slice(0, 1000))
  .nullish();

/** An int column holds it (Meta's codes are 6 digits). */
const MAX_CODE = 2_147_483_647;

/** Meta sends codes as numbers; some relays send digit strings, or null when there is none. */
const errorCode = z
  .union([
    z.number().int().min(0).max(MAX_CODE, "must be a code Meta could send"),
    z
      .string()
      .regex(/^\d{1,10}$/)
      .transform(Number)
      .refine((n) => n <= MAX_CODE, "must be a code Meta could send"),
    z.null(),
  ])
  .optional()
  .transform((v) => v ?? undefined);

// WhatsApp did not exist before 2000, and a date past 2100 is a bug or an attack: either would
// make an invalid or absurd date in the store.
const MIN_SECONDS = Date.UTC(2000, 0, 1) / 1000;
const MAX_SECONDS = Date.UTC(2100, 0, 1) / 1000;
const unixSeconds = z
  .preprocess(
    (v) => (typeof v === "string" && /^\d{1,12}$/.test(v) ? Number(v) : v),
    z.number({ error: "must be Unix seconds" }).int("must be Unix seconds"),
  )
  .refine((n) => n >= MIN_SECONDS && n < MAX_SECONDS, "must be Unix seconds between 2000 and 2100");

const id = columnText(256).min(1);
const shortText = columnText(64);

const status = z.looseObject({
  id,
  status: shortText.min(1),
  timestamp: unixSeconds,
  errors: z.array(z.looseObject({ code: errorCode, title: description, message: description })).optional(),
  pricing: z.looseObject({ category: shortText.optional() }).optional(),
});

const inbound = z.looseObject({
  id,
  timestamp: unixSeconds,
  type: shortText.optional(),
  context: z.looseObject({ id: id.optional() }).optional(),
});

const messagesValue = z.looseObject({
  metadata: z.looseObject({ phone_number_id: shortText.optional() }).optional(),
  statuses: z.array(status).optional(),
  messages: z.array(inbound).optional(),
  errors: z.array(z.looseObject({ code: errorCode, title: description })).optional(),
});

const body = z.looseObject({
  object: z.literal("whatsapp_business_account", { error: 'must be "whatsapp_business_account"' }),
  entry: z.array(
    z.looseObject({
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

export type ParsedWebhook = { ok: true; events: WebhookEvent[] } | { ok: false; reason: string };

function describe(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "invalid body";
  const path = issue.path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    prefix,
  );
  return `${path || "body"}: ${issue.message}`;
}

const secondsToDate = (s: number) => new Date(s * 1000);

export function parseWebhook(raw: string): ParsedWebhook {
  const json = parseJsonBounded(raw);
  if (!json.ok) return { ok: false, reason: json.reason };
  const envelope = body.safeParse(json.value);
  if (!envelope.success) return { ok: false, reason: describe(envelope.error) };

  const events: WebhookEvent[] = [];
  for (const [e, entry] of envelope.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      const where = `entry[${e}].changes[${c}].value`;
      if (change.field !== "messages") {
        events.push({ kind: "other", what: `field "${change.field}" is not used by hsm-report` });
        continue;
      }
      const value = messagesValue.safeParse(change.value);
      if (!value.success) return { ok: false, reason: describe(value.error, where) };
      const phoneNumberId = value.data.metadata?.phone_number_id ?? null;
      for (const s of value.data.statuses ?? []) {
        const error = s.errors?.[0];
        events.push({
          kind: "status",
          wamid: s.id,
          status: s.status,
          at: secondsToDate(s.timestamp),
          errorCode: error?.code ?? null,
          errorTitle: error?.title ?? error?.message ?? null,
          pricingCategory: s.pricing?.category ?? null,
          phoneNumberId,
        });
      }
      for (const m of value.data.messages ?? []) {
        events.push({
          kind: "inbound",
          inboundId: m.id,
          contextId: m.context?.id ?? null,
          at: secondsToDate(m.timestamp),
          type: m.type ?? "unknown",
          phoneNumberId,
        });
      }
      for (const err of value.data.errors ?? []) {
        events.push({ kind: "other", what: `value-level error ${err.code ?? "?"}: ${err.title ?? "no title"}` });
      }
    }
  }
  return { ok: true, events };
}
