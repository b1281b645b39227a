// The XLSX report: a "Resumen" sheet first, then the messages on "Mensajes", continuing on
// "Mensajes (2)", … past Excel's row limit. exceljs's streaming writer keeps memory bounded only if
// we wait for it (see waitForXlsxDrain).
import { once } from "node:events";
import ExcelJS from "exceljs";
import { STATE_LABELS } from "../domain/labels.ts";
import { STATES } from "../domain/lifecycle.ts";
import { excelSerial } from "../domain/local-time.ts";
import { columnHeaders, REPORT_COLUMNS } from "../domain/report-columns.ts";
import type { ReportSummary, Totals } from "../domain/report-summary.ts";
import type { Locale } from "../domain/tenant.ts";
import type { Cell } from "./format-row.ts";
import { messagesSheetName, SUMMARY_TEXT } from "./summary-text.ts";
import { userTextValue } from "./xlsx-cell-text.ts";
import { useQuotePrefix } from "./xlsx-quote-prefix.ts";

/** Day first, as the seed's "1/10/2022"; the time too, since Meta's stages happen minutes apart. */
export const XLSX_DATE_FORMAT = "dd/mm/yyyy hh:mm:ss";
const PERCENT_FORMAT = "0.0%";
const LAST_COLUMN = String.fromCharCode("A".charCodeAt(0) + REPORT_COLUMNS.length - 1);

type Sheet = ExcelJS.Worksheet;

const LABEL_COLUMNS = new Set(["state", "outboundStage", "sentStage", "deliveredStage", "readStage", "replied"]);

/** Columns whose text comes from outside (names, ids, bodies, Meta's titles); our own labels are plain. */
const FREE_TEXT = REPORT_COLUMNS.map((c) => c.kind === "text" && !LABEL_COLUMNS.has(c.key));

/**
 * The style of every cell of text from outside, shared: each workbook gives it the quote prefix
 * (useQuotePrefix), so the text stays text when a user edits its cell in Excel.
 */
const USER_TEXT_STYLE: Partial<ExcelJS.Style> = {};

/**
 * exceljs 4.4.0's worksheet writes its XML into an internal buffer piped to the zip entry without
 * honouring backpressure, so a fast producer buffers the whole sheet in memory (1 GB for 1M rows).
 * Waiting on that pipe's drain keeps a million-row report near 150 MB. It reaches into exceljs's
 * private fields, which is why package.json pins exceljs exactly; test/unit/xlsx-internals.test.ts
 * fails if an upgrade moves them.
 */
export async function waitForXlsxDrain(sheet: Sheet, workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<void> {
  const pipe = (sheet as unknown as { _stream?: { pipes?: { _writableState?: { needDrain?: boolean } }[] } })._stream?.pipes?.[0];
  if (pipe?._writableState?.needDrain) await once(pipe as unknown as NodeJS.EventEmitter, "drain");
  const out = (workbook as unknown as { stream?: NodeJS.WritableStream & { writableNeedDrain?: boolean } }).stream;
  if (out?.writableNeedDrain) await once(out, "drain");
}

function messagesSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, locale: Locale, index: number): Sheet {
  const sheet = workbook.addWorksheet(messagesSheetName(locale, index), { views: [{ state: "frozen", ySplit: 1 }] });
  const headers = columnHeaders(locale);
  sheet.columns = REPORT_COLUMNS.map((c, i) => ({
    header: headers[i],
    key: c.key,
    width: c.width,
    ...(c.kind === "date" ? { style: { numFmt: XLSX_DATE_FORMAT } } : {}),
  }));
  sheet.autoFilter = `A1:${LAST_COLUMN}1`;
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  return sheet;
}

interface RowOptions {
  bold?: boolean;
  formats?: (string | null)[];
  /** Cells holding names or titles from outside (see FREE_TEXT). */
  userText?: number[];
}
type AddRow = (values: (string | number | null)[], options?: RowOptions) => void;

function writeSummarySheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, summary: ReportSummary): Sheet {
  const t = SUMMARY_TEXT[summary.locale];
  const sheet = workbook.addWorksheet(t.sheet);
  sheet.columns = [
    { width: 34 },
    { width: 26 },
    { width: 22 },
    { width: 22 },
    ...STATES.map(() => ({ width: 16 })),
    { width: 14 },
  ];
  const add: AddRow = (values, options = {}) => {
    const fromOutside = (i: number) => options.userText?.includes(i) === true;
    const row = sheet.addRow(
      values.map((v, i) => (fromOutside(i) && typeof v === "string" ? userTextValue(v, summary.locale) : v)),
    );
    if (options.bold) row.font = { bold: true };
    options.formats?.forEach((f, i) => {
      if (f) row.getCell(i + 1).numFmt = f;
    });
    for (const i of options.userText ?? []) row.getCell(i + 1).style = USER_TEXT_STYLE;
    row.commit();
  };
  const zone = summary.tenant.timeZone;
  const list = (names: string[]) => (names.length ? names.join(", ") : t.all);
  const addNames = (label: string, names: string[]) => add([label, list(names)], names.length ? { userText: [1] } : {});

  add([t.title], { bold: true });
  add([t.tenant, summary.tenant.name], { userText: [1] });
  add([t.requested, `${summary.requested.from} – ${summary.requested.to}`]);
  add([t.applied, `${summary.applied.from} – ${summary.applied.to}`]);
  if (summary.clamped && summary.dataStartDate) add(["", t.clamped(summary.dataStartDate)]);
  add([t.timeZone, zone]);
  add([t.generatedAt, excelSerial(Date.parse(summary.generatedAt), zone)], { formats: [null, XLSX_DATE_FORMAT] });
  add([]);
  add([t.filters], { bold: true });
  addNames(t.campaigns, summary.filters.campaigns);
  addNames(t.channels, summary.filters.channels);
  addNames(t.agents, summary.filters.agents);
  addNames(t.templates, summary.filters.templates);
  add([t.states, list(summary.filters.states.map((s) => STATE_LABELS[summary.locale][s]))]);
  add([]);
  add([t.total, summary.totals.total], { bold: true });
  if (summary.totals.total === 0) {
    add([t.noMessages]);
    sheet.commit();
    return sheet;
  }
  add([]);
  writeTotals(add, summary, summary.totals);
  add([]);
  add([t.topErrors], { bold: true });
  add([t.code, t.errorTitle, t.messages], { bold: true });
  for (const e of summary.topErrors)
    add([e.code === null ? t.noCode : String(e.code), e.title ?? "", e.count], { userText: [1] });
  add([]);
  add([t.byCampaign], { bold: true });
  const { funnelSteps } = t;
  add(
    [
      t.campaign,
      t.total,
      ...STATES.map((s) => STATE_LABELS[summary.locale][s]),
      funnelSteps.sent,
      funnelSteps.delivered,
      funnelSteps.read,
      funnelSteps.replied,
      t.invalidNumbers,
    ],
    { bold: true },
  );
  for (const c of summary.byCampaign) {
    add(
      [
        c.campaign,
        c.total,
        ...STATES.map((s) => c.byState[s]),
        c.funnel.sent,
        c.funnel.delivered,
        c.funnel.read,
        c.funnel.replied,
        c.invalidNumbers,
      ],
      { userText: [0] },
    );
  }
  add([]);
  add([t.readNote]);
  sheet.commit();
  return sheet;
}

function writeTotals(add: AddRow, summary: ReportSummary, totals: Totals): void {
  const t = SUMMARY_TEXT[summary.locale];
  add([t.byState], { bold: true });
  add([t.state, t.messages, t.share], { bold: true });
  for (const s of STATES) {
    add([STATE_LABELS[summary.locale][s], totals.byState[s], totals.byState[s] / totals.total], {
      formats: [null, null, PERCENT_FORMAT],
    });
  }
  add([]);
  add([t.funnel], { bold: true });
  add([t.step, t.messages, t.ofPrevious], { bold: true });
  const f = totals.funnel;
  add([t.funnelSteps.sent, f.sent]);
  add([t.funnelSteps.delivered, f.delivered, f.stepRates.delivered], { formats: [null, null, PERCENT_FORMAT] });
  add([t.funnelSteps.read, f.read, f.stepRates.read], { formats: [null, null, PERCENT_FORMAT] });
  add([t.funnelSteps.replied, f.replied, f.stepRates.replied], { formats: [null, null, PERCENT_FORMAT] });
  add([]);
  add([t.invalidNumbers, totals.invalidNumbers], { bold: true });
}

export interface XlsxOutput {
  path: string;
  locale: Locale;
  sheetMaxRows: number;
  /** Rows already turned into sheet values (toSheetValues). */
  rows: AsyncIterable<unknown[][]>;
  /** Called once every row is written: the summary is gathered from the rows themselves. */
  summary: () => ReportSummary;
  onRows: (written: number) => void;
  isCancelled: () => boolean;
}

/**
 * Puts a sheet first in the workbook's tab order. exceljs lists sheets in the order they were
 * added, but the summary can only be written after the rows it sums up; the tab order lives in
 * workbook.xml, written at commit from this (private) list, while each sheet's XML is already
 * streamed. Covered by test/unit/xlsx-internals.test.ts, like waitForXlsxDrain.
 */
function moveSheetFirst(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet): void {
  const internal = workbook as unknown as { _worksheets: (Sheet | undefined)[] };
  // Sparse from index 1, as exceljs keeps it (ids start at 1; its loops skip holes, not undefined).
  const ordered: (Sheet | undefined)[] = [];
  for (const [i, s] of [sheet, ...internal._worksheets.filter((s) => s && s !== sheet)].entries()) ordered[i + 1] = s;
  internal._worksheets = ordered;
}

/**
 * A formatted row → the values exceljs writes: dates as Excel serials, texts from outside made to
 * fit. The locale words the mark on a cut text; Spanish, like the report, when not given.
 */
export function toSheetValues(cells: Cell[], zone: string, locale: Locale = "es"): unknown[] {
  const values: unknown[] = cells;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (typeof v === "number") values[i] = excelSerial(v, zone);
    else if (FREE_TEXT[i] && typeof v === "string") values[i] = userTextValue(v, locale);
  }
  return values;
}

/**
 * exceljs gives every new cell a style object of its own, then renders each one to XML to look up
 * its style id: half its time on a big sheet. Cells sharing one style object per column hit its
 * style cache instead (same file, twice as fast).
 */
const SHARED_STYLES: Partial<ExcelJS.Style>[] = REPORT_COLUMNS.map((c, i) =>
  c.kind === "date" ? { numFmt: XLSX_DATE_FORMAT } : FREE_TEXT[i] ? USER_TEXT_STYLE : {},
);

export async function writeXlsx(out: XlsxOutput): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out.path, useStyles: true, useSharedStrings: false });
  workbook.creator = "hsm-report";
  useQuotePrefix(workbook, USER_TEXT_STYLE);

  const perSheet = out.sheetMaxRows - 1;
  let sheetIndex = 0;
  let sheet = messagesSheet(workbook, out.locale, sheetIndex);
  let inSheet = 0;
  let written = 0;
  for await (const batch of out.rows) {
    if (out.isCancelled()) break;
    for (const values of batch) {
      if (inSheet === perSheet) {
        sheet.commit();
        sheet = messagesSheet(workbook, out.locale, ++sheetIndex);
        inSheet = 0;
      }
      const row = sheet.addRow(values);
      for (let i = 0; i < SHARED_STYLES.length; i++) row.getCell(i + 1).style = SHARED_STYLES[i] as Partial<ExcelJS.Style>;
      row.commit();
      inSheet++;
      written++;
      if (written % 100 === 0) await waitForXlsxDrain(sheet, workbook);
    }
    out.onRows(written);
  }
  sheet.commit();
  moveSheetFirst(workbook, writeSummarySheet(workbook, out.summary()));
  await workbook.commit();
  return written;
}
