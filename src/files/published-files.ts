// Publishing a report file: a copy of it under REPORTS_DIR/published/, a row in published_files,
// and a signed link to it (PUBLIC_URL/files/TOKEN) that works until the link expires. This is how a
// report reaches a Teams channel or group chat, where a bot cannot attach a file.
//
// The job runner removes its own report file once the job is delivered, so the published file is a
// hard link to it (no copy, when both are on one file system) or else a copy. It lives until the
// retention sweep (sweep-published-files.ts) removes it after its link expired, and not before.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { chmod, copyFile, link, mkdir, rm, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { Clock } from "../clock.ts";
import { REPORT_FILE_MODE } from "../reports/report-file.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { findPublishedFile, forgetPublishedFile, insertPublishedFile, type PublishedFileRow } from "../store/published-files.ts";
import { readDownloadToken, signDownloadToken } from "./download-token.ts";

/** Under REPORTS_DIR; the leftover-file sweep looks only at REPORTS_DIR itself, never in here. */
export const PUBLISHED_DIR = "published";

export interface PublishInput {
  /** The report file; it is left where it is, and may be removed right after. */
  sourcePath: string;
  /** The name the download is given (e.g. hsm-report-acme-2026-10-01_2026-10-31.xlsx). */
  fileName: string;
  jobId: number | null;
  tenantId: number;
  now: Date;
  /** How long the link works (DOWNLOAD_LINK_TTL_HOURS). */
  ttlMs: number;
  reportsDir: string;
  /** The server's public base URL, e.g. https://bot.example.com. */
  publicUrl: string;
  secret: Buffer;
}

export interface PublishedLink {
  /** PUBLIC_URL/files/TOKEN */
  url: string;
  token: string;
  /** Whole seconds: the link answers 410 from this instant on. */
  expiresAt: Date;
}

const CONTENT_TYPES: Record<string, string> = {
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".csv": "text/csv; charset=utf-8",
};

export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

export async function publishFile(store: SqlStore, input: PublishInput): Promise<PublishedLink> {
  if (!(input.ttlMs > 0)) throw new RangeError(`a download link needs a positive lifetime (got ${input.ttlMs} ms)`);
  const source = await stat(input.sourcePath);
  if (!source.isFile()) throw new Error(`${input.sourcePath} is not a file`);
  const expiresAt = new Date(Math.floor((input.now.getTime() + input.ttlMs) / 1000) * 1000);
  const dir = join(input.reportsDir, PUBLISHED_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ext = extname(input.fileName).toLowerCase();
  const relative = `${PUBLISHED_DIR}/${randomBytes(16).toString("hex")}${/^\.[a-z0-9]{1,8}$/.test(ext) ? ext : ""}`;
  // The row first: a crash between the two steps leaves a row without a file (its link answers 404
  // and the sweep closes it at expiry), never a file that no sweep knows about.
  const fileId = await insertPublishedFile(store, {
    jobId: input.jobId,
    tenantId: input.tenantId,
    fileName: input.fileName,
    contentType: contentTypeFor(input.fileName),
    bytes: source.size,
    path: relative,
    createdAt: input.now,
    expiresAt,
  });
  const target = join(input.reportsDir, relative);
  try {
    await linkOrCopy(input.sourcePath, target);
  } catch (error) {
    await rm(target, { force: true }).catch(() => {});
    await forgetPublishedFile(store, fileId).catch(() => {});
    throw error;
  }
  const token = signDownloadToken({ fileId, jobId: input.jobId, expiresAt }, input.secret);
  return { url: linkFor(input.publicUrl, token), token, expiresAt };
}

const linkFor = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, "")}/files/${token}`;

async function linkOrCopy(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch (error) {
    // Another file system (EXDEV), or one without hard links (EPERM, ENOTSUP…): copy instead.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw error;
    await copyFile(source, target, constants.COPYFILE_EXCL);
  }
  // Report files are the owner's only; a link shares the source's mode, a copy may not have it.
  await chmod(target, REPORT_FILE_MODE);
}

/** Why a link gives no file: malformed or tampered (403), expired (410), gone (404), database down (503). */
export type LinkRefusal = "invalid" | "expired" | "gone" | "unavailable";

export type PublishedLookup = { file: PublishedFileRow; path: string } | { refused: LinkRefusal };

/**
 * The file a download token names, judged as the link is: the token before the database (a
 * malformed or tampered one, or an expired one, costs no query), then the row it must match, and a
 * path that stays inside REPORTS_DIR/published. The file itself may still be missing on disk.
 */
export async function findPublishedByToken(
  store: SqlStore,
  token: string,
  options: { secret: Buffer; now: Date; reportsDir: string },
): Promise<PublishedLookup> {
  const claim = readDownloadToken(token, options.secret);
  if (!claim) return { refused: "invalid" };
  if (claim.expiresAt.getTime() <= options.now.getTime()) return { refused: "expired" };
  let row: PublishedFileRow | null;
  try {
    row = await findPublishedFile(store, claim.fileId);
  } catch (error) {
    if (isStoreUnavailable(error)) return { refused: "unavailable" };
    throw error;
  }
  // A valid MAC for a row that says otherwise was made for another database with the same secret.
  if (!row || row.deletedAt || row.jobId !== claim.jobId || row.expiresAt.getTime() !== claim.expiresAt.getTime()) {
    return { refused: "gone" };
  }
  const publishedDir = resolve(options.reportsDir, PUBLISHED_DIR) + sep;
  const path = resolve(options.reportsDir, row.path);
  if (!path.startsWith(publishedDir)) return { refused: "gone" };
  return { file: row, path };
}

/** What the chat adapters hold: publishFile with the installation's settings filled in. */
export interface FilePublisher {
  publish(file: { sourcePath: string; fileName: string; jobId: number | null; tenantId: number }): Promise<PublishedLink>;
  /** The published file a token names (for a Teams upload after the person accepted it). */
  find(token: string): Promise<PublishedLookup>;
  /** The download link of a token: PUBLIC_URL/files/TOKEN. */
  linkFor(token: string): string;
}

export function filePublisher(
  store: SqlStore,
  options: { reportsDir: string; ttlMs: number; secret: Buffer; clock: Clock; publicUrl: () => string },
): FilePublisher {
  return {
    find: (token) =>
      findPublishedByToken(store, token, { secret: options.secret, now: options.clock.now(), reportsDir: options.reportsDir }),
    linkFor: (token) => linkFor(options.publicUrl(), token),
    publish: (file) =>
      publishFile(store, {
        ...file,
        now: options.clock.now(),
        ttlMs: options.ttlMs,
        reportsDir: options.reportsDir,
        publicUrl: options.publicUrl(),
        secret: options.secret,
      }),
  };
}
