// waitForXlsxDrain reaches into exceljs's private streams to get backpressure, and useQuotePrefix
// into its style table; if an exceljs upgrade moves them, this fails instead of memory quietly
// growing to gigabytes on big reports or the quote prefix quietly going missing.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { useQuotePrefix } from "../../src/reports/xlsx-quote-prefix.ts";

describe("exceljs internals the XLSX writer relies on", () => {
  it("is the pinned version, with the sheet's pipe and its writable state where expected", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.dependencies.exceljs).toBe("4.4.0");
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(mkdtempSync(join(tmpdir(), "xl-")), "x.xlsx") });
    const sheet = wb.addWorksheet("s");
    sheet.addRow(["a"]).commit();
    const pipe = (sheet as unknown as { _stream: { pipes: { _writableState: { needDrain: boolean } }[] } })._stream.pipes[0];
    expect(typeof pipe?._writableState.needDrain).toBe("boolean");
    expect(typeof (pipe as unknown as { once: unknown }).once).toBe("function");
    sheet.commit();
    await wb.commit();
  });
});

describe("exceljs style table the quote prefix is added to", () => {
  it("keeps each cell <xf> as an XML string indexed by that string, and a style object's id in its cache", async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: join(mkdtempSync(join(tmpdir(), "xl-")), "x.xlsx"),
      useStyles: true,
    });
    const styles = (
      wb as unknown as {
        styles: {
          addStyleModel(model: object, type: number): number;
          model: { styles: string[] };
          index: { style: Record<string, number> };
        };
      }
    ).styles;
    const xfs = styles.model.styles;
    expect(xfs[0]).toBe('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>');
    expect(styles.index.style[xfs[0] as string]).toBe(0);
    const style = {};
    useQuotePrefix(wb, style);
    const id = styles.addStyleModel(style, ExcelJS.ValueType.String);
    expect(xfs[id]).toBe('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>');
    expect(styles.index.style[xfs[id] as string]).toBe(id);
    expect(styles.addStyleModel({}, ExcelJS.ValueType.String)).toBe(0);
    await wb.commit();
  });
});

describe("tab order", () => {
  it("a sheet moved first after the others were written opens as the first tab", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xl-"));
    const file = join(dir, "order.xlsx");
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
    const data = wb.addWorksheet("Mensajes");
    data.addRow(["x"]).commit();
    data.commit();
    const summary = wb.addWorksheet("Resumen");
    summary.addRow(["total", 1]).commit();
    summary.commit();
    const internal = wb as unknown as { _worksheets: unknown[] };
    expect(internal._worksheets.filter(Boolean)).toHaveLength(2);
    const reordered: unknown[] = [];
    reordered[1] = summary;
    reordered[2] = data;
    internal._worksheets = reordered;
    await wb.commit();
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(file);
    expect(read.worksheets.map((w) => [w.name, w.getCell("A1").value])).toEqual([
      ["Resumen", "total"],
      ["Mensajes", "x"],
    ]);
  });
});
