// The CSV report written from rows in this process: UTF-8 with a BOM (so Excel reads the accents),
// RFC 4180 quoting, LF line ends, dates as "YYYY-MM-DD HH:MM:SS" in the tenant's zone (sortable as text).
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { formatLocalDateTime } from "../domain/local-time.ts";
import { columnHeaders, REPORT_COLUMNS } from "../domain/report-columns.ts";
import type { Locale } from "../domain/tenant.ts";
import { csvField, UTF8_BOM } from "./csv-format.ts";
import type { Cell } from "./format-row.ts";
import { REPORT_FILE_MODE } from "./report-file.ts";

const IS_DATE = REPORT_COLUMNS.map((c) => c.kind === "date");

export function csvHeaderLine(locale: Locale): string {
  return `${columnHeaders(locale).map(csvField).join(",")}\n`;
}

/**
 * Columns whose values repeat (names, labels, comments): their quoted form is worked out once per
 * distinct value. Bodies, ids and numbers are escaped every time.
 */
const REPEATING = new Set([
  "agent",
  "campaign",
  "hsmId",
  "hsmName",
  "state",
  "comment",
  "outboundStage",
  "sentStage",
  "deliveredStage",
  "readStage",
  "replied",
]);
const MEMO_LIMIT = 10_000;

export function csvLineWriter(zone: string): (cells: readonly Cell[]) => string {
  const memos = REPORT_COLUMNS.map((c) => (REPEATING.has(c.key) ? new Map<string, string>() : null));
  return (cells) => {
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i] ?? null;
      if (i > 0) line += ",";
      if (v === null) continue;
      if (IS_DATE[i]) {
        line += formatLocalDateTime(v as number, zone);
        continue;
      }
      const memo = memos[i];
      let field = memo?.get(v as string);
      if (field === undefined) {
        field = csvField(v as string);
        if (memo && memo.size < MEMO_LIMIT) memo.set(v as string, field);
      }
      line += field;
    }
    return `${line}\n`;
  };
}

export interface CsvOutput {
  path: string;
  locale: Locale;
  /** Write the BOM and the header line first (the first part of a report does). */
  header: boolean;
  /** Lines of CSV text, a batch of rows at a time. */
  chunks: AsyncIterable<{ text: string; rows: number }>;
  onRows: (written: number) => void;
  isCancelled: () => boolean;
}

export async function writeCsv(out: CsvOutput): Promise<number> {
  const file = createWriteStream(out.path, { mode: REPORT_FILE_MODE });
  const closed = once(file, "close");
  const write = async (text: string) => {
    if (!file.write(text)) await once(file, "drain");
  };
  let written = 0;
  try {
    if (out.header) await write(UTF8_BOM + csvHeaderLine(out.locale));
    for await (const chunk of out.chunks) {
      if (out.isCancelled()) break;
      await write(chunk.text);
      written += chunk.rows;
      out.onRows(written);
    }
  } finally {
    file.end();
    await closed;
  }
  return written;
}

/** Formatted rows → CSV text, one chunk per batch (one cell array reused for every row). */
export async function* csvChunks(
  rows: AsyncIterable<unknown[][]>,
  format: (raw: unknown[], into: Cell[]) => Cell[],
  zone: string,
) {
  const line = csvLineWriter(zone);
  const cells: Cell[] = new Array(REPORT_COLUMNS.length);
  for await (const batch of rows) {
    let text = "";
    for (const raw of batch) text += line(format(raw, cells));
    yield { text, rows: batch.length };
  }
}
