// What every Slack handler needs, and the access check they all go through: the workspace's
// binding and the tenant's allow-list (commands, the form's submission and its option loads alike).
import type { Logger } from "../../log.ts";
import type { ReportSettings } from "../../reports/plan.ts";
import { tenantForSlackTeam } from "../../store/chat-bindings.ts";
import type { Store } from "../../store/open-store.ts";
import type { Tenant } from "../../store/tenants.ts";
import { checkAccess } from "../intake.ts";
import { slackText } from "./slack-blocks.ts";

export interface SlackHandlerDeps {
  store: Store;
  reportSettings: ReportSettings;
  maxQueuedPerUser: number;
  /** Told when a job was queued, so it starts at once. */
  onJobQueued: () => void;
  log: Logger;
  now: () => Date;
}

/** The tenant behind a workspace, or the sentence that explains why there is none for this person. */
export async function slackAccess(
  store: Store,
  teamId: string,
  userId: string,
): Promise<{ tenant: Tenant } | { refusal: string }> {
  const access = await checkAccess(store, "slack", await tenantForSlackTeam(store, teamId), userId);
  if (!("refused" in access)) return { tenant: access.tenant };
  if (access.refused === "unbound") return { refusal: slackText("es").unbound(teamId) };
  return { refusal: slackText(access.tenant.locale).notAllowed };
}
