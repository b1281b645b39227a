// The form's submission. Team and user come from the signed payload, never from the form's
// private_metadata (which only carries where to answer): a form whose metadata names another
// workspace or person is refused, and nothing is queued.

import type { App } from "@slack/bolt";
import type { ConversationRef } from "../../domain/conversation-ref.ts";
import type { ReportError } from "../../domain/report-errors.ts";
import { isReportError } from "../../domain/report-errors.ts";
import type { Weekday } from "../../domain/schedule-time.ts";
import { isTimeZone, suggestTimeZones } from "../../domain/time-zones.ts";
import { failureRef } from "../../jobs/failure-text.ts";
import type { Tenant } from "../../store/tenants.ts";
import { checkRequest, queueReport, requestFor } from "../intake.ts";
import { chatText, reportErrorText, scheduleText } from "../messages.ts";
import { clip } from "../safe-text.ts";
import { scheduleDescription } from "../schedule-commands.ts";
import { createScheduleFor } from "../schedule-intake.ts";
import { MODAL_CALLBACK_ID, type ModalAnswers, type ModalMetadata, type ModalSchedule, readModal } from "./report-modal.ts";
import { type SlackHandlerDeps, slackAccess } from "./slack-access.ts";
import { announce } from "./slack-announce.ts";
import { slackText } from "./slack-blocks.ts";
import { slackConversation } from "./slack-conversation.ts";

/** Slack shows about this many characters of an error under a field. */
const FIELD_ERROR_MAX = 150;

type FormErrors = Record<string, string>;

function metadataOf(text: string): Partial<ModalMetadata> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Partial<ModalMetadata>) : null;
  } catch {
    return null;
  }
}

/** The form field a report error belongs under. */
function fieldOf(error: ReportError): string {
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

/** The form's "schedule this": checked field by field, then created like the text command's. */
async function scheduleFromForm(
  deps: SlackHandlerDeps,
  tenant: Tenant,
  conversation: ConversationRef,
  userId: string,
  answers: ModalAnswers,
): Promise<{ errors: FormErrors } | { announce: string }> {
  const s = answers.schedule as ModalSchedule;
  const t = slackText(tenant.locale);
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
      conversation,
      createdBy: userId,
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
    return { announce: scheduleText(tenant.locale).announceCreated(`<@${userId}>`, schedule.id, description) };
  } catch (error) {
    // A name that matches nothing: said under its list, like a report's (the typed command's usage
    // line means nothing in a form).
    if (!isReportError(error)) throw error;
    return { errors: { [fieldOf(error)]: reportErrorText(error, tenant.locale) } };
  }
}

export function handleFormSubmission(app: App, deps: SlackHandlerDeps): void {
  const { store, log } = deps;
  app.view(MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const refuse = (errors: FormErrors) =>
      ack({
        response_action: "errors",
        errors: Object.fromEntries(Object.entries(errors).map(([field, text]) => [field, clip(text, FIELD_ERROR_MAX)])),
      });
    try {
      const teamId = body.team?.id ?? body.user.team_id ?? "";
      const userId = body.user.id;
      const meta = metadataOf(view.private_metadata);
      if (!meta || meta.teamId !== teamId || meta.userId !== userId || typeof meta.channelId !== "string") {
        log.warn(
          { teamId, userId, metadataTeam: meta?.teamId, metadataUser: meta?.userId },
          "form refused: metadata does not match the sender",
        );
        return void (await refuse({ campaigns: slackText("es").formMismatch }));
      }
      const who = await slackAccess(store, teamId, userId);
      if ("refusal" in who) return void (await refuse({ campaigns: who.refusal }));
      const { tenant } = who;
      const t = slackText(tenant.locale);
      const answers = readModal(view.state.values as Parameters<typeof readModal>[0]);
      if (answers.schedule) {
        const conversation = slackConversation(teamId, meta.channelId, userId, null);
        const outcome = await scheduleFromForm(deps, tenant, conversation, userId, answers);
        if ("errors" in outcome) return void (await refuse(outcome.errors));
        await ack();
        await announce(client, meta.channelId, outcome.announce, log);
        return;
      }
      const errors: FormErrors = {};
      if (!answers.from) errors.from = t.pickDate;
      if (!answers.to) errors.to = t.pickDate;
      if (answers.from && answers.to && answers.to < answers.from) errors.to = t.endBeforeStart;
      if (Object.keys(errors).length > 0) return void (await refuse(errors));
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
        await checkRequest(store, request, deps.reportSettings);
      } catch (error) {
        if (!isReportError(error)) throw error;
        return void (await refuse({ [fieldOf(error)]: reportErrorText(error, tenant.locale) }));
      }
      const queued = await queueReport(deps, {
        tenant,
        platform: "slack",
        requesterId: userId,
        // Where to answer comes from the form, now that it is known to be this person's, in this workspace.
        conversation: slackConversation(teamId, meta.channelId, userId, meta.responseUrl ?? null),
        request,
      });
      if ("full" in queued) return void (await refuse({ campaigns: chatText(tenant.locale).queueFull(queued.full) }));
      await ack();
    } catch (error) {
      const ref = failureRef();
      log.error({ err: error, ref }, "form submission failed");
      await refuse({ campaigns: chatText("es").unexpected(ref) }).catch(() => {});
    }
  });
}
