// An XLSX report on two threads: one reads and formats the rows, the other runs exceljs, which is
// most of the work. Batches go from one to the other over a MessageChannel with a few in flight at
// most, so the reader never runs ahead of the writer by more than that.
import type { MessagePort } from "node:worker_threads";
import type { ErrorCount, ReportSummary, SummaryGroup } from "../domain/report-summary.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { messageRows } from "../store/report-source.ts";
import { campaignName, summarize } from "./engine.ts";
import { rowFormatter } from "./format-row.ts";
import type { ReportPlan } from "./plan.ts";
import { SummaryAccumulator } from "./summary-accumulator.ts";
import { toSheetValues } from "./xlsx-file.ts";

const IN_FLIGHT = 4;

type PipeMessage = { type: "rows"; rows: unknown[][] } | { type: "end"; summary: ReportSummary } | { type: "ack" };

/** Reader side: sends every row of the plan as sheet values, then the summary. */
export async function sendSheetRows(
  store: SqlStore,
  plan: ReportPlan,
  port: MessagePort,
  generatedAt: Date,
): Promise<{ rows: number; groups: SummaryGroup[]; errors: ErrorCount[] }> {
  const format = rowFormatter(plan, plan.request.locale);
  const accumulator = new SummaryAccumulator();
  const zone = plan.tenant.timeZone;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on("message", (m: PipeMessage) => {
    if (m.type !== "ack") return;
    inFlight--;
    wake?.();
    wake = null;
  });
  let rows = 0;
  for await (const batch of messageRows(store, plan.filter)) {
    const values = batch.map((raw) => {
      accumulator.add(raw);
      return toSheetValues(format(raw), zone, plan.request.locale);
    });
    while (inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    port.postMessage({ type: "rows", rows: values } satisfies PipeMessage);
    rows += batch.length;
  }
  const groups = accumulator.groups(campaignName(plan));
  const errors = accumulator.errors();
  port.postMessage({ type: "end", summary: summarize(plan, "xlsx", generatedAt, groups, errors) } satisfies PipeMessage);
  port.close();
  return { rows, groups, errors };
}

/** Writer side: the rows as they arrive, and the summary once they have all come. */
export function receiveSheetRows(port: MessagePort): { rows: AsyncIterable<unknown[][]>; summary: () => ReportSummary } {
  const queue: PipeMessage[] = [];
  let notify: (() => void) | null = null;
  let summary: ReportSummary | null = null;
  port.on("message", (m: PipeMessage) => {
    queue.push(m);
    notify?.();
    notify = null;
  });
  async function* rows(): AsyncGenerator<unknown[][]> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve));
      const m = queue.shift() as PipeMessage;
      if (m.type === "end") {
        summary = m.summary;
        return;
      }
      if (m.type === "rows") {
        port.postMessage({ type: "ack" } satisfies PipeMessage);
        yield m.rows;
      }
    }
  }
  return {
    rows: rows(),
    summary: () => {
      if (!summary) throw new Error("the rows' summary has not arrived");
      return summary;
    },
  };
}
