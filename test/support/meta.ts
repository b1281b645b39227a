// Signed Meta-shaped webhook POSTs, and the events they carry.
import type { WebhookEvent } from "../../src/domain/webhook-events.ts";
import { metaSignature } from "../../src/ingest/webhook-signature.ts";

export const APP_SECRET = "test-app-secret-0123456789";
export const VERIFY_TOKEN = "test-verify-token";

export async function postWebhook(baseUrl: string, body: string, options: { secret?: string; signature?: string | null } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signature = options.signature === undefined ? metaSignature(body, options.secret ?? APP_SECRET) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await fetch(`${baseUrl}/webhooks/whatsapp`, { method: "POST", headers, body });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
  };
}

export function statusEvent(
  wamid: string,
  status: string,
  at: string,
  extra: Partial<Extract<WebhookEvent, { kind: "status" }>> = {},
): WebhookEvent {
  return {
    kind: "status",
    wamid,
    status,
    at: new Date(at),
    errorCode: null,
    errorTitle: null,
    pricingCategory: null,
    phoneNumberId: "106540352242922",
    ...extra,
  };
}

export function replyEvent(contextId: string, inboundId: string, at: string, type: "text" | "button"): WebhookEvent {
  return { kind: "inbound", inboundId, contextId, at: new Date(at), type, phoneNumberId: "106540352242922" };
}
