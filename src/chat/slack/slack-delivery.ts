// Answers a report job in Slack: one message updated in place with the progress, then the file with
// the summary blocks beside it, or a specific message when it cannot. The upload is Slack's three
// steps done here (files.getUploadURLExternal → the bytes, streamed from disk → files.
// completeUploadExternal, which is what posts it), so the job can record the file id between them.

import type { types, webApi } from "@slack/bolt";
import type { ConversationRef } from "../../domain/conversation-ref.ts";
import type { ReportSummary } from "../../domain/report-summary.ts";
import type { ScheduleNotice } from "../../domain/scheduled-post.ts";
import type { Locale } from "../../domain/tenant.ts";
import { failureText } from "../../jobs/failure-text.ts";
import type { ReportJob } from "../../store/report-jobs.ts";
import { SLACK_PREFIX } from "../commands.ts";
import type { DeliveredFile, DeliveryProblem, ReportDelivery, UploadHooks } from "../conversation.ts";
import { explainReportFailure, scheduleText } from "../messages.ts";
import { escapeMarkup } from "../safe-text.ts";
import { slackText, summaryBlocks, summaryFallbackText } from "./slack-blocks.ts";
import { fromConversationRef, type SlackConversation } from "./slack-conversation.ts";
import { retryBlocks, scheduledPostBlocks } from "./slack-schedule-blocks.ts";
import { SlackUploadError, uploadBytes } from "./upload-bytes.ts";

interface MessageRef {
  channel: string;
  ts: string;
}

const conversationOf = (job: ReportJob): SlackConversation => fromConversationRef(job.conversation);
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
/** Slack's answer means the bot cannot post in that channel (it is not a member, or the channel is gone). */
export const cannotPostIn = (code: string | null) => code !== null && NOT_IN_CHANNEL.has(code);
const TOO_BIG = new Set(["file_upload_size_restricted", "file_too_large", "storage_limit_reached"]);
const UPLOADS_OFF = new Set(["file_uploads_disabled", "file_uploads_except_images_disabled", "file_type_not_allowed"]);
/** Slack's own "try again later" answers (documented on every Web API method). */
const SLACK_BUSY = new Set([
  "ratelimited",
  "rate_limited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

/** Over the platform's per-file limit (SLACK_MAX_FILE_BYTES): refused before anything is uploaded. */
export class SlackFileTooLargeError extends Error {
  readonly code = "slack_file_too_large";
  constructor(
    readonly fileBytes: number,
    readonly limit: number,
  ) {
    super(`the file has ${fileBytes} bytes; Slack takes at most ${limit}`);
    this.name = "SlackFileTooLargeError";
  }
}

/** The web client's own failures: no answer, an HTTP error status, or a rate limit it gave up on. */
function webClientFailure(error: unknown): { retry: boolean; retryAfterMs?: number } | null {
  const e = error as { code?: unknown; statusCode?: number; retryAfter?: number };
  switch (e?.code) {
    case "slack_webapi_request_error":
      return { retry: true };
    case "slack_webapi_rate_limited_error":
      return { retry: true, retryAfterMs: (e.retryAfter ?? 0) * 1000 };
    case "slack_webapi_http_error": {
      const status = e.statusCode ?? 0;
      return { retry: status >= 500 || status === 408 || status === 429 };
    }
    default:
      return null;
  }
}

/** The report's summary, below what a scheduled post says besides it. */
function postBlocks(job: ReportJob, summary: ReportSummary): KnownBlock[] {
  return job.post ? [...scheduledPostBlocks(job, job.post, summary), ...summaryBlocks(summary)] : summaryBlocks(summary);
}

type KnownBlock = types.KnownBlock;

export class SlackDelivery implements ReportDelivery {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: { maxFileBytes: number; fetchFn?: typeof fetch } = { maxFileBytes: 1024 ** 3 },
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
    upload: UploadHooks,
  ): Promise<DeliveredFile> {
    if (file.bytes > this.options.maxFileBytes) throw new SlackFileTooLargeError(file.bytes, this.options.maxFileBytes);
    const post = { channelId: conversationOf(job).channelId, title: file.name, blocks: postBlocks(job, summary) };
    if (upload.earlierFileId) {
      // An earlier attempt got a file id and may have posted it: complete that same file, so there
      // is never a second one. Only if Slack has no such file (its bytes never arrived, so nothing of
      // it can be in the channel) does the upload start over.
      try {
        await upload.aboutToPost();
        return await this.#post(upload.earlierFileId, post);
      } catch (error) {
        if (slackErrorCode(error) !== "file_not_found") throw error;
      }
    }
    let started: { file_id?: string; upload_url?: string };
    try {
      started = await this.client.files.getUploadURLExternal({ filename: file.name, length: file.bytes });
    } catch (error) {
      // The size goes with the error, for the message that says the file is too big.
      if (error && typeof error === "object") Object.assign(error, { fileBytes: file.bytes });
      throw error;
    }
    if (!started.file_id || !started.upload_url) throw new Error("files.getUploadURLExternal answered without a file id");
    await upload.fileIdKnown(started.file_id);
    await uploadBytes(started.upload_url, file.path, file.bytes);
    await upload.aboutToPost();
    return this.#post(started.file_id, post);
  }

  /** Step 3: the file appears in the channel with the summary beside it. */
  async #post(fileId: string, post: { channelId: string; title: string; blocks: KnownBlock[] }): Promise<DeliveredFile> {
    const res = await this.client.files.completeUploadExternal({
      files: [{ id: fileId, title: post.title }],
      channel_id: post.channelId,
      blocks: post.blocks,
    });
    const posted = res.files?.[0] as { permalink?: string } | undefined;
    return { fileId, permalink: posted?.permalink ?? null };
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
    const { from, to, timeZone } = { from: summary.applied.from, to: summary.applied.to, timeZone: summary.tenant.timeZone };
    const text = job.post
      ? scheduleText(job.request.locale).noMessages(job.post.scheduleId, from, to, timeZone)
      : slackText(job.request.locale).empty(from, to, timeZone);
    await this.client.chat.update({ channel, ts, text, blocks: postBlocks(job, summary) });
  }

  async failed(job: ReportJob, ref: string | null, problem: DeliveryProblem): Promise<void> {
    const locale = job.request.locale;
    const post = job.post;
    if (post && problem.code === "slack_not_in_channel") {
      // A schedule's channel that no longer takes the bot's posts: its creator hears it, directly.
      const creator = job.conversation.extra.creatorId;
      if (creator) {
        await this.client.chat.postMessage({
          channel: creator,
          text: scheduleText(locale).cannotPost(
            post.scheduleId,
            `<#${escapeMarkup(job.conversation.conversationId)}>`,
            SLACK_PREFIX,
          ),
        });
      }
      return;
    }
    const text = post
      ? scheduleText(locale).runFailed(post.scheduleId, problem.text, SLACK_PREFIX)
      : slackText(locale).failed(problem.text);
    if (ref && problem.code !== "slack_not_in_channel") {
      const { channel, ts } = parseRef(ref);
      await this.client.chat.update({ channel, ts, text, ...(post ? { blocks: retryBlocks(text, post.runId, locale) } : {}) });
      return;
    }
    // The bot cannot post where it was asked: answer through the command's response_url, or by DM.
    const c = conversationOf(job);
    if (c.responseUrl) {
      const res = await (this.options.fetchFn ?? fetch)(c.responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", text }),
      });
      if (res.ok) return;
    }
    // A schedule's post has no requester: its creator hears it instead.
    const person = c.userId ?? job.conversation.extra.creatorId;
    if (person) await this.client.chat.postMessage({ channel: person, text });
  }

  async notice(conversation: ConversationRef, notice: ScheduleNotice, locale: Locale): Promise<void> {
    const c = fromConversationRef(conversation);
    const text = scheduleText(locale).pausedAfterFailures(notice.scheduleId, notice.failures, SLACK_PREFIX);
    await this.client.chat.postMessage({ channel: c.channelId, text });
  }

  explain(error: unknown, job: ReportJob, ref: string): DeliveryProblem {
    const locale = job.request.locale;
    const t = slackText(locale);
    const tooBig = (bytes: number | undefined): DeliveryProblem => ({
      code: "slack_file_too_large",
      text: t.tooBig(bytes ? (bytes / 1e6).toFixed(1) : "?"),
      retry: false,
    });
    if (error instanceof SlackFileTooLargeError) return tooBig(error.fileBytes);
    if (error instanceof SlackUploadError) {
      if (error.status === 413) return tooBig(undefined);
      return { code: error.code, text: failureText(locale, ref), retry: error.transient };
    }
    const code = slackErrorCode(error);
    if (code) {
      if (NOT_IN_CHANNEL.has(code)) return { code: "slack_not_in_channel", text: t.notInChannel, retry: false };
      if (TOO_BIG.has(code)) return tooBig((error as { fileBytes?: number }).fileBytes);
      if (UPLOADS_OFF.has(code)) return { code: "slack_uploads_disabled", text: t.uploadsDisabled, retry: false };
      return { code: `slack_${code}`, text: t.slackRefused(code, ref), retry: SLACK_BUSY.has(code) };
    }
    const client = webClientFailure(error);
    if (client) return { code: "slack_unavailable", text: failureText(locale, ref), ...client };
    return explainReportFailure(error, locale, ref);
  }
}
