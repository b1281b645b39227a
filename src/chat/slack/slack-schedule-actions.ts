// The buttons of the schedules list (pause, resume, run now, delete) and a failed run's Retry: the
// same access check as commands, and only ever schedules of the channel the button was clicked in.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { failureRef } from "../../jobs/failure-text.ts";
import { getRun } from "../../store/schedule-runs.ts";
import { findScheduleHere } from "../../store/schedules.ts";
import { SLACK_PREFIX } from "../commands.ts";
import { chatText, scheduleText } from "../messages.ts";
import { scheduleAction } from "../schedule-commands.ts";
import { retryRun } from "../schedule-intake.ts";
import { type SlackHandlerDeps, slackAccess } from "./slack-access.ts";
import { announce } from "./slack-announce.ts";
import { slackConversation } from "./slack-conversation.ts";
import { SCHEDULE_ACTIONS } from "./slack-schedule-blocks.ts";

const ACTION_OF: Record<string, "pause" | "resume" | "run" | "delete" | "retry"> = Object.fromEntries(
  Object.entries(SCHEDULE_ACTIONS).map(([action, id]) => [id, action as "pause"]),
);

export function handleScheduleActions(app: App, deps: SlackHandlerDeps): void {
  const { store, log } = deps;
  const ids = new RegExp(`^(${Object.values(SCHEDULE_ACTIONS).join("|")})$`);
  app.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: ids },
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const say = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text }).catch(() => {});
      try {
        const teamId = body.team?.id ?? body.user.team_id ?? "";
        const userId = body.user.id;
        const channelId = body.channel?.id ?? body.container?.channel_id ?? "";
        const who = await slackAccess(store, teamId, userId);
        if ("refusal" in who) return void (await say(who.refusal));
        const { tenant } = who;
        const asker = {
          tenant,
          conversation: slackConversation(teamId, channelId, userId, null),
          userId,
          prefix: SLACK_PREFIX,
          mention: (u: string) => `<@${u}>`,
        };
        const kind = ACTION_OF[action.action_id];
        const id = Number(action.value);
        if (kind === "retry") {
          const failed = Number.isSafeInteger(id) ? await getRun(store, id) : null;
          const here = failed
            ? await findScheduleHere(
                store,
                { tenantId: tenant.id, platform: "slack", conversationId: channelId },
                failed.scheduleId,
                { evenDeleted: true },
              )
            : null;
          const retried = here ? await retryRun(deps, id, userId) : null;
          // Only a schedule of this channel is named (a deleted one is not found); a run of another
          // channel or tenant is answered as one that never existed, by the number on the button.
          if (!retried) return void (await say(scheduleText(tenant.locale).notFound(here ? here.id : id, SLACK_PREFIX)));
          const t = scheduleText(tenant.locale);
          await announce(client, channelId, t.announceRunNow(asker.mention(userId), retried.schedule.id), log);
          return void (await say(t.runNow(retried.schedule.id)));
        }
        if (!kind) return;
        const reply = await scheduleAction(deps, asker, kind, id);
        await announce(client, channelId, reply.announce, log);
        await say(reply.text);
      } catch (error) {
        const ref = failureRef();
        log.error({ err: error, ref }, "schedule button failed");
        await say(chatText("es").unexpected(ref));
      }
    },
  );
}
