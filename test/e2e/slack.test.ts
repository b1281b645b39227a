// The Slack app end to end: the real Bolt app behind our HTTP server, correctly signed requests,
// and a local fake of Slack's Web API that records what a user would see.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";
import { localDate } from "../../src/domain/local-time.ts";
import { resolveRange } from "../../src/domain/relative-range.ts";
import { allowChatUser, bindSlackWorkspace } from "../../src/store/chat-bindings.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { runCli } from "../support/server-process.ts";
import { sheetRows } from "../support/sheet-rows.ts";
import { interactionBody, postSigned, SIGNING_SECRET, slackSignature, slashCommandBody, TEAM } from "../support/slack.ts";

const DEMO_MESSAGES = 4000;

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(DATABASES)("Slack app on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let slack: FakeSlack;
  let app: TestApp;
  const env = (): Record<string, string> => ({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-slack-reports-")),
    JOB_POLL_MS: "50",
    JOB_PROGRESS_INTERVAL_MS: "0",
  });
  const command = (text: string, fields: Partial<Record<string, string>> = {}) =>
    postSigned(
      app.url,
      slashCommandBody(text, { response_url: `${slack.url}/response/${Math.random().toString(36).slice(2)}`, ...fields }),
    );
  const uploadsTo = (channel: string) => slack.uploads.filter((u) => u.channel === channel);

  beforeAll(async () => {
    db = fresh();
    slack = await startFakeSlack();
    app = await startTestApp(db.url, env());
    await runDemo(app.store, { messages: DEMO_MESSAGES, windowDays: 30, now: new Date() });
    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    await bindSlackWorkspace(app.store, TEAM, demo.id, new Date());
  });
  afterAll(async () => {
    await app?.stop();
    await slack?.close();
    await db?.drop();
  });

  it("/hsm-report last 30d format:xlsx posts an XLSX whose rows equal hsm-report generate's, with the summary beside it", async () => {
    const ack = await command("last 30d format:xlsx", { channel_id: "C0TEXT" });
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ response_type: "ephemeral" });
    expect(String(ack.json?.text)).toMatch(
      /^Preparando tu reporte \(\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}, XLSX\)\. Lo publicaré en este canal\.$/,
    );

    const [upload] = await until("the upload", () => (uploadsTo("C0TEXT").length ? uploadsTo("C0TEXT") : null));
    expect(upload?.filename).toMatch(/^hsm-report-demo-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    // Streamed from disk with its length announced, as the upload URL wants it.
    expect(upload?.contentLength).toBe(upload?.bytes.length);

    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    const range = resolveRange({ kind: "lastDays", days: 30 }, localDate(Date.now(), demo.timeZone));
    const out = join(mkdtempSync(join(tmpdir(), "hsm-gen-")), "generated.xlsx");
    const generated = runCli(["generate", "--tenant", "demo", "--from", range.from, "--to", range.to, "-o", out], {
      DATABASE_URL: db.url,
    });
    expect(generated.status, generated.stderr).toBe(0);
    const fromSlack = await sheetRows(upload?.bytes as Buffer);
    const inRange = await app.store.prisma.message.count({
      where: {
        tenantId: demo.id,
        queuedAt: {
          gte: new Date(`${range.from}T05:00:00Z`),
          lt: new Date(new Date(`${range.to}T05:00:00Z`).getTime() + 86_400_000),
        },
      },
    });
    expect(fromSlack.length).toBe(inRange + 1);
    expect(fromSlack).toEqual(await sheetRows(readFileSync(out)));

    // The summary beside the file: period with zone, totals per state, funnel with rates.
    const summaryText = JSON.stringify(upload?.blocks);
    expect(summaryText).toContain(`Período del reporte: *${range.from} – ${range.to}* (America/Lima)`);
    expect(summaryText).toContain(`Total de mensajes: ${inRange.toLocaleString("es-ES")}`);
    expect(summaryText).toMatch(/Embudo\*: Enviados [\d.]+ → Entregados [\d.]+ \([\d,]+\s%\) → Leídos/);

    // One message showed the progress and was updated in place, ending with "ready".
    const progress = slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0TEXT");
    expect(progress.map((c) => c.args.text)).toEqual(["Generando reporte…"]);
    const updates = slack.callsTo("chat.update").filter((c) => c.args.channel === "C0TEXT");
    expect(updates.at(-1)?.args.text).toMatch(
      new RegExp(`^Reporte listo: ${inRange.toLocaleString("es-ES").replace(".", "\\.")} filas\\.`),
    );
    for (const u of updates.slice(0, -1))
      expect(String(u.args.text)).toMatch(/^Generando reporte… \d+ % \([\d.]+ de [\d.]+ filas\)$/);
  });

  it("/hsm-report with no text opens the form; its submission posts the same report", async () => {
    const opened = slack.callsTo("views.open").length;
    const ack = await command("", { channel_id: "C0FORM" });
    expect([ack.status, ack.text]).toEqual([200, ""]);
    const call = await until("views.open", () => slack.callsTo("views.open")[opened]);
    const view = call.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string; element: Record<string, unknown> }[];
    };
    expect(view.callback_id).toBe("hsm_report_form");
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      "campaigns",
      "channels",
      "from",
      "to",
      "format",
      "lang",
      // "Programar este reporte": just this once unless a frequency is chosen.
      "schedule_frequency",
      "schedule_weekday",
      "schedule_day",
      "schedule_time",
      "schedule_zone",
    ]);
    const campaigns = view.blocks[0]?.element as { type: string; options: { value: string }[] };
    expect(campaigns.type).toBe("multi_static_select");
    expect(campaigns.options.map((o) => o.value).sort()).toEqual([
      "Bienvenida clientes",
      "Campaña chattigo",
      "Cobranza octubre",
      "Recordatorio de citas",
    ]);
    const from = (view.blocks[2]?.element as { initial_date?: string } | undefined)?.initial_date as string;
    const to = (view.blocks[3]?.element as { initial_date?: string } | undefined)?.initial_date as string;

    const submit = (values: Record<string, unknown>) =>
      postSigned(
        app.url,
        interactionBody({
          type: "view_submission",
          team: { id: TEAM, domain: "fake" },
          user: { id: "U0ANA", team_id: TEAM },
          api_app_id: "A0FAKE",
          trigger_id: "1.2.3",
          view: {
            id: "V0FAKE",
            type: "modal",
            callback_id: "hsm_report_form",
            private_metadata: view.private_metadata,
            state: { values },
          },
        }),
      );
    const values = (over: Record<string, unknown> = {}) => ({
      campaigns: { campaigns: { type: "multi_static_select", selected_options: [{ value: "Campaña chattigo" }] } },
      channels: { channels: { type: "multi_static_select", selected_options: [] } },
      from: { from: { type: "datepicker", selected_date: from } },
      to: { to: { type: "datepicker", selected_date: to } },
      format: { format: { type: "radio_buttons", selected_option: { value: "csv" } } },
      lang: { lang: { type: "radio_buttons", selected_option: { value: "en" } } },
      ...over,
    });

    // Validation errors come back on their fields.
    const reversed = await submit(values({ to: { to: { type: "datepicker", selected_date: "2020-01-01" } } }));
    expect(reversed.json).toEqual({ response_action: "errors", errors: { to: "La fecha final es anterior a la inicial." } });
    const unknown = await submit(
      values({ campaigns: { campaigns: { type: "multi_static_select", selected_options: [{ value: "Campaña borrada" }] } } }),
    );
    expect(unknown.json).toEqual({
      response_action: "errors",
      errors: { campaigns: "No encuentro la campaña `Campaña borrada`. ¿Quisiste decir `Campaña chattigo`?" },
    });

    // The form opens on the last 7 days in the tenant's zone.
    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    expect({ from, to }).toEqual(resolveRange({ kind: "lastDays", days: 7 }, localDate(Date.now(), demo.timeZone)));

    // The same report as the text command, through the form: XLSX, last 30 days, no filters.
    const range = resolveRange({ kind: "lastDays", days: 30 }, localDate(Date.now(), demo.timeZone));
    const xlsx = await submit(
      values({
        campaigns: { campaigns: { type: "multi_static_select", selected_options: [] } },
        from: { from: { type: "datepicker", selected_date: range.from } },
        to: { to: { type: "datepicker", selected_date: range.to } },
        format: { format: { type: "radio_buttons", selected_option: { value: "xlsx" } } },
        lang: { lang: { type: "radio_buttons", selected_option: { value: "es" } } },
      }),
    );
    expect([xlsx.status, xlsx.text]).toEqual([200, ""]);
    const [viaForm] = await until("the form's XLSX", () => (uploadsTo("C0FORM").length ? uploadsTo("C0FORM") : null));
    const out = join(mkdtempSync(join(tmpdir(), "hsm-gen-")), "generated.xlsx");
    const generated = runCli(["generate", "--tenant", "demo", "--from", range.from, "--to", range.to, "-o", out], {
      DATABASE_URL: db.url,
    });
    expect(generated.status, generated.stderr).toBe(0);
    expect(await sheetRows(viaForm?.bytes as Buffer)).toEqual(await sheetRows(readFileSync(out)));

    const ok = await submit(values());
    expect([ok.status, ok.text]).toEqual([200, ""]);
    const [, upload] = await until("the form's CSV", () => (uploadsTo("C0FORM").length > 1 ? uploadsTo("C0FORM") : null));
    expect(upload?.filename.endsWith(".csv")).toBe(true);
    const lines = upload?.bytes.toString("utf8").split("\n").filter(Boolean) ?? [];
    expect(lines[0]).toBe(
      "\uFEFFAgent name,Campaign name,HSM ID,HSM name,Message ID,Message content,Destination,Message state,Comment,Outbound,Sent,Delivered,Read,Outbound date,Sent date,Delivered date,Read date,Replied,Reply date",
    );
    const expected = await app.store.prisma.message.count({
      where: {
        tenant: { slug: "demo" },
        campaign: { name: "Campaña chattigo" },
        queuedAt: { gte: new Date(`${from}T05:00:00Z`), lt: new Date(new Date(`${to}T05:00:00Z`).getTime() + 86_400_000) },
      },
    });
    expect(lines.length - 1).toBe(expected);
  });

  it("the form refuses a period that ends before the data start date, on the field", async () => {
    const restricted = await startTestApp(db.url, { ...env(), DATA_START_DATE: "2026-01-01" });
    try {
      const opened = slack.callsTo("views.open").length;
      await postSigned(restricted.url, slashCommandBody("", { channel_id: "C0OLD" }));
      const view = (await until("views.open", () => slack.callsTo("views.open")[opened])).args.view as {
        private_metadata: string;
      };
      const res = await postSigned(
        restricted.url,
        interactionBody({
          type: "view_submission",
          team: { id: TEAM },
          user: { id: "U0ANA", team_id: TEAM },
          view: {
            id: "V0FAKE",
            type: "modal",
            callback_id: "hsm_report_form",
            private_metadata: view.private_metadata,
            state: {
              values: {
                from: { from: { type: "datepicker", selected_date: "2025-10-01" } },
                to: { to: { type: "datepicker", selected_date: "2025-10-31" } },
              },
            },
          },
        }),
      );
      expect(res.json).toEqual({
        response_action: "errors",
        errors: { to: "No hay datos antes del 2026-01-01: elige un período que termine ese día o después." },
      });
    } finally {
      await restricted.stop();
    }
  });

  it("a tenant with more than 100 campaigns gets a searchable list in the form", async () => {
    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    await app.store.prisma.campaign.createMany({
      data: Array.from({ length: 101 }, (_, i) => ({ tenantId: demo.id, name: `Campaña extra ${i}` })),
    });
    try {
      const opened = slack.callsTo("views.open").length;
      await command("", { channel_id: "C0MANY" });
      const view = (await until("views.open", () => slack.callsTo("views.open")[opened])).args.view as {
        blocks: { block_id: string; element: Record<string, unknown> }[];
      };
      expect(view.blocks[0]?.element).toEqual({ type: "multi_external_select", action_id: "campaigns", min_query_length: 0 });
      expect(view.blocks[1]?.element.type).toBe("multi_static_select");
    } finally {
      await app.store.prisma.campaign.deleteMany({ where: { tenantId: demo.id, name: { startsWith: "Campaña extra" } } });
    }
  });

  it("with an allow-list, only listed people may ask", async () => {
    const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    await allowChatUser(app.store, demo.id, "slack", "U0ANA");
    try {
      const refused = await command("help", { user_id: "U0OTRO" });
      expect(refused.json).toEqual({
        response_type: "ephemeral",
        text: "No tienes permiso para pedir reportes de HSM. Pide a tu administrador que te agregue.",
      });
      expect(String((await command("help")).json?.text)).toMatch(/^\*Reporte de gestión HSM\*/);
    } finally {
      await app.store.prisma.chatAllowedUser.deleteMany({ where: { tenantId: demo.id } });
    }
  });

  it("the form searches campaigns as you type (block_suggestion)", async () => {
    const res = await postSigned(
      app.url,
      interactionBody({
        type: "block_suggestion",
        user: { id: "U0ANA", team_id: TEAM },
        team: { id: TEAM, domain: "fake" },
        api_app_id: "A0FAKE",
        action_id: "campaigns",
        block_id: "campaigns",
        value: "cobranza",
        view: { id: "V0FAKE", type: "modal", callback_id: "hsm_report_form", private_metadata: "{}" },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      options: [{ text: { type: "plain_text", text: "Cobranza octubre" }, value: "Cobranza octubre" }],
    });
  });

  it("refuses a wrong or stale signature", async () => {
    const body = slashCommandBody("help");
    expect((await postSigned(app.url, body, { secret: "not-the-secret" })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect((await postSigned(app.url, body, { timestamp: stale, signature: slackSignature(body, stale) })).status).toBe(401);
    expect((await postSigned(app.url, body)).status).toBe(200);
  });

  it("help and history", async () => {
    const help = await command("help");
    expect(String(help.json?.text)).toMatch(/^\*Reporte de gestión HSM\*\n• `\/hsm-report` sin texto abre un formulario\./);
    const history = await command("history");
    const text = JSON.stringify(history.json?.blocks);
    expect(text).toContain("Tus últimos reportes");
    expect(text).toMatch(
      /XLSX · listo · [\d.]+ filas · \d+ KiB · <https:\/\/fake\.slack\.com\/files\/UBOT\/F\d+\|hsm-report-demo-[\d-_]+\.xlsx>/,
    );
  });

  it("a grammar error is answered at once with the token at fault, a suggestion and the usage line", async () => {
    const res = await command('last 7d campain:"Cobranza"');
    expect(res.json).toEqual({
      response_type: "ephemeral",
      text:
        'No conozco el filtro `campain:"Cobranza"`. ¿Quisiste decir `campaign:`?\n' +
        'Uso: `/hsm-report [today|yesterday|last 7d|last week|last month|this month|AAAA-MM-DD..AAAA-MM-DD] [campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]` · `/hsm-report history` · `/hsm-report help`',
    });
    const name = await command('campaign:"Cobranza octubr"');
    expect(String(name.json?.text).split("\n")[0]).toBe(
      "No encuentro la campaña `Cobranza octubr`. ¿Quisiste decir `Cobranza octubre`?",
    );
  });

  it("an unbound workspace gets a clear message and never another tenant's data", async () => {
    const res = await command("last 7d", { team_id: "T0OTHER" });
    expect(res.json).toEqual({
      response_type: "ephemeral",
      text: "Este espacio de trabajo (T0OTHER) no está vinculado a ninguna empresa de hsm-report. Pide a tu administrador que ejecute `hsm-report slack bind --team T0OTHER --tenant &lt;empresa&gt;`.",
    });
  });

  it("no messages in the range: says so, posts no file", async () => {
    await command("2020-01-01..2020-01-31", { channel_id: "C0EMPTY" });
    const update = await until("the update", () =>
      slack.callsTo("chat.update").find((c) => c.args.channel === "C0EMPTY" && String(c.args.text).startsWith("No hay")),
    );
    expect(update.args.text).toBe(
      "No hay mensajes para estos filtros entre el 2020-01-01 y el 2020-01-31 (America/Lima), así que no adjunto un archivo vacío.",
    );
    expect(uploadsTo("C0EMPTY")).toEqual([]);
  });

  it("bot not in the channel: says how to invite it, through the command's response_url", async () => {
    slack.notInChannel.add("C0PRIVATE");
    const url = `${slack.url}/response/private`;
    await command("last 7d", { channel_id: "C0PRIVATE", response_url: url });
    const response = await until("the response", () => slack.responses.find((r) => r.path === "/response/private"));
    expect(response.body).toEqual({
      response_type: "ephemeral",
      text: ":warning: No puedo publicar en este canal porque no soy miembro. Invítame con `/invite @hsm-report` y vuelve a pedir el reporte.",
    });
  });

  it("a file over the workspace's limit: says so and what to do instead", async () => {
    slack.maxFileBytes = 1000;
    try {
      await command("last 30d", { channel_id: "C0BIG" });
      const update = await until("the update", () =>
        slack.callsTo("chat.update").find((c) => c.args.channel === "C0BIG" && String(c.args.text).startsWith(":warning:")),
      );
      expect(update.args.text).toMatch(
        /^:warning: El archivo \([\d.]+ MB\) supera el límite de archivos de este espacio de trabajo\. Pide el reporte en CSV \(`format:csv`\) o acota el período o los filtros\.$/,
      );
      expect(uploadsTo("C0BIG")).toEqual([]);
    } finally {
      slack.maxFileBytes = Number.POSITIVE_INFINITY;
    }
  });
});

describe("a job that fails for an unexpected reason", () => {
  it("says so in a sentence with a reference the operator finds in the log, never the internal error", async () => {
    const { freshSqlite } = await import("../support/databases.ts");
    const db = freshSqlite();
    const slack = await startFakeSlack();
    // Reports cannot be written under a file: the job fails inside, not because of the request.
    const blocked = join(mkdtempSync(join(tmpdir(), "hsm-blocked-")), "file");
    writeFileSync(blocked, "");
    const app = await startTestApp(db.url, {
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      REPORTS_DIR: join(blocked, "reports"),
      JOB_POLL_MS: "50",
    });
    try {
      await runDemo(app.store, { messages: 100, windowDays: 30, now: new Date() });
      const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
      await bindSlackWorkspace(app.store, TEAM, demo.id, new Date());
      await postSigned(app.url, slashCommandBody("last 30d", { channel_id: "C0BROKEN" }));
      const update = await until("the failure", () =>
        slack.callsTo("chat.update").find((c) => c.args.channel === "C0BROKEN" && String(c.args.text).startsWith(":warning:")),
      );
      const text = String(update.args.text);
      const ref =
        /^:warning: No se pudo generar el reporte por un error interno \(ref ([0-9a-f]{6})\)\. Vuelve a ejecutar el mismo comando; si vuelve a fallar, avisa a tu administrador y dale esa referencia\.$/.exec(
          text,
        )?.[1];
      expect(ref, text).toBeDefined();
      expect(text).not.toMatch(/ENOTDIR|\/tmp|hsm-blocked/);
      // The operator finds the cause under the same reference.
      const entry = app.logs.find((l) => l.ref === ref);
      expect(entry?.msg).toBe("report job failed");
      expect(JSON.stringify(entry?.err)).toContain("ENOTDIR");
    } finally {
      await app.stop();
      await slack.close();
      await db.drop();
    }
  });
});

describe("an XLSX over the row limit", () => {
  it("is refused when asked, by the command and by the form, with the way to get it as CSV; nothing is queued", async () => {
    const { freshSqlite } = await import("../support/databases.ts");
    const db = freshSqlite();
    const slack = await startFakeSlack();
    const app = await startTestApp(db.url, {
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-slack-reports-")),
      JOB_POLL_MS: "50",
      REPORT_XLSX_MAX_ROWS: "10",
    });
    try {
      await runDemo(app.store, { messages: 200, windowDays: 30, now: new Date() });
      const demo = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
      await bindSlackWorkspace(app.store, TEAM, demo.id, new Date());
      // A period that holds every demo message whatever the hour: from 40 days ago to tomorrow.
      const from = localDate(Date.now() - 40 * 86_400_000, demo.timeZone);
      const to = localDate(Date.now() + 86_400_000, demo.timeZone);
      const sentence = "El reporte tiene 200 filas y un XLSX admite hasta 10. Pídelo en CSV (`format:csv`) o acota los filtros.";

      const ack = await postSigned(app.url, slashCommandBody(`${from}..${to} format:xlsx`, { channel_id: "C0FAIL" }));
      expect(ack.json).toEqual({ response_type: "ephemeral", text: sentence });

      const form = await postSigned(
        app.url,
        interactionBody({
          type: "view_submission",
          team: { id: TEAM },
          user: { id: "U0ANA", team_id: TEAM },
          view: {
            id: "V0FAKE",
            type: "modal",
            callback_id: "hsm_report_form",
            private_metadata: JSON.stringify({ teamId: TEAM, channelId: "C0FAIL", userId: "U0ANA", responseUrl: null }),
            state: {
              values: {
                from: { from: { type: "datepicker", selected_date: from } },
                to: { to: { type: "datepicker", selected_date: to } },
                format: { format: { type: "radio_buttons", selected_option: { value: "xlsx" } } },
              },
            },
          },
        }),
      );
      expect(form.json).toEqual({ response_action: "errors", errors: { format: sentence } });
      expect(await app.store.prisma.reportJob.count()).toBe(0);

      // As CSV it is queued and posted.
      const csv = await postSigned(app.url, slashCommandBody(`${from}..${to} format:csv`, { channel_id: "C0FAIL" }));
      expect(String(csv.json?.text)).toMatch(/^Preparando tu reporte/);
    } finally {
      await app.stop();
      await slack.close();
      await db.drop();
    }
  });
});
