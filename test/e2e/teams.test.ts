// The Teams bot end to end: Teams-shaped activities (Microsoft's samples) POSTed to the real server's
// /api/messages, botbuilder behind it, and a local fake Bot Connector (the activities' serviceUrl)
// that records what the bot said. Run without an app id (TEAMS_ALLOW_UNAUTHENTICATED, loopback
// only); teams-auth.test.ts runs the same endpoint with Bot Framework tokens.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpText } from "../../src/chat/messages.ts";
import { runDemo } from "../../src/demo/run-demo.ts";
import { localDate } from "../../src/domain/local-time.ts";
import { resolveRange } from "../../src/domain/relative-range.ts";
import { allowChatUser, bindWorkspace, disallowChatUser } from "../../src/store/chat-bindings.ts";
import { type ReportJob, recentJobs } from "../../src/store/report-jobs.ts";
import { listSchedules } from "../../src/store/schedules.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { type ConnectorCall, type FakeBotConnector, startFakeBotConnector } from "../support/fake-bot-connector.ts";
import {
  AAD_TENANT,
  AAD_USER,
  BOT_ID,
  BOT_NAME,
  CHANNEL,
  CHANNEL_THREAD,
  cardSubmission,
  channelMention,
  PERSONAL_CONVERSATION,
  personalMessage,
  postActivity,
  searchInvoke,
  THREAD_ROOT,
  USER_ID,
  USER_NAME,
} from "../support/teams.ts";

const USAGE =
  'Uso: `@hsm-report [today|yesterday|last 7d|last week|last month|this month|AAAA-MM-DD..AAAA-MM-DD] [campaign:"…"] ' +
  '[channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]` · `@hsm-report history` · `@hsm-report help`';
const DEMO_CAMPAIGNS = ["Bienvenida clientes", "Campaña chattigo", "Cobranza octubre", "Recordatorio de citas"];
const INPUT_IDS = [
  "campaigns",
  "channels",
  "from",
  "to",
  "format",
  "lang",
  "schedule_frequency",
  "schedule_weekday",
  "schedule_day",
  "schedule_time",
  "schedule_zone",
];

type CardElement = { type: string; id?: string; text?: string; value?: string; [k: string]: unknown };
type Card = { type: string; version: string; body: CardElement[]; actions: { type: string; data: unknown }[] };

function cardOf(post: ConnectorCall | undefined): Card {
  const attachment = (post?.activity.attachments as { contentType: string; content: Card }[] | undefined)?.[0];
  expect(attachment?.contentType).toBe("application/vnd.microsoft.card.adaptive");
  return attachment?.content as Card;
}

/** The values of a typeahead search's results. */
const results = (json: Record<string, unknown> | null) =>
  ((json?.value ?? { results: [] }) as { results: { value: string }[] }).results.map((r) => r.value);
const input = (card: Card, id: string) => card.body.find((e) => e.id === id) as CardElement;
/** The error shown beside a field: the TextBlock right after its input. */
function errorBeside(card: Card, id: string): string | null {
  const at = card.body.findIndex((e) => e.id === id);
  const next = card.body[at + 1];
  return next?.type === "TextBlock" && next.color === "attention" ? String(next.text) : null;
}

describe.each(DATABASES)("Teams bot on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let app: TestApp;
  let demoId: number;
  const who = () => ({ serviceUrl: connector.url });
  const last = (days: number) => resolveRange({ kind: "lastDays", days }, localDate(Date.now(), "America/Lima"));

  /** Posts the activity; returns the HTTP answer and what the bot posted to the connector meanwhile. */
  async function send(activity: Record<string, unknown>) {
    const before = connector.calls.length;
    const answer = await postActivity(app.url, activity);
    return { ...answer, posts: connector.calls.slice(before) };
  }
  const jobCount = () => app.store.prisma.reportJob.count();
  const latestJob = async (requester = AAD_USER): Promise<ReportJob | undefined> =>
    (await recentJobs(app.store, demoId, "teams", requester, 1))[0];

  beforeAll(async () => {
    db = fresh();
    connector = await startFakeBotConnector();
    app = await startTestApp(db.url, {
      TEAMS_ALLOW_UNAUTHENTICATED: "true",
      REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-teams-reports-")),
      JOB_POLL_MS: "50",
      // What the bot answers is this file's subject; jobs stay queued (teams-delivery.test.ts runs them).
      JOB_CONCURRENCY: "0",
      JOB_MAX_QUEUED_PER_USER: "100",
    });
    await runDemo(app.store, { messages: 1000, windowDays: 30, now: new Date() });
    demoId = (await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } })).id;
    await bindWorkspace(app.store, "teams", AAD_TENANT, demoId, new Date());
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    await db?.drop();
  });

  it("the server warns at start-up that it accepts unsigned activities", () => {
    expect(app.logs.some((l) => l.level === 40 && String(l.msg).includes("TEAMS_ALLOW_UNAUTHENTICATED=true"))).toBe(true);
  });

  it("a channel mention asking `last 30d format:csv` is answered in its thread at once and queues the report with the conversation", async () => {
    const activity = channelMention("last 30d format:csv", who());
    const { status, posts } = await send(activity);
    expect(status).toBe(200);
    const range = last(30);
    expect(posts.map((p) => [p.method, p.conversationId, p.activityId, p.activity.text])).toEqual([
      [
        "POST",
        CHANNEL_THREAD,
        activity.id,
        `Preparando tu reporte (${range.from} – ${range.to}, CSV). Lo publicaré en esta conversación.`,
      ],
    ]);
    expect(posts[0]?.path).toBe(`/v3/conversations/${encodeURIComponent(CHANNEL_THREAD)}/activities/${activity.id}`);

    const job = await latestJob();
    expect(job?.request).toMatchObject({ tenant: "demo", ...range, format: "csv", locale: "es", campaigns: [], channels: [] });
    expect(job?.conversation).toEqual({
      platform: "teams",
      workspaceId: AAD_TENANT,
      conversationId: CHANNEL,
      threadId: THREAD_ROOT,
      requesterId: AAD_USER,
      extra: {
        serviceUrl: connector.url,
        channelId: "msteams",
        conversationType: "channel",
        tenantId: AAD_TENANT,
        botId: BOT_ID,
        botName: BOT_NAME,
        userId: USER_ID,
        userName: USER_NAME,
        activityId: activity.id,
        locale: "en-US",
      },
    });
  });

  it("a personal message is read the same way, without a mention", async () => {
    const activity = personalMessage("last 30d format:csv", who());
    const { status, posts } = await send(activity);
    expect(status).toBe(200);
    const range = last(30);
    expect(posts.map((p) => [p.conversationId, p.activityId, p.activity.text])).toEqual([
      [
        PERSONAL_CONVERSATION,
        activity.id,
        `Preparando tu reporte (${range.from} – ${range.to}, CSV). Lo publicaré en esta conversación.`,
      ],
    ]);
    const job = await latestJob();
    expect(job?.conversation).toMatchObject({
      conversationId: PERSONAL_CONVERSATION,
      threadId: null,
      extra: { conversationType: "personal", serviceUrl: connector.url },
    });
    expect(job?.request).toMatchObject({ ...range, format: "csv" });
  });

  it("help answers with the commands in the Teams prefix, its title in Teams' bold", async () => {
    const { posts } = await send(channelMention("help", who()));
    expect(posts.map((p) => p.activity.text)).toEqual([helpText("es", "@hsm-report", (title) => `**${title}**`)]);
    // Teams' markdown reads *one star* as italics: the title is in two.
    expect(String(posts[0]?.activity.text)).toMatch(/^\*\*Reporte de gestión HSM\*\*\n/);
    expect(String(posts[0]?.activity.text)).toContain("`@hsm-report schedule daily 08:00`");
  });

  it("a typo gets Slack's words with the Teams usage line, and nothing is queued", async () => {
    const jobs = await jobCount();
    const { posts } = await send(channelMention("last 30d formatt:csv", who()));
    expect(posts.map((p) => p.activity.text)).toEqual([
      `No conozco el filtro \`formatt:csv\`. ¿Quisiste decir \`format:\`?\n${USAGE}`,
    ]);
    expect(await jobCount()).toBe(jobs);
  });

  it("history lists the person's own last reports", async () => {
    await send(personalMessage("yesterday", who()));
    const { posts } = await send(personalMessage("history", who()));
    const text = String(posts[0]?.activity.text);
    expect(text.split("\n")[0]).toBe("**Tus últimos reportes**");
    const yesterday = resolveRange({ kind: "yesterday" }, localDate(Date.now(), "America/Lima"));
    expect(text).toContain(`${yesterday.from} – ${yesterday.to}, XLSX`);
  });

  it("an unbound Microsoft 365 organization is told how to bind it, and gets no data", async () => {
    const stranger = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    const jobs = await jobCount();
    for (const activity of [
      channelMention("last 30d format:csv", { ...who(), aadTenant: stranger }),
      channelMention("", { ...who(), aadTenant: stranger }),
      cardSubmission({ from: "2026-11-01", to: "2026-11-02", format: "csv" }, { ...who(), aadTenant: stranger }),
    ]) {
      const { status, posts } = await send(activity);
      expect(status).toBe(200);
      expect(posts.map((p) => [p.activity.text, p.activity.attachments])).toEqual([
        [
          `Esta organización de Microsoft 365 (${stranger}) no está vinculada a ninguna empresa de hsm-report. ` +
            `Pide a tu administrador que ejecute \`hsm-report teams bind --aad-tenant ${stranger} --tenant EMPRESA\`.`,
          undefined,
        ],
      ]);
    }
    const search = await send(searchInvoke("campaigns", "", { ...who(), aadTenant: stranger }));
    expect(search.json).toEqual({ type: "application/vnd.microsoft.search.searchResponse", value: { results: [] } });
    expect(await jobCount()).toBe(jobs);
  });

  it("once the tenant keeps an allow-list, someone not on it is refused; someone on it is served", async () => {
    const listed = "3c2b1a09-8765-4321-abcd-ef0123456789";
    await allowChatUser(app.store, demoId, "teams", listed);
    try {
      const jobs = await jobCount();
      const refused = await send(personalMessage("last 30d", who()));
      expect(refused.posts.map((p) => p.activity.text)).toEqual([
        "No tienes permiso para pedir reportes de HSM. Pide a tu administrador que te agregue.",
      ]);
      expect(await jobCount()).toBe(jobs);
      const served = await send(personalMessage("last 30d", { ...who(), aadUser: listed.toUpperCase(), userId: "29:listed" }));
      expect(String(served.posts[0]?.activity.text)).toMatch(/^Preparando tu reporte/);
      expect((await latestJob(listed))?.requesterId).toBe(listed);
    } finally {
      await disallowChatUser(app.store, demoId, "teams", listed);
    }
  });

  it("`schedule weekly mon 08:00` in a channel stores the schedule for the channel, confirms it and announces who did it", async () => {
    const { posts } = await send(channelMention("schedule weekly mon 08:00", who()));
    const [schedule] = await listSchedules(app.store, { platform: "teams", conversationId: CHANNEL });
    expect(schedule?.rule).toMatchObject({ frequency: "weekly", weekday: 0, time: "08:00", timeZone: "America/Lima" });
    expect(schedule?.conversation).toMatchObject({ workspaceId: AAD_TENANT, conversationId: CHANNEL, requesterId: null });
    expect(schedule?.createdBy).toBe(AAD_USER);
    const id = schedule?.id as number;
    expect(posts.map((p) => p.activity.text)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Programé el reporte #${id}: Cada lunes a las 08:00 \\(America/Lima\\), .*\\. Lo publicaré en este canal; para pausarlo: \`@hsm-report schedule pause ${id}\`\\.$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^<at>${USER_NAME}</at> programó el reporte #${id}: Cada lunes a las 08:00 `)),
    ]);
    expect(posts[1]?.activity.entities).toEqual([
      { type: "mention", text: `<at>${USER_NAME}</at>`, mentioned: { id: USER_ID, name: USER_NAME } },
    ]);

    // Another thread of the same channel sees the same schedules.
    const other = channelMention("schedules", who());
    other.conversation = { ...(other.conversation as object), id: `${CHANNEL};messageid=1732999999999` };
    const listed = await send(other);
    expect(String(listed.posts[0]?.activity.text)).toContain(`#${id} · `);
  });

  it("an empty mention answers with the Adaptive Card form: the contract's input ids, the last 7 days, a Submit with action report", async () => {
    const { posts } = await send(channelMention("", who()));
    expect(posts).toHaveLength(1);
    const card = cardOf(posts[0]);
    expect([card.type, card.version]).toEqual(["AdaptiveCard", "1.5"]);
    expect(card.body.filter((e) => e.id).map((e) => e.id)).toEqual(INPUT_IDS);
    const campaigns = input(card, "campaigns");
    expect(campaigns).toMatchObject({ type: "Input.ChoiceSet", isMultiSelect: true });
    expect((campaigns.choices as { value: string }[]).map((c) => c.value).sort()).toEqual(DEMO_CAMPAIGNS);
    expect(campaigns["choices.data"]).toBeUndefined();
    expect(input(card, "channels")).toMatchObject({ type: "Input.ChoiceSet", isMultiSelect: true });
    const week = last(7);
    expect([input(card, "from"), input(card, "to")]).toMatchObject([
      { type: "Input.Date", value: week.from },
      { type: "Input.Date", value: week.to },
    ]);
    expect([input(card, "format").value, input(card, "lang").value, input(card, "schedule_frequency").value]).toEqual([
      "xlsx",
      "es",
      "once",
    ]);
    expect(input(card, "schedule_zone").value).toBe("America/Lima");
    expect(card.actions).toEqual([{ type: "Action.Submit", title: "Generar", data: { action: "report" } }]);

    // `reporte` alone in a personal chat is the same.
    const personal = await send(personalMessage("reporte", who()));
    expect(
      cardOf(personal.posts[0])
        .body.filter((e) => e.id)
        .map((e) => e.id),
    ).toEqual(INPUT_IDS);
  });

  it("the form's submission queues the same request as the text would", async () => {
    await send(channelMention('last 30d campaign:"Campaña chattigo" campaign:"Cobranza octubre" format:csv', who()));
    const byText = await latestJob();
    const range = last(30);
    const { posts } = await send(
      cardSubmission(
        {
          from: range.from,
          to: range.to,
          campaigns: "Campaña chattigo,Cobranza octubre",
          channels: "",
          format: "csv",
          lang: "es",
          schedule_frequency: "once",
          schedule_time: "08:00",
          schedule_zone: "America/Lima",
        },
        who(),
      ),
    );
    expect(posts.map((p) => p.activity.text)).toEqual([
      `Preparando tu reporte (${range.from} – ${range.to}, Campaña chattigo, Cobranza octubre, CSV). Lo publicaré en esta conversación.`,
    ]);
    const byForm = await latestJob();
    expect(byForm?.id).not.toBe(byText?.id);
    expect(byForm?.request).toEqual(byText?.request);
    expect(byForm?.conversation).toMatchObject({ conversationId: CHANNEL, requesterId: AAD_USER });
  });

  it("the form's 'schedule this' creates the schedule for the channel and announces it; a wrong name is said beside its list", async () => {
    const before = (await listSchedules(app.store, { platform: "teams", conversationId: CHANNEL })).length;
    const schedule = {
      from: "2026-11-01",
      to: "2026-11-20",
      campaigns: "Cobranza octubre",
      format: "csv",
      lang: "es",
      schedule_frequency: "monthly",
      schedule_day: "last",
      schedule_time: "07:30",
      schedule_zone: "America/Bogota",
    };
    const { posts } = await send(cardSubmission(schedule, who()));
    const schedules = await listSchedules(app.store, { platform: "teams", conversationId: CHANNEL });
    expect(schedules).toHaveLength(before + 1);
    const created = schedules.at(-1);
    expect(created?.rule).toMatchObject({ frequency: "monthly", monthDay: "last", time: "07:30", timeZone: "America/Bogota" });
    expect([created?.filters.campaigns, created?.format]).toEqual([["Cobranza octubre"], "csv"]);
    expect(posts.map((p) => String(p.activity.text).split(":")[0])).toEqual([
      `Programé el reporte #${created?.id}`,
      `<at>${USER_NAME}</at> programó el reporte #${created?.id}`,
    ]);

    const wrong = await send(cardSubmission({ ...schedule, campaigns: "Campaña borrada" }, who()));
    expect(errorBeside(cardOf(wrong.posts[0]), "campaigns")).toBe(
      "No encuentro la campaña `Campaña borrada`. ¿Quisiste decir `Campaña chattigo`?",
    );
    expect(await listSchedules(app.store, { platform: "teams", conversationId: CHANNEL })).toHaveLength(before + 1);
  });

  it("a submission with errors gets the card again, as filled in, with each error beside its field", async () => {
    const jobs = await jobCount();
    const reversed = await send(cardSubmission({ from: "2026-11-20", to: "2026-11-01", format: "csv", lang: "es" }, who()));
    const card = cardOf(reversed.posts[0]);
    expect(errorBeside(card, "to")).toBe("La fecha final es anterior a la inicial.");
    expect(errorBeside(card, "from")).toBeNull();
    expect([input(card, "from").value, input(card, "to").value, input(card, "format").value]).toEqual([
      "2026-11-20",
      "2026-11-01",
      "csv",
    ]);
    expect(card.body.filter((e) => e.id).map((e) => e.id)).toEqual(INPUT_IDS);

    const unknown = await send(
      cardSubmission({ from: "2026-11-01", to: "2026-11-20", campaigns: "Campaña borrada", format: "xlsx" }, who()),
    );
    const again = cardOf(unknown.posts[0]);
    expect(errorBeside(again, "campaigns")).toBe(
      "No encuentro la campaña `Campaña borrada`. ¿Quisiste decir `Campaña chattigo`?",
    );

    const weekly = await send(
      cardSubmission({ from: "2026-11-01", to: "2026-11-20", schedule_frequency: "weekly", schedule_time: "08:00" }, who()),
    );
    expect(errorBeside(cardOf(weekly.posts[0]), "schedule_weekday")).toBe("Elige el día de la semana en que se publica.");
    expect(await jobCount()).toBe(jobs);
  });

  it("typeahead: an empty query (the dropdown opening) gets the first choices, a typed one the matching ones", async () => {
    const open = await send(searchInvoke("campaigns", "", who()));
    expect(open.status).toBe(200);
    expect(open.json).toEqual({
      type: "application/vnd.microsoft.search.searchResponse",
      value: { results: DEMO_CAMPAIGNS.map((c) => ({ title: c, value: c })) },
    });
    const typed = await send(searchInvoke("campaigns", "cobr", who()));
    expect(typed.json).toEqual({
      type: "application/vnd.microsoft.search.searchResponse",
      value: { results: [{ title: "Cobranza octubre", value: "Cobranza octubre" }] },
    });
    const channels = await send(searchInvoke("channels", "", who()));
    expect(results(channels.json).length).toBeGreaterThan(0);
    expect([...open.posts, ...typed.posts, ...channels.posts]).toEqual([]);
  });

  it("past 100 campaigns the card's list is searched (Data.Query), and a search gives at most 15", async () => {
    const { tenant } = await createTenant(app.store, {
      slug: "grande",
      name: "Grande",
      timeZone: "America/Bogota",
      locale: "en",
    });
    const names = Array.from({ length: 120 }, (_, i) => `Campaign ${String(i).padStart(3, "0")}`);
    await app.store.prisma.campaign.createMany({ data: names.map((name) => ({ tenantId: tenant.id, name })) });
    const aad = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
    await bindWorkspace(app.store, "teams", aad, tenant.id, new Date());
    const { posts } = await send(channelMention("", { ...who(), aadTenant: aad }));
    const campaigns = input(cardOf(posts[0]), "campaigns");
    expect(campaigns["choices.data"]).toEqual({ type: "Data.Query", dataset: "campaigns" });
    expect(campaigns.choices).toEqual([]);
    const open = await send(searchInvoke("campaigns", "", { ...who(), aadTenant: aad }));
    expect(results(open.json)).toEqual(names.slice(0, 15));
    const typed = await send(searchInvoke("campaigns", "campaign 11", { ...who(), aadTenant: aad }));
    expect(results(typed.json)).toEqual(names.filter((n) => n.startsWith("Campaign 11")));
  });

  it("a turn whose answer cannot be delivered (the connector is down) is a 503, never another 5xx", async () => {
    const started = Date.now();
    const { status, json } = await send(personalMessage("help", { serviceUrl: "http://127.0.0.1:9/" }));
    expect([status, json?.error]).toEqual([503, "teams_turn_failed"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(app.logs.some((l) => l.msg === "Teams message failed")).toBe(true);
  });

  it("what is not an activity is refused before botbuilder sees it: too large, not JSON, no type, expectReplies", async () => {
    const post = (body: string) =>
      fetch(`${app.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const before = connector.calls.length;
    expect((await post(JSON.stringify({ type: "message", text: "x".repeat(1024 * 1024) }))).status).toBe(413);
    for (const body of ["{not json", "[]", JSON.stringify({ text: "help" })]) {
      const res = await post(body);
      expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([400, "teams_bad_activity"]);
    }
    const replies = await send({ ...personalMessage("history", who()), deliveryMode: "expectReplies" });
    expect([replies.status, replies.json?.error]).toEqual([400, "teams_bad_activity"]);
    expect(connector.calls.length).toBe(before);
  });

  it("a channel message that does not mention the bot gets no answer", async () => {
    const { status, posts } = await send(channelMention("last 30d", who(), { mention: false }));
    expect([status, posts]).toEqual([200, []]);
  });

  it("an activity naming a serviceUrl off loopback is refused and not answered", async () => {
    const jobs = await jobCount();
    for (const serviceUrl of ["https://smba.trafficmanager.net/amer/", "http://10.0.0.7:8080/", "http://127.0.0.1.nip.io/"]) {
      const { status, json, posts } = await send(channelMention("last 30d format:csv", { serviceUrl }));
      expect([status, json?.error, posts]).toEqual([403, "teams_service_url_refused", []]);
    }
    expect(await jobCount()).toBe(jobs);
  });
});

describe.each(DATABASES)("Teams bot off on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let app: TestApp;
  beforeAll(async () => {
    db = fresh();
    connector = await startFakeBotConnector();
    app = await startTestApp(db.url);
    await runDemo(app.store, { messages: 100, windowDays: 30, now: new Date() });
    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    await bindWorkspace(app.store, "teams", AAD_TENANT, demo.id, new Date());
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    await db?.drop();
  });

  it("without an app id nor TEAMS_ALLOW_UNAUTHENTICATED, /api/messages answers 401 and nothing happens", async () => {
    for (const activity of [
      channelMention("last 30d format:csv", { serviceUrl: connector.url }),
      personalMessage("help", { serviceUrl: connector.url }),
    ]) {
      const answer = await postActivity(app.url, activity, { authorization: "Bearer whatever" });
      expect([answer.status, answer.json?.error]).toEqual([401, "teams_off"]);
    }
    expect(connector.calls).toEqual([]);
    expect(await app.store.prisma.reportJob.count()).toBe(0);
    expect(app.logs.some((l) => String(l.msg).includes("TEAMS_ALLOW_UNAUTHENTICATED"))).toBe(false);
  });
});
