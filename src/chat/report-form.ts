// A report form's submission, for every platform (Slack's modal, Teams' Adaptive Card): checked
// field by field, then queued as a report now or created as a schedule, exactly as the text
// command would. Each problem is said beside the field it belongs to; the platform renders them.
import type { ReportError } from "../domain/report-errors.ts";
import { isReportError } from "../domain/report-errors.ts";
import type { ReportRequest } from "../domain/report-request.ts";
import type { Weekday } from "../domain/schedule-time.ts";
import { isTimeZone, suggestTimeZones } from "../domain/time-zones.ts";
import type { ReportJob } from "../store/report-jobs.ts";
import { checkRequest, type QueueDeps, queueReport, requestFor } from "./intake.ts";
import { chatText, formText, reportErrorText, scheduleText } from "./messages.ts";
import { type ScheduleAsker, type ScheduleReply, scheduleDescription } from "./schedule-commands.ts";
import { createScheduleFor, type ScheduleDeps } from "./schedule-intake.ts";

/** The form's fields, named alike on every platform (Slack's block ids, Teams' input ids). */
export type FormField =
  | "campaigns"
  | "channels"
  | "from"
  | "to"
  | "format"
  | "lang"
  | "schedule_frequency"
  | "schedule_weekday"
  | "schedule_day"
  | "schedule_time"
  | "schedule_zone";

export type FormErrors = Partial<Record<FormField, string>>;

export interface FormSchedule {
  frequency: "daily" | "weekly" | "monthly";
  /** Monday = 0; null when not picked. */
  weekday: number | null;
  monthDay: number | "last" | null;
  time: string | null;
  zone: string | null;
}

export interface FormAnswers {
  campaigns: string[];
  channels: string[];
  from: string | null;
  to: string | null;
  format: "xlsx" | "csv";
  locale: "es" | "en";
  /** Null: just this once (a report now, not a schedule). */
  schedule: FormSchedule | null;
}

export type FormOutcome =
  | { errors: FormErrors }
  | { queued: ReportJob; request: ReportRequest }
  /** A schedule was created: what to tell the person, and what to announce in the conversation. */
  | { scheduled: ScheduleReply };

export type FormDeps = QueueDeps & ScheduleDeps;

/** The form field a report error belongs beside. */
export function formErrorField(error: ReportError): FormField {
  switch (error.code) {
    case "report_unknown_name":
      return error.details.kind === "channel" ? "channels" : "campaigns";
    case "report_before_data_start":
    case "report_range_too_long":
      return "to";
    case "report_too_large":
      return "format";
    case "report_date_out_of_range":
    case "report_invalid_date":
      return error.details.field === "end" ? "to" : "from";
    default:
      return "from";
  }
}

/**
 * Queues the report the form asks for (or creates its schedule), for `asker` in `asker.conversation`.
 * The asker comes from the platform's authenticated payload, never from the form.
 */
export async function submitReportForm(deps: FormDeps, asker: ScheduleAsker, answers: FormAnswers): Promise<FormOutcome> {
  const { tenant } = asker;
  if (answers.schedule) return scheduleFromForm(deps, asker, answers, answers.schedule);
  const t = formText(tenant.locale);
  const errors: FormErrors = {};
  if (!answers.from) errors.from = t.pickDate;
  if (!answers.to) errors.to = t.pickDate;
  if (answers.from && answers.to && answers.to < answers.from) errors.to = t.endBeforeStart;
  if (Object.keys(errors).length > 0) return { errors };
  const request = requestFor(tenant, {
    from: answers.from ?? "",
    to: answers.to ?? "",
    campaigns: answers.campaigns,
    channels: answers.channels,
    agents: [],
    templates: [],
    states: [],
    format: answers.format,
    locale: answers.locale,
  });
  try {
    await checkRequest(deps.store, request, deps.reportSettings);
  } catch (error) {
    if (!isReportError(error)) throw error;
    return { errors: { [formErrorField(error)]: reportErrorText(error, tenant.locale) } };
  }
  const queued = await queueReport(deps, {
    tenant,
    platform: asker.conversation.platform,
    requesterId: asker.userId,
    conversation: asker.conversation,
    request,
  });
  if ("full" in queued) return { errors: { campaigns: chatText(tenant.locale).queueFull(queued.full) } };
  return { queued: queued.job, request };
}

/** The form's "schedule this": checked field by field, then created like the text command's, and announced. */
async function scheduleFromForm(
  deps: FormDeps,
  asker: ScheduleAsker,
  answers: FormAnswers,
  s: FormSchedule,
): Promise<FormOutcome> {
  const { tenant } = asker;
  const t = formText(tenant.locale);
  const errors: FormErrors = {};
  if (s.frequency === "weekly" && s.weekday === null) errors.schedule_weekday = t.pickWeekday;
  if (s.frequency === "monthly" && s.monthDay === null) errors.schedule_day = t.pickMonthDay;
  if (!s.time || !/^\d{2}:\d{2}$/.test(s.time)) errors.schedule_time = t.pickTime;
  const zone = s.zone ? isTimeZone(s.zone) : tenant.timeZone;
  if (!zone) errors.schedule_zone = chatText(tenant.locale).badZone(s.zone ?? "", suggestTimeZones(s.zone ?? ""));
  if (Object.keys(errors).length > 0) return { errors };
  try {
    const { schedule } = await createScheduleFor(deps, {
      tenant,
      conversation: asker.conversation,
      createdBy: asker.userId,
      schedule: {
        frequency: s.frequency,
        weekday: s.frequency === "weekly" ? (s.weekday as Weekday) : null,
        monthDay: s.frequency === "monthly" ? s.monthDay : null,
        time: s.time as string,
        timeZone: zone,
        campaigns: answers.campaigns,
        channels: answers.channels,
        agents: [],
        states: [],
        format: answers.format,
        locale: answers.locale,
      },
    });
    const description = scheduleDescription(schedule, tenant.locale);
    const words = scheduleText(tenant.locale);
    return {
      scheduled: {
        text: words.created(schedule.id, description, asker.prefix),
        announce: words.announceCreated(asker.mention(asker.userId), schedule.id, description),
      },
    };
  } catch (error) {
    // A name that matches nothing: said beside its list, like a report's (the typed command's usage
    // line means nothing in a form).
    if (!isReportError(error)) throw error;
    return { errors: { [formErrorField(error)]: reportErrorText(error, tenant.locale) } };
  }
}
