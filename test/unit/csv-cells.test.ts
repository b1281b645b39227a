// A CSV cell a spreadsheet would run as a formula gets a leading apostrophe (SPEC "The report");
// PostgreSQL's COPY path is held to the same rule in test/integration/report.test.ts.
import { describe, expect, it } from "vitest";
import { csvField, neutralizeFormula } from "../../src/reports/csv-format.ts";

describe("formula neutralisation of CSV cells", () => {
  it.each([
    ["=SUM(A1)", "ASCII ="],
    ["+51 promo", "ASCII +"],
    ["-20 %", "ASCII -"],
    ["@SUM(1,2)", "ASCII @"],
    ["\tcon tab", "tab"],
    ["\rcon retorno", "carriage return"],
    ["\ncon salto", "line feed"],
    ['  =HYPERLINK("http://evil.example","clic")', "spaces, then ="],
    ["\u00a0+1", "NBSP, then +"],
    [" \u00a0 -1", "spaces and NBSP mixed, then -"],
    ["  \t=1", "spaces, then a tab"],
    ["＝1+1", "full-width ＝ (U+FF1D)"],
    ["＋51", "full-width ＋ (U+FF0B)"],
    ["－20", "full-width － (U+FF0D)"],
    ["＠SUM(1,2)", "full-width ＠ (U+FF20)"],
    ["  ＝1", "spaces, then full-width ＝"],
  ])("%j (%s) is shown as text", (text) => {
    expect(neutralizeFormula(text)).toBe(`'${text}`);
  });

  it.each([
    ["Precio: 100 - 20 % = 80", "signs after the first letter"],
    ["hola -1", "a minus in the middle"],
    ["  hola", "spaces before a letter"],
    ["\u00a0hola", "NBSP before a letter"],
    ["   ", "only spaces"],
    ["", "empty"],
    ["\u3000＝1", "an ideographic space is not skipped"],
    ["\u2003=1", "an em space is not skipped"],
    ["\ufeff=1", "a BOM is not skipped"],
    ["'=1", "already quoted by its author"],
    ["51977452931", "a phone number"],
  ])("%j (%s) is left as it is", (text) => {
    expect(neutralizeFormula(text)).toBe(text);
  });

  it("quotes a neutralised cell when it has to, after the apostrophe", () => {
    expect(csvField("\ncon salto")).toBe(`"'\ncon salto"`);
    expect(csvField('  =HYPERLINK("x")')).toBe(`"'  =HYPERLINK(""x"")"`);
    expect(csvField("\u00a0+1")).toBe("'\u00a0+1");
  });
});
