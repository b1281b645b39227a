// The raw SQL side of the store on its own, without Prisma: what report workers need (loading the
// Prisma client would cost each worker start-up time and memory for nothing).
import { type DatabaseTarget, parseDatabaseUrl } from "./database-url.ts";
import { type MigrationResult, migratePostgres, migrateSqlite } from "./migrate.ts";
import { createPgPool, PgRunner } from "./pg-runner.ts";
import type { Dialect, SqlRunner } from "./sql.ts";
import { SqliteRunner } from "./sqlite-runner.ts";

/** The part of a store that raw SQL code uses. */
export interface SqlStore {
  readonly target: DatabaseTarget;
  readonly dialect: Dialect;
  readonly sql: SqlRunner;
}

export function openSqlRunner(
  target: DatabaseTarget,
  busyTimeoutMs: number,
  options: { backgroundCheckpoints?: boolean } = {},
): SqlRunner {
  if (target.kind === "sqlite") {
    return new SqliteRunner(target.file, { busyTimeoutMs, backgroundCheckpoints: options.backgroundCheckpoints ?? false });
  }
  return new PgRunner(
    createPgPool(target.connectionString, target.schema, { connectionTimeoutMs: Math.max(busyTimeoutMs, 1000) }),
    busyTimeoutMs,
  );
}

/** For readers (report workers): no background checkpoints, they write nothing. */
export function openSqlStore(databaseUrl: string, busyTimeoutMs = 5000): SqlStore & { close(): Promise<void> } {
  const target = parseDatabaseUrl(databaseUrl);
  const sql = openSqlRunner(target, busyTimeoutMs);
  return { target, dialect: sql.dialect, sql, close: () => sql.close() };
}

/** Applies pending migrations with the raw drivers (see migrate.ts). */
export async function applyMigrations(store: SqlStore): Promise<MigrationResult> {
  if (store.sql instanceof SqliteRunner) {
    // Migrations run once, before anything is served: here a blocking wait for another process's
    // lock is what we want, rather than failing to start.
    const db = store.sql.db;
    const usual = db.pragma("busy_timeout", { simple: true }) as number;
    db.pragma(`busy_timeout = ${store.sql.busyTimeoutMs}`);
    try {
      return migrateSqlite(db);
    } finally {
      db.pragma(`busy_timeout = ${usual}`);
    }
  }
  const runner = store.sql as PgRunner;
  if (store.target.kind === "postgresql" && store.target.schema) {
    await runner.pool.query(`CREATE SCHEMA IF NOT EXISTS "${store.target.schema.replace(/"/g, "")}"`);
  }
  return migratePostgres(runner.pool);
}
