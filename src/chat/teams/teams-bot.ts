// The bot's turn: botbuilder's TeamsActivityHandler routes an activity; messages (text or the
// card's submission) and typeahead searches are ours. Every failure inside a turn is answered in the
// conversation with a reference the log carries, never left to botbuilder (whose answer is a 500).
import { type InvokeResponse, TeamsActivityHandler, type TurnContext } from "botbuilder";
import { failureRef } from "../../jobs/failure-text.ts";
import { chatText } from "../messages.ts";
import { FILE_CONSENT_INVOKE } from "./file-consent.ts";
import { isCardSubmission } from "./report-card.ts";
import { type TeamsHandlerDeps, teamsAccess } from "./teams-access.ts";
import { handleSubmission } from "./teams-form.ts";
import { addressedToBot, handleText, textMessage } from "./teams-messages.ts";
import { answerSearch, SEARCH_INVOKE } from "./teams-search.ts";

/** A call to the Bot Connector that failed (botframework-connector's HTTP client throws a RestError). */
const isConnectorFailure = (error: unknown) => error instanceof Error && error.name === "RestError";

export class HsmTeamsBot extends TeamsActivityHandler {
  readonly #deps: TeamsHandlerDeps;

  constructor(deps: TeamsHandlerDeps) {
    super();
    this.#deps = deps;
    this.onMessage(async (context, next) => {
      await this.#message(context);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === SEARCH_INVOKE) return answerSearch(this.#deps, context);
    if (context.activity.name === FILE_CONSENT_INVOKE && this.#deps.fileConsent) return this.#deps.fileConsent(context);
    return super.onInvokeActivity(context);
  }

  async #message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const submission = isCardSubmission(activity.value) ? activity.value : null;
    // In a channel or group chat Teams may send messages not meant for the bot: those get no answer.
    if (!submission && !addressedToBot(activity)) return;
    try {
      const who = await teamsAccess(this.#deps.store, activity);
      if ("refusal" in who) return void (await context.sendActivity(textMessage(who.refusal)));
      if (submission) return await handleSubmission(this.#deps, context, who, submission);
      await handleText(this.#deps, context, who);
    } catch (error) {
      const ref = failureRef();
      this.#deps.log.error({ err: error, ref }, "Teams message failed");
      // The connector did not take the answer (after its own retries): another try would only hold
      // Teams' request longer. The turn fails, and /api/messages answers 503.
      if (isConnectorFailure(error)) throw error;
      await context.sendActivity(textMessage(chatText("es").unexpected(ref)));
    }
  }
}
