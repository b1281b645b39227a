// Report files left behind in REPORTS_DIR by a server that died mid-report: a `.….partial` (the
// engine writes under a temporary name and renames when complete) or a finished `job-<id>-…` that
// was never posted and removed. They hold customer data, so they go.
import type { Dirent } from "node:fs";
import { lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const LEFTOVER = [/\.partial$/, /^job-\d+-/];

/**
 * Several instances may share REPORTS_DIR, and a file another live instance is working on looks
 * just like a leftover. Only the age of its last write tells them apart: a report being written
 * changes its file continuously, a finished part waits at most for its sibling part, and a job's
 * file lives only until it is uploaded. So a file is a leftover once nothing has written to it for
 * this long, which is many times what a report or an upload takes (or twice the job lease, if that
 * is longer: an instance is only presumed dead after its lease).
 */
export const LEFTOVER_MIN_AGE_MS = 15 * 60_000;

export interface SweepOptions {
  now: Date;
  /** JOB_LEASE_MS. */
  jobLeaseMs: number;
}

/** Removes leftover report files from `dir` itself (not its subfolders); returns their names. */
export async function sweepReportFiles(dir: string, options: SweepOptions): Promise<string[]> {
  const minAgeMs = Math.max(LEFTOVER_MIN_AGE_MS, 2 * options.jobLeaseMs);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    // A symlink is not a file here (readdir does not follow it): never remove what it points to.
    if (!entry.isFile() || !LEFTOVER.some((pattern) => pattern.test(entry.name))) continue;
    const path = join(dir, entry.name);
    try {
      const { mtimeMs } = await lstat(path);
      if (options.now.getTime() - mtimeMs < minAgeMs) continue;
      await rm(path);
      removed.push(entry.name);
    } catch (error) {
      // Removed meanwhile by the instance that made it: nothing left to do.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}
