// The rows of a report XLSX's message sheets ("Mensajes", "Mensajes (2)", …), read with ExcelJS: what
// two reports are compared by when their bytes differ only by when each file was made.
import ExcelJS from "exceljs";

export async function sheetRows(bytes: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets
    .filter((w) => w.name.startsWith("Mensajes"))
    .flatMap((w) => {
      const rows: unknown[][] = [];
      w.eachRow((r) => {
        rows.push((r.values as unknown[]).slice(1));
      });
      return rows;
    });
}
