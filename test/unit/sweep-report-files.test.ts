// Leftover report files in REPORTS_DIR: which go, and which must never be touched.
import { lutimesSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sweepReportFiles } from "../../src/housekeeping/sweep-report-files.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function file(dir: string, name: string, written: Date): string {
  const path = join(dir, name);
  writeFileSync(path, "Nombre del agente,Destino\nDiana,51977452931\n");
  utimesSync(path, written, written);
  return path;
}

describe("sweeping leftover report files", () => {
  it("removes partial and job files untouched for 15 minutes from REPORTS_DIR itself, and nothing else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hsm-sweep-"));
    const outside = mkdtempSync(join(tmpdir(), "hsm-sweep-outside-"));
    file(dir, ".a1b2c3d4e5f6.partial", minutesAgo(16));
    file(dir, "job-12-acme-2026-10-01_2026-10-31.xlsx", minutesAgo(60 * 24));
    file(dir, "job-7-acme-2026-10-01_2026-10-31.xlsx.csv", minutesAgo(20));
    // Another instance may be writing or uploading these right now.
    file(dir, ".0f0f0f0f0f0f.partial", minutesAgo(2));
    file(dir, "job-13-acme-2026-11-01_2026-11-19.csv", minutesAgo(14));
    // Not ours.
    file(dir, "hsm-report-acme-2026-10-01_2026-10-31.xlsx", minutesAgo(600));
    file(dir, "notes.partial.txt", minutesAgo(600));
    file(dir, "job-list.txt", minutesAgo(600));
    mkdirSync(join(dir, "archive"));
    file(dir, "archive/.ffffffffffff.partial", minutesAgo(600));
    file(dir, "archive/job-1-acme-2026-01-01_2026-01-31.csv", minutesAgo(600));
    const target = file(outside, "job-99-acme.csv", minutesAgo(600));
    symlinkSync(target, join(dir, "job-99-acme.csv"));
    lutimesSync(join(dir, "job-99-acme.csv"), minutesAgo(600), minutesAgo(600));

    const removed = await sweepReportFiles(dir, { now: NOW, jobLeaseMs: 30_000 });

    expect(removed.sort()).toEqual([
      ".a1b2c3d4e5f6.partial",
      "job-12-acme-2026-10-01_2026-10-31.xlsx",
      "job-7-acme-2026-10-01_2026-10-31.xlsx.csv",
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      ".0f0f0f0f0f0f.partial",
      "archive",
      "hsm-report-acme-2026-10-01_2026-10-31.xlsx",
      "job-13-acme-2026-11-01_2026-11-19.csv",
      "job-99-acme.csv",
      "job-list.txt",
      "notes.partial.txt",
    ]);
    expect(readdirSync(join(dir, "archive"))).toHaveLength(2);
    expect(readdirSync(outside)).toEqual(["job-99-acme.csv"]);
  });

  it("waits twice the job lease when that is longer than 15 minutes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hsm-sweep-"));
    file(dir, "job-1-acme-2026-10-01_2026-10-31.csv", minutesAgo(30));
    file(dir, "job-2-acme-2026-10-01_2026-10-31.csv", minutesAgo(41));
    expect(await sweepReportFiles(dir, { now: NOW, jobLeaseMs: 20 * 60_000 })).toEqual(["job-2-acme-2026-10-01_2026-10-31.csv"]);
  });

  it("a REPORTS_DIR that does not exist yet is nothing to sweep", async () => {
    expect(await sweepReportFiles(join(tmpdir(), "hsm-sweep-missing", "reports"), { now: NOW, jobLeaseMs: 30_000 })).toEqual([]);
  });
});
