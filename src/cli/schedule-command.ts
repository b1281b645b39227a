// `hsm-report schedule …`: the operator's view of scheduled reports, for reading and for scripts.
import { Command } from "commander";
import type { Store } from "../store/open-store.ts";
import { lastRunOf } from "../store/schedule-runs.ts";
import {
  dayOf,
  deleteSchedule,
  getSchedule,
  listSchedules,
  pauseSchedule,
  resumeSchedule,
  type Schedule,
} from "../store/schedules.ts";
import { listTenants } from "../store/tenants.ts";
import { CliError, out, tenantBySlug, withStore } from "./cli-kit.ts";

/** One schedule as scripts read it (`schedule list --json`): the values in effect, times in UTC. */
export interface ScheduleJson {
  id: number;
  tenant: string;
  platform: string;
  conversation: string;
  frequency: string;
  day: string | null;
  time: string;
  timezone: string;
  locale: string;
  filters: Schedule["filters"];
  format: string;
  paused: boolean;
  nextRunAt: string;
  lastRun: { periodKey: string; from: string; to: string; outcome: string; late: boolean; at: string } | null;
}

async function toJson(store: Store, s: Schedule, slugs: Map<number, string>): Promise<ScheduleJson> {
  const last = await lastRunOf(store, s.id);
  return {
    id: s.id,
    tenant: slugs.get(s.tenantId) ?? String(s.tenantId),
    platform: s.conversation.platform,
    conversation: s.conversation.conversationId,
    frequency: s.rule.frequency,
    day: dayOf(s.rule),
    time: s.rule.time,
    timezone: s.rule.timeZone,
    locale: s.locale,
    filters: s.filters,
    format: s.format,
    paused: s.paused,
    nextRunAt: s.nextRunAt.toISOString(),
    lastRun: last
      ? {
          periodKey: last.periodKey,
          from: last.from,
          to: last.to,
          outcome: last.outcome,
          late: last.late,
          at: last.startedAt.toISOString(),
        }
      : null,
  };
}

function line(j: ScheduleJson): string {
  const when = `${j.frequency}${j.day ? ` ${j.day}` : ""} ${j.time} ${j.timezone}`;
  const f = j.filters;
  const filters = [
    ...f.campaigns.map((c) => `campaign:"${c}"`),
    ...f.channels.map((c) => `channel:${c}`),
    ...f.agents.map((a) => `agent:"${a}"`),
    ...f.states.map((s) => `state:${s}`),
  ].join(" ");
  const last = j.lastRun
    ? `${j.lastRun.outcome}${j.lastRun.late ? " (late)" : ""} ${j.lastRun.from}..${j.lastRun.to}`
    : "never run";
  return [
    `#${j.id}`,
    j.tenant,
    j.platform,
    j.conversation,
    when,
    filters || "all messages",
    `${j.format}/${j.locale}`,
    j.paused ? "PAUSED" : `next ${j.nextRunAt}`,
    `last: ${last}`,
  ].join("  ");
}

function parseId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id <= 0)
    throw new CliError(`"${text}" is not a schedule id (a number, as \`hsm-report schedule list\` shows).`);
  return id;
}

export function scheduleCommand(): Command {
  const schedule = new Command("schedule").description("Scheduled reports: list them, pause, resume or delete one.");
  schedule
    .command("list")
    .description("One schedule a line, its id first (deleted ones are not listed).")
    .option("--tenant <slug>", "only this tenant's schedules")
    .option("--json", "an array of objects, for scripts")
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      await withStore(async (store) => {
        const tenant = opts.tenant ? await tenantBySlug(store, opts.tenant) : null;
        const slugs = new Map((await listTenants(store)).map((t) => [t.id, t.slug]));
        const schedules = await listSchedules(store, tenant ? { tenantId: tenant.id } : {});
        const rows = await Promise.all(schedules.map((s) => toJson(store, s, slugs)));
        if (opts.json) {
          out(JSON.stringify(rows, null, 2));
          return;
        }
        if (rows.length === 0) out(tenant ? `Tenant ${tenant.slug} has no schedules.` : "No schedules.");
        for (const r of rows) out(line(r));
      });
    });
  const act = (name: "pause" | "resume" | "delete", description: string, done: string) =>
    schedule
      .command(`${name} <id>`)
      .description(description)
      .action(async (idText: string) => {
        const id = parseId(idText);
        await withStore(async (store) => {
          if (!(await getSchedule(store, id))) throw new CliError(`No schedule #${id} (deleted, or it never existed).`);
          const now = new Date();
          const result =
            name === "pause"
              ? await pauseSchedule(store, id, now)
              : name === "resume"
                ? await resumeSchedule(store, id, now)
                : await deleteSchedule(store, id, now);
          if (!result) throw new CliError(`No schedule #${id} (deleted, or it never existed).`);
          out(`Schedule #${id} ${done}${name === "resume" ? `; next run ${result.nextRunAt.toISOString()}` : ""}.`);
        });
      });
  act("pause", "Stop a schedule from posting until it is resumed.", "paused");
  act("resume", "Post again from the next fire on (fires missed while paused are not replayed).", "resumed");
  act("delete", "Delete a schedule: it never posts again and is no longer listed.", "deleted");
  return schedule;
}
