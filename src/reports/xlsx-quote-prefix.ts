// The quote-prefix cell style (quotePrefix="1" on the cell's <xf> in styles.xml): Excel keeps such a
// cell as text when a user edits it, instead of running "=HYPERLINK(…)" once they press Enter. Cells
// are written as text either way; this only matters on edit.
//
// exceljs 4.4.0 has no quotePrefix in its style model: its StyleXform writes number format, font,
// fill, border, alignment and protection only, and drops anything else. Its streaming writer keeps
// each distinct <xf> as an XML string in styles.model.styles, indexed by that string, and remembers
// the id of every style object it has seen in styles.weakMap (the cache that makes shared style
// objects fast). So the <xf> exceljs makes for a style object is registered again with the
// attribute added, and the cache is pointed at it: cells sharing that object then get the quoted
// style at no extra cost per cell. These are private fields, which is why package.json pins
// exceljs; test/unit/xlsx-internals.test.ts fails if an upgrade moves them.
import ExcelJS from "exceljs";

interface StylesInternals {
  addStyleModel(model: object, cellType?: number): number;
  model: { styles: string[] };
  index: { style: Record<string, number> };
  weakMap: WeakMap<object, number>;
}

/** `<xf numFmtId="0" … xfId="0"/>` → `<xf numFmtId="0" … xfId="0" quotePrefix="1"/>` (children kept). */
export function withQuotePrefix(xf: string): string {
  return xf.replace(/^<xf\b([^>]*?)(\/?)>/, '<xf$1 quotePrefix="1"$2>');
}

function register(styles: StylesInternals, xf: string): number {
  let id = styles.index.style[xf];
  if (id === undefined) {
    id = styles.model.styles.length;
    styles.index.style[xf] = id;
    styles.model.styles.push(xf);
  }
  return id;
}

/** From now on, this workbook writes every cell whose style is this very object as quote-prefixed text. */
export function useQuotePrefix(workbook: ExcelJS.stream.xlsx.WorkbookWriter, style: Partial<ExcelJS.Style>): void {
  const styles = (workbook as unknown as { styles: StylesInternals }).styles;
  const plain = styles.model.styles[styles.addStyleModel(style, ExcelJS.ValueType.String)] as string;
  styles.weakMap.set(style, register(styles, withQuotePrefix(plain)));
}
