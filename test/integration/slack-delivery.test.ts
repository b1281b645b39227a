// Posting a report file into Slack, against the fake of Slack's Web API: the three upload steps with
// the file streamed from disk, the file id handed to the job before the step that posts it, an
// earlier attempt's file completed rather than uploaded again, and failures sorted into "try again"
// and "say so".

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackConversation } from "../../src/chat/slack/slack-conversation.ts";
import { SlackDelivery } from "../../src/chat/slack/slack-delivery.ts";
import type { ReportSummary } from "../../src/domain/report-summary.ts";
import type { UploadHooks } from "../../src/jobs/delivery.ts";
import type { ReportJob } from "../../src/store/report-jobs.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import { reportRequest } from "../support/report-fixture.ts";

const summary = {
  tenant: { slug: "acme", name: "Acme", timeZone: "UTC" },
  locale: "es",
  requestedFormat: "csv",
  format: "csv",
  switchedToCsv: false,
  requested: { from: "2026-10-01", to: "2026-10-31" },
  applied: { from: "2026-10-01", to: "2026-10-31" },
  clamped: false,
  dataStartDate: null,
  filters: { campaigns: [], channels: [], agents: [], templates: [], states: [] },
  generatedAt: "2026-11-01T00:00:00.000Z",
  totals: { total: 0 },
  topErrors: [],
  byCampaign: [],
} as unknown as ReportSummary;

const job = (channelId: string) =>
  ({
    id: 1,
    request: reportRequest({ format: "csv" }),
    conversation: slackConversation("T0FAKE", channelId, "U0ANA", null),
  }) as unknown as ReportJob;

describe("delivering a report file to Slack", () => {
  let slack: FakeSlack;
  let delivery: SlackDelivery;
  let file: { path: string; name: string; bytes: number };

  beforeAll(async () => {
    slack = await startFakeSlack();
    const client = new webApi.WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    delivery = new SlackDelivery(client, { maxFileBytes: 1_000_000 });
    const path = join(mkdtempSync(join(tmpdir(), "hsm-delivery-")), "report.csv");
    const content = "a,b\n".repeat(20_000);
    writeFileSync(path, content);
    file = { path, name: "hsm-report-acme.csv", bytes: Buffer.byteLength(content) };
  });
  afterAll(async () => {
    await slack?.close();
  });

  /** Hooks that record the file id, and what Slack had seen when it was recorded. */
  const hooks = (earlierFileId: string | null = null, aboutToPost: () => Promise<void> = async () => {}) => {
    const seen: { fileId: string; completedBefore: number }[] = [];
    const upload: UploadHooks = {
      earlierFileId,
      fileIdKnown: async (fileId) => {
        seen.push({ fileId, completedBefore: slack.callsTo("files.completeUploadExternal").length });
      },
      aboutToPost,
    };
    return { upload, seen };
  };

  it("streams the file with its length, and records the file id before the step that posts it", async () => {
    const completed = slack.callsTo("files.completeUploadExternal").length;
    const { upload, seen } = hooks();
    const delivered = await delivery.deliver(job("C0ONE"), "ref", file, summary, upload);
    expect(seen).toEqual([{ fileId: delivered.fileId, completedBefore: completed }]);
    const [posted] = slack.uploads.filter((u) => u.channel === "C0ONE");
    expect([posted?.fileId, posted?.bytes.length, posted?.contentLength]).toEqual([delivered.fileId, file.bytes, file.bytes]);
  });

  it("an earlier attempt's file whose bytes arrived is completed, not uploaded a second time", async () => {
    // The first attempt dies after the bytes, before the step that posts.
    const first = hooks(null, async () => {
      throw new Error("the worker died here");
    });
    await expect(delivery.deliver(job("C0AGAIN"), "ref", file, summary, first.upload)).rejects.toThrow("died");
    const fileId = first.seen[0]?.fileId as string;
    const started = slack.callsTo("files.getUploadURLExternal").length;
    const second = hooks(fileId);
    const delivered = await delivery.deliver(job("C0AGAIN"), "ref", file, summary, second.upload);
    expect(delivered.fileId).toBe(fileId);
    expect(second.seen).toEqual([]);
    expect(slack.callsTo("files.getUploadURLExternal").length).toBe(started);
    expect(slack.uploads.filter((u) => u.channel === "C0AGAIN").map((u) => u.fileId)).toEqual([fileId]);
  });

  it("an earlier file id Slack has no file for (its bytes never arrived) is started over", async () => {
    const { upload, seen } = hooks("F999999");
    const delivered = await delivery.deliver(job("C0LOST"), "ref", file, summary, upload);
    expect(delivered.fileId).not.toBe("F999999");
    expect(seen.map((s) => s.fileId)).toEqual([delivered.fileId]);
    expect(slack.uploads.filter((u) => u.channel === "C0LOST")).toHaveLength(1);
  });

  it("a file over the platform's limit is refused before anything is uploaded", async () => {
    const before = slack.calls.length;
    const small = new SlackDelivery(new webApi.WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl }), { maxFileBytes: 10 });
    const error = await small.deliver(job("C0BIG"), "ref", file, summary, hooks().upload).catch((e: unknown) => e);
    expect(small.explain(error, job("C0BIG"), "abc123")).toEqual({
      code: "slack_file_too_large",
      text: "El archivo (0.1 MB) supera el límite de archivos de este espacio de trabajo. Pide el reporte en CSV (`format:csv`) o acota el período o los filtros.",
      retry: false,
    });
    expect(slack.calls.length).toBe(before);
  });

  it("Slack being busy or away is tried again; the request's own problems and unknown answers are said at once", async () => {
    const failWith = async (failure: { status?: number; error?: string }) => {
      slack.failures.push({ method: "files.getUploadURLExternal", times: 1, ...failure });
      const error = await delivery.deliver(job("C0FAIL"), "ref", file, summary, hooks().upload).catch((e: unknown) => e);
      return delivery.explain(error, job("C0FAIL"), "abc123");
    };
    expect(await failWith({ error: "ratelimited" })).toMatchObject({ code: "slack_ratelimited", retry: true });
    expect(await failWith({ error: "service_unavailable" })).toMatchObject({ retry: true });
    expect(await failWith({ status: 503 })).toMatchObject({ code: "slack_unavailable", retry: true });
    expect(await failWith({ error: "file_uploads_disabled" })).toMatchObject({ code: "slack_uploads_disabled", retry: false });
    expect(await failWith({ error: "invalid_arguments" })).toEqual({
      code: "slack_invalid_arguments",
      text: "Slack no aceptó el reporte (`invalid_arguments`, ref abc123). Vuelve a pedirlo; si vuelve a fallar, avisa a tu administrador y dale esa referencia.",
      retry: false,
    });
    const gone = new SlackDelivery(
      new webApi.WebClient("xoxb-test-token", { slackApiUrl: "http://127.0.0.1:1/api/", retryConfig: { retries: 0 } }),
    );
    const error = await gone.deliver(job("C0FAIL"), "ref", file, summary, hooks().upload).catch((e: unknown) => e);
    expect(gone.explain(error, job("C0FAIL"), "abc123")).toMatchObject({ retry: true });
  });
});
