import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Dialect, SqlOp, SqlRunner, SqlValue, Work } from "./sql.ts";

/** The text Prisma's SQLite adapter writes for a DateTime, so both paths compare and sort alike. */
export function sqliteDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

function toSqlite(value: SqlValue): unknown {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * Every connection to the SQLite file gets these: this runner's and Prisma's (sqlite-prisma-adapter.ts).
 * FULL: an acknowledged webhook is never sent again by Meta, so a commit must survive power loss
 * (better-sqlite3 builds SQLite with NORMAL as the WAL default, which may lose the last commits).
 */
export const SQLITE_CONNECTION_PRAGMAS = ["journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"] as const;

export function openSqliteDatabase(file: string, busyTimeoutMs = 5000): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) db.pragma(pragma);
  return db;
}

export class SqliteRunner implements SqlRunner {
  readonly dialect: Dialect = "sqlite";
  readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(file: string, busyTimeoutMs?: number) {
    this.db = openSqliteDatabase(file, busyTimeoutMs);
  }

  #statement(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      // Multi-row inserts make many distinct texts; keep the cache from growing without bound.
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #execute(op: SqlOp): unknown {
    const stmt = this.#statement(op.sql);
    const params = op.params.map(toSqlite);
    if (op.kind === "all") return stmt.all(...params);
    return stmt.run(...params).changes;
  }

  #drive<T>(work: Work<T>): T {
    let step = work.next();
    while (!step.done) {
      let result: unknown;
      try {
        result = this.#execute(step.value);
      } catch (error) {
        step = work.throw(error);
        continue;
      }
      step = work.next(result);
    }
    return step.value;
  }

  transaction<T>(work: (dialect: Dialect) => Work<T>): Promise<T> {
    try {
      const tx = this.db.transaction(() => this.#drive(work(this.dialect)));
      return Promise.resolve(tx.immediate());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  read<T>(work: (dialect: Dialect) => Work<T>): Promise<T> {
    try {
      return Promise.resolve(this.#drive(work(this.dialect)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  ping(): Promise<void> {
    try {
      this.db.prepare("SELECT 1").get();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
