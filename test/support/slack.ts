// Signed requests as Slack sends them: slash commands as form fields, interactivity as
// `payload=<JSON>`; the signature covers the exact bytes sent.
import { createHmac } from "node:crypto";

export const SIGNING_SECRET = "test-signing-secret";
export const TEAM = "T0FAKE";

export function slackSignature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function postSigned(
  url: string,
  body: string,
  options: { secret?: string; timestamp?: number; signature?: string } = {},
) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? slackSignature(body, timestamp, options.secret),
    },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

export function slashCommandBody(text: string, fields: Partial<Record<string, string>> = {}): string {
  return new URLSearchParams({
    token: "legacy",
    team_id: TEAM,
    team_domain: "fake",
    channel_id: "C0REPORTS",
    channel_name: "reportes",
    user_id: "U0ANA",
    user_name: "ana",
    command: "/hsm-report",
    text,
    response_url: "",
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    api_app_id: "A0FAKE",
    ...fields,
  } as Record<string, string>).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
