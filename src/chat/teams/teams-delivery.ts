// Answers a report job in Teams: one progress card, updated in place, that becomes the report's
// summary card. The file goes where Teams lets a bot put one:
// - in a personal chat, through Teams' file consent flow: a FileConsentCard asks to send it, and
//   once the person accepts, file-consent.ts uploads it to their OneDrive (declined: a link);
// - in channels and group chats, where bots cannot attach files, behind a signed download link
//   (PUBLIC_URL/files/TOKEN): the summary card's Download button.
// Either way the file is published first (a copy that outlives the job's own file until its link
// expires), and the published file's token is the file id the job records before anything is
// posted, so that an attempt after a crash never posts the file a second time.
import type { Activity } from "botbuilder";
import type { ConversationRef } from "../../domain/conversation-ref.ts";
import type { ReportSummary } from "../../domain/report-summary.ts";
import type { ScheduleNotice } from "../../domain/scheduled-post.ts";
import type { Locale } from "../../domain/tenant.ts";
import { statedExpiry } from "../../files/download-token.ts";
import type { FilePublisher } from "../../files/published-files.ts";
import { failureText } from "../../jobs/failure-text.ts";
import type { ReportJob } from "../../store/report-jobs.ts";
import { TEAMS_PREFIX } from "../commands.ts";
import type { DeliveredFile, DeliveryProblem, ReportDelivery, UploadHooks } from "../conversation.ts";
import { explainReportFailure, scheduleText } from "../messages.ts";
import { scheduledPostFacts } from "../scheduled-post-lines.ts";
import { fileConsentCard, summaryCard, textCard } from "./delivery-cards.ts";
import type { PostOptions } from "./teams-app.ts";
import { teamsText, utcMinute } from "./teams-text.ts";

/** What the delivery needs of the Teams front door (teams-app.ts). */
export interface TeamsPoster {
  send(ref: ConversationRef, activity: Partial<Activity>, options?: PostOptions): Promise<string>;
  update(ref: ConversationRef, activityId: string, activity: Partial<Activity>, options?: PostOptions): Promise<void>;
  sendDirect?(ref: ConversationRef, activity: Partial<Activity>): Promise<void>;
}

interface MessageRef {
  /** The progress card's activity id. */
  id: string;
  inThread: boolean;
}

/**
 * The file id a job records: `consent:TOKEN` when a FileConsentCard offered the file, `link:TOKEN`
 * when the summary card's Download button is how it is fetched.
 */
const fileIdOf = (how: "consent" | "link", token: string) => `${how}:${token}`;
function readFileId(fileId: string): { how: "consent" | "link"; token: string } | null {
  const m = /^(consent|link):(.+)$/.exec(fileId);
  return m ? { how: m[1] as "consent" | "link", token: m[2] as string } : null;
}

/** Connector answers that mean the bot is no longer in the conversation (removed, or it is gone). */
const NOT_THERE = new Set(["BotNotInConversationRoster", "ConversationNotFound", "ConversationBlockedByUser", "Forbidden"]);

interface RestFailure {
  status: number;
  code: string | null;
}

/** botframework-connector's RestError: its HTTP status, and the Bot Framework's error code if it gave one. */
function restFailure(error: unknown): RestFailure | null {
  if (!(error instanceof Error) || error.name !== "RestError") return null;
  const e = error as Error & { statusCode?: number; code?: string; body?: unknown; response?: { parsedBody?: unknown } };
  const body = (e.response?.parsedBody ?? e.body) as { error?: { code?: unknown } } | undefined;
  const code = typeof body?.error?.code === "string" ? body.error.code : typeof e.code === "string" ? e.code : null;
  return { status: e.statusCode ?? 0, code };
}

export class TeamsDelivery implements ReportDelivery {
  constructor(
    private readonly teams: TeamsPoster,
    private readonly files: FilePublisher,
  ) {}

  async start(job: ReportJob): Promise<string> {
    // A schedule's post is a new message in the channel; an answer goes into the thread it was asked in.
    const inThread = !job.scheduleRunId;
    const id = await this.teams.send(job.conversation, this.#progress(job, teamsText(job.request.locale).progressStart), {
      inThread,
    });
    return JSON.stringify({ id, inThread } satisfies MessageRef);
  }

  async progress(job: ReportJob, ref: string, rows: number, total: number): Promise<void> {
    const pct = total === 0 ? 100 : Math.floor((rows / total) * 100);
    await this.#update(job, ref, this.#progress(job, teamsText(job.request.locale).progress(pct, rows, total)));
  }

  async deliver(
    job: ReportJob,
    _ref: string,
    file: { path: string; name: string; bytes: number },
    summary: ReportSummary,
    upload: UploadHooks,
  ): Promise<DeliveredFile> {
    const earlier = upload.earlierFileId ? readFileId(upload.earlierFileId) : null;
    if (earlier) {
      // An earlier attempt published the file and may have offered it: whatever it did, the summary
      // card (finish) carries the link, and nothing is posted a second time.
      await upload.aboutToPost();
      return { fileId: fileIdOf("link", earlier.token), permalink: this.files.linkFor(earlier.token) };
    }
    const link = await this.files.publish({ sourcePath: file.path, fileName: file.name, jobId: job.id, tenantId: job.tenantId });
    const personal = job.conversation.extra.conversationType === "personal";
    const fileId = fileIdOf(personal ? "consent" : "link", link.token);
    await upload.fileIdKnown(fileId);
    await upload.aboutToPost();
    if (personal) {
      const description = teamsText(job.request.locale).consentDescription(summary.totals.total);
      const offer = { name: file.name, bytes: file.bytes, description, token: link.token, locale: job.request.locale };
      await this.teams.send(job.conversation, fileConsentCard(offer));
    }
    return { fileId, permalink: link.url };
  }

  /** The progress card becomes the summary card; replaying it (after a restart) changes nothing. */
  async finish(job: ReportJob, ref: string, summary: ReportSummary, delivered: DeliveredFile): Promise<void> {
    const t = teamsText(job.request.locale);
    const file = readFileId(delivered.fileId);
    const link = file ? this.files.linkFor(file.token) : delivered.permalink;
    const expires = file ? statedExpiry(file.token) : null;
    const status =
      file?.how === "consent"
        ? `${t.ready(summary.totals.total)} ${t.acceptFile}`
        : `${t.ready(summary.totals.total)}${expires ? ` ${t.linkUntil(utcMinute(expires))}` : ""}`;
    await this.#update(
      job,
      ref,
      summaryCard(summary, {
        lead: this.#lead(job, summary),
        status,
        ...(file?.how !== "consent" && link ? { download: { url: link, label: t.download } } : {}),
      }),
    );
  }

  async empty(job: ReportJob, ref: string, summary: ReportSummary): Promise<void> {
    const { from, to } = summary.applied;
    const zone = summary.tenant.timeZone;
    const status = job.post
      ? scheduleText(job.request.locale).noMessages(job.post.scheduleId, from, to, zone)
      : teamsText(job.request.locale).empty(from, to, zone);
    await this.#update(job, ref, summaryCard(summary, { lead: this.#lead(job, summary), status }));
  }

  async failed(job: ReportJob, ref: string | null, problem: DeliveryProblem): Promise<void> {
    const locale = job.request.locale;
    const text = job.post
      ? scheduleText(locale).runFailed(job.post.scheduleId, problem.text, TEAMS_PREFIX)
      : teamsText(locale).failed(problem.text);
    if (problem.code === "teams_not_in_conversation") {
      // The bot is no longer in the conversation: a schedule's creator hears it in a 1:1 chat; a
      // request's asker cannot be reached there either (the job's row and the log keep why).
      if (job.post && this.teams.sendDirect) {
        const where = locale === "es" ? "su canal de Teams" : "its Teams channel";
        const said = scheduleText(locale).cannotPost(job.post.scheduleId, where, TEAMS_PREFIX);
        await this.teams.sendDirect(job.conversation, textCard([said], { attention: true }));
      }
      return;
    }
    if (ref) return this.#update(job, ref, textCard([text], { attention: true }));
    await this.teams.send(job.conversation, textCard([text], { attention: true }), { inThread: !job.scheduleRunId });
  }

  async notice(conversation: ConversationRef, notice: ScheduleNotice, locale: Locale): Promise<void> {
    const text = scheduleText(locale).pausedAfterFailures(notice.scheduleId, notice.failures, TEAMS_PREFIX);
    await this.teams.send(conversation, textCard([text], { attention: true }), { inThread: false });
  }

  explain(error: unknown, job: ReportJob, ref: string): DeliveryProblem {
    const locale = job.request.locale;
    const rest = restFailure(error);
    if (rest) {
      if ((rest.code && NOT_THERE.has(rest.code)) || rest.status === 403 || rest.status === 404)
        return { code: "teams_not_in_conversation", text: teamsText(locale).notInConversation, retry: false };
      if (rest.status === 429 || rest.status >= 500 || rest.status === 0)
        return { code: "teams_unavailable", text: failureText(locale, ref), retry: true };
      return {
        code: `teams_${rest.code ?? rest.status}`,
        text: teamsText(locale).teamsRefused(rest.code ?? String(rest.status), ref),
        retry: false,
      };
    }
    // No answer at all from the connector (refused connection, reset, timeout).
    const cause = (error as { code?: unknown; cause?: { code?: unknown } } | null) ?? {};
    const network = [cause.code, cause.cause?.code].some((c) => typeof c === "string" && /^(E[A-Z]+|UND_ERR)/.test(c));
    if (network) return { code: "teams_unavailable", text: failureText(locale, ref), retry: true };
    return explainReportFailure(error, locale, ref);
  }

  #progress(job: ReportJob, text: string): Partial<Activity> {
    return textCard([...this.#lead(job, null), text]);
  }

  /** What a scheduled post says above the report: its schedule, period, comparison, lateness, misses. */
  #lead(job: ReportJob, summary: ReportSummary | null): string[] {
    if (!job.post) return [];
    const facts = scheduledPostFacts(job, job.post, summary, TEAMS_PREFIX);
    return [`${facts.schedule} · #${job.post.scheduleId}`, ...facts.lines];
  }

  async #update(job: ReportJob, ref: string, activity: Partial<Activity>): Promise<void> {
    const { id, inThread } = JSON.parse(ref) as MessageRef;
    await this.teams.update(job.conversation, id, activity, { inThread });
  }
}
