// GET /webhooks/whatsapp: Meta's verification handshake. POST: signed notifications.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ingestRefusal } from "../ingest/ingest-refusal.ts";
import { decodeUtf8 } from "../ingest/safe-json.ts";
import type { WebhookIngest } from "../ingest/webhook-ingest.ts";
import { isValidMetaSignature } from "../ingest/webhook-signature.ts";
import type { Logger } from "../log.ts";
import { sendError, sendJson, sendText, sendUnavailable } from "./http-kit.ts";
import type { RequestContext, Route } from "./server.ts";

/** Meta's documented ceiling for one webhook POST. */
export const WEBHOOK_MAX_BYTES = 3 * 1024 * 1024;

export interface WebhookRouteDeps {
  ingest: WebhookIngest;
  verifyToken: string | null;
  appSecret: string | null;
  log: Logger;
}

export function webhookRoute(deps: WebhookRouteDeps): Route {
  return {
    maxBodyBytes: WEBHOOK_MAX_BYTES,
    tooLarge: { code: "webhook_too_large", message: `Webhook bodies are at most ${WEBHOOK_MAX_BYTES} bytes.` },
    methods: {
      GET: ({ url, res }) => verifyWebhook(deps, url, res),
      POST: (ctx) => receiveWebhook(deps, ctx),
    },
  };
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

export async function receiveWebhook(deps: WebhookRouteDeps, { req, res, body }: RequestContext): Promise<void> {
  if (!deps.appSecret) {
    sendError(
      res,
      503,
      "webhook_not_configured",
      "Set WHATSAPP_APP_SECRET to the Meta app secret so webhook signatures can be checked.",
    );
    return;
  }
  if (!isValidMetaSignature(body, header(req, "x-hub-signature-256"), deps.appSecret)) {
    deps.log.warn({ bytes: body.length }, "webhook refused: X-Hub-Signature-256 missing or wrong; check WHATSAPP_APP_SECRET");
    sendError(
      res,
      401,
      "webhook_bad_signature",
      "X-Hub-Signature-256 is missing or does not match the body signed with the app secret.",
    );
    return;
  }
  try {
    const text = decodeUtf8(body);
    const receipt = await deps.ingest.receive(text ?? body.toString("utf8"), text === null ? "body is not valid UTF-8" : null);
    if (!receipt.ok) {
      deps.log.warn({ reason: receipt.reason }, "webhook body malformed");
      sendError(res, 400, "webhook_malformed", receipt.reason);
      return;
    }
    sendJson(res, 200, { ok: true, events: receipt.events });
  } catch (error) {
    // Meta retries anything but a 200 for up to 7 days, so refusing costs nothing but time.
    const busy = ingestRefusal(error);
    if (busy) {
      sendUnavailable(res, busy.code, busy.message, busy.retryAfterSeconds);
      return;
    }
    throw error;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
