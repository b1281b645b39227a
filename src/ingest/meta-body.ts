// Builds webhook bodies in Meta's wire format from events: used by the demo, the tests and the
// ingest benchmark, so that all of them go through the very parser Meta's real POSTs go through.
import type { WebhookEvent } from "../domain/webhook-events.ts";

const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

function statusJson(e: Extract<WebhookEvent, { kind: "status" }>, recipient: string) {
  return {
    id: e.wamid,
    status: e.status,
    timestamp: seconds(e.at),
    recipient_id: recipient,
    ...(e.pricingCategory
      ? { pricing: { billable: true, pricing_model: "PMP", type: "regular", category: e.pricingCategory } }
      : {}),
    ...(e.status === "failed"
      ? {
          // A failure Meta gave no cause for carries no errors[] at all.
          errors:
            e.errorCode === null && e.errorTitle === null
              ? undefined
              : [
                  {
                    ...(e.errorCode === null ? {} : { code: e.errorCode }),
                    title: e.errorTitle,
                    message: e.errorTitle,
                    error_data: { details: e.errorTitle },
                    href: "/documentation/business-messaging/whatsapp/support/error-codes",
                  },
                ],
        }
      : {}),
  };
}

function inboundJson(e: Extract<WebhookEvent, { kind: "inbound" }>, from: string) {
  const base = { from, id: e.inboundId, timestamp: seconds(e.at), type: e.type };
  const context = e.contextId ? { context: { from: "15550783881", id: e.contextId } } : {};
  if (e.type === "button") return { ...base, ...context, button: { payload: "CONFIRMAR", text: "Confirmar" } };
  return { ...base, ...context, text: { body: "Gracias, recibido" } };
}

/** One body: one entry per phone_number_id, statuses and messages in one `messages` change each. */
export function metaWebhookBody(events: readonly WebhookEvent[], recipient = "51977452931"): string {
  const byPhone = new Map<string, WebhookEvent[]>();
  for (const e of events) {
    if (e.kind === "other") continue;
    const key = e.phoneNumberId ?? "106540352242922";
    byPhone.set(key, [...(byPhone.get(key) ?? []), e]);
  }
  const entry = [...byPhone].map(([phoneNumberId, list]) => {
    const statuses = list.flatMap((e) => (e.kind === "status" ? [statusJson(e, recipient)] : []));
    const messages = list.flatMap((e) => (e.kind === "inbound" ? [inboundJson(e, recipient)] : []));
    return {
      id: "102290129340398",
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
            ...(messages.length ? { contacts: [{ profile: { name: "Cliente" }, wa_id: recipient }], messages } : {}),
            ...(statuses.length ? { statuses } : {}),
          },
        },
      ],
    };
  });
  return JSON.stringify({ object: "whatsapp_business_account", entry });
}
