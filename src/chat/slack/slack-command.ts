// `/hsm-report`: with no text it opens the form; with text it is read by the shared grammar, checked
// (names, dates, the XLSX row limit) and queued, or answered at once with what is wrong.

import type { App } from "@slack/bolt";
import { localDate } from "../../domain/local-time.ts";
import { resolveRange } from "../../domain/relative-range.ts";
import { isReportError } from "../../domain/report-errors.ts";
import { failureRef } from "../../jobs/failure-text.ts";
import { recentJobs } from "../../store/report-jobs.ts";
import { parseCommand } from "../commands.ts";
import { describeRequest } from "../describe-request.ts";
import { formChoices } from "../form-choices.ts";
import { checkRequest, queueReport, requestFromCommand } from "../intake.ts";
import { chatText, helpText, reportErrorText, scheduleText } from "../messages.ts";
import { runScheduleCommand } from "../schedule-commands.ts";
import { type ModalMetadata, reportModal } from "./report-modal.ts";
import { type SlackHandlerDeps, slackAccess } from "./slack-access.ts";
import { announce } from "./slack-announce.ts";
import { historyBlocks, slackText } from "./slack-blocks.ts";
import { slackConversation } from "./slack-conversation.ts";
import { cannotPostIn } from "./slack-delivery.ts";
import { scheduleListBlocks } from "./slack-schedule-blocks.ts";

export const SLASH_COMMAND = "/hsm-report";

export function handleSlashCommand(app: App, deps: SlackHandlerDeps): void {
  const { store, log, now } = deps;
  app.command(SLASH_COMMAND, async ({ command, ack, client }) => {
    try {
      const who = await slackAccess(store, command.team_id, command.user_id);
      if ("refusal" in who) return void (await ack({ response_type: "ephemeral", text: who.refusal }));
      const { tenant } = who;
      const t = chatText(tenant.locale);
      const today = localDate(now().getTime(), tenant.timeZone);
      if (!command.text.trim()) {
        // Ack first: the trigger_id is good for 3 seconds and views.open needs some of them.
        await ack();
        const meta: ModalMetadata = {
          teamId: command.team_id,
          channelId: command.channel_id,
          userId: command.user_id,
          responseUrl: command.response_url ?? null,
        };
        const choices = await formChoices(store, tenant.id);
        await client.views.open({
          trigger_id: command.trigger_id,
          view: reportModal(tenant.locale, choices, resolveRange({ kind: "lastDays", days: 7 }, today), meta, tenant.timeZone),
        });
        return;
      }
      const parsed = parseCommand(command.text, tenant.locale, SLASH_COMMAND);
      if (parsed.kind === "error") return void (await ack({ response_type: "ephemeral", text: parsed.message }));
      if (parsed.kind === "help")
        return void (await ack({ response_type: "ephemeral", text: helpText(tenant.locale, SLASH_COMMAND) }));
      if (parsed.kind === "history") {
        const jobs = await recentJobs(store, tenant.id, "slack", command.user_id);
        return void (await ack({
          response_type: "ephemeral",
          blocks: historyBlocks(jobs, tenant.locale),
          text: slackText(tenant.locale).historyTitle,
        }));
      }
      if (parsed.kind !== "report") {
        const reply = await runScheduleCommand(
          deps,
          {
            tenant,
            conversation: slackConversation(command.team_id, command.channel_id, command.user_id, null),
            userId: command.user_id,
            prefix: SLASH_COMMAND,
            mention: (u) => `<@${u}>`,
          },
          parsed,
        );
        // Announced before the answer, so that a channel the bot is not in is said at once.
        const said = await announce(client, command.channel_id, reply.announce, log);
        const text =
          said.ok || !cannotPostIn(said.code) ? reply.text : `${reply.text}\n${slackText(tenant.locale).scheduleNotInChannel}`;
        const blocks = reply.listing?.length
          ? scheduleListBlocks(scheduleText(tenant.locale).listTitle, reply.listing, tenant.locale)
          : undefined;
        return void (await ack({ response_type: "ephemeral", text, ...(blocks ? { blocks } : {}) }));
      }
      const request = requestFromCommand(tenant, parsed, now());
      try {
        await checkRequest(store, request, deps.reportSettings);
      } catch (error) {
        if (!isReportError(error)) throw error;
        const text = reportErrorText(error, tenant.locale);
        // The usage line helps with a typo, not with a report that is too large.
        return void (await ack({
          response_type: "ephemeral",
          text: error.code === "report_too_large" ? text : `${text}\n${t.usage(SLASH_COMMAND)}`,
        }));
      }
      const queued = await queueReport(deps, {
        tenant,
        platform: "slack",
        requesterId: command.user_id,
        conversation: slackConversation(command.team_id, command.channel_id, command.user_id, command.response_url),
        request,
      });
      if ("full" in queued) return void (await ack({ response_type: "ephemeral", text: t.queueFull(queued.full) }));
      await ack({ response_type: "ephemeral", text: slackText(tenant.locale).queued(describeRequest({ request })) });
    } catch (error) {
      const ref = failureRef();
      log.error({ err: error, ref }, "slash command failed");
      await ack({ response_type: "ephemeral", text: chatText("es").unexpected(ref) }).catch(() => {});
    }
  });
}
