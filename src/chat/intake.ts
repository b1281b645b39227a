// The chat intake every platform shares: who may ask (binding + allow-list), what a request must
// pass before it is queued (names, dates, the XLSX row limit), and the queue with its per-person
// limit. Platform handlers only translate their payloads to and from these.
import type { ConversationRef } from "../domain/conversation-ref.ts";
import { localDate } from "../domain/local-time.ts";
import { resolveRange } from "../domain/relative-range.ts";
import type { ReportRequest } from "../domain/report-request.ts";
import { chooseFormat } from "../reports/engine.ts";
import { planReport, type ReportSettings } from "../reports/plan.ts";
import { isChatUserAllowed } from "../store/chat-bindings.ts";
import type { SqlStore } from "../store/open-sql.ts";
import type { Store } from "../store/open-store.ts";
import { queueJob, type ReportJob } from "../store/report-jobs.ts";
import { countMessages } from "../store/report-source.ts";
import type { Tenant } from "../store/tenants.ts";
import type { Command } from "./commands.ts";

export type Access = { tenant: Tenant } | { refused: "unbound" } | { refused: "not_allowed"; tenant: Tenant };

/** The tenant bound to the workspace, if the person may ask for its reports. */
export async function checkAccess(store: Store, platform: string, bound: Tenant | null, userId: string): Promise<Access> {
  if (!bound) return { refused: "unbound" };
  if (!(await isChatUserAllowed(store, bound.id, platform, userId))) return { refused: "not_allowed", tenant: bound };
  return { tenant: bound };
}

export function requestFor(tenant: Tenant, input: Omit<ReportRequest, "tenant" | "allowCsvFallback">): ReportRequest {
  return { tenant: tenant.slug, allowCsvFallback: false, ...input };
}

/** The report a typed command asks for, its dates read in the tenant's zone on `now`'s day there. */
export function requestFromCommand(tenant: Tenant, parsed: Extract<Command, { kind: "report" }>, now: Date): ReportRequest {
  return requestFor(tenant, {
    ...resolveRange(parsed.range, localDate(now.getTime(), tenant.timeZone)),
    campaigns: parsed.campaigns,
    channels: parsed.channels,
    agents: parsed.agents,
    templates: [],
    states: parsed.states,
    format: parsed.format ?? "xlsx",
    locale: parsed.locale ?? tenant.locale,
  });
}

/**
 * The request's own problems, found now so they are answered at once rather than by a failed job:
 * unknown names, dates, and an XLSX over the row limit (an indexed count of the rows it covers).
 * Throws the ReportError.
 */
export async function checkRequest(store: SqlStore, request: ReportRequest, settings: ReportSettings): Promise<void> {
  const plan = await planReport(store, request, settings);
  if (request.format !== "xlsx" || request.allowCsvFallback) return;
  chooseFormat("xlsx", await countMessages(store, plan.filter), settings, false);
}

export interface QueueDeps {
  store: Store;
  /** Queued-or-running jobs one person may have at once. */
  maxQueuedPerUser: number;
  now: () => Date;
  /** Told when a job was queued, so it starts at once. */
  onJobQueued: () => void;
}

/** Queues the report, or says how many the person already has waiting (nothing is queued then). */
export async function queueReport(
  deps: QueueDeps,
  input: { tenant: Tenant; platform: string; requesterId: string; conversation: ConversationRef; request: ReportRequest },
): Promise<{ job: ReportJob } | { full: number }> {
  const result = await queueJob(
    deps.store,
    {
      tenantId: input.tenant.id,
      platform: input.platform,
      requesterId: input.requesterId,
      conversation: input.conversation,
      request: input.request,
    },
    deps.maxQueuedPerUser,
    deps.now(),
  );
  if ("job" in result) deps.onJobQueued();
  return result;
}
