// ReportRequest → a file and its summary, reading the messages once: the summary is gathered from
// the rows as they are written (on PostgreSQL's COPY path, by aggregate queries), and a count up
// front decides the size rules and the progress total. The file is written under a temporary name
// beside its destination and renamed when complete, so a failed or cancelled report leaves nothing.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { MessageState } from "../domain/lifecycle.ts";
import { ReportError } from "../domain/report-errors.ts";
import type { ReportFormat, ReportRequest } from "../domain/report-request.ts";
import {
  campaignTotals,
  type ErrorCount,
  type ReportSummary,
  type SummaryGroup,
  topErrors,
  totalsOf,
} from "../domain/report-summary.ts";
import type { SqlStore } from "../store/open-sql.ts";
import type { PgRunner } from "../store/pg-runner.ts";
import { copyCsvRows } from "../store/report-copy.ts";
import { countMessages, messageRows, metaErrorCounts, type RawRow, type RowKey, summaryGroups } from "../store/report-source.ts";
import { csvChunks, csvHeaderLine, writeCsv } from "./csv-file.ts";
import { UTF8_BOM } from "./csv-format.ts";
import { rowFormatter } from "./format-row.ts";
import { planReport, type ReportPlan, type ReportSettings } from "./plan.ts";
import { createPartialFile, REPORT_FILE_MODE } from "./report-file.ts";
import { SummaryAccumulator } from "./summary-accumulator.ts";

export interface ReportProgress {
  rows: number;
  total: number;
}

export interface GenerateOptions {
  /** Where the file goes (a switch to CSV appends .csv unless it already ends so). */
  outputPath: string;
  settings: ReportSettings;
  now?: () => Date;
  /** Called at most a few times a second, and once at the end. */
  onProgress?: (progress: ReportProgress) => void;
  signal?: AbortSignal;
}

export interface GeneratedReport {
  path: string;
  format: ReportFormat;
  rows: number;
  bytes: number;
  summary: ReportSummary;
}

const PROGRESS_INTERVAL_MS = 250;

/** SPEC's size rule: over the XLSX limit, CSV if the request allows it, otherwise a clear refusal. */
export function chooseFormat(
  requested: ReportFormat,
  rows: number,
  settings: ReportSettings,
  allowCsvFallback: boolean,
): ReportFormat {
  if (requested !== "xlsx" || rows <= settings.xlsxMaxRows) return requested;
  if (allowCsvFallback) return "csv";
  throw new ReportError(
    "report_too_large",
    `This report has ${rows.toLocaleString("en-US")} rows; XLSX reports are limited to ${settings.xlsxMaxRows.toLocaleString("en-US")}. Ask for CSV (format:csv) instead, or narrow the filters.`,
    { rows, limit: settings.xlsxMaxRows },
  );
}

export function summarize(
  plan: ReportPlan,
  format: ReportFormat,
  generatedAt: Date,
  groups: SummaryGroup[],
  errors: ErrorCount[],
): ReportSummary {
  return {
    tenant: { slug: plan.tenant.slug, name: plan.tenant.name, timeZone: plan.tenant.timeZone },
    locale: plan.request.locale,
    requestedFormat: plan.request.format,
    format,
    switchedToCsv: format !== plan.request.format,
    requested: { from: plan.request.from, to: plan.request.to },
    applied: { from: plan.applied.from, to: plan.applied.to },
    clamped: plan.applied.clamped,
    dataStartDate: plan.applied.clamped ? plan.applied.from : null,
    filters: plan.filterNames,
    generatedAt: generatedAt.toISOString(),
    totals: totalsOf(groups),
    topErrors: topErrors(errors),
    byCampaign: campaignTotals(groups),
  };
}

export function campaignName(plan: ReportPlan) {
  return (id: number) => plan.names.campaigns.get(id) ?? String(id);
}

/** The summary by aggregate queries (for PostgreSQL's COPY path, where rows never reach Node). */
async function queriedSummary(store: SqlStore, plan: ReportPlan, format: ReportFormat, now: Date): Promise<ReportSummary> {
  const [groups, errors] = await Promise.all([summaryGroups(store, plan.filter), metaErrorCounts(store, plan.filter)]);
  const named = groups.map(({ campaignId, ...g }) => ({
    ...g,
    state: g.state as MessageState,
    campaign: campaignName(plan)(campaignId),
  }));
  return summarize(plan, format, now, named, errors);
}

export function progressReporter(total: number, onProgress?: (p: ReportProgress) => void) {
  let last = 0;
  return (rows: number, final = false) => {
    const now = Date.now();
    if (!onProgress || (!final && now - last < PROGRESS_INTERVAL_MS)) return;
    last = now;
    onProgress({ rows: Math.min(rows, total), total });
  };
}

/** Raw rows of the plan in batches, each row counted into the summary on its way past. */
async function* summedRows(store: SqlStore, plan: ReportPlan, summary: SummaryAccumulator): AsyncGenerator<RawRow[]> {
  for await (const batch of messageRows(store, plan.filter)) {
    for (const raw of batch) summary.add(raw);
    yield batch;
    // SQLite reads are synchronous: let timers and sockets run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Rows of the plan as sheet values, in batches. */
async function* sheetRows(store: SqlStore, plan: ReportPlan, summary: SummaryAccumulator): AsyncGenerator<unknown[][]> {
  const format = rowFormatter(plan, plan.request.locale);
  const { toSheetValues } = await import("./xlsx-file.ts");
  for await (const batch of summedRows(store, plan, summary)) {
    yield batch.map((raw) => toSheetValues(format(raw), plan.tenant.timeZone, plan.request.locale));
  }
}

async function copyCsv(
  store: SqlStore,
  plan: ReportPlan,
  path: string,
  header: boolean,
  report: (rows: number) => void,
  isCancelled: () => boolean,
): Promise<number> {
  const file = createWriteStream(path, { mode: REPORT_FILE_MODE });
  const closed = once(file, "close");
  let lines = 0;
  try {
    if (header) file.write(UTF8_BOM + csvHeaderLine(plan.request.locale));
    for await (const chunk of copyCsvRows(store.sql as PgRunner, plan.filter, plan.request.locale, plan.tenant.timeZone)) {
      if (isCancelled()) break;
      // Progress only: a quoted line break in a body counts as a row too, which is harmless here.
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (!file.write(chunk)) await once(file, "drain");
      report(lines);
    }
  } finally {
    file.end();
    await closed;
  }
  return lines;
}

export interface PreparedReport {
  plan: ReportPlan;
  total: number;
  format: ReportFormat;
}

/** Resolves the request, counts its rows and applies the size rules: everything before writing. */
export async function prepareReport(store: SqlStore, request: ReportRequest, settings: ReportSettings): Promise<PreparedReport> {
  const plan = await planReport(store, request, settings);
  const total = await countMessages(store, plan.filter);
  return { plan, total, format: chooseFormat(request.format, total, settings, request.allowCsvFallback) };
}

/** One slice of a report's rows (all of them, unless the report is written in parallel parts). */
export interface ReportPart {
  format: ReportFormat;
  path: string;
  /** The first part carries the CSV's BOM and header line. */
  header: boolean;
  after: RowKey | null;
  through: RowKey | null;
  sheetMaxRows: number;
  generatedAt: Date;
}

export interface PartResult {
  rows: number;
  /** Summary groups gathered from the rows (empty on PostgreSQL's COPY path: it uses queries). */
  groups: SummaryGroup[];
  errors: ErrorCount[];
}

export interface PartHooks {
  onRows: (rows: number) => void;
  isCancelled: () => boolean;
}

export async function writeReportPart(
  store: SqlStore,
  wholePlan: ReportPlan,
  part: ReportPart,
  hooks: PartHooks,
): Promise<PartResult> {
  const plan: ReportPlan = { ...wholePlan, filter: { ...wholePlan.filter, after: part.after, through: part.through } };
  const accumulator = new SummaryAccumulator();
  const gathered = (): PartResult & { summary: () => ReportSummary } => {
    const groups = accumulator.groups(campaignName(plan));
    const errors = accumulator.errors();
    return { rows: 0, groups, errors, summary: () => summarize(plan, part.format, part.generatedAt, groups, errors) };
  };
  if (part.format === "xlsx") {
    // exceljs is a large module: only XLSX reports load it.
    const { writeXlsx } = await import("./xlsx-file.ts");
    const rows = await writeXlsx({
      path: part.path,
      locale: plan.request.locale,
      sheetMaxRows: part.sheetMaxRows,
      rows: sheetRows(store, plan, accumulator),
      summary: () => gathered().summary(),
      onRows: hooks.onRows,
      isCancelled: hooks.isCancelled,
    });
    const { groups, errors } = gathered();
    return { rows, groups, errors };
  }
  if (store.dialect === "postgresql") {
    const rows = await copyCsv(store, plan, part.path, part.header, hooks.onRows, hooks.isCancelled);
    return { rows, groups: [], errors: [] };
  }
  const rows = await writeCsv({
    path: part.path,
    locale: plan.request.locale,
    header: part.header,
    chunks: csvChunks(summedRows(store, plan, accumulator), rowFormatter(plan, plan.request.locale), plan.tenant.timeZone),
    onRows: hooks.onRows,
    isCancelled: hooks.isCancelled,
  });
  const { groups, errors } = gathered();
  return { rows, groups, errors };
}

/** The summary of a finished report: from the parts' rows, or by queries on PostgreSQL's COPY path. */
export async function finalSummary(
  store: SqlStore,
  prepared: PreparedReport,
  parts: PartResult[],
  generatedAt: Date,
): Promise<ReportSummary> {
  if (prepared.format === "csv" && store.dialect === "postgresql")
    return queriedSummary(store, prepared.plan, prepared.format, generatedAt);
  return summarize(
    prepared.plan,
    prepared.format,
    generatedAt,
    parts.flatMap((p) => p.groups),
    parts.flatMap((p) => p.errors),
  );
}

export function outputPathFor(outputPath: string, requested: ReportFormat, format: ReportFormat): string {
  return format === requested || outputPath.endsWith(".csv") ? outputPath : `${outputPath}.csv`;
}

/** The whole report in this thread, in one part. The CLI and the jobs use runReport (worker threads). */
export async function generateReport(
  store: SqlStore,
  request: ReportRequest,
  options: GenerateOptions,
): Promise<GeneratedReport> {
  return generatePrepared(store, await prepareReport(store, request, options.settings), options);
}

/** The rest of generateReport, for a caller that already prepared the report. */
export async function generatePrepared(
  store: SqlStore,
  prepared: PreparedReport,
  options: GenerateOptions,
): Promise<GeneratedReport> {
  const now = options.now ?? (() => new Date());
  const request = prepared.plan.request;
  const path = outputPathFor(options.outputPath, request.format, prepared.format);
  const generatedAt = now();
  await mkdir(dirname(path), { recursive: true });
  const partial = await createPartialFile(path);
  const isCancelled = () => options.signal?.aborted === true;
  const report = progressReporter(prepared.total, options.onProgress);
  let result: PartResult;
  // On PostgreSQL's COPY path the summary comes from queries: run them while the rows stream.
  const queried =
    prepared.format === "csv" && store.dialect === "postgresql" ? finalSummary(store, prepared, [], generatedAt) : null;
  queried?.catch(() => {});
  try {
    result = await writeReportPart(
      store,
      prepared.plan,
      {
        format: prepared.format,
        path: partial,
        header: true,
        after: null,
        through: null,
        sheetMaxRows: options.settings.sheetMaxRows,
        generatedAt,
      },
      { onRows: report, isCancelled },
    );
    if (isCancelled()) throw new ReportError("report_cancelled", "The report was cancelled.");
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const summary = await (queried ?? finalSummary(store, prepared, [result], generatedAt));
  const rows = prepared.format === "csv" && store.dialect === "postgresql" ? summary.totals.total : result.rows;
  report(rows, true);
  return { path, format: prepared.format, rows, bytes: (await stat(path)).size, summary };
}
