// Report jobs in the store. A job is claimed by one worker with a conditional update (so two
// workers, in this process or another instance, never run it at once) and held by a lease the
// worker renews; a job whose worker died is claimed again once its lease has run out.
import type { ReportRequest } from "../domain/report-request.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import type { Store } from "./open-store.ts";

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface ReportJob {
  id: number;
  tenantId: number;
  platform: string;
  requesterId: string;
  conversation: Record<string, unknown>;
  request: ReportRequest;
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
    conversation: JSON.parse(r.conversation),
    request: JSON.parse(r.request),
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

export async function createJob(
  store: Store,
  input: {
    tenantId: number;
    platform: string;
    requesterId: string;
    conversation: Record<string, unknown>;
    request: ReportRequest;
  },
  now: Date,
): Promise<ReportJob> {
  const row = await store.prisma.reportJob.create({
    data: {
      tenantId: input.tenantId,
      platform: input.platform,
      requesterId: input.requesterId,
      conversation: JSON.stringify(input.conversation),
      request: JSON.stringify(input.request),
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

/** Takes the oldest job that is waiting, or whose worker's lease ran out; null when there is none. */
export async function claimNextJob(store: Store, owner: string, leaseMs: number, now: Date): Promise<ReportJob | null> {
  for (let tries = 0; tries < 5; tries++) {
    const candidate = await store.prisma.reportJob.findFirst({
      where: { OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: now } }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    if (!candidate) return null;
    // Conditional on the state we saw: if another worker got there first, nothing changes.
    const claimed = await store.prisma.reportJob.updateMany({
      where: { id: candidate.id, status: candidate.status, leaseOwner: candidate.leaseOwner, attempts: candidate.attempts },
      data: {
        status: "running",
        leaseOwner: owner,
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: candidate.attempts + 1,
        startedAt: now,
      },
    });
    if (claimed.count === 1) return getJob(store, candidate.id);
  }
  return null;
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

/** The file is in the conversation: remembered at once, so a re-run never posts it twice. */
export async function recordDelivery(store: Store, id: number, fileId: string, permalink: string | null): Promise<void> {
  await store.prisma.reportJob.update({ where: { id }, data: { fileId, permalink } });
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

/** On a graceful stop: give the job back so the next start picks it up at once. */
export async function releaseJob(store: Store, id: number, owner: string): Promise<void> {
  await store.prisma.reportJob.updateMany({
    where: { id, leaseOwner: owner, status: "running" },
    data: { status: "queued", leaseOwner: null, leaseUntil: null },
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
