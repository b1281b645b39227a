// What the report delivery and scheduled posts will use to speak in a Teams conversation later:
// the conversation reference a job keeps, turned back into botbuilder's, and `send` / `update`
// through the adapter to the fake Bot Connector, with the bot's credentials when it has an app id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTeamsApp, type TeamsFrontDoor, teamsConversation } from "../../src/chat/teams/teams-app.ts";
import { systemClock } from "../../src/clock.ts";
import type { TeamsSettings } from "../../src/config.ts";
import { readConversationRef } from "../../src/domain/conversation-ref.ts";
import { silentLogger } from "../../src/log.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { LocalCredentialsFactory } from "../support/bot-framework-auth.ts";
import { freshSqlite, type TestDatabase } from "../support/databases.ts";
import { type FakeBotConnector, startFakeBotConnector } from "../support/fake-bot-connector.ts";
import {
  AAD_TENANT,
  BOT_ID,
  CHANNEL,
  CHANNEL_THREAD,
  channelMention,
  PERSONAL_CONVERSATION,
  personalMessage,
  USER_ID,
} from "../support/teams.ts";

const APP_ID = "5d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("the Teams front door's posts to a stored conversation", () => {
  let db: TestDatabase;
  let store: Store;
  let connector: FakeBotConnector;
  const frontDoor = (settings: Partial<TeamsSettings>, credentials = false): TeamsFrontDoor =>
    createTeamsApp({
      settings: {
        appId: null,
        appPassword: null,
        appType: "MultiTenant",
        appTenantId: null,
        allowUnauthenticated: true,
        ...settings,
      },
      connections: credentials ? { credentialsFactory: new LocalCredentialsFactory(APP_ID, "unused") } : {},
      store,
      reportSettings: { sheetMaxRows: 1_048_576, xlsxMaxRows: 1_800_000, dataStartDate: null },
      maxQueuedPerUser: 3,
      onJobQueued: () => {},
      log: silentLogger(),
      clock: systemClock,
    });
  /** A reference as a job keeps it: through JSON and back, as the store does. */
  const stored = (activity: Record<string, unknown>) =>
    readConversationRef(JSON.parse(JSON.stringify(teamsConversation(activity, AAD_TENANT))), "teams");

  beforeAll(async () => {
    db = freshSqlite();
    store = await openStore(db.url);
    connector = await startFakeBotConnector();
  });
  afterAll(async () => {
    await store?.close();
    await connector?.close();
    await db?.drop();
  });

  it("send posts a new message in the thread the request came from (not a reply to a made-up id); update replaces it", async () => {
    const door = frontDoor({});
    const ref = stored(channelMention("last 7d", { serviceUrl: connector.url }));
    const before = connector.calls.length;
    const id = await door.send(ref, { text: "Generando reporte…" });
    await door.update(ref, id, { text: "Reporte listo." });
    const calls = connector.calls.slice(before);
    expect(calls.map((c) => [c.method, c.path, c.activity.text])).toEqual([
      ["POST", `/v3/conversations/${encodeURIComponent(CHANNEL_THREAD)}/activities`, "Generando reporte…"],
      ["PUT", `/v3/conversations/${encodeURIComponent(CHANNEL_THREAD)}/activities/${encodeURIComponent(id)}`, "Reporte listo."],
    ]);
    expect(id).toMatch(/^1\d{12}$/);
    expect(calls[0]?.activity).toMatchObject({
      type: "message",
      conversation: { id: CHANNEL_THREAD, conversationType: "channel", tenantId: AAD_TENANT },
      from: { id: BOT_ID },
      recipient: { id: USER_ID },
    });
    expect(calls[0]?.headers.authorization).toBeUndefined();
  });

  it("a post outside the thread goes to the channel itself; a personal chat's to the chat", async () => {
    const door = frontDoor({});
    const before = connector.calls.length;
    await door.send(stored(channelMention("x", { serviceUrl: connector.url })), { text: "a" }, { inThread: false });
    await door.send(stored(personalMessage("x", { serviceUrl: connector.url })), { text: "b" });
    expect(connector.calls.slice(before).map((c) => c.conversationId)).toEqual([CHANNEL, PERSONAL_CONVERSATION]);
  });

  it("with an app id, posts carry the bot's credentials", async () => {
    const door = frontDoor({ appId: APP_ID, appPassword: "unused", allowUnauthenticated: false }, true);
    expect(door.appId).toBe(APP_ID);
    const before = connector.calls.length;
    await door.send(stored(personalMessage("x", { serviceUrl: connector.url })), { text: "c" });
    expect(connector.calls.slice(before).map((c) => c.headers.authorization)).toEqual([`Bearer outbound:${APP_ID}`]);
  });
});
