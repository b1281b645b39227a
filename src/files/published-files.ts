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
import { extname, join } from "node:path";
import type { Clock } from "../clock.ts";
import { REPORT_FILE_MODE } from "../reports/report-file.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { forgetPublishedFile, insertPublishedFile } from "../store/published-files.ts";
import { signDownloadToken } from "./download-token.ts";

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
  return { url: `${input.publicUrl.replace(/\/+$/, "")}/files/${token}`, token, expiresAt };
}

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

/** What the chat adapters hold: publishFile with the installation's settings filled in. */
export interface FilePublisher {
  publish(file: { sourcePath: string; fileName: string; jobId: number | null; tenantId: number }): Promise<PublishedLink>;
}

export function filePublisher(
  store: SqlStore,
  options: { reportsDir: string; ttlMs: number; secret: Buffer; clock: Clock; publicUrl: () => string },
): FilePublisher {
  return {
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
