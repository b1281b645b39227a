// `hsm-report import`: NDJSON or CSV files of send records, any size, streamed in batches of 1,000.
import { createReadStream, statSync } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { parse as parseCsv } from "csv-parse";
import type { RecordError } from "../domain/send-record.ts";
import type { Store } from "../store/open-store.ts";
import { csvRowToRecord } from "./parse-send-record.ts";
import { ingestSendRecords, MAX_RECORDS_PER_REQUEST } from "./send-records.ts";

export type ImportFormat = "ndjson" | "csv";

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  records: number;
  accepted: number;
  rejected: number;
}

export interface ImportResult extends ImportProgress {
  /** The first errors (with `index` = line number in the file, from 1). */
  errors: RecordError[];
}

const KEPT_ERRORS = 1000;

export function formatOf(file: string, given?: string): ImportFormat {
  if (given === "ndjson" || given === "csv") return given;
  if (given) throw new Error(`--format must be ndjson or csv (got ${given})`);
  const ext = extname(file).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".ndjson" || ext === ".jsonl" || ext === ".json") return "ndjson";
  throw new Error(`cannot tell the format of ${file} from its extension; pass --format ndjson or --format csv`);
}

interface Line {
  line: number;
  value: unknown;
  raw: string;
  error?: string;
}

async function* ndjsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<Line> {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text), raw: text };
    } catch (error) {
      yield { line, value: null, raw: text, error: `not valid JSON (${(error as Error).message})` };
    }
  }
}

async function* csvLines(stream: NodeJS.ReadableStream): AsyncGenerator<Line> {
  const parser = stream.pipe(
    parseCsv({ columns: true, bom: true, skip_empty_lines: true, info: true, relax_column_count: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield { line: info.lines, value: csvRowToRecord(record), raw: JSON.stringify(record) };
  }
}

export async function importFile(
  store: Store,
  tenantId: number,
  file: string,
  options: { format: ImportFormat; windowDays: number; now: () => Date; onProgress?: (p: ImportProgress) => void },
): Promise<ImportResult> {
  const totalBytes = statSync(file).size;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const result: ImportResult = { bytesRead: 0, totalBytes, records: 0, accepted: 0, rejected: 0, errors: [] };
  stream.on("data", (chunk) => {
    result.bytesRead += chunk.length;
  });

  let batch: Line[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const bad = batch.filter((l) => l.error);
    const good = batch.filter((l) => !l.error);
    const r = await ingestSendRecords(
      store,
      tenantId,
      good.map((l) => ({ value: l.value, raw: l.raw, index: l.line })),
      { source: "import", windowDays: options.windowDays, now: options.now() },
    );
    result.records += batch.length;
    result.accepted += r.accepted;
    result.rejected += r.rejected + bad.length;
    const errors = [...bad.map((l) => ({ index: l.line, field: "line", reason: l.error as string })), ...r.errors];
    result.errors.push(...errors.slice(0, Math.max(0, KEPT_ERRORS - result.errors.length)));
    batch = [];
    options.onProgress?.({ ...result });
  };

  const lines = options.format === "csv" ? csvLines(stream) : ndjsonLines(stream);
  for await (const line of lines) {
    batch.push(line);
    if (batch.length >= MAX_RECORDS_PER_REQUEST) await flush();
  }
  await flush();
  result.bytesRead = totalBytes;
  result.errors.sort((a, b) => a.index - b.index);
  return result;
}
