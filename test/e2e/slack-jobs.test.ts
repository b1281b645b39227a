// Report jobs as a Slack channel lives them, with Slack misbehaving: a file is posted once even when
// what follows its upload fails, a job that keeps failing gives up with a final word, a person cannot
// flood the queue, and a file over the platform's limit is refused before it is uploaded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASES, freshSqlite } from "../support/databases.ts";
import { type SlackFixture, startSlackFixture, until } from "../support/slack-fixture.ts";

describe.each(DATABASES)("Slack report jobs on $kind", ({ fresh }) => {
  let f: SlackFixture;
  const jobIn = (channel: string) =>
    f.app.store.prisma.reportJob.findFirst({ where: { conversation: { contains: `"${channel}"` } }, orderBy: { id: "desc" } });
  const ended = (channel: string) =>
    until(`the job in ${channel} to end`, async () => {
      const job = await jobIn(channel);
      return job && (job.status === "done" || job.status === "failed") ? job : null;
    });
  const updatesIn = (channel: string) =>
    f.slack
      .callsTo("chat.update")
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.text));

  beforeAll(async () => {
    f = await startSlackFixture(fresh());
  });
  afterAll(async () => {
    await f?.close();
    await f?.db.drop();
  });

  it("a delivery that fails once after the upload: exactly one file in the channel and no failure message", async () => {
    // The "ready" update after the upload fails once (Slack answers internal_error).
    f.slack.failures.push({
      method: "chat.update",
      times: 1,
      error: "internal_error",
      when: (args) => args.channel === "C0TWICE" && String(args.text).startsWith("Reporte listo"),
    });
    const ack = await f.command('last 30d format:csv campaign:"Cobranza octubre"', { channel_id: "C0TWICE" });
    expect(String(ack.json?.text)).toMatch(/^Preparando tu reporte/);
    const job = await ended("C0TWICE");
    expect(f.slack.uploads.filter((u) => u.channel === "C0TWICE")).toHaveLength(1);
    expect(updatesIn("C0TWICE").filter((t) => t.startsWith(":warning:"))).toEqual([]);
    expect(updatesIn("C0TWICE").at(-1)).toMatch(/^Reporte listo: /);
    expect([job.status, job.attempts]).toEqual(["done", 2]);
  });

  it("a job that fails transiently on every attempt gives up after three, says so once, and stops", async () => {
    const before = f.slack.callsTo("files.getUploadURLExternal").length;
    const failure = { method: "files.getUploadURLExternal", times: 1000, error: "service_unavailable" };
    f.slack.failures.push(failure);
    try {
      await f.command('last 30d format:csv campaign:"Cobranza octubre"', { channel_id: "C0GIVEUP" });
      const job = await ended("C0GIVEUP");
      expect([job.status, job.attempts, job.errorCode]).toEqual(["failed", 3, "job_gave_up"]);
      expect(f.slack.callsTo("files.getUploadURLExternal").length - before).toBe(3);
      const warnings = updatesIn("C0GIVEUP").filter((t) => t.startsWith(":warning:"));
      expect(warnings).toHaveLength(1);
      const ref =
        /^:warning: Dejé de intentar este reporte después de 3 intentos: la base de datos o el servicio de chat no respondían \(ref ([0-9a-f]{6})\)\. Vuelve a pedirlo en unos minutos; si vuelve a fallar, avisa a tu administrador y dale esa referencia\.$/.exec(
          warnings[0] ?? "",
        )?.[1];
      expect(ref, warnings[0]).toBeDefined();
      expect(f.app.logs.some((l) => l.ref === ref && l.code === "slack_service_unavailable")).toBe(true);
      expect(f.slack.uploads.filter((u) => u.channel === "C0GIVEUP")).toEqual([]);
    } finally {
      failure.times = 0;
    }
  });

  it("a person with three reports waiting is told so at once, and the fourth is not queued", async () => {
    // Slack holds the progress messages, so the three stay queued or running while the fourth is asked.
    const release = f.slack.hold("chat.postMessage");
    try {
      for (let i = 0; i < 3; i++) {
        const ack = await f.command("last 7d format:csv", { channel_id: "C0QUOTA", user_id: "U0QUOTA" });
        expect(String(ack.json?.text)).toMatch(/^Preparando tu reporte/);
      }
      const fourth = await f.command("last 7d format:csv", { channel_id: "C0QUOTA", user_id: "U0QUOTA" });
      expect(fourth.json).toEqual({
        response_type: "ephemeral",
        text: "Ya tienes 3 reportes en cola o generándose, el máximo a la vez. Vuelve a pedirlo cuando termine uno.",
      });
      expect(await f.app.store.prisma.reportJob.count({ where: { requesterId: "U0QUOTA" } })).toBe(3);
    } finally {
      release();
    }
    await until("the three reports", async () => {
      const done = await f.app.store.prisma.reportJob.count({ where: { requesterId: "U0QUOTA", status: "done" } });
      return done === 3;
    });
  });
});

describe("a file over SLACK_MAX_FILE_BYTES", () => {
  it("is refused before anything is uploaded, with a sentence that says what to do", async () => {
    const f = await startSlackFixture(freshSqlite(), { SLACK_MAX_FILE_BYTES: "1000" }, { messages: 200 });
    try {
      await f.command("last 30d format:csv", { channel_id: "C0HUGE" });
      await until(
        "a warning or an upload",
        () =>
          f.slack.uploads.length > 0 ||
          f.slack.callsTo("chat.update").some((c) => c.args.channel === "C0HUGE" && String(c.args.text).startsWith(":warning:")),
      );
      const warning = f.slack
        .callsTo("chat.update")
        .find((c) => c.args.channel === "C0HUGE" && String(c.args.text).startsWith(":warning:"));
      expect(String(warning?.args.text)).toMatch(
        /^:warning: El archivo \([\d.]+ MB\) supera el límite de archivos de este espacio de trabajo\. Pide el reporte en CSV \(`format:csv`\) o acota el período o los filtros\.$/,
      );
      expect(f.slack.callsTo("files.getUploadURLExternal")).toEqual([]);
    } finally {
      await f.close();
      await f.db.drop();
    }
  });
});
