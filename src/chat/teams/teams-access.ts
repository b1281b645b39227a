// What every Teams handler needs, and the access check they all go through (messages, the card's
// submission, its typeahead): the Microsoft 365 tenant's binding and the tenant's allow-list, read
// from the activity botbuilder authenticated.
import type { Activity, InvokeResponse, TurnContext } from "botbuilder";
import type { Logger } from "../../log.ts";
import type { ReportSettings } from "../../reports/plan.ts";
import { tenantForWorkspace } from "../../store/chat-bindings.ts";
import type { Store } from "../../store/open-store.ts";
import type { Tenant } from "../../store/tenants.ts";
import { checkAccess } from "../intake.ts";
import { aadTenantOf, requesterOf } from "./teams-conversation.ts";
import { teamsText } from "./teams-text.ts";

export interface TeamsHandlerDeps {
  store: Store;
  reportSettings: ReportSettings;
  /** Queued-or-running jobs one person may have at once. */
  maxQueuedPerUser: number;
  /** Told when a job was queued, so it starts at once. */
  onJobQueued: () => void;
  log: Logger;
  now: () => Date;
  /** Answers a FileConsentCard (file-consent.ts); without it such invokes are botbuilder's. */
  fileConsent?: (context: TurnContext) => InvokeResponse;
}

export interface TeamsAsker {
  tenant: Tenant;
  aadTenantId: string;
  /** Entra object id (else Teams id) of the person: what jobs and the allow-list know them by. */
  requesterId: string;
}

/** The tenant behind the activity's Microsoft 365 organization, or the sentence that explains why there is none. */
export async function teamsAccess(store: Store, activity: Partial<Activity>): Promise<TeamsAsker | { refusal: string }> {
  const aadTenantId = aadTenantOf(activity);
  if (!aadTenantId) return { refusal: teamsText("es").noTenant };
  const requesterId = requesterOf(activity);
  const access = await checkAccess(store, "teams", await tenantForWorkspace(store, "teams", aadTenantId), requesterId);
  if (!("refused" in access)) return { tenant: access.tenant, aadTenantId, requesterId };
  if (access.refused === "unbound") return { refusal: teamsText("es").unbound(aadTenantId) };
  return { refusal: teamsText(access.tenant.locale).notAllowed };
}
