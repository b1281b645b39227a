// Report jobs in the store: claimed by exactly one worker, held by a lease, taken over only once the
// lease has run out (a worker that died), and listed for the person who asked; queued within each
// person's limit, claimed by tenants in turn, and given up once their attempts are spent.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { slackConversation } from "../../src/chat/slack/slack-conversation.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { claimNextJob } from "../../src/store/report-job-claim.ts";
import {
  completeJob,
  createJob,
  queueJob,
  recentJobs,
  releaseJob,
  renewLease,
  retryJobLater,
} from "../../src/store/report-jobs.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { reportRequest } from "../support/report-fixture.ts";

const request = reportRequest({ from: "2026-10-01", to: "2026-10-31" });

describe.each(DATABASES)("report jobs on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let stores: Store[];
  let tenantId: number;
  const t0 = new Date("2026-11-25T12:00:00Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(async () => {
    db = fresh();
    // Two connections, as two instances of the bot would have.
    stores = [await openStore(db.url), await openStore(db.url)];
    tenantId = (await createTenant(stores[0] as Store, { slug: "acme", name: "Acme", timeZone: "UTC", locale: "es" })).tenant.id;
  });
  afterAll(async () => {
    for (const s of stores ?? []) await s.close();
    await db?.drop();
  });

  it("one job, many workers claiming at once: exactly one gets it", async () => {
    const [a, b] = stores as [Store, Store];
    const job = await createJob(
      a,
      { tenantId, platform: "slack", requesterId: "U1", conversation: slackConversation("T0FAKE", "C1", "U1", null), request },
      t0,
    );
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimNextJob(i % 2 ? b : a, `worker-${i}`, 10_000, at(1))),
    );
    const winners = claims.filter((c) => c?.id === job.id);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ status: "running", attempts: 1 });
  });

  it("a running job is not taken while its lease holds, and is taken over once it runs out", async () => {
    const [a, b] = stores as [Store, Store];
    const job = await createJob(
      a,
      { tenantId, platform: "slack", requesterId: "U2", conversation: slackConversation("T0FAKE", "C1", "U2", null), request },
      at(2),
    );
    const first = await claimNextJob(a, "first", 5_000, at(10));
    expect(first?.id).toBe(job.id);
    expect(await claimNextJob(b, "second", 5_000, at(3_000))).toBeNull();
    expect(await renewLease(a, job.id, "first", at(8_000))).toBe(true);
    expect(await claimNextJob(b, "second", 5_000, at(7_000))).toBeNull();
    // The first worker died: its lease runs out and another worker runs the job again.
    const second = await claimNextJob(b, "second", 5_000, at(9_000));
    expect([second?.id, second?.attempts]).toEqual([job.id, 2]);
    // The dead worker, were it alive after all, can no longer renew or complete it.
    expect(await renewLease(a, job.id, "first", at(20_000))).toBe(false);
    await completeJob(a, job.id, "first", { fileName: "x", fileBytes: 1, rows: 1, summary: {} as never }, at(9_500));
    expect((await a.prisma.reportJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("running");
  });

  it("history lists a person's last ten, newest first", async () => {
    const [a] = stores as [Store];
    for (let i = 0; i < 12; i++) {
      await createJob(
        a,
        {
          tenantId,
          platform: "slack",
          requesterId: "U3",
          conversation: slackConversation("T0FAKE", "C1", "U2", null),
          request: { ...request, to: `2026-10-${String(10 + i)}` },
        },
        at(100 + i),
      );
    }
    const jobs = await recentJobs(a, tenantId, "slack", "U3");
    expect(jobs.map((j) => j.request.to)).toEqual(Array.from({ length: 10 }, (_, i) => `2026-10-${21 - i}`));
    expect(await recentJobs(a, tenantId, "slack", "U0NOBODY")).toEqual([]);
  });
});

describe.each(DATABASES)("the report job queue on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  const tenants: Record<string, number> = {};
  const t0 = new Date("2026-11-25T12:00:00Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const job = (tenant: string, requesterId = "U1") => ({
    tenantId: tenants[tenant] as number,
    platform: "slack",
    requesterId,
    conversation: slackConversation("T0FAKE", "C1", "U1", null),
    request,
  });

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    for (const slug of ["tenant-a", "tenant-b"]) {
      tenants[slug] = (await createTenant(store, { slug, name: slug, timeZone: "UTC", locale: "es" })).tenant.id;
    }
  });
  beforeEach(async () => {
    await store.prisma.reportJob.deleteMany({});
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("tenants take turns: one job queued after another tenant's ten is among the first two claimed, one at a time", async () => {
    for (let i = 0; i < 10; i++) await createJob(store, job("tenant-a"), at(i));
    const late = await createJob(store, job("tenant-b"), at(10));
    const order: number[] = [];
    for (let k = 0; k < 11; k++) {
      const claimed = await claimNextJob(store, "only-worker", 10_000, at(100 + k));
      if (!claimed) break;
      order.push(claimed.id);
      await completeJob(
        store,
        claimed.id,
        "only-worker",
        { fileName: null, fileBytes: null, rows: 0, summary: {} as never },
        at(100 + k),
      );
    }
    expect(order).toHaveLength(11);
    expect(order.indexOf(late.id)).toBeLessThan(2);
  });

  it("the tenant with fewer jobs running goes first", async () => {
    for (let i = 0; i < 3; i++) await createJob(store, job("tenant-a"), at(i));
    const b = await createJob(store, job("tenant-b"), at(10));
    const first = await claimNextJob(store, "w1", 10_000, at(100));
    const second = await claimNextJob(store, "w2", 10_000, at(101));
    expect([first?.tenantId, second?.id]).toEqual([tenants["tenant-a"], b.id]);
  });

  it("a person's fourth report is refused while three are queued or running; nothing is queued for it", async () => {
    for (let i = 0; i < 3; i++) expect(await queueJob(store, job("tenant-a", "U0FULL"), 3, at(i))).toHaveProperty("job");
    expect(await queueJob(store, job("tenant-a", "U0FULL"), 3, at(3))).toEqual({ full: 3 });
    expect(await store.prisma.reportJob.count({ where: { requesterId: "U0FULL" } })).toBe(3);
    // Someone else is not held back by it.
    expect(await queueJob(store, job("tenant-a", "U0OTHER"), 3, at(4))).toHaveProperty("job");
    // Once one of the three is done, there is room again.
    const running = await claimNextJob(store, "w", 10_000, at(5));
    await completeJob(
      store,
      running?.id as number,
      "w",
      { fileName: null, fileBytes: null, rows: 0, summary: {} as never },
      at(6),
    );
    expect(await queueJob(store, job("tenant-a", "U0FULL"), 3, at(7))).toHaveProperty("job");
  });

  it("requests arriving at once never queue more than the limit", async () => {
    const [a, b] = [store, await openStore(db.url)];
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => queueJob(i % 2 ? b : a, job("tenant-b", "U0RACE"), 3, at(i))),
      );
      expect(results.filter((r) => "job" in r)).toHaveLength(3);
      expect(await store.prisma.reportJob.count({ where: { requesterId: "U0RACE" } })).toBe(3);
    } finally {
      await b.close();
    }
  });

  it("a job claimed as often as it may be (each run lost) comes back exhausted, without another attempt", async () => {
    const queued = await createJob(store, job("tenant-a"), at(0));
    for (let i = 1; i <= 3; i++) {
      // Each worker dies: the next one claims the job once the lease has run out.
      const claimed = await claimNextJob(store, `w${i}`, 1000, at(i * 2000), { maxAttempts: 3 });
      expect([claimed?.id, claimed?.attempts, claimed?.exhausted]).toEqual([queued.id, i, false]);
    }
    const last = await claimNextJob(store, "w4", 1000, at(8000), { maxAttempts: 3 });
    expect([last?.id, last?.attempts, last?.exhausted]).toEqual([queued.id, 3, true]);
  });

  it("a job handed back on a graceful stop has not spent its attempt", async () => {
    const queued = await createJob(store, job("tenant-a"), at(0));
    await claimNextJob(store, "w1", 10_000, at(1));
    await releaseJob(store, queued.id, "w1");
    const again = await claimNextJob(store, "w2", 10_000, at(2));
    expect([again?.id, again?.attempts]).toEqual([queued.id, 1]);
  });

  it("a job put back after a transient failure waits for its retry time", async () => {
    const queued = await createJob(store, job("tenant-a"), at(0));
    await claimNextJob(store, "w1", 10_000, at(1));
    expect(await retryJobLater(store, queued.id, "w1", at(5000), { code: "store_unavailable", text: "…" })).toBe(true);
    expect(await claimNextJob(store, "w2", 10_000, at(4999))).toBeNull();
    const again = await claimNextJob(store, "w2", 10_000, at(5000));
    expect([again?.id, again?.attempts, again?.errorCode]).toEqual([queued.id, 2, "store_unavailable"]);
  });
});
