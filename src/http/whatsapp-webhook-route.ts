// GET /webhooks/whatsapp: Meta's verification handshake. POST: signed notifications.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookIngest } from "../ingest/webhook-ingest.ts";
import { isValidMetaSignature } from "../ingest/webhook-signature.ts";
import type { Logger } from "../log.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import { PayloadTooLargeError, readRawBody, sendError, sendJson, sendText } from "./http-kit.ts";

/** Meta's documented ceiling for one webhook POST. */
export const WEBHOOK_MAX_BYTES = 3 * 1024 * 1024;

export interface WebhookRouteDeps {
  ingest: WebhookIngest;
  verifyToken: string | null;
  appSecret: string | null;
  log: Logger;
}

export function verifyWebhook(deps: WebhookRouteDeps, url: URL, res: ServerResponse): void {
  const mode = url.searchParams.get("hub.mode");
  const token = url.searchParams.get("hub.verify_token");
  const challenge = url.searchParams.get("hub.challenge") ?? "";
  if (!deps.verifyToken) {
    sendError(
      res,
      503,
      "webhook_not_configured",
      "Set WHATSAPP_VERIFY_TOKEN to the verify token entered in Meta's App Dashboard.",
    );
    return;
  }
  if (mode === "subscribe" && token === deps.verifyToken) {
    sendText(res, 200, challenge);
    return;
  }
  deps.log.warn({ mode }, "webhook verification refused: verify token does not match WHATSAPP_VERIFY_TOKEN");
  sendError(res, 403, "webhook_bad_verify_token", "hub.verify_token does not match WHATSAPP_VERIFY_TOKEN.");
}

export async function receiveWebhook(deps: WebhookRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!deps.appSecret) {
    sendError(
      res,
      503,
      "webhook_not_configured",
      "Set WHATSAPP_APP_SECRET to the Meta app secret so webhook signatures can be checked.",
    );
    return;
  }
  let raw: Buffer;
  try {
    raw = await readRawBody(req, WEBHOOK_MAX_BYTES);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      sendError(res, 413, "webhook_too_large", `Webhook bodies are at most ${WEBHOOK_MAX_BYTES} bytes.`);
      return;
    }
    throw error;
  }
  if (!isValidMetaSignature(raw, header(req, "x-hub-signature-256"), deps.appSecret)) {
    deps.log.warn({ bytes: raw.length }, "webhook refused: X-Hub-Signature-256 missing or wrong; check WHATSAPP_APP_SECRET");
    sendError(
      res,
      401,
      "webhook_bad_signature",
      "X-Hub-Signature-256 is missing or does not match the body signed with the app secret.",
    );
    return;
  }
  try {
    const receipt = await deps.ingest.receive(raw.toString("utf8"));
    if (!receipt.ok) {
      deps.log.warn({ reason: receipt.reason }, "webhook body malformed");
      sendError(res, 400, "webhook_malformed", receipt.reason);
      return;
    }
    sendJson(res, 200, { ok: true, events: receipt.events });
  } catch (error) {
    // Meta retries anything but a 200 for up to 7 days, so refusing costs nothing but time.
    if (isStoreUnavailable(error)) {
      deps.log.error({ err: error }, "webhook not stored: database unavailable");
      sendError(res, 503, "store_unavailable", "The database is unavailable; the webhook was not stored. Meta will retry.");
      return;
    }
    deps.log.error({ err: error }, "webhook not stored: unexpected error");
    sendError(res, 500, "internal_error", "The webhook could not be stored; Meta will retry.");
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
