// Reports off the calling thread: this thread resolves the request, counts and splits it, worker
// threads write the parts (two at once for a big CSV: reading and formatting rows is CPU work and
// the machine has two cores), and the parts are joined into the file.
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import { ReportError, type ReportErrorCode } from "../domain/report-errors.ts";
import type { ReportRequest } from "../domain/report-request.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { type RowKey, rowKeyAt } from "../store/report-source.ts";
import {
  finalSummary,
  type GeneratedReport,
  type GenerateOptions,
  generatePrepared,
  outputPathFor,
  type PartResult,
  prepareReport,
  progressReporter,
  type ReportPart,
} from "./engine.ts";
import { createPartialFile } from "./report-file.ts";
import type { WorkerMessage, WorkerTask } from "./report-worker.ts";

/** Below this many rows one part is quicker than starting a second worker. */
export const PARALLEL_MIN_ROWS = 100_000;
/** A worker's heap cap: enough for exceljs and a batch of rows, and the RSS stays bounded. */
const WORKER_HEAP_MB = 128;
/** The XLSX reader only holds the few batches in flight. */
const READER_HEAP_MB = 64;

export interface RunReportOptions extends GenerateOptions {
  databaseUrl: string;
  busyTimeoutMs?: number;
  /** At most this many parts at once (default 2: the machine's cores). */
  parallelism?: number;
  /** Split a CSV into parts from this many rows (default PARALLEL_MIN_ROWS). */
  parallelMinRows?: number;
}

function startWorker(task: WorkerTask): Worker {
  const transferList = "port" in task ? [task.port] : [];
  const heap = task.kind === "xlsx-read" ? READER_HEAP_MB : WORKER_HEAP_MB;
  const options = { workerData: task, transferList, resourceLimits: { maxOldGenerationSizeMb: heap } };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./report-worker.js", import.meta.url), options);
  // From source (tests, tsx scripts) the worker first registers the TypeScript loader in its own thread.
  const script = new URL("./report-worker.ts", import.meta.url).href;
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function runPart(task: WorkerTask, onRows: (rows: number) => void, signal?: AbortSignal): Promise<PartResult> {
  const worker = startWorker(task);
  return new Promise<PartResult>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", abort);
      fn();
    };
    const abort = () => {
      void worker.terminate();
      finish(() => reject(new ReportError("report_cancelled", "The report was cancelled.")));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "progress") onRows(m.rows);
      else if (m.type === "done") finish(() => resolve(m.result));
      else
        finish(() =>
          reject(
            m.code
              ? new ReportError(m.code as ReportErrorCode, m.message, m.details)
              : new Error(`report worker failed: ${m.message}`),
          ),
        );
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`report worker exited with code ${code} before finishing`))));
  });
}

/** Appends the parts to the first one, in big blocks (64 KiB stream chunks made this 5× slower). */
async function concatenate(target: string, parts: string[]): Promise<void> {
  const out = await open(target, "a");
  const buffer = Buffer.allocUnsafe(8 << 20);
  try {
    for (const part of parts) {
      const input = await open(part, "r");
      try {
        for (
          let n = (await input.read(buffer, 0, buffer.length)).bytesRead;
          n > 0;
          n = (await input.read(buffer, 0, buffer.length)).bytesRead
        ) {
          await out.write(buffer, 0, n);
        }
      } finally {
        await input.close();
      }
    }
  } finally {
    await out.close();
  }
}

export async function runReport(store: SqlStore, request: ReportRequest, options: RunReportOptions): Promise<GeneratedReport> {
  const now = options.now ?? (() => new Date());
  const prepared = await prepareReport(store, request, options.settings);
  const { plan, total, format } = prepared;
  const path = outputPathFor(options.outputPath, request.format, format);
  const generatedAt = now();
  await mkdir(dirname(path), { recursive: true });

  // PostgreSQL's COPY does the work in the database (in parallel workers of its own); this thread
  // only moves bytes to the file, so it needs no worker thread.
  if (format === "csv" && store.dialect === "postgresql") {
    return generatePrepared(store, prepared, { ...options, outputPath: path, now: () => generatedAt });
  }

  const report = progressReporter(total, options.onProgress);
  const base = {
    databaseUrl: options.databaseUrl,
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    request,
    settings: options.settings,
  };

  if (format === "xlsx") {
    // One thread reads and formats, the other runs exceljs.
    const partial = await createPartialFile(path);
    const channel = new MessageChannel();
    try {
      const [read, written] = await Promise.all([
        runPart({ ...base, kind: "xlsx-read", port: channel.port1, generatedAt }, () => {}, options.signal),
        runPart(
          { ...base, kind: "xlsx-write", port: channel.port2, path: partial, sheetMaxRows: options.settings.sheetMaxRows },
          report,
          options.signal,
        ),
      ]);
      await rename(partial, path);
      const summary = await finalSummary(store, prepared, [read], generatedAt);
      report(written.rows, true);
      return { path, format, rows: written.rows, bytes: (await stat(path)).size, summary };
    } finally {
      await rm(partial, { force: true });
    }
  }

  // A big CSV splits at row boundaries in report order, one part per core.
  const parallelism = Math.max(1, options.parallelism ?? 2);
  const partCount = total >= (options.parallelMinRows ?? PARALLEL_MIN_ROWS) ? Math.min(parallelism, total) : 1;
  const bounds: (RowKey | null)[] = [null];
  for (let i = 1; i < partCount; i++) bounds.push(await rowKeyAt(store, plan.filter, Math.floor((total * i) / partCount) - 1));
  bounds.push(null);

  const partPaths: string[] = [];
  try {
    for (let i = 0; i < partCount; i++) partPaths.push(await createPartialFile(path));
    const parts: ReportPart[] = partPaths.map((partPath, i) => ({
      format,
      path: partPath,
      header: i === 0,
      after: bounds[i] ?? null,
      through: bounds[i + 1] ?? null,
      sheetMaxRows: options.settings.sheetMaxRows,
      generatedAt,
    }));
    const rowsByPart = parts.map(() => 0);
    const results = await Promise.all(
      parts.map((part, i) =>
        runPart(
          { ...base, kind: "part", part },
          (rows) => {
            rowsByPart[i] = rows;
            report(rowsByPart.reduce((a, b) => a + b, 0));
          },
          options.signal,
        ),
      ),
    );
    const [first, ...rest] = parts as [ReportPart, ...ReportPart[]];
    if (rest.length)
      await concatenate(
        first.path,
        rest.map((p) => p.path),
      );
    await rename(first.path, path);
    const summary = await finalSummary(store, prepared, results, generatedAt);
    const rows = results.reduce((n, r) => n + r.rows, 0);
    report(rows, true);
    return { path, format, rows, bytes: (await stat(path)).size, summary };
  } finally {
    await Promise.all(partPaths.map((p) => rm(p, { force: true })));
  }
}
