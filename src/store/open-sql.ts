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

export function openSqlRunner(target: DatabaseTarget, busyTimeoutMs: number): SqlRunner {
  if (target.kind === "sqlite") return new SqliteRunner(target.file, busyTimeoutMs);
  return new PgRunner(
    createPgPool(target.connectionString, target.schema, { connectionTimeoutMs: Math.max(busyTimeoutMs, 1000) }),
  );
}

export function openSqlStore(databaseUrl: string, busyTimeoutMs = 5000): SqlStore & { close(): Promise<void> } {
  const target = parseDatabaseUrl(databaseUrl);
  const sql = openSqlRunner(target, busyTimeoutMs);
  return { target, dialect: sql.dialect, sql, close: () => sql.close() };
}

/** Applies pending migrations with the raw drivers (see migrate.ts). */
export async function applyMigrations(store: SqlStore): Promise<MigrationResult> {
  if (store.sql instanceof SqliteRunner) return migrateSqlite(store.sql.db);
  const runner = store.sql as PgRunner;
  if (store.target.kind === "postgresql" && store.target.schema) {
    await runner.pool.query(`CREATE SCHEMA IF NOT EXISTS "${store.target.schema.replace(/"/g, "")}"`);
  }
  return migratePostgres(runner.pool);
}
