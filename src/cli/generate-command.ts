// `hsm-report generate`: one report to a file, with a progress bar and the summary at the end.
import { resolve } from "node:path";
import { Command, Option } from "commander";
import type { Config } from "../config.ts";
import { isReportError } from "../domain/report-errors.ts";
import type { ReportRequest } from "../domain/report-request.ts";
import { LOCALES } from "../domain/tenant.ts";
import { summaryLines } from "../reports/summary-plain.ts";
import { applyMigrations, openSqlStore } from "../store/open-sql.ts";
import { reportTenant } from "../store/report-source.ts";
import { progressLine } from "./progress.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

interface GenerateFlags {
  tenant: string;
  from: string;
  to: string;
  campaign: string[];
  channel: string[];
  agent: string[];
  template: string[];
  state: string[];
  format: "xlsx" | "csv";
  locale?: "es" | "en";
  output?: string;
  allowCsv?: boolean;
}

export function generateCommand(deps: {
  config: () => Config;
  fail: (message: string) => Error;
  out: (line: string) => void;
}): Command {
  return new Command("generate")
    .description("Write one HSM report (XLSX or CSV) to a file, with its summary.")
    .requiredOption("--tenant <slug>", "tenant to report on")
    .requiredOption("--from <date>", "first day, YYYY-MM-DD in the tenant's time zone")
    .requiredOption("--to <date>", "last day (included), YYYY-MM-DD")
    .option("--campaign <name>", "only this campaign (repeatable)", collect, [])
    .option("--channel <id>", "only this WhatsApp line: phone_number_id, number or name (repeatable)", collect, [])
    .option("--agent <name>", "only this agent (repeatable)", collect, [])
    .option("--template <name>", "only this template: HSM id or name (repeatable)", collect, [])
    .option("--state <state>", "only this state, e.g. read or 'Envío o entrega fallida' (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "file format").choices(["xlsx", "csv"]).default("xlsx"))
    .addOption(new Option("--locale <locale>", "language of headers and labels (default: the tenant's)").choices([...LOCALES]))
    .option("-o, --output <file>", "where to write (default: hsm-report-<tenant>-<from>_<to>.<format>)")
    .option("--allow-csv", "if the report is too large for XLSX, write CSV instead of refusing")
    .action(async (flags: GenerateFlags) => {
      const config = deps.config();
      // Raw SQL only: this process just plans the report and hands the rows to worker threads, so it
      // does not load Prisma (time and memory a big report is measured on).
      const store = openSqlStore(config.databaseUrl, config.databaseBusyTimeoutMs);
      try {
        await applyMigrations(store);
        const tenant = await reportTenant(store, flags.tenant);
        const request: ReportRequest = {
          tenant: flags.tenant,
          from: flags.from,
          to: flags.to,
          campaigns: flags.campaign,
          channels: flags.channel,
          agents: flags.agent,
          templates: flags.template,
          states: flags.state,
          format: flags.format,
          locale: flags.locale ?? tenant?.locale ?? "es",
          allowCsvFallback: flags.allowCsv === true,
        };
        const output = resolve(flags.output ?? `hsm-report-${flags.tenant}-${flags.from}_${flags.to}.${flags.format}`);
        const progress = progressLine("Generating report");
        try {
          const { runReport } = await import("../reports/run-report.ts");
          const report = await runReport(store, request, {
            databaseUrl: config.databaseUrl,
            busyTimeoutMs: config.databaseBusyTimeoutMs,
            outputPath: output,
            settings: config.reports,
            onProgress: (p) => progress.update(p.rows, p.total, "rows"),
          });
          progress.finish(
            `Wrote ${report.path} (${report.format.toUpperCase()}, ${report.rows.toLocaleString("en-US")} rows, ${(report.bytes / 1024).toFixed(0)} KiB).`,
          );
          for (const line of summaryLines(report.summary)) deps.out(line);
        } catch (error) {
          if (isReportError(error)) throw deps.fail(error.message);
          throw error;
        }
      } finally {
        await store.close();
      }
    });
}
