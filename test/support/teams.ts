// Activities as Teams sends them, built from Microsoft's documented samples
// (test/fixtures/teams/, see SOURCES.md): a personal message, a channel message that @mentions the
// bot, a card's Action.Submit, a typeahead search. Only the fields a test is about are changed;
// `serviceUrl` points at the test's fake Bot Connector.
import { readFileSync } from "node:fs";
import { request } from "node:http";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/teams/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

const MESSAGE = fixture("teams-message-activity.personal.docs-example.json").inbound_message_activity as Record<string, unknown>;
const SEARCH = fixture("teams-typeahead-search-invoke.docs-example.json").invoke_request as Record<string, unknown>;

/** The sample's Microsoft 365 tenant, user and bot. */
export const AAD_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const AAD_USER = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8";
export const USER_ID = (MESSAGE.from as { id: string }).id;
export const USER_NAME = (MESSAGE.from as { name: string }).name;
export const BOT_ID = (MESSAGE.recipient as { id: string }).id;
export const BOT_NAME = "hsm-report";
export const PERSONAL_CONVERSATION = (MESSAGE.conversation as { id: string }).id;
/** A channel of a team, and a thread in it (a channel message's conversation id names its thread). */
export const CHANNEL = "19:c4b6a0f1e2d34b8c9a7e6f5d4c3b2a10@thread.tacv2";
export const THREAD_ROOT = "1732000000001";
export const CHANNEL_THREAD = `${CHANNEL};messageid=${THREAD_ROOT}`;

export interface Who {
  serviceUrl: string;
  aadTenant?: string;
  aadUser?: string;
  userId?: string;
  userName?: string;
}

let counter = 0;
const nextId = () => `17320000${String(++counter).padStart(5, "0")}`;

function base(who: Who): Record<string, unknown> {
  const sample = structuredClone(MESSAGE);
  return {
    ...sample,
    id: nextId(),
    timestamp: new Date().toISOString(),
    localTimestamp: undefined,
    serviceUrl: who.serviceUrl,
    from: {
      id: who.userId ?? USER_ID,
      name: who.userName ?? USER_NAME,
      aadObjectId: who.aadUser ?? AAD_USER,
    },
    recipient: { id: BOT_ID, name: BOT_NAME },
    channelData: { tenant: { id: who.aadTenant ?? AAD_TENANT } },
    attachments: undefined,
  };
}

/** A message in the personal (1:1) chat with the bot. */
export function personalMessage(text: string, who: Who): Record<string, unknown> {
  return {
    ...base(who),
    text,
    conversation: { conversationType: "personal", id: PERSONAL_CONVERSATION, tenantId: who.aadTenant ?? AAD_TENANT },
  };
}

const mention = { type: "mention", text: `<at>${BOT_NAME}</at>`, mentioned: { id: BOT_ID, name: BOT_NAME } };

/** A channel message that @mentions the bot, as Teams sends it: `<at>hsm-report</at> …` plus the mention entity. */
export function channelMention(text: string, who: Who, options: { mention?: boolean } = {}): Record<string, unknown> {
  const b = base(who);
  const tenantId = who.aadTenant ?? AAD_TENANT;
  const withMention = options.mention ?? true;
  return {
    ...b,
    text: withMention ? `<at>${BOT_NAME}</at> ${text}`.trimEnd() : text,
    entities: withMention ? [mention, ...(b.entities as unknown[])] : b.entities,
    conversation: { conversationType: "channel", isGroup: true, id: CHANNEL_THREAD, tenantId },
    channelData: {
      teamsChannelId: CHANNEL,
      teamsTeamId: "19:team0a1b2c3d4e5f@thread.tacv2",
      channel: { id: CHANNEL },
      team: { id: "19:team0a1b2c3d4e5f@thread.tacv2" },
      tenant: { id: tenantId },
    },
  };
}

/** What an Action.Submit of a card sends: a message with no text and the inputs in `value`. */
export function cardSubmission(
  value: Record<string, string>,
  who: Who,
  where: "personal" | "channel" = "channel",
): Record<string, unknown> {
  const activity = where === "channel" ? channelMention("", who, { mention: false }) : personalMessage("", who);
  const { text: _none, ...rest } = activity;
  return { ...rest, value: { action: "report", ...value }, replyToId: "1732000009999" };
}

/** An `application/search` invoke (Data.Query typeahead), as the sample, for one of the card's lists. */
export function searchInvoke(dataset: string, queryText: string, who: Who): Record<string, unknown> {
  const sample = structuredClone(SEARCH);
  const b = base(who);
  const { text: _t, textFormat: _f, ...rest } = b;
  return {
    ...rest,
    ...sample,
    value: { ...(sample.value as object), queryText, dataset },
    conversation: { conversationType: "personal", id: PERSONAL_CONVERSATION, tenantId: who.aadTenant ?? AAD_TENANT },
  };
}

/**
 * POSTs an activity to /api/messages on a connection of its own, as the Bot Connector service may,
 * and reads the answer.
 */
export function postActivity(
  appUrl: string,
  activity: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: Record<string, unknown> | null }> {
  const body = JSON.stringify(activity);
  return new Promise((resolve, reject) => {
    const req = request(
      `${appUrl}/api/messages`,
      {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => {
          text += d;
        });
        res.on("end", () => {
          let json: Record<string, unknown> | null = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const CONSENT = fixture("teams-file-consent.docs-example.json") as Record<string, Record<string, unknown>>;

/**
 * The `fileConsent/invoke` Teams sends when the person answers a FileConsentCard, as the sample:
 * the card's context comes back, and on accept the upload session's `uploadInfo` (its uploadUrl
 * pointing where the test wants the bytes).
 */
export function fileConsentInvoke(
  answer: { action: "accept" | "decline"; context: unknown; consentCardId: string; uploadUrl?: string; name?: string },
  who: Who,
): Record<string, unknown> {
  const sample = structuredClone(answer.action === "accept" ? CONSENT.invoke_on_accept : CONSENT.invoke_on_decline) as {
    name: string;
    value: Record<string, unknown> & { uploadInfo?: Record<string, unknown> };
  };
  const { text: _t, textFormat: _f, ...rest } = base(who);
  const value = { ...sample.value, context: answer.context };
  if (value.uploadInfo) {
    value.uploadInfo = {
      ...value.uploadInfo,
      uploadUrl: answer.uploadUrl,
      name: answer.name ?? value.uploadInfo.name,
      fileType: String(answer.name ?? "")
        .split(".")
        .pop(),
    };
  }
  return {
    ...rest,
    type: "invoke",
    name: sample.name,
    value,
    replyToId: answer.consentCardId,
    conversation: { conversationType: "personal", id: PERSONAL_CONVERSATION, tenantId: who.aadTenant ?? AAD_TENANT },
  };
}
