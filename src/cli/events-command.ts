// `hsm-report events …`: the event log's retention, by hand (serve also does it every 6 hours).
import { Command } from "commander";
import { pruneOldEventData, retentionCutoff } from "../store/prune-event-data.ts";
import { config, out, withStore } from "./cli-kit.ts";

export function eventsCommand(): Command {
  const events = new Command("events").description("The event log: every webhook and send-record event, with its outcome.");
  events
    .command("prune")
    .description(
      "Remove webhook bodies and event payloads older than EVENT_LOG_RETENTION_DAYS; the events and their outcomes stay.",
    )
    .action(async () => {
      const days = config().eventLogRetentionDays;
      const before = retentionCutoff(new Date(), days);
      await withStore(async (store) => {
        const result = await pruneOldEventData(store, { before });
        out(
          `Removed ${result.bodies} webhook bod${result.bodies === 1 ? "y" : "ies"} and ${result.payloads} event payload${result.payloads === 1 ? "" : "s"} received before ${before.toISOString()} (EVENT_LOG_RETENTION_DAYS=${days}).`,
        );
      });
    });
  return events;
}
