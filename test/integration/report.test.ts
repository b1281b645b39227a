// The report engine on SQLite and on PostgreSQL: files read back (exceljs for XLSX, csv-parse for
// CSV) equal the store row for row, with types; the summary equals count queries; size rules,
// clamping, empty reports, unknown names and cancellation behave as SPEC says.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { isReportError } from "../../src/domain/report-errors.ts";
import type { ReportRequest } from "../../src/domain/report-request.ts";
import { generateReport } from "../../src/reports/engine.ts";
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from "../../src/reports/plan.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import {
  FIXTURE,
  FROM,
  IN_RANGE,
  META_TITLE_FORMULAS,
  reportRequest,
  seedReportFixture,
  TO,
  ZONE,
} from "../support/report-fixture.ts";
import { cellXfs, worksheetCells } from "../support/zip-entry.ts";

// SPEC's labels, written out here rather than imported, so the test checks the product against SPEC.
const SPEC = {
  es: {
    headers: [
      "Nombre del agente",
      "Nombre de campaña",
      "ID del HSM",
      "Nombre del HSM",
      "ID mensaje",
      "Contenido del mensaje",
      "Destino",
      "Estados del mensaje",
      "Comentario",
      "Salida",
      "Envío",
      "Entrega",
      "Lectura",
      "Fecha de salida",
      "Fecha de envío",
      "Fecha de entrega",
      "Fecha de lectura",
      "Respondido",
      "Fecha de respuesta",
    ],
    states: {
      queued: "En bandeja de salida",
      outbound: "Salió",
      sent: "Enviado",
      delivered: "Entregado",
      read: "Leído",
      outbound_failed: "Salida fallida",
      meta_failed: "Envío o entrega fallida",
    } as Record<string, string>,
    feminine: { success: "Exitosa", failed: "Fallida", pending: "Pendiente", na: "N/A" } as Record<string, string>,
    masculine: { success: "Exitoso", failed: "Fallido", pending: "Pendiente", na: "N/A" } as Record<string, string>,
    yes: "Sí",
    no: "No",
  },
  en: {
    headers: [
      "Agent name",
      "Campaign name",
      "HSM ID",
      "HSM name",
      "Message ID",
      "Message content",
      "Destination",
      "Message state",
      "Comment",
      "Outbound",
      "Sent",
      "Delivered",
      "Read",
      "Outbound date",
      "Sent date",
      "Delivered date",
      "Read date",
      "Replied",
      "Reply date",
    ],
  },
};

// A cell over Excel's 32,767 characters is cut, ending with a mark in the report's language.
const EXCEL_CELL_LIMIT = 32_767;
const CUT_MARK = { es: "…[cortado]", en: "…[truncated]" };
const inExcelCell = (text: string, locale: "es" | "en") =>
  text.length <= EXCEL_CELL_LIMIT ? text : text.slice(0, EXCEL_CELL_LIMIT - CUT_MARK[locale].length) + CUT_MARK[locale];

// Formula triggers (=, +, -, @, tab, CR, LF and their full-width forms), also behind spaces or NBSP.
const FORMULA_START = /^[ \u00a0]*[=+\-@\t\r\n＝＋－＠]/;
const isNeutralised = (cell: string) => cell.startsWith("'") && FORMULA_START.test(cell.slice(1));

const wallClock = new Intl.DateTimeFormat("sv-SE", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const localText = (d: Date | null) => (d ? wallClock.format(d).replace("T", " ") : null);

type StoreRow = Awaited<ReturnType<typeof storeRows>>[number];

async function storeRows(store: Store, tenantId: number) {
  return store.prisma.message.findMany({
    where: { tenantId, platformId: { in: IN_RANGE } },
    include: { agent: true, campaign: true, template: true },
    orderBy: [{ queuedAt: "asc" }, { id: "asc" }],
  });
}

/** The Spanish row SPEC expects for a stored message; dates as local wall-clock text. */
function expectedEs(m: StoreRow): (string | null)[] {
  const s = SPEC.es;
  return [
    m.agent.name,
    m.campaign.name,
    m.template.hsmId,
    m.template.name,
    m.platformId,
    inExcelCell(m.body, "es"),
    m.destination,
    s.states[m.state] as string,
    m.comment,
    s.feminine[m.outboundStage] as string,
    s.masculine[m.sentStage] as string,
    s.feminine[m.deliveredStage] as string,
    s.feminine[m.readStage] as string,
    localText(m.outboundAt),
    localText(m.sentAt),
    localText(m.deliveredAt),
    localText(m.readAt),
    m.repliedAt ? s.yes : s.no,
    localText(m.repliedAt),
  ];
}

const request = reportRequest;

async function readXlsx(path: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function sheetRows(ws: ExcelJS.Worksheet) {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    rows.push(row);
  });
  return rows;
}

const cellsOf = (row: ExcelJS.Row) => Array.from({ length: 19 }, (_, i) => row.getCell(i + 1));

describe.each(DATABASES)("report engine on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  let tenantId: number;
  let dir: string;
  let rows: StoreRow[];
  const settings: ReportSettings = DEFAULT_REPORT_SETTINGS;
  const generate = (over: Partial<ReportRequest> = {}, extra: Partial<Parameters<typeof generateReport>[2]> = {}) =>
    generateReport(store, request(over), {
      outputPath: join(dir, `r-${Math.random().toString(36).slice(2)}.${over.format ?? "xlsx"}`),
      settings,
      now: () => new Date("2026-11-02T15:00:00Z"),
      ...extra,
    });

  beforeAll(async () => {
    db = fresh();
    store = await openStore(db.url);
    tenantId = await seedReportFixture(store);
    dir = mkdtempSync(join(tmpdir(), "hsm-report-files-"));
    rows = await storeRows(store, tenantId);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("the limits default to SPEC's numbers", () => {
    expect(loadConfig({}).reports).toEqual({ dataStartDate: null, sheetMaxRows: 1_048_576, xlsxMaxRows: 1_800_000 });
  });

  it("XLSX: a summary sheet first, then every message in range with SPEC's labels, real dates and text numbers", async () => {
    const report = await generate();
    expect(report.rows).toBe(IN_RANGE.length);
    const wb = await readXlsx(report.path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Resumen", "Mensajes"]);
    const sheet = wb.getWorksheet("Mensajes") as ExcelJS.Worksheet;
    const [header, ...data] = sheetRows(sheet);
    expect(cellsOf(header as ExcelJS.Row).map((c) => c.value)).toEqual(SPEC.es.headers);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe("A1:S1");
    expect(data).toHaveLength(rows.length);
    data.forEach((row, i) => {
      const cells = cellsOf(row);
      const expected = expectedEs(rows[i] as StoreRow);
      const actual = cells.map((c) => {
        if (c.value instanceof Date) {
          // exceljs reads a date cell as the UTC instant of its wall-clock time.
          return c.value.toISOString().slice(0, 19).replace("T", " ");
        }
        if (c.value && typeof c.value === "object" && "richText" in c.value) return c.value.richText.map((t) => t.text).join("");
        return c.value === null || c.value === undefined ? null : String(c.value);
      });
      expect(actual).toEqual(expected);
      // Destino is text (never 5.19E+10), every text cell is text — never a formula.
      expect(cells[6]?.type).toBe(ExcelJS.ValueType.String);
      for (const c of cells) {
        expect(c.formula).toBeUndefined();
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText, ExcelJS.ValueType.Date, ExcelJS.ValueType.Null]).toContain(
          c.type,
        );
      }
      for (const d of [13, 14, 15, 16, 18]) {
        if (cells[d]?.value !== null) {
          expect(cells[d]?.type).toBe(ExcelJS.ValueType.Date);
          expect(cells[d]?.numFmt).toBe("dd/mm/yyyy hh:mm:ss");
        }
      }
    });
    const formula = data.find((r) => r.getCell(5).value === "formula-eq") as ExcelJS.Row;
    expect(formula.getCell(6).value).toBe('=HYPERLINK("http://evil.example","clic")');
    expect(formula.getCell(1).value).toBe("=Agente");
  });

  it("XLSX: names, ids, bodies and Meta's titles carry the quote-prefix style (an edit in Excel keeps them text); headers, labels and dates do not", async () => {
    const report = await generate();
    const xfs = cellXfs(report.path);
    const quotePrefixed = (cell: { style: number } | undefined) => /\squotePrefix="1"/.test(xfs[cell?.style ?? 0] ?? "");
    // Agent, campaign, HSM id, HSM name, message id, body, destination, comment.
    const fromOutside = new Set(["A", "B", "C", "D", "E", "F", "G", "I"]);
    const messages = worksheetCells(report.path, "Mensajes");
    for (let row = 2; row <= IN_RANGE.length + 1; row++) {
      for (const column of fromOutside) expect(quotePrefixed(messages.get(`${column}${row}`)), `${column}${row}`).toBe(true);
    }
    for (const [ref, cell] of messages) {
      const [, column, row] = /^([A-Z]+)(\d+)$/.exec(ref) as string[];
      if (row === "1" || !fromOutside.has(column as string)) expect(quotePrefixed(cell), `${ref} ${cell.text}`).toBe(false);
    }
    const summary = [...worksheetCells(report.path, "Resumen").values()];
    const summaryCell = (text: string) => summary.find((c) => c.text === text);
    for (const text of ["Acme Chile", "－Campaña ancha", "Campaña Ñandú", "Message undeliverable"]) {
      expect(quotePrefixed(summaryCell(text)), text).toBe(true);
    }
    for (const text of ["Empresa", "Total de mensajes", "Campaña", "Todos", "Salida fallida"]) {
      expect(quotePrefixed(summaryCell(text)), text).toBe(false);
    }
  });

  it("XLSX: a body over Excel's 32,767 characters per cell is cut, ending with a mark in the report's language", async () => {
    const full = rows.find((m) => m.platformId === "too-long")?.body as string;
    expect(full.length).toBeGreaterThan(EXCEL_CELL_LIMIT);
    for (const locale of ["es", "en"] as const) {
      const sheet = (await readXlsx((await generate({ locale })).path)).worksheets[1] as ExcelJS.Worksheet;
      const body = String(
        sheetRows(sheet)
          .find((r) => r.getCell(5).value === "too-long")
          ?.getCell(6).value,
      );
      expect(body.length, locale).toBe(EXCEL_CELL_LIMIT);
      expect(body, locale).toBe(full.slice(0, EXCEL_CELL_LIMIT - CUT_MARK[locale].length) + CUT_MARK[locale]);
    }
  });

  it("CSV in English: BOM, RFC 4180 quoting, sortable local dates, formulas neutralised", async () => {
    const report = await generate({ format: "csv", locale: "en" });
    const bytes = readFileSync(report.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes.toString("utf8").slice(1), { relax_quotes: false }) as string[][];
    const [header, ...data] = records;
    expect(header).toEqual(SPEC.en.headers);
    expect(data.map((r) => r[4])).toEqual(rows.map((r) => r.platformId));
    const byId = new Map(data.map((r) => [r[4], r]));
    expect(byId.get("first-second")?.slice(5, 19)).toEqual(
      [
        'Hola "Ana", tu pedido, listo',
        "51977452931",
        "Read",
        "Message read.",
        "Success",
        "Success",
        "Success",
        "Success",
        "2026-10-01 00:00:30",
        "2026-10-01 00:01:30",
        "2026-10-01 00:02:30",
        "2026-10-01 00:03:30",
        "No",
        "",
      ].slice(0, 14),
    );
    expect(byId.get("newline")?.[5]).toBe("Línea 1\nLínea 2 🙌");
    expect(byId.get("formula-eq")?.slice(0, 1)).toEqual(["'=Agente"]);
    for (const [id, body] of [
      ["formula-eq", `'=HYPERLINK("http://evil.example","clic")`],
      ["formula-plus", "'+51 promo"],
      ["formula-minus", "'-20 % descuento"],
      ["formula-at", "'@SUM(1,2)"],
      ["formula-tab", "'\tcon tab"],
      ["formula-cr", "'\rcon retorno"],
      ["formula-spaces-eq", `'  =HYPERLINK("http://evil.example","clic")`],
      ["formula-nbsp-plus", "'\u00a0+51 promo"],
      ["formula-fw-eq", "'＝1+1"],
      ["formula-fw-plus", "'＋51 promo"],
      ["formula-fw-minus", "'－20 % descuento"],
      ["formula-fw-at", "'＠SUM(1,2)"],
      ["formula-lf", "'\ncon salto"],
      ["not-formula-inside", "Precio: 100 - 20 % = 80 @ tienda"],
      ["not-formula-space", "  hola, -20 %"],
      ["not-formula-wide-space", "\u3000＝1+1"],
    ]) {
      expect(byId.get(id)?.[5], id).toBe(body);
    }
    // Names and ids from outside are neutralised like bodies.
    expect(byId.get("formula-fw-eq")?.[0]).toBe("'＝Agente ancho");
    expect(byId.get("formula-fw-plus")?.slice(2, 4)).toEqual(["'＋1795", "'＋plantilla_ancha"]);
    expect(byId.get("formula-fw-minus")?.[1]).toBe("'－Campaña ancha");
    // A CSV has no cell limit: a body longer than Excel's is written whole.
    expect(byId.get("too-long")?.[5]).toBe(rows.find((m) => m.platformId === "too-long")?.body);
    expect(byId.get("meta-failed-no-cause")?.[8]).toBe("Meta did not report the cause of the failure.");
    expect(byId.get("meta-failed")?.slice(7, 13)).toEqual([
      "Sending or delivery failed",
      "131026 - Message undeliverable",
      "Success",
      "Success",
      "Failed",
      "N/A",
    ]);
    expect(byId.get("replied")?.[17]).toBe("Yes");
    // Every row equals the store (dates as local text, empty where unknown).
    const text = (v: string | null) => v ?? "";
    data.forEach((r, i) => {
      const m = rows[i] as StoreRow;
      expect(r.slice(13)).toEqual([
        text(localText(m.outboundAt)),
        text(localText(m.sentAt)),
        text(localText(m.deliveredAt)),
        text(localText(m.readAt)),
        m.repliedAt ? "Yes" : "No",
        text(localText(m.repliedAt)),
      ]);
    });
  });

  it("Spanish stage labels agree in gender with their stage", async () => {
    const report = await generate({ format: "csv" });
    const data = (parse(readFileSync(report.path, "utf8").slice(1)) as string[][]).slice(1);
    const failed = data.find((r) => r[4] === "meta-failed-no-cause") as string[];
    expect(failed.slice(9, 13)).toEqual(["Exitosa", "Fallido", "N/A", "N/A"]);
    const delivered = data.find((r) => r[4] === "meta-failed") as string[];
    expect(delivered.slice(9, 13)).toEqual(["Exitosa", "Exitoso", "Fallida", "N/A"]);
  });

  it("the summary's counts equal count queries on the store", async () => {
    const { summary } = await generate();
    const inRange = { tenantId, platformId: { in: IN_RANGE } };
    expect(summary.totals.total).toBe(await store.prisma.message.count({ where: inRange }));
    for (const state of Object.keys(summary.totals.byState)) {
      expect(summary.totals.byState[state as keyof typeof summary.totals.byState], state).toBe(
        await store.prisma.message.count({ where: { ...inRange, state } }),
      );
    }
    expect(summary.totals.funnel).toMatchObject({
      sent: await store.prisma.message.count({ where: { ...inRange, sentStage: "success" } }),
      delivered: await store.prisma.message.count({ where: { ...inRange, deliveredStage: "success" } }),
      read: await store.prisma.message.count({ where: { ...inRange, readStage: "success" } }),
      replied: await store.prisma.message.count({ where: { ...inRange, repliedAt: { not: null } } }),
    });
    expect(summary.totals.invalidNumbers).toBe(
      await store.prisma.message.count({ where: { ...inRange, outboundError: "invalid_number" } }),
    );
    expect(summary.topErrors).toEqual([
      { code: 131026, title: "Message undeliverable", count: 1 },
      { code: null, title: null, count: 1 },
    ]);
    const nandu = summary.byCampaign.find((c) => c.campaign === "Campaña Ñandú");
    expect(nandu?.byState.meta_failed).toBe(2);
    expect(summary.byCampaign.reduce((n, c) => n + c.total, 0)).toBe(summary.totals.total);
  });

  it("the Resumen sheet shows filters, period, zone, totals per state, funnel, errors and campaigns", async () => {
    const report = await generate({ campaigns: ["campana nandu"] });
    const wb = await readXlsx(report.path);
    const values = sheetRows(wb.getWorksheet("Resumen") as ExcelJS.Worksheet).map((r) =>
      (r.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : v)),
    );
    const find = (label: string) => values.find((v) => v[0] === label)?.slice(1);
    expect(find("Empresa")).toEqual(["Acme Chile"]);
    expect(find("Período del reporte")).toEqual([`${FROM} – ${TO}`]);
    expect(find("Zona horaria")).toEqual([ZONE]);
    expect(find("Generado")).toEqual(["2026-11-02T12:00:00.000Z"]); // 15:00 UTC is 12:00 in Santiago
    expect(find("Campañas")).toEqual(["Campaña Ñandú"]);
    expect(find("Canales")).toEqual(["Todos"]);
    expect(find("Total de mensajes")).toEqual([2]);
    expect(find("Envío o entrega fallida")).toEqual([2, 1]);
    expect(find("Enviados")).toEqual([1]);
    expect(find("131026")).toEqual(["Message undeliverable", 1]);
    expect(find("Números inválidos")).toEqual([0]);
  });

  it("filters by campaign, channel, agent, template and state, matching names without case or accents", async () => {
    const ids = async (over: Partial<ReportRequest>) => {
      const r = await generate({ format: "csv", ...over });
      return (parse(readFileSync(r.path, "utf8").slice(1)) as string[][]).slice(1).map((row) => row[4]);
    };
    expect(await ids({ campaigns: ["CAMPAÑA ñandu"] })).toEqual(["meta-failed", "meta-failed-no-cause"]);
    expect(await ids({ channels: ["277321005464405"] })).toEqual(["replied"]);
    expect(await ids({ agents: ["carlos rojas"] })).toEqual(["delivered"]);
    expect(await ids({ templates: ["recordatorio_pago"] })).toEqual(["delivered"]);
    expect(await ids({ templates: ["77"] })).toEqual(["delivered"]);
    expect(await ids({ states: ["Salida fallida", "queued"] })).toEqual(["too-long", "invalid-number", "no-balance", "queued"]);
    expect((await ids({ channels: ["Ventas"] })).length).toBe(IN_RANGE.length - 1);
  });

  it("an unknown name is a clear error that suggests the closest names", async () => {
    const error = await generate({ campaigns: ["Campana Nandu X"] }).catch((e) => e);
    expect(isReportError(error, "report_unknown_name")).toBe(true);
    expect(error.message).toBe('No campaign "Campana Nandu X". Did you mean "Campaña Ñandú"?');
    const channel = await generate({ channels: ["999"] }).catch((e) => e);
    expect(channel.message).toBe('No channel "999". Known channels: 277321005464405, Ventas (106540352242922).');
  });

  it("dates: a reversed range is refused, an early start is clamped to the data start date and says so", async () => {
    const reversed = await generate({ from: "2026-10-05", to: "2026-10-01" }).catch((e) => e);
    expect(reversed.message).toBe("The range is reversed: it ends (2026-10-01) before it starts (2026-10-05).");
    const clampedSettings = { ...settings, dataStartDate: "2026-10-05" };
    const report = await generateReport(store, request(), { outputPath: join(dir, "clamped.xlsx"), settings: clampedSettings });
    expect(report.summary).toMatchObject({
      clamped: true,
      applied: { from: "2026-10-05", to: TO },
      requested: { from: FROM, to: TO },
    });
    expect(report.rows).toBe(rows.filter((r) => r.queuedAt >= new Date("2026-10-05T03:00:00Z")).length);
    const resumen = sheetRows((await readXlsx(report.path)).getWorksheet("Resumen") as ExcelJS.Worksheet).map(
      (r) => r.getCell(2).value,
    );
    expect(resumen).toContain("Los datos comienzan el 2026-10-05: el período empieza ese día.");
    const before = await generateReport(store, request({ to: "2026-10-04" }), {
      outputPath: join(dir, "b.xlsx"),
      settings: clampedSettings,
    }).catch((e) => e);
    expect(before.code).toBe("report_before_data_start");
  });

  it("no messages: a file with headers and a summary that says so, not an error", async () => {
    const report = await generate({ from: "2025-01-01", to: "2025-01-31" });
    expect(report.rows).toBe(0);
    const wb = await readXlsx(report.path);
    expect(sheetRows(wb.getWorksheet("Mensajes") as ExcelJS.Worksheet)).toHaveLength(1);
    const texts = sheetRows(wb.getWorksheet("Resumen") as ExcelJS.Worksheet).map((r) => r.getCell(1).value);
    expect(texts).toContain("No hay mensajes para estos filtros en este período.");
    const csv = await generate({ from: "2025-01-01", to: "2025-01-31", format: "csv" });
    expect(readFileSync(csv.path, "utf8").split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("a lowered sheet limit continues the messages on Mensajes (2), (3), in order", async () => {
    const report = await generateReport(store, request(), {
      outputPath: join(dir, "split.xlsx"),
      settings: { ...settings, sheetMaxRows: 6 },
    });
    const wb = await readXlsx(report.path);
    const sheets = Math.ceil(IN_RANGE.length / 5);
    expect(sheets).toBeGreaterThan(2);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Resumen",
      "Mensajes",
      ...Array.from({ length: sheets - 1 }, (_, i) => `Mensajes (${i + 2})`),
    ]);
    const ids = wb.worksheets.slice(1).flatMap((w) => {
      const [header, ...data] = sheetRows(w);
      expect(header?.getCell(1).value).toBe("Nombre del agente");
      expect(data.length).toBeLessThanOrEqual(5);
      return data.map((r) => r.getCell(5).value);
    });
    expect(ids).toEqual(rows.map((r) => r.platformId));
  });

  it("above the XLSX row limit: refused with a message that offers CSV, or CSV when the request allows it", async () => {
    const small = { ...settings, xlsxMaxRows: 10 };
    const refused = await generateReport(store, request(), { outputPath: join(dir, "big.xlsx"), settings: small }).catch(
      (e) => e,
    );
    expect(refused.code).toBe("report_too_large");
    expect(refused.message).toBe(
      `This report has ${IN_RANGE.length} rows; XLSX reports are limited to 10. Ask for CSV (format:csv) instead, or narrow the filters.`,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith("big"))).toEqual([]);
    const switched = await generateReport(store, request({ allowCsvFallback: true }), {
      outputPath: join(dir, "big.xlsx"),
      settings: small,
    });
    expect([switched.format, switched.path.endsWith("big.xlsx.csv"), switched.summary.switchedToCsv]).toEqual([
      "csv",
      true,
      true,
    ]);
    expect(readFileSync(switched.path, "utf8").startsWith("\uFEFFNombre del agente,")).toBe(true);
  });

  it("reports progress, and a cancelled report leaves no file behind", async () => {
    const seen: { rows: number; total: number }[] = [];
    await generate({}, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ rows: IN_RANGE.length, total: IN_RANGE.length });
    const before = readdirSync(dir).length;
    const controller = new AbortController();
    controller.abort();
    const cancelled = await generate({}, { signal: controller.signal, outputPath: join(dir, "cancelled.xlsx") }).catch((e) => e);
    expect(cancelled.code).toBe("report_cancelled");
    expect(readdirSync(dir).length).toBe(before);
  });

  it("opens in LibreOffice (headless conversion) and its rows match the engine's CSV", async () => {
    const xlsx = await generate();
    const csv = await generate({ format: "csv" });
    const out = mkdtempSync(join(tmpdir(), "hsm-lo-"));
    execFileSync(
      "libreoffice",
      [
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
        "--outdir",
        out,
        xlsx.path,
      ],
      { stdio: "pipe", timeout: 120_000, env: { ...process.env, HOME: out } },
    );
    const base = xlsx.path
      .split("/")
      .at(-1)
      ?.replace(/\.xlsx$/, "");
    const fromLibreOffice = parse(readFileSync(join(out, `${base}-Mensajes.csv`), "utf8")) as string[][];
    const fromEngine = parse(readFileSync(csv.path, "utf8").slice(1)) as string[][];
    // LibreOffice shows dates in the sheet's day-first format; the engine's CSV uses sortable text.
    const dayFirst = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2}:\d{2})$/;
    const normalised = fromLibreOffice.map((r) => r.map((v) => v.replace(dayFirst, "$3-$2-$1 $4")));
    // The engine's CSV neutralises formulas with a leading apostrophe and keeps a body over Excel's
    // cell limit whole; the sheet keeps the text as is, and cuts that body with its mark.
    const asInSheet = fromEngine.map((r) => r.map((v) => inExcelCell(isNeutralised(v) ? v.slice(1) : v, "es")));
    expect(normalised).toEqual(asInSheet);
    const tooLong = normalised.find((r) => r[4] === "too-long")?.[5];
    expect([tooLong?.length, tooLong?.endsWith("…[cortado]")]).toEqual([EXCEL_CELL_LIMIT, true]);
  }, 120_000);
});

describe("PostgreSQL's COPY path", () => {
  it("writes the same dates as the row-by-row writer across a DST change and far outside the range", async () => {
    const { freshPostgres } = await import("../support/databases.ts");
    const { planReport } = await import("../../src/reports/plan.ts");
    const { rowFormatter } = await import("../../src/reports/format-row.ts");
    const { messageRows } = await import("../../src/store/report-source.ts");
    const { csvChunks, writeCsv } = await import("../../src/reports/csv-file.ts");
    const { ingestSendRecords } = await import("../../src/ingest/send-records.ts");
    const { createTenant } = await import("../../src/store/tenants.ts");
    const { sendRecord } = await import("../support/records.ts");
    const db = freshPostgres();
    const store = await openStore(db.url);
    try {
      const { tenant } = await createTenant(store, { slug: "madrid", name: "Madrid", timeZone: "Europe/Madrid", locale: "es" });
      // Madrid leaves summer time at 01:00 UTC on 25 October 2026: 03:00 CEST becomes 02:00 CET.
      const times = [
        "2026-10-25T00:30:00Z",
        "2026-10-25T00:59:59Z",
        "2026-10-25T01:00:00Z",
        "2026-10-25T01:30:00Z",
        "2026-10-26T12:00:00Z",
      ];
      const records = times.map((queuedAt, i) =>
        sendRecord(`dst${i}`, {
          queuedAt,
          outboundAt: i === 4 ? "2027-07-01T10:00:00Z" : queuedAt,
          waMessageId: `wamid.DST${i}`,
        }),
      );
      await ingestSendRecords(
        store,
        tenant.id,
        records.map((value, index) => ({ value, index, raw: JSON.stringify(value) })),
        {
          source: "api",
          windowDays: 30,
          now: new Date("2026-11-01T00:00:00Z"),
        },
      );
      const req = request({ tenant: "madrid", from: "2026-10-24", to: "2026-10-27", format: "csv" });
      const dir = mkdtempSync(join(tmpdir(), "hsm-dst-"));
      const copied = await generateReport(store, req, { outputPath: join(dir, "copy.csv"), settings: DEFAULT_REPORT_SETTINGS });
      const plan = await planReport(store, req, DEFAULT_REPORT_SETTINGS);
      const byRow = join(dir, "rows.csv");
      const chunks = csvChunks(messageRows(store, plan.filter), rowFormatter(plan, "es"), "Europe/Madrid");
      await writeCsv({ path: byRow, locale: "es", header: true, chunks, onRows: () => {}, isCancelled: () => false });
      const text = readFileSync(copied.path, "utf8");
      expect(text).toBe(readFileSync(byRow, "utf8"));
      const outbound = (parse(text.slice(1)) as string[][]).slice(1).map((r) => r[13]);
      expect(outbound).toEqual([
        "2026-10-25 02:30:00",
        "2026-10-25 02:59:59",
        "2026-10-25 02:00:00",
        "2026-10-25 02:30:00",
        "2027-07-01 12:00:00",
      ]);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it("writes the same bytes as the row-by-row CSV writer, in both languages, formulas neutralised alike in every column", async () => {
    const { freshPostgres } = await import("../support/databases.ts");
    const { planReport } = await import("../../src/reports/plan.ts");
    const { rowFormatter } = await import("../../src/reports/format-row.ts");
    const { messageRows } = await import("../../src/store/report-source.ts");
    const { csvChunks, writeCsv } = await import("../../src/reports/csv-file.ts");
    const db = freshPostgres();
    const store = await openStore(db.url);
    try {
      await seedReportFixture(store, "acme", [...FIXTURE, ...META_TITLE_FORMULAS]);
      const dir = mkdtempSync(join(tmpdir(), "hsm-copy-"));
      for (const locale of ["es", "en"] as const) {
        const copied = await generateReport(store, request({ format: "csv", locale }), {
          outputPath: join(dir, `copy-${locale}.csv`),
          settings: DEFAULT_REPORT_SETTINGS,
        });
        const plan = await planReport(store, request({ format: "csv", locale }), DEFAULT_REPORT_SETTINGS);
        const format = rowFormatter(plan, locale);
        const byRow = join(dir, `rows-${locale}.csv`);
        const chunks = csvChunks(messageRows(store, plan.filter), format, ZONE);
        await writeCsv({ path: byRow, locale, header: true, chunks, onRows: () => {}, isCancelled: () => false });
        const text = readFileSync(copied.path, "utf8");
        expect(text).toBe(readFileSync(byRow, "utf8"));
        const byId = new Map((parse(text.slice(1)) as string[][]).slice(1).map((r) => [r[4], r]));
        const cell = (id: string, column: number) => byId.get(id)?.[column];
        expect([
          cell("formula-spaces-eq", 5),
          cell("formula-nbsp-plus", 5),
          cell("formula-fw-eq", 0),
          cell("formula-fw-eq", 5),
          cell("formula-fw-plus", 2),
          cell("formula-fw-plus", 3),
          cell("formula-fw-plus", 5),
          cell("formula-fw-minus", 1),
          cell("formula-fw-minus", 5),
          cell("formula-fw-at", 5),
          cell("formula-lf", 5),
          cell("formula-meta-title", 8),
          cell("formula-meta-title-nbsp", 8),
        ]).toEqual([
          `'  =HYPERLINK("http://evil.example","clic")`,
          "'\u00a0+51 promo",
          "'＝Agente ancho",
          "'＝1+1",
          "'＋1795",
          "'＋plantilla_ancha",
          "'＋51 promo",
          "'－Campaña ancha",
          "'－20 % descuento",
          "'＠SUM(1,2)",
          "'\ncon salto",
          "'＠Meta =1+1",
          "'-1 failed",
        ]);
        expect([cell("not-formula-inside", 5), cell("not-formula-space", 5), cell("not-formula-wide-space", 5)]).toEqual([
          "Precio: 100 - 20 % = 80 @ tienda",
          "  hola, -20 %",
          "\u3000＝1+1",
        ]);
      }
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it("neutralises exactly as the row-by-row writer every text of up to three characters among spaces, triggers and others", async () => {
    const { default: pg } = await import("pg");
    const { POSTGRES_URL } = await import("../support/databases.ts");
    const { neutralizeSql } = await import("../../src/store/report-copy.ts");
    const { neutralizeFormula } = await import("../../src/reports/csv-format.ts");
    // SPEC's triggers, the two spaces skipped before them, spaces that are not skipped, and others.
    const alphabet = [..."=+-@\t\r\n＝＋－＠ \u00a0\u3000\u2003\ufeffa1'", "🙌"];
    const extend = (prefixes: string[]) => prefixes.flatMap((prefix) => alphabet.map((c) => prefix + c));
    const one = extend([""]);
    const two = extend(one);
    const texts = ["", ...one, ...two, ...extend(two)];
    const client = new pg.Client(POSTGRES_URL);
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT ${neutralizeSql("u.t")} AS n FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY u.i`,
        [texts],
      );
      const spec = (t: string) => (FORMULA_START.test(t) ? `'${t}` : t);
      const differing = texts.filter((t, i) => rows[i]?.n !== spec(t) || neutralizeFormula(t) !== spec(t));
      expect(rows).toHaveLength(texts.length);
      expect(differing.map((t) => JSON.stringify(t))).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
