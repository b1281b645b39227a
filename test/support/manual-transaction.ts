// A unit of work driven by hand on its own connection, one SQL operation at a time, so that a test
// can stop it halfway (uncommitted) while another transaction runs, then let it finish.
import Database from "better-sqlite3";
import type pg from "pg";
import { numberPlaceholders, type PgRunner, toPg } from "../../src/store/pg-runner.ts";
import type { Dialect, SqlOp, Work } from "../../src/store/sql.ts";
import { type SqliteRunner, toSqlite } from "../../src/store/sqlite-runner.ts";

export interface ManualTransaction {
  /** Runs operations until the next one matches (it is not run), or the work ends. */
  runUntil(next: (op: SqlOp) => boolean): Promise<void>;
  /** Runs what is left and commits. */
  finish(): Promise<void>;
}

export async function beginManual<T>(
  runner: SqliteRunner | PgRunner,
  work: (dialect: Dialect) => Work<T>,
): Promise<ManualTransaction> {
  const gen = work(runner.dialect);
  let execute: (op: SqlOp) => Promise<unknown>;
  let commit: () => Promise<void>;
  if (runner.dialect === "postgresql") {
    const client: pg.PoolClient = await (runner as PgRunner).pool.connect();
    await client.query("BEGIN");
    execute = async (op) => {
      const res = await client.query(numberPlaceholders(op.sql), op.params.map(toPg));
      return op.kind === "all" ? res.rows : (res.rowCount ?? 0);
    };
    commit = async () => {
      await client.query("COMMIT");
      client.release();
    };
  } else {
    // A connection of its own, like another process would have; it takes the write lock now.
    const db = new Database((runner as SqliteRunner).db.name, { timeout: 0 });
    db.exec("BEGIN IMMEDIATE");
    execute = async (op) => {
      const stmt = db.prepare(op.sql);
      const params = op.params.map(toSqlite);
      return op.kind === "all" ? stmt.all(...params) : stmt.run(...params).changes;
    };
    commit = async () => {
      db.exec("COMMIT");
      db.close();
    };
  }
  let step = gen.next();
  const advance = async (until: (op: SqlOp) => boolean) => {
    while (!step.done && !until(step.value)) step = gen.next(await execute(step.value));
  };
  return {
    runUntil: advance,
    async finish() {
      await advance(() => false);
      await commit();
    },
  };
}
