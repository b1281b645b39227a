import pg from "pg";
import type { Dialect, SqlOp, SqlRunner, SqlValue, TransactionOptions, Work } from "./sql.ts";

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

/**
 * Prisma keeps DateTime in `timestamp(3)` (no zone) holding UTC. Read it as UTC whatever the
 * process's TZ, and read int8 as a number (ids and counts stay far below 2^53).
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === INT8_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format ?? "text");
  },
};

export function toPg(value: SqlValue | unknown): unknown {
  // toISOString is UTC; a zone suffix is ignored when it lands in a timestamp-without-zone column.
  // (pg itself would write a Date in the process's local time.)
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPg);
  return value;
}

/** `?` → `$1, $2, …` (the SQL in this project never has a `?` inside a literal). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function createPgPool(
  connectionString: string,
  schema: string | null,
  options: { max?: number; connectionTimeoutMs?: number } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    // JIT compiling a report's long select list costs more than it saves (0.4 s of a 3 s COPY of a
    // million rows); nothing else here runs long enough to gain from it.
    options: [schema ? `-c search_path="${schema.replace(/"/g, "")}"` : "", "-c jit=off"].filter(Boolean).join(" "),
  });
  // A connection that drops (the server restarts, the network goes) emits 'error' on its client,
  // and on the pool for an idle one; with no listener Node turns that into an uncaught exception
  // and the whole process goes down. The query in flight, if any, fails on its own and says so;
  // the pool replaces the connection.
  pool.on("error", ignoreDroppedConnection);
  pool.on("connect", (client) => client.on("error", ignoreDroppedConnection));
  return pool;
}

function ignoreDroppedConnection(): void {}

/** A transaction that did not finish in time: the database is as good as unavailable. */
export class StoreTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(ms: number, options?: ErrorOptions) {
    super(`the database did not answer within ${ms} ms`, options);
  }
}

/** Closes a client's socket under a query that will never answer (a dead network, a cut proxy). */
function cutConnection(client: pg.PoolClient): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** pool.connect(), or a timeout; a connection that arrives after the timeout goes straight back. */
function connectWithin(pool: pg.Pool, ms: number): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new StoreTimeoutError(ms));
    }, ms);
    pool.connect().then(
      (client) => {
        clearTimeout(timer);
        if (late) client.release();
        else resolve(client);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!late) reject(error);
      },
    );
  });
}

/** Statements with at most this many parameters are prepared once per connection and reused. */
const PREPARED_MAX_PARAMS = 24;
/** At most this many distinct statements are named; any others run unnamed, parsed each time. */
const PREPARED_MAX_STATEMENTS = 500;
const statementNames = new Map<string, string>();

/**
 * A query for pg. With `prepare` (write transactions: their statements look rows up by key, where
 * one plan fits every value), a named statement when its text is one of the fixed ones the hot
 * paths run, so PostgreSQL parses and plans it once per connection instead of on every batch.
 * Statements with long IN lists vary with their length and stay unnamed.
 */
function pgQuery(sql: string, values: unknown[], prepare: boolean): pg.QueryConfig {
  const text = numberPlaceholders(sql);
  if (!prepare || values.length > PREPARED_MAX_PARAMS) return { text, values };
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < PREPARED_MAX_STATEMENTS) {
    name = `hsm_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

export class PgRunner implements SqlRunner {
  readonly dialect: Dialect = "postgresql";

  constructor(
    readonly pool: pg.Pool,
    readonly busyTimeoutMs = 5000,
  ) {}

  /** `prepared`: run statements as named ones where pgQuery names them (write transactions only). */
  async #drive<T>(client: pg.PoolClient, work: Work<T>, prepared: boolean): Promise<T> {
    let step = work.next();
    while (!step.done) {
      const op: SqlOp = step.value;
      let result: unknown;
      try {
        const res = await client.query(pgQuery(op.sql, op.params.map(toPg), prepared));
        result = op.kind === "all" ? res.rows : (res.rowCount ?? 0);
      } catch (error) {
        step = work.throw(error);
        continue;
      }
      step = work.next(result);
    }
    return step.value;
  }

  async transaction<T>(work: (dialect: Dialect) => Work<T>, options: TransactionOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.busyTimeoutMs;
    const started = performance.now();
    const client = await connectWithin(this.pool, timeoutMs);
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        cutConnection(client);
      },
      Math.max(0, timeoutMs - (performance.now() - started)),
    );
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await this.#drive(client, work(this.dialect), true);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        if (!timedOut) await client.query("ROLLBACK");
        else broken = true;
      } catch {
        broken = true;
      }
      throw timedOut ? new StoreTimeoutError(timeoutMs, { cause: error }) : error;
    } finally {
      clearTimeout(timer);
      client.release(broken);
    }
  }

  async read<T>(work: (dialect: Dialect) => Work<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      // Reads are the reports' counts and summaries over a range: a plan made once for any range
      // (PostgreSQL's generic plan, after five runs of a prepared statement) could scan the whole
      // table for a one-day report. They stay unnamed and are planned for their own values.
      return await this.#drive(client, work(this.dialect), false);
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
