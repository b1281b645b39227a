// The form's campaign and channel lists, searched as you type (block_suggestion) when a tenant has
// more than Slack's 100 static options. Same access check as a command: binding and allow-list.
import type { App } from "@slack/bolt";
import { failureRef } from "../../jobs/failure-text.ts";
import { formChoices, matchingChoices } from "../form-choices.ts";
import { STATIC_OPTIONS_MAX, toOption } from "./report-modal.ts";
import { type SlackHandlerDeps, slackAccess } from "./slack-access.ts";

export function handleOptionLoads(app: App, deps: SlackHandlerDeps): void {
  for (const id of ["campaigns", "channels"] as const) {
    app.options({ action_id: id }, async ({ ack, body }) => {
      // Bolt's ack type here is the union of every options payload; this one is a block_suggestion's.
      const answer = (options: { label: string; value: string }[]) => ack({ options: options.map(toOption) } as never);
      try {
        const who = await slackAccess(deps.store, body.team?.id ?? body.user?.team_id ?? "", body.user?.id ?? "");
        if ("refusal" in who) return void (await answer([]));
        const all = (await formChoices(deps.store, who.tenant.id))[id];
        await answer(matchingChoices(all, body.value ?? "", STATIC_OPTIONS_MAX));
      } catch (error) {
        deps.log.error({ err: error, ref: failureRef() }, "option load failed");
        await answer([]).catch(() => {});
      }
    });
  }
}
