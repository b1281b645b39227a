// Every change to a channel's schedules is said in that channel (who did what). A channel the bot
// cannot post in answers with Slack's error code, for the caller to explain.
import type { webApi } from "@slack/bolt";
import type { Logger } from "../../log.ts";
import { slackErrorCode } from "./slack-delivery.ts";

export async function announce(
  client: webApi.WebClient,
  channel: string,
  text: string | null,
  log: Logger,
): Promise<{ ok: true } | { ok: false; code: string | null }> {
  if (!text) return { ok: true };
  try {
    await client.chat.postMessage({ channel, text });
    return { ok: true };
  } catch (error) {
    log.warn({ err: error, channel }, "could not announce a schedule change in its channel");
    return { ok: false, code: slackErrorCode(error) };
  }
}
