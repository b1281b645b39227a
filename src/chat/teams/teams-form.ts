// The card's submission (Action.Submit: a message whose value holds the inputs). Who submits it
// comes from the authenticated activity, never from the card; it is checked and queued (or
// scheduled) exactly as the text would be, and a refused one gets the card again, as filled in,
// with each problem beside its field.
import type { TurnContext } from "botbuilder";
import { describeRequest } from "../describe-request.ts";
import { formChoices } from "../form-choices.ts";
import { submitReportForm } from "../report-form.ts";
import { readSubmission, reportCard } from "./report-card.ts";
import type { TeamsAsker, TeamsHandlerDeps } from "./teams-access.ts";
import { answerSchedule, scheduleAsker, textMessage } from "./teams-messages.ts";
import { teamsText } from "./teams-text.ts";

export async function handleSubmission(
  deps: TeamsHandlerDeps,
  context: TurnContext,
  who: TeamsAsker,
  value: Record<string, unknown>,
): Promise<void> {
  const { tenant } = who;
  const { answers, values } = readSubmission(value, tenant.locale);
  const { asker, mentions } = scheduleAsker(context, who);
  const outcome = await submitReportForm(deps, asker, answers);
  if ("errors" in outcome) {
    const card = reportCard({
      locale: tenant.locale,
      choices: await formChoices(deps.store, tenant.id),
      values,
      errors: outcome.errors,
      intro: teamsText(tenant.locale).formFixErrors,
    });
    await context.sendActivity({ type: "message", attachments: [card] });
    return;
  }
  if ("scheduled" in outcome) return answerSchedule(context, outcome.scheduled, mentions);
  await context.sendActivity(textMessage(teamsText(tenant.locale).queued(describeRequest({ request: outcome.request }))));
}
