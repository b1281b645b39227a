// Texts from outside in the XLSX: cut at Excel's cell limit with a visible mark, and written with
// the quote-prefix style exceljs 4.4.0 cannot express by itself.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { fitCellLimit } from "../../src/reports/xlsx-cell-text.ts";
import { useQuotePrefix, withQuotePrefix } from "../../src/reports/xlsx-quote-prefix.ts";
import { cellXfs, worksheetCells } from "../support/zip-entry.ts";

describe("Excel's 32,767 characters per cell", () => {
  it("leaves a text at the limit as it is", () => {
    const text = "a".repeat(32_767);
    expect(fitCellLimit(text, "es")).toBe(text);
  });

  it("cuts a longer text to exactly the limit, ending with the mark in the report's language", () => {
    const text = "b".repeat(32_768);
    const es = fitCellLimit(text, "es");
    const en = fitCellLimit(text, "en");
    expect([es.length, es.endsWith("b…[cortado]")]).toEqual([32_767, true]);
    expect([en.length, en.endsWith("b…[truncated]")]).toEqual([32_767, true]);
  });

  it("never splits an emoji: the cut falls before it, one character short of the limit", () => {
    const keep = 32_767 - "…[cortado]".length;
    const text = `${"c".repeat(keep - 1)}🙌${"d".repeat(100)}`;
    expect(fitCellLimit(text, "es")).toBe(`${"c".repeat(keep - 1)}…[cortado]`);
  });
});

describe("the quote-prefix style", () => {
  it("is added to an <xf>, self-closing or with children", () => {
    expect(withQuotePrefix('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>')).toBe(
      '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>',
    );
    expect(withQuotePrefix('<xf numFmtId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf>')).toBe(
      '<xf numFmtId="0" xfId="0" applyAlignment="1" quotePrefix="1"><alignment wrapText="1"/></xf>',
    );
  });

  it("goes to the cells sharing a style object given to useQuotePrefix, and to no other, with one <xf> per style", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "xl-")), "q.xlsx");
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
    const quoted: Partial<ExcelJS.Style> = {};
    const quotedBold: Partial<ExcelJS.Style> = { font: { bold: true } };
    useQuotePrefix(workbook, quoted);
    useQuotePrefix(workbook, quotedBold);
    const sheet = workbook.addWorksheet("s");
    for (let i = 0; i < 3; i++) {
      const row = sheet.addRow(["=1+1", "plain", "=2", 46_000]);
      row.getCell(1).style = quoted;
      row.getCell(3).style = quotedBold;
      row.getCell(4).style = { numFmt: "dd/mm/yyyy" };
      row.commit();
    }
    sheet.commit();
    await workbook.commit();
    const xfs = cellXfs(file);
    const cells = worksheetCells(file, "s");
    const xfOf = (ref: string) => xfs[cells.get(ref)?.style ?? 0] ?? "";
    expect(xfs.filter((xf) => xf.includes('quotePrefix="1"'))).toHaveLength(2);
    for (const row of [1, 2, 3]) {
      expect(xfOf(`A${row}`)).toMatch(/quotePrefix="1"/);
      expect(xfOf(`C${row}`)).toMatch(/fontId="[1-9]".*quotePrefix="1"/);
      expect(xfOf(`B${row}`)).not.toMatch(/quotePrefix/);
      expect(xfOf(`D${row}`)).not.toMatch(/quotePrefix/);
    }
    expect(cells.get("A1")?.text).toBe("=1+1");
  });
});
