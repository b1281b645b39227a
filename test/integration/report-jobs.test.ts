// Report jobs in the store: claimed by exactly one worker, held by a lease, taken over only once the
// lease has run out (a worker that died), and listed for the person who asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { claimNextJob, completeJob, createJob, recentJobs, renewLease } from "../../src/store/report-jobs.ts";
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
      { tenantId, platform: "slack", requesterId: "U1", conversation: { channelId: "C1" }, request },
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
    const job = await createJob(a, { tenantId, platform: "slack", requesterId: "U2", conversation: {}, request }, at(2));
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
          conversation: {},
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
