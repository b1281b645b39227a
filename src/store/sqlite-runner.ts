import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { dateText } from "./date-text.ts";
import type { Dialect, SqlOp, SqlRunner, SqlValue, TransactionOptions, Work } from "./sql.ts";
import { startCheckpointer } from "./sqlite-checkpointer.ts";

export function toSqlite(value: SqlValue): unknown {
  if (value instanceof Date) return dateText(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * SQLite waits for a lock held by another process by sleeping in the calling thread, which here is
 * the event loop: the server would stop answering anything for as long as the wait lasts. So the
 * connection itself gives up after a few milliseconds, and the runner waits for the lock
 * asynchronously between attempts (see #withLock), up to the busy timeout.
 */
export const SYNC_BUSY_WAIT_MS = 1;

/**
 * Every connection to the SQLite file gets these: this runner's and Prisma's (sqlite-prisma-adapter.ts).
 * FULL: an acknowledged webhook is never sent again by Meta, so a commit must survive power loss
 * (better-sqlite3 builds SQLite with NORMAL as the WAL default, which may lose the last commits).
 */
export const SQLITE_CONNECTION_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = FULL",
  "foreign_keys = ON",
  // When a writer starts the WAL over, it cuts the file back to this (64 MB) rather than keeping
  // the largest size it ever reached.
  "journal_size_limit = 67108864",
] as const;

export interface SqliteOpenOptions {
  /** How long a transaction may wait for the write lock, in total, before it fails with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /**
   * Checkpoint the WAL from a worker thread rather than inside whichever commit crosses the
   * autocheckpoint mark (a 4 MB copy and an fsync of the database file in the middle of a webhook).
   */
  backgroundCheckpoints?: boolean;
}

export function openSqliteDatabase(file: string, syncBusyWaitMs = SYNC_BUSY_WAIT_MS): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: syncBusyWaitMs });
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) db.pragma(pragma);
  // The ingest reads and rewrites message rows at random: keep far more of them in memory than the
  // 2 MB default, or every lookup (and every commit) pays for read() calls. Grows only as used.
  db.pragma("cache_size = -65536");
  return db;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SqliteRunner implements SqlRunner {
  readonly dialect: Dialect = "sqlite";
  readonly db: Database.Database;
  readonly busyTimeoutMs: number;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #stopCheckpoints: (() => Promise<void>) | null;

  constructor(file: string, options: SqliteOpenOptions = {}) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.db = openSqliteDatabase(file);
    if (options.backgroundCheckpoints) {
      this.db.pragma("wal_autocheckpoint = 0");
      this.#stopCheckpoints = startCheckpointer(file);
    } else {
      this.#stopCheckpoints = null;
    }
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
    // Bound as one array: spreading a multi-row insert's 1,800 values cost more than binding them.
    const params = op.params.map(toSqlite);
    if (op.kind === "all") return stmt.all(params);
    return stmt.run(params).changes;
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

  /**
   * Runs `attempt` until it gets past a lock held by another process, waiting between tries.
   * The pauses stay short (1, 1, 2, 2, 3 … 10 ms): the usual holder is the checkpointer's WAL
   * restart, which lets go within milliseconds, and every webhook queued behind this batch waits
   * for as long as the pause overshoots (doubling pauses grew to 25 ms). Sleeping costs the event
   * loop nothing.
   */
  async #withLock<T>(attempt: () => T, timeoutMs: number): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (let tries = 0, pause = 1; ; tries++, pause = Math.min(1 + (tries >> 1), 10)) {
      try {
        return attempt();
      } catch (error) {
        if (!isBusy(error) || performance.now() + pause > deadline) throw error;
      }
      await sleep(pause);
    }
  }

  transaction<T>(work: (dialect: Dialect) => Work<T>, options: TransactionOptions = {}): Promise<T> {
    return this.#withLock(
      () => this.db.transaction(() => this.#drive(work(this.dialect))).immediate(),
      options.timeoutMs ?? this.busyTimeoutMs,
    );
  }

  read<T>(work: (dialect: Dialect) => Work<T>): Promise<T> {
    return this.#withLock(() => this.#drive(work(this.dialect)), this.busyTimeoutMs);
  }

  ping(): Promise<void> {
    try {
      this.db.prepare("SELECT 1").get();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Can this process write right now? (Another process may hold the write lock for a long time.) */
  canWrite(): Promise<void> {
    return this.transaction(function* () {}, { timeoutMs: 0 });
  }

  async close(): Promise<void> {
    await this.#stopCheckpoints?.();
    if (this.db.open) this.db.close();
  }
}
