// The port every chat platform implements so that a job (or, later, a schedule) can answer in the
// conversation that asked: one message showing progress, then the file and its summary, or why not.
// It lives with the jobs that call it; the chat adapters (which may import jobs) implement it.
import type { ConversationRef } from "../domain/conversation-ref.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import type { ScheduleNotice } from "../domain/scheduled-post.ts";
import type { ReportJob } from "../store/report-jobs.ts";

export type { ScheduledPost, ScheduleNotice } from "../domain/scheduled-post.ts";

export interface DeliveredFile {
  fileId: string;
  permalink: string | null;
}

/** A failure the person in the conversation can act on, in their language. */
export interface DeliveryProblem {
  code: string;
  text: string;
  /**
   * Transient (the database or the platform did not answer, a rate limit, the network): the job
   * is tried again, up to its attempts. Otherwise the request's own problem: said at once.
   */
  retry: boolean;
  /** The platform asked to wait this long before trying again (a rate limit's Retry-After). */
  retryAfterMs?: number;
}

/**
 * What the job runner tells a file upload, so that a file is recorded before anything else can fail
 * and is never posted twice.
 */
export interface UploadHooks {
  /** A file id an earlier attempt got, whose posting was never confirmed: finish that one, never start a second. */
  earlierFileId: string | null;
  /** The platform gave the file its id: recorded before the step that posts it. */
  fileIdKnown(fileId: string): Promise<void>;
  /** Called right before the step that makes the file visible; throws when the job is no longer ours. */
  aboutToPost(): Promise<void>;
}

export interface ReportDelivery {
  /** Says something about a schedule in its conversation (in `locale`). */
  notice(conversation: ConversationRef, notice: ScheduleNotice, locale: ReportJob["request"]["locale"]): Promise<void>;
  /** Posts the progress message (or finds the one a previous attempt posted); returns its reference. */
  start(job: ReportJob): Promise<string>;
  progress(job: ReportJob, ref: string, rows: number, total: number): Promise<void>;
  /** Uploads the file into the conversation with the summary beside it. */
  deliver(
    job: ReportJob,
    ref: string,
    file: { path: string; name: string; bytes: number },
    summary: ReportSummary,
    upload: UploadHooks,
  ): Promise<DeliveredFile>;
  /** The file is there (possibly from an earlier attempt): the progress message says so. */
  finish(job: ReportJob, ref: string, summary: ReportSummary, delivered: DeliveredFile): Promise<void>;
  /** No messages in the range: said in words, no empty file. */
  empty(job: ReportJob, ref: string, summary: ReportSummary): Promise<void>;
  failed(job: ReportJob, ref: string | null, problem: DeliveryProblem): Promise<void>;
  /**
   * Any failure of the job → what to tell the person, in their language, whether to try again, and
   * a code for the log. `failureRef` goes into the text of an unexpected failure (never its cause).
   */
  explain(error: unknown, job: ReportJob, failureRef: string): DeliveryProblem;
}
