// One timed measurement in a process of its own, so its peak RSS is its own. Prints one JSON line.
//   node --import tsx bench/report/measure.ts <floor-xlsx|floor-xlsx-ours> <DATABASE_URL> <out file>
import ExcelJS from "exceljs";
import { excelSerial } from "../../src/domain/local-time.ts";
import { REPORT_COLUMNS } from "../../src/domain/report-columns.ts";
import { generateReport, summarize } from "../../src/reports/engine.ts";
import { type Cell, rowFormatter } from "../../src/reports/format-row.ts";
import { DEFAULT_REPORT_SETTINGS, planReport } from "../../src/reports/plan.ts";
import { toSheetValues, waitForXlsxDrain, writeXlsx, XLSX_DATE_FORMAT } from "../../src/reports/xlsx-file.ts";
import { openStore } from "../../src/store/open-store.ts";
import { messageRows } from "../../src/store/report-source.ts";
import { BENCH_TENANT } from "./build-store.ts";

const [mode, databaseUrl, out] = process.argv.slice(2) as [string, string, string];
const store = await openStore(databaseUrl, { migrate: false });
const request = {
  tenant: BENCH_TENANT,
  from: "2000-01-01",
  to: "2100-01-01",
  campaigns: [],
  channels: [],
  agents: [],
  templates: [],
  states: [],
  format: (mode === "engine-csv" ? "csv" : "xlsx") as "csv" | "xlsx",
  locale: "es" as const,
  allowCsvFallback: false,
};
const settings = { ...DEFAULT_REPORT_SETTINGS, xlsxMaxRows: 10_000_000 };
let rows = 0;
let seconds = 0;

if (mode === "floor-xlsx-ours") {
  // Our own XLSX writer (exceljs with shared cell styles) fed the same values from memory.
  const plan = await planReport(store, request, settings);
  const format = rowFormatter(plan, "es");
  const values: unknown[][] = [];
  for await (const batch of messageRows(store, plan.filter))
    for (const raw of batch) values.push(toSheetValues(format(raw), "America/Lima"));
  const started = performance.now();
  async function* batches() {
    for (let i = 0; i < values.length; i += 2000) yield values.slice(i, i + 2000);
  }
  rows = await writeXlsx({
    path: out,
    locale: "es",
    sheetMaxRows: 1_048_576,
    rows: batches(),
    summary: () => summarize(plan, "xlsx", new Date(), [], []),
    onRows: () => {},
    isCancelled: () => false,
  });
  seconds = (performance.now() - started) / 1000;
} else if (mode === "floor-xlsx") {
  // The same cells, formatted beforehand and held in memory; only exceljs's work is timed.
  const plan = await planReport(store, request, settings);
  const format = rowFormatter(plan, "es");
  const cells: Cell[][] = [];
  for await (const batch of messageRows(store, plan.filter)) {
    for (const raw of batch) {
      const c = format(raw);
      for (let i = 0; i < c.length; i++) if (typeof c[i] === "number") c[i] = excelSerial(c[i] as number, "America/Lima");
      cells.push(c);
    }
  }
  const started = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: true, useSharedStrings: false });
  let sheet = wb.addWorksheet("Mensajes");
  const setColumns = () => {
    sheet.columns = REPORT_COLUMNS.map((c) => ({
      header: c.es,
      key: c.key,
      width: c.width,
      ...(c.kind === "date" ? { style: { numFmt: XLSX_DATE_FORMAT } } : {}),
    }));
  };
  setColumns();
  let inSheet = 0;
  for (const c of cells) {
    if (inSheet === 1_048_575) {
      sheet.commit();
      sheet = wb.addWorksheet(`Mensajes (${Math.floor(rows / 1_048_575) + 1})`);
      setColumns();
      inSheet = 0;
    }
    sheet.addRow(c).commit();
    rows++;
    inSheet++;
    if (rows % 100 === 0) await waitForXlsxDrain(sheet, wb);
  }
  sheet.commit();
  await wb.commit();
  seconds = (performance.now() - started) / 1000;
} else {
  const started = performance.now();
  const report = await generateReport(store, request, { outputPath: out, settings });
  seconds = (performance.now() - started) / 1000;
  rows = report.rows;
}
await store.close();
process.stdout.write(`${JSON.stringify({ mode, rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
