// Report jobs in the store. A job is claimed by one worker with a conditional update (so two
// workers, in this process or another instance, never run it at once) and held by a lease the
// worker renews; a job whose worker died is claimed again once its lease has run out. `attempts`
// counts claims; a queued job's `lease_until`, when set, is the earliest time it may be retried.
//
// The file of a job is recorded in two steps: `file_id` as soon as the platform names the file
// (before it is posted), then `file_name` once the platform confirmed it is in the conversation.
// A file id without a file name is an upload whose posting was never confirmed.
import { type ConversationRef, readConversationRef } from "../domain/conversation-ref.ts";
import type { ReportRequest } from "../domain/report-request.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import type { ScheduledPost } from "../domain/scheduled-post.ts";
import type { Store } from "./open-store.ts";
import { all, first, type SqlOp } from "./sql.ts";

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface ReportJob {
  id: number;
  tenantId: number;
  platform: string;
  /** Who asked; null for a scheduled report. */
  requesterId: string | null;
  conversation: ConversationRef;
  request: ReportRequest;
  /** The schedule run that made it, if a schedule did. */
  scheduleRunId: number | null;
  /** For a schedule's job, what its post says besides the report (filled in when it runs, not stored). */
  post?: ScheduledPost | null;
  status: JobStatus;
  attempts: number;
  progressRows: number;
  totalRows: number | null;
  messageRef: string | null;
  fileName: string | null;
  fileBytes: number | null;
  rows: number | null;
  fileId: string | null;
  permalink: string | null;
  summary: ReportSummary | null;
  errorCode: string | null;
  errorText: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

type Row = Awaited<ReturnType<Store["prisma"]["reportJob"]["findUniqueOrThrow"]>>;

function toJob(r: Row): ReportJob {
  return {
    id: r.id,
    tenantId: r.tenantId,
    platform: r.platform,
    requesterId: r.requesterId,
    conversation: readConversationRef(JSON.parse(r.conversation), r.platform),
    request: JSON.parse(r.request),
    scheduleRunId: r.scheduleRunId,
    status: r.status as JobStatus,
    attempts: r.attempts,
    progressRows: r.progressRows,
    totalRows: r.totalRows,
    messageRef: r.messageRef,
    fileName: r.fileName,
    fileBytes: r.fileBytes,
    rows: r.rows,
    fileId: r.fileId,
    permalink: r.permalink,
    summary: r.summary ? JSON.parse(r.summary) : null,
    errorCode: r.errorCode,
    errorText: r.errorText,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

export interface NewJob {
  tenantId: number;
  platform: string;
  requesterId: string | null;
  conversation: ConversationRef;
  request: ReportRequest;
  scheduleRunId?: number | null;
}

export async function createJob(store: Store, input: NewJob, now: Date): Promise<ReportJob> {
  const row = await store.prisma.reportJob.create({
    data: {
      tenantId: input.tenantId,
      platform: input.platform,
      requesterId: input.requesterId,
      conversation: JSON.stringify(input.conversation),
      request: JSON.stringify(input.request),
      scheduleRunId: input.scheduleRunId ?? null,
      status: "queued",
      createdAt: now,
    },
  });
  return toJob(row);
}

export async function getJob(store: Store, id: number): Promise<ReportJob | null> {
  const row = await store.prisma.reportJob.findUnique({ where: { id } });
  return row ? toJob(row) : null;
}

/**
 * Queues a job unless its requester already has `maxActive` queued or running (on this platform):
 * then nothing is queued and the answer says how many they have. The count and the insert are one
 * transaction, serialised per requester, so two requests at once cannot both take the last place.
 */
export async function queueJob(
  store: Store,
  input: NewJob & { requesterId: string },
  maxActive: number,
  now: Date,
): Promise<{ job: ReportJob } | { full: number }> {
  const outcome = await store.sql.transaction(function* (dialect): Generator<SqlOp, { full: number } | { id: number }, unknown> {
    if (dialect === "postgresql") {
      yield* all(`SELECT pg_advisory_xact_lock(hashtext(?)) AS locked`, [`report_jobs:${input.platform}:${input.requesterId}`]);
    }
    const active = yield* first<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM report_jobs WHERE platform = ? AND requester_id = ? AND status IN ('queued', 'running')`,
      [input.platform, input.requesterId],
    );
    const n = Number(active?.n ?? 0);
    if (n >= maxActive) return { full: n };
    const row = yield* first<{ id: number | string }>(
      `INSERT INTO report_jobs (tenant_id, platform, requester_id, conversation, request, schedule_run_id, status, attempts, progress_rows, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?) RETURNING id`,
      [
        input.tenantId,
        input.platform,
        input.requesterId,
        JSON.stringify(input.conversation),
        JSON.stringify(input.request),
        input.scheduleRunId ?? null,
        now,
      ],
    );
    return { id: Number(row?.id) };
  });
  if ("full" in outcome) return { full: outcome.full };
  const job = await getJob(store, outcome.id);
  if (!job) throw new Error(`report job ${outcome.id} vanished after it was queued`);
  return { job };
}

/** Extends the lease; false when the job is no longer this worker's. */
export async function renewLease(store: Store, id: number, owner: string, until: Date): Promise<boolean> {
  const r = await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner, status: "running" },
    data: { leaseUntil: until },
  });
  return r.count === 1;
}

export async function recordProgress(store: Store, id: number, owner: string, rows: number, total: number): Promise<void> {
  await store.prisma.reportJob.updateMany({ where: { id, leaseOwner: owner }, data: { progressRows: rows, totalRows: total } });
}

export async function recordMessageRef(store: Store, id: number, ref: string): Promise<void> {
  await store.prisma.reportJob.update({ where: { id }, data: { messageRef: ref } });
}

/** The platform named the file (not yet posted); false when the job is no longer this worker's. */
export async function recordFileId(store: Store, id: number, owner: string, fileId: string): Promise<boolean> {
  const r = await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner, status: "running" },
    data: { fileId, fileName: null, permalink: null },
  });
  return r.count === 1;
}

/**
 * The platform confirmed the file is in the conversation. Recorded whoever holds the lease now: it
 * is a fact about the conversation, and whoever runs the job next must not post it again.
 */
export async function recordPosted(
  store: Store,
  id: number,
  fileId: string,
  posted: { fileName: string; fileBytes: number; rows: number; summary: ReportSummary; permalink: string | null },
): Promise<void> {
  await store.prisma.reportJob.updateMany({
    where: { id },
    data: {
      fileId,
      fileName: posted.fileName,
      fileBytes: posted.fileBytes,
      rows: posted.rows,
      summary: JSON.stringify(posted.summary),
      permalink: posted.permalink,
    },
  });
}

export async function completeJob(
  store: Store,
  id: number,
  owner: string,
  result: { fileName: string | null; fileBytes: number | null; rows: number; summary: ReportSummary },
  now: Date,
): Promise<void> {
  await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner },
    data: {
      status: "done",
      fileName: result.fileName,
      fileBytes: result.fileBytes,
      rows: result.rows,
      progressRows: result.rows,
      summary: JSON.stringify(result.summary),
      finishedAt: now,
      leaseOwner: null,
      leaseUntil: null,
    },
  });
}

export async function failJob(store: Store, id: number, owner: string, code: string, text: string, now: Date): Promise<void> {
  await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner },
    data: { status: "failed", errorCode: code, errorText: text, finishedAt: now, leaseOwner: null, leaseUntil: null },
  });
}

/** A transient failure: back to the queue, to be claimed again from `at`; false when not this worker's. */
export async function retryJobLater(
  store: Store,
  id: number,
  owner: string,
  at: Date,
  error: { code: string; text: string },
): Promise<boolean> {
  const r = await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner, status: "running" },
    data: { status: "queued", leaseOwner: null, leaseUntil: at, errorCode: error.code, errorText: error.text },
  });
  return r.count === 1;
}

/** On a graceful stop: give the job back so the next start picks it up at once; the attempt is not spent. */
export async function releaseJob(store: Store, id: number, owner: string): Promise<void> {
  await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner, status: "running", attempts: { gt: 0 } },
    data: { status: "queued", leaseOwner: null, leaseUntil: null, attempts: { decrement: 1 } },
  });
}

export async function recentJobs(
  store: Store,
  tenantId: number,
  platform: string,
  requesterId: string,
  limit = 10,
): Promise<ReportJob[]> {
  const rows = await store.prisma.reportJob.findMany({
    where: { tenantId, platform, requesterId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return rows.map(toJob);
}
