// Prisma's SQLite adapter waits for another process's lock the way SQLite does: sleeping in the
// calling thread, which is the server's event loop. Its connection is therefore given a busy
// timeout of a few milliseconds (SYNC_BUSY_WAIT_MS), and this extension waits for the lock
// asynchronously between attempts instead, up to the store's busy timeout.
import type { PrismaClient } from "./generated/sqlite/client.ts";

function isLocked(error: unknown): boolean {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return e?.code === "P1008" && e.meta?.driverAdapterError?.cause?.originalCode === "SQLITE_BUSY";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function retryWhileLocked(prisma: PrismaClient, busyTimeoutMs: number): PrismaClient {
  return prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        const deadline = performance.now() + busyTimeoutMs;
        // A refused Prisma call costs about 10 ms of the loop itself (its error path), so tries are
        // spaced further apart than the raw runner's.
        for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
          try {
            return await query(args);
          } catch (error) {
            if (!isLocked(error) || performance.now() + pause > deadline) throw error;
          }
          await sleep(pause);
        }
      },
    },
  }) as unknown as PrismaClient;
}
