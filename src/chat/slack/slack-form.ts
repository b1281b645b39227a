// The form's submission. Team and user come from the signed payload, never from the form's
// private_metadata (which only carries where to answer): a form whose metadata names another
// workspace or person is refused, and nothing is queued.

import type { App } from "@slack/bolt";
import { failureRef } from "../../jobs/failure-text.ts";
import { SLACK_PREFIX } from "../commands.ts";
import { chatText } from "../messages.ts";
import { type FormErrors, submitReportForm } from "../report-form.ts";
import { clip } from "../safe-text.ts";
import { MODAL_CALLBACK_ID, type ModalMetadata, readModal } from "./report-modal.ts";
import { type SlackHandlerDeps, slackAccess } from "./slack-access.ts";
import { announce } from "./slack-announce.ts";
import { slackText } from "./slack-blocks.ts";
import { slackConversation } from "./slack-conversation.ts";

/** Slack shows about this many characters of an error under a field. */
const FIELD_ERROR_MAX = 150;

function metadataOf(text: string): Partial<ModalMetadata> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Partial<ModalMetadata>) : null;
  } catch {
    return null;
  }
}

export function handleFormSubmission(app: App, deps: SlackHandlerDeps): void {
  const { store, log } = deps;
  app.view(MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const refuse = (errors: FormErrors) =>
      ack({
        response_action: "errors",
        errors: Object.fromEntries(Object.entries(errors).map(([field, text]) => [field, clip(text ?? "", FIELD_ERROR_MAX)])),
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
      const answers = readModal(view.state.values as Parameters<typeof readModal>[0]);
      // Where to answer comes from the form, now that it is known to be this person's, in this
      // workspace; a schedule's posts have no command to answer through.
      const responseUrl = answers.schedule ? null : (meta.responseUrl ?? null);
      const outcome = await submitReportForm(
        deps,
        {
          tenant: who.tenant,
          conversation: slackConversation(teamId, meta.channelId, userId, responseUrl),
          userId,
          prefix: SLACK_PREFIX,
          mention: (u) => `<@${u}>`,
        },
        answers,
      );
      if ("errors" in outcome) return void (await refuse(outcome.errors));
      await ack();
      if ("scheduled" in outcome) await announce(client, meta.channelId, outcome.scheduled.announce, log);
    } catch (error) {
      const ref = failureRef();
      log.error({ err: error, ref }, "form submission failed");
      await refuse({ campaigns: chatText("es").unexpected(ref) }).catch(() => {});
    }
  });
}
