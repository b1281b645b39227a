// Where a report is written while it is being made. Reports are customer data (names, numbers,
// message texts): their files are readable by this user only, wherever they are written.
import { randomBytes } from "node:crypto";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";

export const REPORT_FILE_MODE = 0o600;

/**
 * A new, empty file beside `path` for a report (or one part of it) to be written into, and renamed
 * to `path` once complete. It is made with REPORT_FILE_MODE before any writer opens it: writers
 * open it with "w", which keeps the mode, so even exceljs (which opens its file itself) writes a
 * private file; the rename keeps the mode too.
 */
export async function createPartialFile(path: string): Promise<string> {
  const partial = join(dirname(path), `.${randomBytes(6).toString("hex")}.partial`);
  await (await open(partial, "wx", REPORT_FILE_MODE)).close();
  return partial;
}
