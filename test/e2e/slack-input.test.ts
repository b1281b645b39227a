// What people send and what the channel shows: names are data (a campaign called `<!channel>` pings
// nobody), long lists fit Slack's blocks, the form trusts only the signed sender, option searches
// check the allow-list, and impossible periods are answered at once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../../src/domain/local-time.ts";
import { resolveRange } from "../../src/domain/relative-range.ts";
import { allowChatUser } from "../../src/store/chat-bindings.ts";
import { DATABASES } from "../support/databases.ts";
import { runCli } from "../support/server-process.ts";
import { TEAM } from "../support/slack.ts";
import { formValues, type SlackFixture, startSlackFixture, until } from "../support/slack-fixture.ts";

const MISMATCH = "Este formulario se abrió en otro espacio de trabajo o para otra persona. Ábrelo de nuevo con /hsm-report.";

const sections = (blocks: unknown) =>
  ((blocks ?? []) as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === "section")
    .map((b) => b.text?.text ?? "");

describe.each(DATABASES)("what reaches Slack, and what Slack sends, on $kind", ({ fresh }) => {
  let f: SlackFixture;
  let last30: { from: string; to: string };
  const uploadsTo = (channel: string) => f.slack.uploads.filter((u) => u.channel === channel);
  const jobCount = () => f.app.store.prisma.reportJob.count();

  beforeAll(async () => {
    f = await startSlackFixture(fresh());
    const demo = await f.app.store.prisma.tenant.findUniqueOrThrow({ where: { id: f.demoTenantId } });
    last30 = resolveRange({ kind: "lastDays", days: 30 }, localDate(Date.now(), demo.timeZone));
  });
  afterAll(async () => {
    await f?.close();
    await f?.db.drop();
  });

  it("a campaign named with a mention and a disguised link arrives escaped everywhere it is shown", async () => {
    const evil = "Promo <!channel> <https://evil.example|click>";
    const escaped = "Promo &lt;!channel&gt; &lt;https://evil.example|click&gt;";
    const campaigns = f.app.store.prisma.campaign;
    await campaigns.updateMany({ where: { tenantId: f.demoTenantId, name: "Recordatorio de citas" }, data: { name: evil } });
    try {
      const ack = await f.command(`last 30d format:csv campaign:"${evil}"`, { channel_id: "C0EVIL" });
      expect(String(ack.json?.text)).toContain(escaped);
      const [upload] = await until("the upload", () => (uploadsTo("C0EVIL").length ? uploadsTo("C0EVIL") : null));
      const summary = sections(upload?.blocks).join("\n");
      expect(summary).toContain(`Campañas: ${escaped}`);

      const unknown = await f.command('campaign:"<!here> nada"');
      expect(String(unknown.json?.text).split("\n")[0]).toMatch(/^No encuentro la campaña `&lt;!here&gt; nada`\./);

      const history = await f.command("history", { user_id: "U0ANA" });
      expect(JSON.stringify(history.json?.blocks)).toContain(escaped);

      // Nowhere did a raw control sequence reach Slack.
      const everything = JSON.stringify([
        f.slack.calls,
        f.slack.uploads.map((u) => u.blocks),
        ack.json,
        unknown.json,
        history.json,
      ]);
      expect(everything).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    } finally {
      await campaigns.updateMany({ where: { tenantId: f.demoTenantId, name: evil }, data: { name: "Recordatorio de citas" } });
    }
  });

  it("a report filtered by 500 long campaign names is posted with a summary that fits, cut with 'y N más'", async () => {
    const names = Array.from(
      { length: 500 },
      (_, i) => `Campaña de reactivación de clientes inactivos del segmento ${String(i).padStart(3, "0")}`,
    );
    await f.app.store.prisma.campaign.createMany({ data: names.map((name) => ({ tenantId: f.demoTenantId, name })) });
    try {
      const res = await f.submitForm(formValues({ campaigns: ["Campaña chattigo", ...names], ...last30, format: "csv" }), {
        metadata: { teamId: TEAM, channelId: "C0LONG", userId: "U0LONG", responseUrl: null },
        user: "U0LONG",
      });
      expect([res.status, res.text]).toEqual([200, ""]);
      await until(
        "the upload or a warning",
        () =>
          uploadsTo("C0LONG").length > 0 ||
          f.slack.callsTo("chat.update").some((c) => c.args.channel === "C0LONG" && String(c.args.text).startsWith(":warning:")),
      );
      const [upload] = uploadsTo("C0LONG");
      const texts = sections(upload?.blocks);
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
      const listed = /Campañas: (.*) y (\d+) más/.exec(texts[0] ?? "");
      expect(listed, texts[0]).not.toBeNull();
      expect((listed?.[1] ?? "").split(", ").length + Number(listed?.[2])).toBe(501);

      await until("the job to be done", async () => {
        const job = await f.app.store.prisma.reportJob.findFirst({ where: { requesterId: "U0LONG" } });
        return job?.status === "done";
      });
      const history = await f.command("history", { user_id: "U0LONG" });
      const lines = sections(history.json?.blocks);
      for (const text of lines) expect(text.length).toBeLessThanOrEqual(3000);
      expect(lines.join("\n")).toMatch(/ y \d+ más, CSV · listo/);
    } finally {
      await f.app.store.prisma.campaign.deleteMany({ where: { tenantId: f.demoTenantId, name: { in: names } } });
    }
  });

  it("a form whose metadata names another workspace or person is refused on the form; nothing is queued", async () => {
    const before = await jobCount();
    const values = formValues({ ...last30, format: "csv" });
    // Sent from a workspace that is not bound, with metadata naming the bound one.
    const fromElsewhere = await f.submitForm(values, {
      team: "T0OTHER",
      user: "U0EVE",
      metadata: { teamId: TEAM, channelId: "C0STOLEN", userId: "U0EVE", responseUrl: null },
    });
    expect(fromElsewhere.json).toEqual({ response_action: "errors", errors: { campaigns: MISMATCH } });
    // Someone else's form, in the bound workspace.
    const someoneElses = await f.submitForm(values, {
      user: "U0EVE",
      metadata: { teamId: TEAM, channelId: "C0STOLEN", userId: "U0ANA", responseUrl: null },
    });
    expect(someoneElses.json).toEqual({ response_action: "errors", errors: { campaigns: MISMATCH } });
    expect(await jobCount()).toBe(before);
  });

  it("option searches go through the allow-list like commands", async () => {
    await allowChatUser(f.app.store, f.demoTenantId, "slack", "U0ANA");
    try {
      expect((await f.suggest("campaigns", "cobranza", "U0OTRO")).json).toEqual({ options: [] });
      expect((await f.suggest("channels", "", "U0OTRO")).json).toEqual({ options: [] });
      expect((await f.suggest("campaigns", "cobranza", "U0ANA")).json).toEqual({
        options: [{ text: { type: "plain_text", text: "Cobranza octubre" }, value: "Cobranza octubre" }],
      });
    } finally {
      await f.app.store.prisma.chatAllowedUser.deleteMany({ where: { tenantId: f.demoTenantId } });
    }
  });

  it("a period over 366 days or outside the years 2000–2100 is answered at once, by the command, the form and generate", async () => {
    const before = await jobCount();
    const firstLine = async (text: string) => String((await f.command(text)).json?.text).split("\n")[0];
    expect(await firstLine("2024-01-01..2025-06-30")).toBe(
      "`2024-01-01..2025-06-30` abarca 547 días y un reporte cubre como máximo 366. Divídelo en períodos más cortos.",
    );
    expect(await firstLine("1999-12-01..1999-12-31")).toBe("`1999-12-01`: las fechas van del año 2000 al 2100. Revisa el año.");

    const form = async (from: string, to: string) => (await f.submitForm(formValues({ from, to, format: "csv" }))).json;
    expect(await form("2024-01-01", "2025-06-30")).toEqual({
      response_action: "errors",
      errors: {
        to: "`2024-01-01..2025-06-30` abarca 547 días y un reporte cubre como máximo 366. Divídelo en períodos más cortos.",
      },
    });
    expect(await form("2100-12-01", "2101-01-31")).toEqual({
      response_action: "errors",
      errors: { to: "`2101-01-31`: las fechas van del año 2000 al 2100. Revisa el año." },
    });
    expect(await jobCount()).toBe(before);

    const out = join(mkdtempSync(join(tmpdir(), "hsm-gen-")), "long.csv");
    const generated = runCli(["generate", "--tenant", "demo", "--from", "2024-01-01", "--to", "2025-06-30", "-o", out], {
      DATABASE_URL: f.db.url,
    });
    expect(generated.status).not.toBe(0);
    expect(generated.stderr).toContain("spans 547 days; a report covers at most 366");
  });
});
