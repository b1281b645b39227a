// The job runner against a real store and a delivery that records what it was asked to post: a
// runner that lost its lease posts nothing more; a file already posted is never posted again.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { slackConversation } from "../../src/chat/slack/slack-conversation.ts";
import { systemClock } from "../../src/clock.ts";
import type { DeliveryProblem, ReportDelivery, UploadHooks } from "../../src/jobs/delivery.ts";
import { JobRunner } from "../../src/jobs/job-runner.ts";
import { createLogger } from "../../src/log.ts";
import { DEFAULT_REPORT_SETTINGS } from "../../src/reports/plan.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { createJob, getJob } from "../../src/store/report-jobs.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { reportRequest, seedReportFixture } from "../support/report-fixture.ts";

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A delivery that records every call; `onStart` runs inside `start`, to act while the job runs. */
function recordingDelivery(onStart: (jobId: number) => Promise<void> = async () => {}) {
  const calls: { method: string; earlierFileId?: string | null }[] = [];
  const delivery: ReportDelivery = {
    async notice() {
      calls.push({ method: "notice" });
    },
    async start(job) {
      calls.push({ method: "start" });
      await onStart(job.id);
      return "progress-message";
    },
    async progress() {
      calls.push({ method: "progress" });
    },
    async deliver(_job, _ref, _file, _summary, upload: UploadHooks) {
      calls.push({ method: "deliver", earlierFileId: upload?.earlierFileId });
      await upload?.fileIdKnown("F-NEW");
      await upload?.aboutToPost();
      return { fileId: "F-NEW", permalink: null };
    },
    async finish() {
      calls.push({ method: "finish" });
    },
    async empty() {
      calls.push({ method: "empty" });
    },
    async failed() {
      calls.push({ method: "failed" });
    },
    explain(error): DeliveryProblem {
      return { code: "internal_error", text: String(error), retry: false };
    },
  };
  return { delivery, calls };
}

describe.each(DATABASES)("the job runner on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let tenantId: number;
  let runner: JobRunner | null = null;
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({
    level: "debug",
    pretty: false,
    destination: new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
        done();
      },
    }),
  });
  const startRunner = (delivery: ReportDelivery) => {
    runner = new JobRunner({
      store,
      databaseUrl: db.url,
      busyTimeoutMs: 5000,
      settings: DEFAULT_REPORT_SETTINGS,
      reportsDir: mkdtempSync(join(tmpdir(), "hsm-runner-")),
      concurrency: 1,
      leaseMs: 30_000,
      progressIntervalMs: 0,
      pollMs: 50,
      maxAttempts: 3,
      deliveries: { slack: delivery },
      log,
      clock: systemClock,
    });
    runner.start();
  };
  const queue = () =>
    createJob(
      store,
      {
        tenantId,
        platform: "slack",
        requesterId: "U1",
        conversation: slackConversation("T0FAKE", "C1", "U1", null),
        request: reportRequest({ format: "csv" }),
      },
      new Date(),
    );

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    tenantId = await seedReportFixture(store);
  });
  afterEach(async () => {
    await runner?.stop();
    runner = null;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("a runner whose lease another worker took stops: it posts nothing more and leaves the job to that worker", async () => {
    const job = await queue();
    const { delivery, calls } = recordingDelivery(async (id) => {
      // While this runner works, another instance takes the job over (this one stalled past its lease).
      await store.prisma.reportJob.update({
        where: { id },
        data: { leaseOwner: "another-instance", leaseUntil: new Date(Date.now() + 600_000) },
      });
    });
    startRunner(delivery);
    await until(
      "the runner to stop or post",
      () => calls.length > 1 || logs.some((l) => l.job === job.id && String(l.msg).includes("taken over")),
    );
    // Whatever the runner would still do, it would have done by the time the report is written.
    await new Promise((r) => setTimeout(r, 1000));
    expect(calls.map((c) => c.method)).toEqual(["start"]);
    const after = await getJob(store, job.id);
    expect([after?.status, after?.fileId]).toEqual(["running", null]);
    expect((await store.prisma.reportJob.findUniqueOrThrow({ where: { id: job.id } })).leaseOwner).toBe("another-instance");
  });

  it("a job whose file an earlier attempt posted is only finished: the file is not delivered again", async () => {
    const job = await queue();
    await store.prisma.reportJob.update({
      where: { id: job.id },
      data: {
        messageRef: "progress-message",
        fileId: "F-EARLIER",
        fileName: "hsm-report-acme.csv",
        fileBytes: 10,
        rows: 3,
        summary: JSON.stringify({ totals: { total: 3 } }),
      },
    });
    const { delivery, calls } = recordingDelivery();
    startRunner(delivery);
    const done = await until("the job to be done", async () => {
      const j = await getJob(store, job.id);
      return j?.status === "done" ? j : null;
    });
    expect(calls.map((c) => c.method)).toEqual(["finish"]);
    expect([done.fileId, done.fileName]).toEqual(["F-EARLIER", "hsm-report-acme.csv"]);
  });

  it("a job with a file id whose posting was never confirmed hands that id to the upload, not a fresh one", async () => {
    const job = await queue();
    await store.prisma.reportJob.update({ where: { id: job.id }, data: { messageRef: "progress-message", fileId: "F-PENDING" } });
    const { delivery, calls } = recordingDelivery();
    startRunner(delivery);
    await until("the job to be done", async () => (await getJob(store, job.id))?.status === "done");
    expect(calls.filter((c) => c.method === "deliver")).toEqual([{ method: "deliver", earlierFileId: "F-PENDING" }]);
  });
});
