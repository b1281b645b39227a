// Reports written by worker threads (what the CLI and the bot use): the same file as in-process,
// also when a CSV is split in parts on both cores; cancellation leaves nothing behind.
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportRequest } from "../../src/domain/report-request.ts";
import { generateReport } from "../../src/reports/engine.ts";
import { DEFAULT_REPORT_SETTINGS } from "../../src/reports/plan.ts";
import { runReport } from "../../src/reports/run-report.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { IN_RANGE, reportRequest, seedReportFixture } from "../support/report-fixture.ts";

const request = (over: Partial<ReportRequest> = {}) => reportRequest({ format: "csv", ...over });

describe.each(DATABASES)("reports in worker threads on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let dir: string;
  const settings = DEFAULT_REPORT_SETTINGS;
  const fixedNow = () => new Date("2026-11-02T15:00:00Z");

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    await seedReportFixture(store);
    dir = mkdtempSync(join(tmpdir(), "hsm-run-report-"));
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("a CSV split in parts across two workers is byte for byte the in-process CSV, with the same summary", async () => {
    const inProcess = await generateReport(store, request(), { outputPath: join(dir, "one.csv"), settings, now: fixedNow });
    const progress: number[] = [];
    const split = await runReport(store, request(), {
      databaseUrl: db.url,
      outputPath: join(dir, "split.csv"),
      settings,
      now: fixedNow,
      parallelMinRows: 1,
      onProgress: (p) => progress.push(p.rows),
    });
    expect(readFileSync(split.path, "utf8")).toBe(readFileSync(inProcess.path, "utf8"));
    expect(split.summary).toEqual(inProcess.summary);
    expect(split.rows).toBe(IN_RANGE.length);
    expect(progress.at(-1)).toBe(IN_RANGE.length);
    expect(readdirSync(dir).filter((f) => f.endsWith(".partial"))).toEqual([]);
    // Customer data: the joined parts are readable by their owner only.
    expect((statSync(split.path).mode & 0o777).toString(8)).toBe("600");
  });

  it("an XLSX from a worker holds the same rows and summary as one made in-process", async () => {
    const a = await generateReport(store, request({ format: "xlsx" }), {
      outputPath: join(dir, "a.xlsx"),
      settings,
      now: fixedNow,
    });
    const b = await runReport(store, request({ format: "xlsx" }), {
      databaseUrl: db.url,
      outputPath: join(dir, "b.xlsx"),
      settings,
      now: fixedNow,
    });
    expect(b.summary).toEqual(a.summary);
    expect((statSync(b.path).mode & 0o777).toString(8)).toBe("600");
    const values = async (path: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      return wb.worksheets.map((w) => {
        const rows: unknown[] = [];
        w.eachRow((r) => {
          rows.push(JSON.stringify(r.values));
        });
        return [w.name, rows];
      });
    };
    expect(await values(b.path)).toEqual(await values(a.path));
  });

  it("a cancelled report stops its workers and leaves no file", async () => {
    const controller = new AbortController();
    const pending = runReport(store, request({ format: "xlsx" }), {
      databaseUrl: db.url,
      outputPath: join(dir, "cancel.xlsx"),
      settings,
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "report_cancelled" });
    expect(readdirSync(dir).filter((f) => f.startsWith("cancel") || f.endsWith(".partial"))).toEqual([]);
  });

  it("errors found before writing (unknown names, too large) come back as the same coded errors", async () => {
    await expect(
      runReport(store, request({ campaigns: ["nope"] }), { databaseUrl: db.url, outputPath: join(dir, "x.csv"), settings }),
    ).rejects.toMatchObject({ code: "report_unknown_name" });
    await expect(
      runReport(store, request({ format: "xlsx" }), {
        databaseUrl: db.url,
        outputPath: join(dir, "x.xlsx"),
        settings: { ...settings, xlsxMaxRows: 3 },
      }),
    ).rejects.toMatchObject({ code: "report_too_large" });
  });
});
