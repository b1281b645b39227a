// A Meta webhook body → the events in it, or the reason it is malformed. Every level (entry[],
// changes[], statuses[], messages[]) is an array and is walked whole (meta-webhooks.md §1).
import { z } from "zod";
import type { WebhookEvent } from "../domain/webhook-events.ts";

/** Meta sends codes as numbers; some relays send digit strings, or null when there is none. */
const errorCode = z
  .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number), z.null()])
  .optional()
  .transform((v) => v ?? undefined);

const unixSeconds = z.union([z.string().regex(/^\d{1,12}$/, "must be Unix seconds"), z.number().int().nonnegative()]);

const status = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: unixSeconds,
  errors: z.array(z.looseObject({ code: errorCode, title: z.string().nullish(), message: z.string().nullish() })).optional(),
  pricing: z.looseObject({ category: z.string().optional() }).optional(),
});

const inbound = z.looseObject({
  id: z.string().min(1),
  timestamp: unixSeconds,
  type: z.string().optional(),
  context: z.looseObject({ id: z.string().optional() }).optional(),
});

const messagesValue = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().optional() }).optional(),
  statuses: z.array(status).optional(),
  messages: z.array(inbound).optional(),
  errors: z.array(z.looseObject({ code: errorCode, title: z.string().nullish() })).optional(),
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

const secondsToDate = (s: string | number) => new Date(Number(s) * 1000);

export function parseWebhook(raw: string): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { ok: false, reason: `body is not valid JSON (${(error as Error).message})` };
  }
  const envelope = body.safeParse(json);
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
