// The published_files table: report files served by download link until their link expires.
// Raw SQL through the runner, so that housekeeping (which holds only the SQL side of the store)
// can sweep them.
import type { SqlStore } from "./open-sql.ts";
import { all, asDate, asNumber, first, run } from "./sql.ts";

export interface PublishedFileRow {
  id: number;
  jobId: number | null;
  tenantId: number;
  fileName: string;
  contentType: string;
  bytes: number;
  /** Relative to REPORTS_DIR. */
  path: string;
  createdAt: Date;
  expiresAt: Date;
  deletedAt: Date | null;
}

export type NewPublishedFile = Omit<PublishedFileRow, "id" | "deletedAt">;

const COLUMNS = `id, job_id, tenant_id, file_name, content_type, bytes, path, created_at, expires_at, deleted_at`;

function toRow(r: Record<string, unknown>): PublishedFileRow {
  return {
    id: asNumber(r.id) as number,
    jobId: asNumber(r.job_id),
    tenantId: asNumber(r.tenant_id) as number,
    fileName: String(r.file_name),
    contentType: String(r.content_type),
    bytes: asNumber(r.bytes) as number,
    path: String(r.path),
    createdAt: asDate(r.created_at) as Date,
    expiresAt: asDate(r.expires_at) as Date,
    deletedAt: asDate(r.deleted_at),
  };
}

export async function insertPublishedFile(store: SqlStore, file: NewPublishedFile): Promise<number> {
  return store.sql.transaction(function* () {
    const rows = yield* all<{ id: unknown }>(
      `INSERT INTO published_files (job_id, tenant_id, file_name, content_type, bytes, path, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [file.jobId, file.tenantId, file.fileName, file.contentType, file.bytes, file.path, file.createdAt, file.expiresAt],
    );
    return asNumber(rows[0]?.id) as number;
  });
}

export async function findPublishedFile(store: SqlStore, id: number): Promise<PublishedFileRow | null> {
  const row = await store.sql.read(function* () {
    return yield* first(`SELECT ${COLUMNS} FROM published_files WHERE id = ?`, [id]);
  });
  return row ? toRow(row) : null;
}

/** A publication that never got its file (the copy failed): nobody holds its link yet. */
export async function forgetPublishedFile(store: SqlStore, id: number): Promise<void> {
  await store.sql.transaction(function* () {
    yield* run(`DELETE FROM published_files WHERE id = ?`, [id]);
  });
}

/** Files whose link expired at or before `now` and that are still on disk, after `afterId`, oldest first. */
export async function expiredPublishedFiles(
  store: SqlStore,
  now: Date,
  afterId: number,
  limit: number,
): Promise<PublishedFileRow[]> {
  const rows = await store.sql.read(function* () {
    return yield* all(
      `SELECT ${COLUMNS} FROM published_files
       WHERE deleted_at IS NULL AND expires_at <= ? AND id > ? ORDER BY id LIMIT ?`,
      [now, afterId, limit],
    );
  });
  return rows.map(toRow);
}

export async function markPublishedFileDeleted(store: SqlStore, id: number, now: Date): Promise<void> {
  await store.sql.transaction(function* () {
    yield* run(`UPDATE published_files SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`, [now, id]);
  });
}
