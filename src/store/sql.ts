// Units of work written once for both databases.
//
// A unit of work is a generator that yields SQL operations and receives their results. The SQLite
// runner drives it synchronously inside one BEGIN IMMEDIATE transaction, so nothing else in the
// process can interleave with it (better-sqlite3 is synchronous; an async transaction would let
// other work run, or block, mid-transaction). The PostgreSQL runner drives the same generator
// asynchronously on one pooled connection between BEGIN and COMMIT.
//
// SQL is written with `?` placeholders; the PostgreSQL runner numbers them. Dates are passed as
// Date objects and come back as Date objects from both databases.

import { parseDateText } from "./date-text.ts";

export type Dialect = "sqlite" | "postgresql";

export type SqlValue = string | number | bigint | boolean | Date | null | readonly unknown[];

export type SqlOp =
  | { kind: "all"; sql: string; params: readonly SqlValue[] }
  | { kind: "run"; sql: string; params: readonly SqlValue[] };

export type Work<T> = Generator<SqlOp, T, unknown>;

export type Row = Record<string, unknown>;

/** Rows of a query. */
export function* all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Generator<SqlOp, T[], unknown> {
  return (yield { kind: "all", sql, params }) as T[];
}

/** A statement's count of changed rows. */
export function* run(sql: string, params: readonly SqlValue[] = []): Generator<SqlOp, number, unknown> {
  return (yield { kind: "run", sql, params }) as number;
}

export function* first<T extends Row = Row>(
  sql: string,
  params: readonly SqlValue[] = [],
): Generator<SqlOp, T | undefined, unknown> {
  const rows = yield* all<T>(sql, params);
  return rows[0];
}

export interface TransactionOptions {
  /**
   * Give up after this long (waiting for a lock or a connection included) with an error that
   * isStoreUnavailable() recognises. Defaults to the store's busy timeout.
   */
  timeoutMs?: number;
}

export interface SqlRunner {
  readonly dialect: Dialect;
  /** Runs a unit of work in one transaction; rolls back if it throws. */
  transaction<T>(work: (dialect: Dialect) => Work<T>, options?: TransactionOptions): Promise<T>;
  /** Runs read-only work outside a transaction. */
  read<T>(work: (dialect: Dialect) => Work<T>): Promise<T>;
  /** Is the database answering? */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `?, ?, ?` for n values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/** `(?, ?), (?, ?)` for rows × columns. */
export function valuesList(rows: number, columns: number): string {
  const row = `(${placeholders(columns)})`;
  return Array.from({ length: rows }, () => row).join(", ");
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A Date from what a driver returned for a date column (Date, ISO text, or null). */
export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return parseDateText(String(value));
}

export function asNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value : Number(value);
}
