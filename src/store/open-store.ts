import { PrismaPg } from "@prisma/adapter-pg";
import type { Logger } from "../log.ts";
import { silentLogger } from "../log.ts";
import { parseDatabaseUrl } from "./database-url.ts";
import { PrismaClient as PgPrismaClient } from "./generated/postgresql/client.ts";
import { PrismaClient } from "./generated/sqlite/client.ts";
import type { MigrationResult } from "./migrate.ts";
import { applyMigrations, openSqlRunner, type SqlStore } from "./open-sql.ts";
import type { PgRunner } from "./pg-runner.ts";
import { retryWhileLocked } from "./prisma-busy-retry.ts";
import { PrismaSqliteAdapter } from "./sqlite-prisma-adapter.ts";
import { type SqliteRunner, SYNC_BUSY_WAIT_MS } from "./sqlite-runner.ts";

export type { PrismaClient };

/**
 * The store: Prisma for everyday reads and writes, and a raw SQL runner for the hot paths (webhook
 * batches, send-record batches, report scans) where Prisma's per-query cost is measured too high.
 *
 * On SQLite, Prisma and the runner hold separate connections. Runner transactions are synchronous;
 * code in this process must not open multi-statement Prisma transactions ($transaction, nested
 * writes) that write while runner work is pending, or the two connections could wait on each other.
 */
export interface Store extends SqlStore {
  readonly prisma: PrismaClient;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  log?: Logger;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** Wait this long for a locked SQLite file or a PostgreSQL connection (default 5 s). */
  busyTimeoutMs?: number;
}

export async function migrateDatabase(databaseUrl: string): Promise<MigrationResult> {
  const store = await openStore(databaseUrl, { migrate: false });
  try {
    return await applyMigrations(store);
  } finally {
    await store.close();
  }
}

export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const log = options.log ?? silentLogger();
  const target = parseDatabaseUrl(databaseUrl);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let store: Store;
  if (target.kind === "sqlite") {
    const sql = openSqlRunner(target, busyTimeoutMs, { backgroundCheckpoints: true }) as SqliteRunner;
    const prisma = retryWhileLocked(
      new PrismaClient({ adapter: new PrismaSqliteAdapter({ url: `file:${target.file}`, timeout: SYNC_BUSY_WAIT_MS }) }),
      busyTimeoutMs,
    );
    store = {
      target,
      dialect: "sqlite",
      prisma,
      sql,
      async close() {
        await prisma.$disconnect();
        await sql.close();
      },
    };
  } else {
    const sql = openSqlRunner(target, busyTimeoutMs) as PgRunner;
    const { pool } = sql;
    // One pool for both; the generated PostgreSQL client has the same models as the SQLite one
    // (test/unit/schemas.test.ts), so it is typed as that one.
    const prisma = new PgPrismaClient({
      adapter: new PrismaPg(pool, target.schema ? { schema: target.schema } : undefined),
    }) as unknown as PrismaClient;
    store = {
      target,
      dialect: "postgresql",
      prisma,
      sql,
      async close() {
        await prisma.$disconnect();
        await sql.close();
      },
    };
  }
  if (options.migrate !== false) {
    try {
      const result = await applyMigrations(store);
      if (result.applied.length > 0) log.info({ applied: result.applied }, "database migrated");
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
  }
  return store;
}
