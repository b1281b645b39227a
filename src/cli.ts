// The `hsm-report` command.
import { Command, InvalidArgumentError, Option } from "commander";
import { CliError, config, out, tenantBySlug, withStore } from "./cli/cli-kit.ts";
import { eventsCommand } from "./cli/events-command.ts";
import { generateCommand } from "./cli/generate-command.ts";
import { progressLine } from "./cli/progress.ts";
import { scheduleCommand } from "./cli/schedule-command.ts";
import { slackCommand } from "./cli/slack-command.ts";
import { teamsCommand } from "./cli/teams-command.ts";
import { tenantKeyCommand } from "./cli/tenant-key-command.ts";
import { ConfigError } from "./config.ts";
import { isLocale, isValidSlug, isValidTimeZone, LOCALES } from "./domain/tenant.ts";
import type { ImportFormat } from "./ingest/import-file.ts";
import { createLogger } from "./log.ts";
import { guardProcess } from "./process-guards.ts";
import { isStoreUnavailable } from "./store/errors.ts";
import { migrateDatabase } from "./store/open-store.ts";
import { createTenant, findTenantBySlug, listTenants } from "./store/tenants.ts";

export { CliError };

export function buildProgram(): Command {
  const program = new Command("hsm-report")
    .description("HSM management reports for Slack and Microsoft Teams: the life of every WhatsApp template message.")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false });

  program
    .command("serve")
    .description("Run the HTTP server (Meta webhooks, send-record API, health) on PORT until SIGTERM.")
    .action(async () => {
      const c = config();
      const log = createLogger({ level: c.logLevel });
      const { startApp } = await import("./main.ts");
      const app = await startApp(c, { log });
      const stop = (signal: string) => {
        log.info({ signal }, "stopping");
        app.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error({ err: error }, "error while stopping");
            process.exit(1);
          },
        );
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
      guardProcess(log, () => app.stop());
    });

  program
    .command("migrate")
    .description("Apply pending database migrations (serve also does this at start-up).")
    .action(async () => {
      const c = config();
      const result = await migrateDatabase(c.databaseUrl);
      out(
        result.applied.length
          ? `Applied ${result.applied.join(", ")}.`
          : `Database up to date (${result.alreadyApplied} migrations).`,
      );
    });

  const tenant = program.command("tenant").description("Manage tenants (companies served by this installation).");
  tenant
    .command("add")
    .description("Create a tenant and print its API key (shown only once).")
    .argument("<slug>", "short unique id, lowercase letters, digits and dashes (e.g. acme)")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--timezone <zone>", "IANA time zone reports are shown in, e.g. America/Lima")
    .addOption(new Option("--locale <locale>", "language of reports and messages").choices([...LOCALES]).default("es"))
    .action(async (slug: string, opts: { name: string; timezone: string; locale: string }) => {
      if (!isValidSlug(slug))
        throw new CliError(`Invalid slug "${slug}": use lowercase letters, digits and dashes (e.g. acme-peru).`);
      if (!isValidTimeZone(opts.timezone))
        throw new CliError(`Unknown time zone "${opts.timezone}": use an IANA name such as America/Lima.`);
      if (!isLocale(opts.locale)) throw new CliError(`--locale must be es or en.`);
      await withStore(async (store) => {
        if (await findTenantBySlug(store, slug)) throw new CliError(`Tenant "${slug}" already exists.`);
        const { tenant: t, apiKey } = await createTenant(store, {
          slug,
          name: opts.name.trim(),
          timeZone: opts.timezone,
          locale: opts.locale as "es" | "en",
        });
        out(`Tenant ${t.slug} created (${t.name}, ${t.timeZone}, ${t.locale}).`);
        out(`API key (shown once; keep it secret): ${apiKey}`);
      });
    });
  tenant
    .command("list")
    .description("List tenants.")
    .action(async () => {
      await withStore(async (store) => {
        const tenants = await listTenants(store);
        if (tenants.length === 0) out("No tenants yet.");
        for (const t of tenants) out(`${t.slug}\t${t.name}\t${t.timeZone}\t${t.locale}`);
      });
    });
  tenant.addCommand(tenantKeyCommand());

  program.addCommand(slackCommand());
  program.addCommand(teamsCommand());
  program.addCommand(scheduleCommand());

  program
    .command("import")
    .description("Import send records from an NDJSON or CSV file (any size, streamed). Exits 1 if any record was rejected.")
    .argument("<file>", "records file: .ndjson/.jsonl (one JSON record a line) or .csv (header row; hsm.id, hsm.name columns)")
    .requiredOption("--tenant <slug>", "tenant the records belong to")
    .addOption(new Option("--format <format>", "file format, when the extension does not tell").choices(["ndjson", "csv"]))
    .action(async (file: string, opts: { tenant: string; format?: string }) => {
      const { formatOf, importFile } = await import("./ingest/import-file.ts");
      let format: ImportFormat;
      try {
        format = formatOf(file, opts.format);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const c = config();
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        const progress = progressLine(`Importing ${file}`);
        let result: Awaited<ReturnType<typeof importFile>>;
        try {
          result = await importFile(store, t.id, file, {
            format,
            windowDays: c.statusWindowDays,
            now: () => new Date(),
            onProgress: (p) => progress.update(p.bytesRead, p.totalBytes, `bytes, ${p.records.toLocaleString("en-US")} records`),
          });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`File not found: ${file}`);
          throw error;
        }
        progress.finish(`Imported ${file}: ${result.accepted} accepted, ${result.rejected} rejected.`);
        for (const e of result.errors.slice(0, 50))
          out(`  line ${e.index}: ${e.field === "line" ? "" : `${e.field} `}${e.reason}`);
        if (result.errors.length > 50) out(`  … and ${result.rejected - 50} more rejected records`);
        if (result.rejected > 0) process.exitCode = 1;
      });
    });

  program.addCommand(generateCommand({ config, fail: (message) => new CliError(message), out }));
  program.addCommand(eventsCommand());

  program
    .command("demo")
    .description("Create (or refresh) tenant `demo` with 50,000 believable messages over the last 30 days. Safe to run twice.")
    .option(
      "--messages <n>",
      "how many messages",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
        return n;
      },
      50_000,
    )
    .action(async (opts: { messages: number }) => {
      const c = config();
      await withStore(async (store) => {
        const { runDemo } = await import("./demo/run-demo.ts");
        const progress = progressLine("Demo data");
        const result = await runDemo(store, {
          messages: opts.messages,
          windowDays: c.statusWindowDays,
          now: new Date(),
          onProgress: (done, total) => progress.update(done, total, "messages"),
        });
        progress.finish(`Tenant demo ready: ${result.messages} messages, ${result.events} Meta events.`);
        if (result.apiKey) out(`API key for tenant demo (shown once): ${result.apiKey}`);
      });
    });

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else if (isStoreUnavailable(error)) {
      process.stderr.write(`Cannot use the database named by DATABASE_URL: ${(error as Error).message}\n`);
    } else {
      // Not a mistake of the user's: show everything that helps to report it.
      process.stderr.write(`hsm-report: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
