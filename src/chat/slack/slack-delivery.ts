// Answers a report job in Slack: one message updated in place with the progress, then the file
// (files.uploadV2) with the summary blocks beside it, or a specific message when it cannot.
import { readFile } from "node:fs/promises";
import type { webApi } from "@slack/bolt";
import type { ReportSummary } from "../../domain/report-summary.ts";
import type { ReportJob } from "../../store/report-jobs.ts";
import type { DeliveredFile, DeliveryProblem, ReportDelivery } from "../conversation.ts";
import { explainReportFailure } from "../messages.ts";
import { slackText, summaryBlocks, summaryFallbackText } from "./slack-blocks.ts";

export interface SlackConversation {
  teamId: string;
  channelId: string;
  userId: string;
  /** From a slash command: a way to answer even where the bot cannot post. */
  responseUrl?: string | null;
}

interface MessageRef {
  channel: string;
  ts: string;
}

const conversationOf = (job: ReportJob) => job.conversation as unknown as SlackConversation;
const parseRef = (ref: string) => JSON.parse(ref) as MessageRef;

/** The Slack error code in a Web API failure (`not_in_channel`, …), if that is what it is. */
export function slackErrorCode(error: unknown): string | null {
  const data = (error as { data?: { error?: unknown } })?.data;
  return typeof data?.error === "string" ? data.error : null;
}

const NOT_IN_CHANNEL = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "restricted_action",
  "posting_to_channel_denied",
]);
const TOO_BIG = new Set(["file_upload_size_restricted", "file_too_large", "storage_limit_reached"]);
const UPLOADS_OFF = new Set(["file_uploads_disabled", "file_uploads_except_images_disabled", "file_type_not_allowed"]);

export class SlackDelivery implements ReportDelivery {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async start(job: ReportJob): Promise<string> {
    const c = conversationOf(job);
    const res = await this.client.chat.postMessage({ channel: c.channelId, text: slackText(job.request.locale).progressStart });
    return JSON.stringify({ channel: res.channel ?? c.channelId, ts: res.ts } satisfies Partial<MessageRef>);
  }

  async progress(job: ReportJob, ref: string, rows: number, total: number): Promise<void> {
    const { channel, ts } = parseRef(ref);
    const pct = total === 0 ? 100 : Math.floor((rows / total) * 100);
    await this.client.chat.update({ channel, ts, text: slackText(job.request.locale).progress(pct, rows, total) });
  }

  async deliver(
    job: ReportJob,
    _ref: string,
    file: { path: string; name: string; bytes: number },
    summary: ReportSummary,
  ): Promise<DeliveredFile> {
    const c = conversationOf(job);
    let res: { files?: { files?: { id: string; permalink?: string }[] }[] };
    try {
      res = (await this.client.filesUploadV2({
        channel_id: c.channelId,
        file: await readFile(file.path),
        filename: file.name,
        title: file.name,
        blocks: summaryBlocks(summary),
      })) as unknown as typeof res;
    } catch (error) {
      // The size goes with the error, for the message that says the file is too big.
      if (error && typeof error === "object") Object.assign(error, { fileBytes: file.bytes });
      throw error;
    }
    const uploaded = res.files?.[0]?.files?.[0];
    return { fileId: uploaded?.id ?? "unknown", permalink: uploaded?.permalink ?? null };
  }

  async finish(job: ReportJob, ref: string, summary: ReportSummary): Promise<void> {
    const { channel, ts } = parseRef(ref);
    await this.client.chat.update({
      channel,
      ts,
      text: `${slackText(job.request.locale).ready(summary.totals.total)} ${summaryFallbackText(summary)}`,
    });
  }

  async empty(job: ReportJob, ref: string, summary: ReportSummary): Promise<void> {
    const { channel, ts } = parseRef(ref);
    await this.client.chat.update({
      channel,
      ts,
      text: slackText(job.request.locale).empty(summary.applied.from, summary.applied.to, summary.tenant.timeZone),
      blocks: summaryBlocks(summary),
    });
  }

  async failed(job: ReportJob, ref: string | null, problem: DeliveryProblem): Promise<void> {
    const text = slackText(job.request.locale).failed(problem.text);
    if (ref && problem.code !== "slack_not_in_channel") {
      const { channel, ts } = parseRef(ref);
      await this.client.chat.update({ channel, ts, text });
      return;
    }
    // The bot cannot post where it was asked: answer through the command's response_url, or by DM.
    const c = conversationOf(job);
    if (c.responseUrl) {
      const res = await this.fetchFn(c.responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", text }),
      });
      if (res.ok) return;
    }
    await this.client.chat.postMessage({ channel: c.userId, text });
  }

  explain(error: unknown, job: ReportJob): DeliveryProblem {
    const code = slackErrorCode(error);
    if (!code) return explainReportFailure(error, job.request.locale);
    const t = slackText(job.request.locale);
    if (NOT_IN_CHANNEL.has(code)) return { code: "slack_not_in_channel", text: t.notInChannel };
    if (TOO_BIG.has(code)) {
      const bytes = (error as { fileBytes?: number }).fileBytes;
      return { code: "slack_file_too_large", text: t.tooBig(bytes ? (bytes / 1e6).toFixed(1) : "?") };
    }
    if (UPLOADS_OFF.has(code)) return { code: "slack_uploads_disabled", text: t.uploadsDisabled };
    return { code: `slack_${code}`, text: `Slack: ${code}` };
  }
}
