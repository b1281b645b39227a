// A report asked for in Teams, delivered: the real server (botbuilder behind /api/messages, the job
// runner, the scheduler) and a local fake Bot Connector recording what the bot posts and replaces,
// and what it PUTs to an upload session. In a channel the file is behind the summary card's
// Download button; in a personal chat it goes through the file consent flow. Either way its bytes
// are those `hsm-report generate` writes for the same request.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { putInChunks, UPLOAD_CHUNK_BYTES } from "../../src/chat/teams/file-consent.ts";
import { runDemo } from "../../src/demo/run-demo.ts";
import { localDate } from "../../src/domain/local-time.ts";
import { resolveRange } from "../../src/domain/relative-range.ts";
import { lastFireAtOrBefore, periodOfFire } from "../../src/domain/schedule-time.ts";
import { readDownloadToken, signDownloadToken } from "../../src/files/download-token.ts";
import { filesSigningSecret } from "../../src/files/signing-secret.ts";
import { bindWorkspace } from "../../src/store/chat-bindings.ts";
import { listSchedules, ruleOf } from "../../src/store/schedules.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { type ConnectorCall, type FakeBotConnector, startFakeBotConnector } from "../support/fake-bot-connector.ts";
import { runCliAsync } from "../support/server-process.ts";
import { sheetRows } from "../support/sheet-rows.ts";
import { until } from "../support/slack-fixture.ts";
import {
  AAD_TENANT,
  CHANNEL,
  CHANNEL_THREAD,
  cardSubmission,
  channelMention,
  fileConsentInvoke,
  PERSONAL_CONVERSATION,
  personalMessage,
  postActivity,
  USER_ID,
} from "../support/teams.ts";

const ZONE = "America/Lima";
const ADAPTIVE = "application/vnd.microsoft.card.adaptive";

type Card = {
  body: { type: string; text?: string; inlines?: { text: string }[]; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; url: string }[];
};
type Attachment = { contentType: string; name?: string; contentUrl?: string; content: Record<string, unknown> };

const attachmentOf = (call: ConnectorCall | undefined) => (call?.activity.attachments as Attachment[] | undefined)?.[0];
const cardOf = (call: ConnectorCall | undefined) => attachmentOf(call)?.content as Card;
/** Every text on a card, in order (TextBlocks, TextRuns, facts as "title: value"). */
function cardText(call: ConnectorCall | undefined): string[] {
  const card = cardOf(call);
  return (card?.body ?? []).flatMap((e) =>
    e.type === "TextBlock"
      ? [String(e.text)]
      : e.type === "RichTextBlock"
        ? [(e.inlines ?? []).map((i) => i.text).join("")]
        : e.type === "FactSet"
          ? (e.facts ?? []).map((f) => `${f.title}: ${f.value}`)
          : [],
  );
}

describe.each(DATABASES)("Teams delivery on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let connector: FakeBotConnector;
  let app: TestApp;
  let demoId: number;
  const who = () => ({ serviceUrl: connector.url });
  const range = () => resolveRange({ kind: "lastDays", days: 30 }, localDate(Date.now(), ZONE));
  const prisma = () => app.store.prisma;

  /** What `hsm-report generate` writes for the demo tenant and this range. */
  async function generated(from: string, to: string, format: "csv" | "xlsx", extra: string[] = []): Promise<Buffer> {
    const out = join(mkdtempSync(join(tmpdir(), "hsm-gen-")), `generated.${format}`);
    const cli = await runCliAsync(
      ["generate", "--tenant", "demo", "--from", from, "--to", to, "--format", format, "-o", out, ...extra],
      {
        DATABASE_URL: db.url,
      },
    );
    expect(cli.status, cli.stderr).toBe(0);
    return readFileSync(out);
  }
  const callsIn = (conversationId: string, since = 0) =>
    connector.calls.slice(since).filter((c) => c.conversationId === conversationId);
  /** The job's progress card: its first post, and every replacement of it, in order. */
  function cardHistory(conversationId: string, since: number) {
    const calls = callsIn(conversationId, since);
    const first = calls.find((c) => c.method === "POST" && attachmentOf(c)?.contentType === ADAPTIVE);
    const updates = calls.filter((c) => c.method === "PUT" && c.activityId === first?.id);
    return { first, updates };
  }
  const latestJob = () => prisma().reportJob.findFirstOrThrow({ orderBy: { id: "desc" } });
  const jobDone = (id: number) =>
    until(`job ${id} to end`, async () => {
      const job = await prisma().reportJob.findUniqueOrThrow({ where: { id } });
      return job.status === "done" || job.status === "failed" ? job : null;
    });

  beforeAll(async () => {
    db = fresh();
    connector = await startFakeBotConnector();
    app = await startTestApp(db.url, {
      TEAMS_ALLOW_UNAUTHENTICATED: "true",
      REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-teams-delivery-")),
      JOB_POLL_MS: "50",
      JOB_PROGRESS_INTERVAL_MS: "0",
    });
    await runDemo(app.store, { messages: 1500, windowDays: 30, now: new Date() });
    demoId = (await prisma().tenant.findUniqueOrThrow({ where: { slug: "demo" } })).id;
    await bindWorkspace(app.store, "teams", AAD_TENANT, demoId, new Date());
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    await db?.drop();
  });

  it("a channel mention asking `last 30d format:csv`: a progress card in the thread, updated in place, becomes the summary card whose Download button gives generate's bytes", async () => {
    const since = connector.calls.length;
    const answer = await postActivity(app.url, channelMention("last 30d format:csv", who()));
    expect(answer.status).toBe(200);
    const job = await latestJob();
    expect((await jobDone(job.id)).status).toBe("done");

    // The acknowledgement, then one card in the thread, replaced in place until it is the summary.
    const { first, updates } = cardHistory(CHANNEL_THREAD, since);
    expect(cardText(first)).toEqual(["Generando reporte…"]);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const u of updates.slice(0, -1)) expect(cardText(u)[0]).toMatch(/^Generando reporte… \d+ % \([\d.]+ de [\d.]+ filas\)$/);
    const summary = updates.at(-1);
    const { from, to } = range();
    const rows = job.totalRows ?? (await prisma().reportJob.findUniqueOrThrow({ where: { id: job.id } })).rows;
    const text = cardText(summary);
    expect(text.slice(0, 2)).toEqual(["Reporte de gestión HSM", `Período del reporte: **${from} – ${to}** (${ZONE})`]);
    expect(text).toContain("Campañas: Todos · Canales: Todos · Agentes: Todos · Plantillas (HSM): Todos · Estados: Todos");
    expect(text).toContain(`Total de mensajes: ${Number(rows).toLocaleString("es-ES")}`);
    expect(text.some((l) => /^Entregados: [\d.]+ \([\d,]+\s%\)$/.test(l))).toBe(true);
    expect(text).toContain("Embudo");
    expect(text.at(-1)).toMatch(
      /^Reporte listo: [\d.]+ filas\. El enlace de descarga vale hasta el \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/,
    );
    // Nothing else was posted in the channel: no second card, no file.
    expect(callsIn(CHANNEL_THREAD, since).filter((c) => c.method === "POST")).toHaveLength(2); // the acknowledgement and the card
    const download = cardOf(summary).actions?.[0];
    expect(download).toMatchObject({ type: "Action.OpenUrl", title: "Descargar" });
    expect(download?.url.startsWith(`${app.url}/files/`)).toBe(true);

    const res = await fetch(String(download?.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="hsm-report-demo-.*\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(await generated(from, to, "csv"))).toBe(true);

    // The link is a credential: one character changed is refused, and so is the same file past its expiry.
    const token = String(download?.url).split("/files/")[1] as string;
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const forged = await fetch(`${app.url}/files/${tampered}`);
    expect([forged.status, await forged.text()]).toEqual([
      403,
      "Este enlace de descarga no es válido. / This download link is not valid.\n",
    ]);
    const secret = await filesSigningSecret(app.store, null, new Date());
    const claim = readDownloadToken(token, secret);
    expect(claim?.jobId).toBe(job.id);
    const expired = signDownloadToken(
      { fileId: claim?.fileId as number, jobId: job.id, expiresAt: new Date(Date.now() - 1000) },
      secret,
    );
    const late = await fetch(`${app.url}/files/${expired}`);
    expect(late.status).toBe(410);
    expect(await late.text()).toContain("pide el reporte de nuevo");
  });

  it("in a personal chat the file goes through the consent flow: accepted, its bytes are PUT in ranges and shown as a file card", async () => {
    const since = connector.calls.length;
    expect((await postActivity(app.url, personalMessage("last 30d format:xlsx", who()))).status).toBe(200);
    const job = await latestJob();
    expect((await jobDone(job.id)).status).toBe("done");
    const posts = callsIn(PERSONAL_CONVERSATION, since).filter((c) => c.method === "POST");
    // The acknowledgement, the progress card, and the FileConsentCard.
    expect(posts).toHaveLength(3);
    const consent = attachmentOf(posts[2]);
    expect(consent?.contentType).toBe("application/vnd.microsoft.teams.card.file.consent");
    expect(consent?.name).toMatch(/^hsm-report-demo-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const stored = await prisma().reportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(consent?.content).toMatchObject({ sizeInBytes: stored.fileBytes });
    const { updates } = cardHistory(PERSONAL_CONVERSATION, since);
    expect(cardText(updates.at(-1)).at(-1)).toBe(
      `Reporte listo: ${Number(stored.rows).toLocaleString("es-ES")} filas. Acepta el archivo en la tarjeta de abajo y te lo envío a este chat.`,
    );
    expect(cardOf(updates.at(-1)).actions).toBeUndefined();

    const name = String(consent?.name);
    const consentCardId = String(posts[2]?.id);
    const started = performance.now();
    const answer = await postActivity(
      app.url,
      fileConsentInvoke(
        { action: "accept", context: consent?.content.acceptContext, consentCardId, uploadUrl: connector.uploadUrl(name), name },
        who(),
      ),
    );
    // Answered at once; the upload comes after.
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
    const info = await until("the file info card", () =>
      callsIn(PERSONAL_CONVERSATION, since).find(
        (c) => attachmentOf(c)?.contentType === "application/vnd.microsoft.teams.card.file.info",
      ),
    );
    expect(attachmentOf(info)).toMatchObject({
      name,
      contentUrl: "https://contoso.sharepoint.com/personal/johnadams_contoso_com/Documents/Applications/file_example.txt",
      content: { uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C8C", fileType: "xlsx" },
    });
    const uploaded = connector.uploads.get(name);
    expect(uploaded?.complete).toBe(true);
    expect(uploaded?.ranges[0]).toMatch(/^bytes 0-\d+\/\d+$/);
    expect(uploaded?.bytes.length).toBe(stored.fileBytes);
    // An XLSX records when it was made, so generate's is compared row by row.
    const { from, to } = range();
    expect(await sheetRows(uploaded?.bytes as Buffer)).toEqual(await sheetRows(await generated(from, to, "xlsx")));
    // The consent card's buttons are replaced by what happened.
    const replaced = await until("the consent card replaced", () =>
      callsIn(PERSONAL_CONVERSATION, since).find((c) => c.method === "PUT" && c.activityId === consentCardId),
    );
    expect(cardText(replaced)).toEqual([`Te envié ${name}.`]);
  });

  it("a CSV accepted in a personal chat uploads generate's bytes; a declined one is answered with its download link", async () => {
    const since = connector.calls.length;
    await postActivity(app.url, personalMessage("last 30d format:csv", who()));
    const job = await latestJob();
    await jobDone(job.id);
    const consentPost = callsIn(PERSONAL_CONVERSATION, since).find(
      (c) => attachmentOf(c)?.contentType === "application/vnd.microsoft.teams.card.file.consent",
    );
    const consent = attachmentOf(consentPost);
    const name = String(consent?.name);
    const { from, to } = range();
    const expected = await generated(from, to, "csv");

    const accepted = await postActivity(
      app.url,
      fileConsentInvoke(
        {
          action: "accept",
          context: consent?.content.acceptContext,
          consentCardId: "1000000000091",
          uploadUrl: connector.uploadUrl(`csv-${name}`),
          name,
        },
        who(),
      ),
    );
    expect(accepted.status).toBe(200);
    await until("the upload", () => connector.uploads.get(`csv-${name}`)?.complete);
    expect(connector.uploads.get(`csv-${name}`)?.bytes.equals(expected)).toBe(true);

    const declined = await postActivity(
      app.url,
      fileConsentInvoke({ action: "decline", context: consent?.content.declineContext, consentCardId: "1000000000092" }, who()),
    );
    expect(declined.status).toBe(200);
    const answer = await until("the decline's answer", () =>
      callsIn(PERSONAL_CONVERSATION, since).find((c) => c.method === "PUT" && c.activityId === "1000000000092"),
    );
    const said = cardText(answer)[0] as string;
    expect(said).toMatch(
      /^No te envié el archivo\. Puedes descargarlo aquí hasta el \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: \[Descargar\]\(http/,
    );
    const link = /\((http[^)]+)\)$/.exec(said)?.[1] as string;
    const res = await fetch(link);
    expect(Buffer.from(await res.arrayBuffer()).equals(expected)).toBe(true);

    // An answer naming a file this installation never offered: 200 (it is Teams asking) and nothing uploaded.
    const uploadsBefore = connector.uploads.size;
    const forged = await postActivity(
      app.url,
      fileConsentInvoke(
        {
          action: "accept",
          context: { token: "1.1.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
          consentCardId: "1000000000093",
          uploadUrl: connector.uploadUrl("forged"),
          name: "x.csv",
        },
        who(),
      ),
    );
    expect(forged.status).toBe(200);
    const refused = await until("the forged answer's reply", () =>
      callsIn(PERSONAL_CONVERSATION, since).find((c) => c.method === "PUT" && c.activityId === "1000000000093"),
    );
    expect(cardText(refused)).toEqual([
      "Ese archivo ya no está disponible (el enlace venció o se eliminó). Pide el reporte de nuevo.",
    ]);
    expect(connector.uploads.size).toBe(uploadsBefore);
    // Not an answer at all: 400.
    const broken = await postActivity(app.url, {
      ...fileConsentInvoke({ action: "decline", context: {}, consentCardId: "1" }, who()),
    });
    expect(broken.status).toBe(400);
  });

  it("the form card's submission posts a report equal to generate's", async () => {
    const { from, to } = range();
    const since = connector.calls.length;
    const answer = await postActivity(
      app.url,
      cardSubmission(
        {
          from,
          to,
          campaigns: "Campaña chattigo,Cobranza octubre",
          channels: "",
          format: "csv",
          lang: "en",
          schedule_frequency: "once",
        },
        who(),
      ),
    );
    expect(answer.status).toBe(200);
    const job = await latestJob();
    expect((await jobDone(job.id)).status).toBe("done");
    const summary = cardHistory(CHANNEL_THREAD, since).updates.at(-1);
    const text = cardText(summary);
    expect(text[0]).toBe("HSM management report");
    expect(text).toContain(
      "Campaigns: Campaña chattigo, Cobranza octubre · Channels: All · Agents: All · Templates (HSM): All · States: All",
    );
    const download = cardOf(summary).actions?.[0];
    expect(download?.title).toBe("Download");
    const bytes = Buffer.from(await (await fetch(String(download?.url))).arrayBuffer());
    const expected = await generated(from, to, "csv", [
      "--campaign",
      "Campaña chattigo",
      "--campaign",
      "Cobranza octubre",
      "--locale",
      "en",
    ]);
    expect(bytes.equals(expected)).toBe(true);
  });

  it("a Teams channel schedule posts exactly once per period, as a new message in the channel with its schedule's lines", async () => {
    const hhmm = new Intl.DateTimeFormat("en-GB", {
      timeZone: ZONE,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(Date.now() - 60_000));
    await postActivity(app.url, channelMention(`schedule daily ${hhmm} format:csv`, who()));
    const [schedule] = (await listSchedules(app.store, { platform: "teams", conversationId: CHANNEL })).filter(
      (s) => s.rule.frequency === "daily",
    );
    expect(schedule).toBeDefined();
    const id = schedule?.id as number;
    const rule = ruleOf(await prisma().schedule.findUniqueOrThrow({ where: { id } }));
    const fire = lastFireAtOrBefore(rule, Date.now()) as number;
    await prisma().schedule.update({ where: { id }, data: { nextRunAt: new Date(fire) } });

    const since = connector.calls.length;
    await app.schedulerTick();
    await app.schedulerTick();
    const run = await until("the run to end", async () => {
      const runs = await prisma().scheduleRun.findMany({ where: { scheduleId: id } });
      return runs.length && runs.every((r) => r.outcome !== "queued") ? runs : null;
    });
    expect(run.map((r) => r.outcome)).toEqual(["posted"]);
    await app.schedulerTick();
    // One card, posted in the channel itself (not in a thread), replaced into the summary.
    const posts = connector.calls.slice(since).filter((c) => c.method === "POST");
    expect(posts.map((p) => p.conversationId)).toEqual([CHANNEL]);
    const final = connector.calls
      .slice(since)
      .filter((c) => c.method === "PUT" && c.activityId === posts[0]?.id)
      .at(-1);
    const text = cardText(final);
    const period = periodOfFire(rule, fire);
    expect(text[0]).toBe(`Diario ${rule.time} ${ZONE} · #${id}`);
    expect(text).toContain(`Período del reporte: **${period.from} – ${period.to}** (${ZONE})`);
    expect(cardOf(final).actions?.[0]?.title).toBe("Descargar");
    expect(await prisma().scheduleRun.count({ where: { scheduleId: id } })).toBe(1);
  });

  it("a schedule whose channel the bot was removed from tells its creator in a 1:1 chat, and posts nothing", async () => {
    const hhmm = new Intl.DateTimeFormat("en-GB", {
      timeZone: ZONE,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(Date.now() + 6 * 3_600_000));
    await postActivity(app.url, channelMention(`schedule daily ${hhmm}`, who()));
    const schedules = await listSchedules(app.store, { platform: "teams", conversationId: CHANNEL });
    const id = Math.max(...schedules.map((s) => s.id));
    const rule = ruleOf(await prisma().schedule.findUniqueOrThrow({ where: { id } }));
    await prisma().schedule.update({
      where: { id },
      data: { nextRunAt: new Date(lastFireAtOrBefore(rule, Date.now()) as number) },
    });
    const since = connector.calls.length;
    connector.removedFrom.add(CHANNEL);
    try {
      await app.schedulerTick();
      const runs = await until("the run to end", async () => {
        const r = await prisma().scheduleRun.findMany({ where: { scheduleId: id } });
        return r.length && r.every((x) => x.outcome !== "queued") ? r : null;
      });
      expect(runs.map((r) => r.outcome)).toEqual(["failed"]);
    } finally {
      connector.removedFrom.delete(CHANNEL);
    }
    const direct = connector.created.at(-1);
    expect(direct?.parameters).toMatchObject({ isGroup: false, members: [{ id: USER_ID }], tenantId: AAD_TENANT });
    const told = connector.calls.slice(since).filter((c) => c.conversationId === direct?.id);
    expect(told.map((c) => cardText(c))).toEqual([
      [
        `No pude publicar el reporte programado #${id} en su canal de Teams: ya no puedo escribir en ese canal (quizá me quitaron o se archivó). ` +
          `Vuelve a agregarme al canal, o elimina el reporte con \`@hsm-report schedule delete ${id}\`.`,
      ],
    ]);
    // Nothing reached the channel.
    expect(connector.calls.slice(since).filter((c) => c.conversationId.startsWith(CHANNEL))).toEqual([]);
  });
});

describe("the consent upload", () => {
  it("PUTs a file larger than a chunk in Content-Range pieces that add up to its bytes", async () => {
    const connector = await startFakeBotConnector();
    try {
      const path = join(mkdtempSync(join(tmpdir(), "hsm-chunks-")), "big.csv");
      const size = 2 * UPLOAD_CHUNK_BYTES + 12_345;
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 7919) % 251;
      writeFileSync(path, bytes);
      await putInChunks(path, connector.uploadUrl("big.csv"), fetch);
      const upload = connector.uploads.get("big.csv");
      expect(upload?.ranges).toEqual([
        `bytes 0-${UPLOAD_CHUNK_BYTES - 1}/${size}`,
        `bytes ${UPLOAD_CHUNK_BYTES}-${2 * UPLOAD_CHUNK_BYTES - 1}/${size}`,
        `bytes ${2 * UPLOAD_CHUNK_BYTES}-${size - 1}/${size}`,
      ]);
      expect(upload?.bytes.equals(bytes)).toBe(true);
      expect(UPLOAD_CHUNK_BYTES % (320 * 1024)).toBe(0);
    } finally {
      await connector.close();
    }
  });
});
