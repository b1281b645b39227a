// /api/messages with an app id: every activity's Bot Framework token is checked by botbuilder
// against keys from OpenID metadata (here a local server with a key made by the test), and every
// refusal is a 401 — also the forgeries botbuilder itself answers with a 500. Outbound calls carry
// the bot's credentials.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";
import { bindWorkspace } from "../../src/store/chat-bindings.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { LocalCredentialsFactory, startTokenServer, type TokenServer } from "../support/bot-framework-auth.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { type FakeBotConnector, startFakeBotConnector } from "../support/fake-bot-connector.ts";
import { AAD_TENANT, channelMention, postActivity } from "../support/teams.ts";

const APP_ID = "5d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const minutesAgo = (m: number) => Math.floor(Date.now() / 1000) - m * 60;

describe.each(DATABASES)("Teams bot with an app id on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let tokens: TokenServer;
  let app: TestApp;

  beforeAll(async () => {
    db = fresh();
    connector = await startFakeBotConnector();
    tokens = await startTokenServer({ appId: APP_ID, serviceUrl: connector.url });
    app = await startTestApp(
      db.url,
      // Who may talk to the bot is this file's subject; the jobs it queues stay queued.
      { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: "never-sent-in-tests", JOB_CONCURRENCY: "0" },
      {
        teams: { endpoints: tokens.endpoints(), credentialsFactory: new LocalCredentialsFactory(APP_ID, "never-sent-in-tests") },
      },
    );
    await runDemo(app.store, { messages: 100, windowDays: 30, now: new Date() });
    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    await bindWorkspace(app.store, "teams", AAD_TENANT, demo.id, new Date());
  });
  afterAll(async () => {
    await app?.stop();
    await tokens?.close();
    await connector?.close();
    await db?.drop();
  });

  const ask = async (authorization: string | null, serviceUrl = connector.url) => {
    const before = connector.calls.length;
    const answer = await postActivity(
      app.url,
      channelMention("last 7d format:csv", { serviceUrl }),
      authorization === null ? {} : { authorization },
    );
    return { ...answer, calls: connector.calls.slice(before) };
  };

  it("a valid token is accepted, and the answer goes out with the bot's credentials", async () => {
    const jobs = await app.store.prisma.reportJob.count();
    const { status, calls } = await ask(`Bearer ${tokens.token()}`);
    expect(status).toBe(200);
    expect(calls.map((c) => [c.method, c.headers.authorization, String(c.activity.text).slice(0, 21)])).toEqual([
      ["POST", `Bearer outbound:${APP_ID}`, "Preparando tu reporte"],
    ]);
    expect(await app.store.prisma.reportJob.count()).toBe(jobs + 1);
    expect(tokens.requests.some((p) => p.endsWith("/keys"))).toBe(true);
  });

  it("a token expired less than 5 minutes ago is still accepted (botbuilder's clock skew)", async () => {
    const { status } = await ask(`Bearer ${tokens.token({ exp: minutesAgo(4), nbf: minutesAgo(70) })}`);
    expect(status).toBe(200);
  });

  it.each([
    ["a wrong audience", () => `Bearer ${tokens.token({ aud: "0d0d0d0d-0000-4000-8000-000000000000" })}`],
    ["a token expired more than 5 minutes ago", () => `Bearer ${tokens.token({ exp: minutesAgo(6), nbf: minutesAgo(70) })}`],
    ["a wrong issuer", () => `Bearer ${tokens.token({ iss: "https://evil.example.com" })}`],
    ["an unsigned token (alg none)", () => `Bearer ${tokens.unsigned()}`],
    ["a token signed by another key under the known key id", () => `Bearer ${tokens.token({}, { key: tokens.otherKey })}`],
    ["an HS256 token keyed with the public key", () => `Bearer ${tokens.hs256()}`],
    ["a token for another serviceUrl", () => `Bearer ${tokens.token({ serviceurl: "http://127.0.0.1:9/" })}`],
    ["an unknown key id", () => `Bearer ${tokens.token({}, { kid: "someone-else" })}`],
    ["no token at all", () => null],
    ["a malformed header", () => "Bearer not.a.jwt"],
  ])("%s is answered 401 and nothing happens", async (_what, authorization) => {
    const jobs = await app.store.prisma.reportJob.count();
    const { status, json, calls } = await ask(authorization());
    expect([status, json?.error, calls]).toEqual([401, "teams_unauthorized", []]);
    expect(await app.store.prisma.reportJob.count()).toBe(jobs);
  });

  it("with an app id, a loopback serviceUrl is no excuse for a missing token", async () => {
    const { status, calls } = await ask(null);
    expect([status, calls]).toEqual([401, []]);
  });
});
