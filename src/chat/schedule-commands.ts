// Schedule commands from chat, for every platform: `schedule …`, `schedules`, and the actions
// (pause, resume, run now, delete) whether typed or clicked. Returns what to answer the person and
// what to announce in the channel (every change is announced: who did what); the platform renders.
import type { ConversationRef } from "../domain/conversation-ref.ts";
import { isReportError } from "../domain/report-errors.ts";
import { nextFireAfter } from "../domain/schedule-time.ts";
import { describeSchedule } from "../domain/schedule-words.ts";
import type { Locale } from "../domain/tenant.ts";
import {
  deleteSchedule,
  findScheduleHere,
  listSchedules,
  pauseSchedule,
  resumeSchedule,
  type Schedule,
} from "../store/schedules.ts";
import type { Tenant } from "../store/tenants.ts";
import type { ScheduleActionCommand, ScheduleCommand } from "./commands.ts";
import { chatText, reportErrorText, scheduleText } from "./messages.ts";
import { escapeMarkup, fitList } from "./safe-text.ts";
import { createScheduleFor, runScheduleNow, type ScheduleDeps } from "./schedule-intake.ts";

export interface ScheduleAsker {
  tenant: Tenant;
  /** Where the command was given: its schedules are the ones this person may see and change. */
  conversation: ConversationRef;
  userId: string;
  /** The platform's command prefix, for the texts (`/hsm-report`, `@hsm-report`). */
  prefix: string;
  /** The platform's mention of a person (Slack: `<@U123>`). */
  mention: (userId: string) => string;
}

export interface ScheduleListing {
  schedule: Schedule;
  /** In words, safe to show as markup. */
  description: string;
}

export interface ScheduleReply {
  /** What the person hears (only them). */
  text: string;
  /** What the channel hears, if anything changed. */
  announce: string | null;
  /** For `schedules`: the channel's schedules, each to show with its buttons. */
  listing?: ScheduleListing[];
}

/**
 * A schedule in words: its cadence and what it covers, its next post, and its filters. A paused
 * schedule's next_run_at stands still (it falls into the past), so given `now` its next post is the
 * one resuming now would give.
 */
export function scheduleDescription(schedule: Schedule, locale: Locale, now?: Date): string {
  const next = schedule.paused && now ? nextFireAfter(schedule.rule, now.getTime()) : schedule.nextRunAt.getTime();
  const words = escapeMarkup(describeSchedule(schedule.rule, locale, next));
  const f = schedule.filters;
  const filters = [...f.campaigns, ...f.channels, ...f.agents, ...f.states].map(escapeMarkup);
  const format = schedule.format.toUpperCase();
  return filters.length ? `${words} · ${fitList(filters, 400, { locale })} · ${format}` : `${words} · ${format}`;
}

const here = (a: ScheduleAsker) => ({
  tenantId: a.tenant.id,
  platform: a.conversation.platform,
  conversationId: a.conversation.conversationId,
});

export async function runScheduleCommand(
  deps: ScheduleDeps,
  asker: ScheduleAsker,
  command: ScheduleCommand | ScheduleActionCommand | { kind: "schedules" },
): Promise<ScheduleReply> {
  const locale = asker.tenant.locale;
  const t = scheduleText(locale);
  const who = asker.mention(asker.userId);
  if (command.kind === "schedules") {
    const schedules = await listSchedules(deps.store, here(asker));
    if (schedules.length === 0) return { text: t.listEmpty(asker.prefix), announce: null, listing: [] };
    const now = deps.now();
    const listing = schedules.map((schedule) => ({ schedule, description: scheduleDescription(schedule, locale, now) }));
    return {
      text: [t.listTitle, ...listing.map((l) => t.listLine(l.schedule.id, l.description, l.schedule.paused))].join("\n"),
      announce: null,
      listing,
    };
  }
  if (command.kind === "schedule") {
    try {
      const { schedule } = await createScheduleFor(deps, {
        tenant: asker.tenant,
        conversation: asker.conversation,
        createdBy: asker.userId,
        schedule: command,
      });
      const description = scheduleDescription(schedule, locale);
      return {
        text: t.created(schedule.id, description, asker.prefix),
        announce: t.announceCreated(who, schedule.id, description),
      };
    } catch (error) {
      if (!isReportError(error)) throw error;
      return { text: `${reportErrorText(error, locale)}\n${chatText(locale).scheduleUsage(asker.prefix)}`, announce: null };
    }
  }
  return scheduleAction(deps, asker, command.action, command.id);
}

/** pause | resume | run | delete, typed or clicked: an id of another channel or tenant is simply not found. */
export async function scheduleAction(
  deps: ScheduleDeps,
  asker: ScheduleAsker,
  action: ScheduleActionCommand["action"],
  id: number,
): Promise<ScheduleReply> {
  const t = scheduleText(asker.tenant.locale);
  const who = asker.mention(asker.userId);
  const notFound = { text: t.notFound(id, asker.prefix), announce: null };
  const schedule = await findScheduleHere(deps.store, here(asker), id);
  if (!schedule) return notFound;
  const now = deps.now();
  switch (action) {
    case "pause":
      if (!(await pauseSchedule(deps.store, id, now))) return notFound;
      return { text: t.paused(id, asker.prefix), announce: t.announcePaused(who, id) };
    case "resume":
      if (!(await resumeSchedule(deps.store, id, now))) return notFound;
      return { text: t.resumed(id), announce: t.announceResumed(who, id) };
    case "delete":
      if (!(await deleteSchedule(deps.store, id, now))) return notFound;
      return { text: t.deleted(id), announce: t.announceDeleted(who, id) };
    case "run":
      if (!(await runScheduleNow(deps, schedule, asker.userId))) return notFound;
      return { text: t.runNow(id), announce: t.announceRunNow(who, id) };
  }
}
