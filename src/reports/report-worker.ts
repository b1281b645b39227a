// Report work in a worker thread: the thread that serves HTTP never formats a million rows, the
// parts of a big CSV run on both cores, an XLSX is read on one thread and written on another, and
// each worker's heap is capped, so a report's memory stays bounded however big it is.
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { isReportError } from "../domain/report-errors.ts";
import type { ReportRequest } from "../domain/report-request.ts";
import { openSqlStore } from "../store/open-sql.ts";
import { type PartResult, type ReportPart, writeReportPart } from "./engine.ts";
import { planReport, type ReportSettings } from "./plan.ts";

interface TaskBase {
  databaseUrl: string;
  busyTimeoutMs: number;
  request: ReportRequest;
  settings: ReportSettings;
}

export type WorkerTask = TaskBase &
  (
    | { kind: "part"; part: ReportPart }
    | { kind: "xlsx-read"; port: MessagePort; generatedAt: Date }
    | { kind: "xlsx-write"; port: MessagePort; path: string; sheetMaxRows: number }
  );

export type WorkerMessage =
  | { type: "progress"; rows: number }
  | { type: "done"; result: PartResult }
  | { type: "error"; code: string | null; message: string; details: Record<string, unknown> };

async function perform(task: WorkerTask, onRows: (rows: number) => void): Promise<PartResult> {
  if (task.kind === "xlsx-write") {
    const { receiveSheetRows } = await import("./xlsx-pipeline.ts");
    const { writeXlsx } = await import("./xlsx-file.ts");
    const incoming = receiveSheetRows(task.port);
    const rows = await writeXlsx({
      path: task.path,
      locale: task.request.locale,
      sheetMaxRows: task.sheetMaxRows,
      rows: incoming.rows,
      summary: incoming.summary,
      onRows,
      isCancelled: () => false,
    });
    task.port.close();
    return { rows, groups: [], errors: [] };
  }
  const store = openSqlStore(task.databaseUrl, task.busyTimeoutMs);
  try {
    const plan = await planReport(store, task.request, task.settings);
    if (task.kind === "xlsx-read") {
      const { sendSheetRows } = await import("./xlsx-pipeline.ts");
      return await sendSheetRows(store, plan, task.port, task.generatedAt);
    }
    return await writeReportPart(store, plan, task.part, { onRows, isCancelled: () => false });
  } finally {
    await store.close();
  }
}

async function run(task: WorkerTask): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("report-worker must run as a worker thread");
  try {
    const result = await perform(task, (rows) => port.postMessage({ type: "progress", rows } satisfies WorkerMessage));
    port.postMessage({ type: "done", result } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({
      type: "error",
      code: isReportError(error) ? error.code : null,
      message: (error as Error).message ?? String(error),
      details: isReportError(error) ? error.details : {},
    } satisfies WorkerMessage);
  }
}

await run(workerData as WorkerTask);
