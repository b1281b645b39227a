// Typeahead for the card's campaign and channel lists (Data.Query): Teams sends an
// `application/search` invoke as the person types, and one with an empty `queryText` when the
// dropdown opens. botbuilder answers the empty one with 400 before any handler runs
// (ActivityHandler.getSearchInvokeValue), so the bot answers this invoke itself: the first choices
// for an empty query, the matching ones otherwise. Same access check as a message.
import type { InvokeResponse, TurnContext } from "botbuilder";
import { failureRef } from "../../jobs/failure-text.ts";
import { type Choice, formChoices, matchingChoices } from "../form-choices.ts";
import { encodeChoice, SEARCH_RESULTS_MAX } from "./report-card.ts";
import { type TeamsHandlerDeps, teamsAccess } from "./teams-access.ts";

export const SEARCH_INVOKE = "application/search";
const SEARCH_RESPONSE = "application/vnd.microsoft.search.searchResponse";

const answer = (results: Choice[]): InvokeResponse => ({
  status: 200,
  body: { type: SEARCH_RESPONSE, value: { results: results.map((c) => ({ title: c.label, value: encodeChoice(c.value) })) } },
});

const count = (v: unknown, fallback: number, max: number) =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? Math.min(v, max) : fallback;

export async function answerSearch(deps: TeamsHandlerDeps, context: TurnContext): Promise<InvokeResponse> {
  try {
    const value = (context.activity.value ?? {}) as {
      queryText?: unknown;
      dataset?: unknown;
      queryOptions?: { skip?: unknown; top?: unknown };
    };
    const dataset = value.dataset === "campaigns" || value.dataset === "channels" ? value.dataset : null;
    if (!dataset) return answer([]);
    const who = await teamsAccess(deps.store, context.activity);
    if ("refusal" in who) return answer([]);
    const all = (await formChoices(deps.store, who.tenant.id))[dataset];
    const typed = typeof value.queryText === "string" ? value.queryText : "";
    const skip = count(value.queryOptions?.skip, 0, Number.MAX_SAFE_INTEGER);
    const top = count(value.queryOptions?.top, SEARCH_RESULTS_MAX, SEARCH_RESULTS_MAX) || SEARCH_RESULTS_MAX;
    return answer(matchingChoices(all, typed, skip + top).slice(skip));
  } catch (error) {
    deps.log.error({ err: error, ref: failureRef() }, "Teams typeahead search failed");
    return answer([]);
  }
}
