// Taking the next report job: one worker at a time (a conditional update, so two workers in this
// process or in other instances never both get it), and tenants by turns (one tenant's queue does
// not hold another tenant's job behind it).
import type { Store } from "./open-store.ts";
import { getJob, type ReportJob } from "./report-jobs.ts";

/** A claimed job; `exhausted` when it was claimed only to be given up (every attempt spent). */
export interface ClaimedJob extends ReportJob {
  exhausted: boolean;
}

function claimable(now: Date) {
  return {
    OR: [
      { status: "queued", OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
      { status: "running", leaseUntil: { lt: now } },
    ],
  };
}

interface TenantTurn {
  tenantId: number;
  running: number;
  lastStarted: number;
  oldestWaiting: number;
}

/** Fewest jobs running first, then the tenant served least recently, then the oldest waiting job. */
export function nextTenant(turns: TenantTurn[]): number | null {
  const sorted = [...turns].sort(
    (a, b) =>
      a.running - b.running || a.lastStarted - b.lastStarted || a.oldestWaiting - b.oldestWaiting || a.tenantId - b.tenantId,
  );
  return sorted[0]?.tenantId ?? null;
}

/**
 * Takes a job that is waiting, or whose worker's lease ran out; null when there is none. Tenants
 * take turns: one tenant's ten queued jobs do not hold another's one job behind them. A job that
 * has had `maxAttempts` claims already is returned `exhausted` (claimed, not counted again), for
 * the caller to give up on and say so.
 */
export async function claimNextJob(
  store: Store,
  owner: string,
  leaseMs: number,
  now: Date,
  options: { maxAttempts?: number } = {},
): Promise<ClaimedJob | null> {
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const jobs = store.prisma.reportJob;
  for (let tries = 0; tries < 5; tries++) {
    const waiting = await jobs.groupBy({ by: ["tenantId"], where: claimable(now), _min: { createdAt: true } });
    if (waiting.length === 0) return null;
    const tenantIds = waiting.map((w) => w.tenantId);
    const [running, served] = await Promise.all([
      jobs.groupBy({
        by: ["tenantId"],
        where: { tenantId: { in: tenantIds }, status: "running", leaseUntil: { gte: now } },
        _count: { _all: true },
      }),
      jobs.groupBy({
        by: ["tenantId"],
        where: { tenantId: { in: tenantIds }, startedAt: { not: null } },
        _max: { startedAt: true },
      }),
    ]);
    const tenantId = nextTenant(
      waiting.map((w) => ({
        tenantId: w.tenantId,
        running: running.find((r) => r.tenantId === w.tenantId)?._count._all ?? 0,
        lastStarted: served.find((r) => r.tenantId === w.tenantId)?._max.startedAt?.getTime() ?? 0,
        oldestWaiting: w._min.createdAt?.getTime() ?? 0,
      })),
    );
    const candidate = await jobs.findFirst({
      where: { ...claimable(now), tenantId: tenantId ?? undefined },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    if (!candidate) continue;
    const exhausted = candidate.attempts >= maxAttempts;
    // Conditional on the state we saw: if another worker got there first, nothing changes.
    const claimed = await jobs.updateMany({
      where: { id: candidate.id, status: candidate.status, leaseOwner: candidate.leaseOwner, attempts: candidate.attempts },
      data: {
        status: "running",
        leaseOwner: owner,
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: exhausted ? candidate.attempts : candidate.attempts + 1,
        startedAt: now,
      },
    });
    if (claimed.count === 1) {
      const job = await getJob(store, candidate.id);
      return job ? { ...job, exhausted } : null;
    }
  }
  return null;
}
