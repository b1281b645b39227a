// Published report files (REPORTS_DIR/published/) are removed once their download link has expired,
// and only then: until that instant someone holding the link may download it. Each removal is
// recorded (deleted_at); the row stays, saying what was published and when it went.
import { rm } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { PUBLISHED_DIR } from "../files/published-files.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { expiredPublishedFiles, markPublishedFileDeleted } from "../store/published-files.ts";

const PAGE = 500;

export interface PublishedSweep {
  /** Ids of the files removed (or found already gone) and marked deleted. */
  removed: number[];
  /** Files that could not be removed (left for the next round), with why. */
  failed: { id: number; error: string }[];
}

export async function sweepPublishedFiles(store: SqlStore, reportsDir: string, now: Date): Promise<PublishedSweep> {
  const publishedDir = resolve(reportsDir, PUBLISHED_DIR) + sep;
  const result: PublishedSweep = { removed: [], failed: [] };
  // By id, past the last one seen: a file that cannot be removed is not met again this round.
  let afterId = 0;
  for (;;) {
    const page = await expiredPublishedFiles(store, now, afterId, PAGE);
    for (const file of page) {
      afterId = file.id;
      const path = resolve(reportsDir, file.path);
      try {
        // A path outside the folder was never written by publishFile: mark it, touch nothing.
        if (path.startsWith(publishedDir)) await rm(path, { force: true });
        await markPublishedFileDeleted(store, file.id, now);
        result.removed.push(file.id);
      } catch (error) {
        result.failed.push({ id: file.id, error: (error as Error).message });
      }
    }
    if (page.length < PAGE) return result;
  }
}
