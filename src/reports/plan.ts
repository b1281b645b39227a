// A ReportRequest → what exactly to read: the tenant, the UTC bounds of its local dates, the ids of
// the named campaigns, channels, agents and templates. Unknown names stop here, with suggestions.

import { STATE_LABELS } from "../domain/labels.ts";
import { isMessageState, type MessageState } from "../domain/lifecycle.ts";
import { addDays, startOfLocalDay } from "../domain/local-time.ts";
import { closestNames, findName, normalizeName } from "../domain/name-match.ts";
import { ReportError } from "../domain/report-errors.ts";
import { type AppliedRange, applyDateRules, type ReportRequest } from "../domain/report-request.ts";
import type { SqlStore } from "../store/open-sql.ts";
import { type Dimensions, loadDimensions, type MessageFilter, reportTenant } from "../store/report-source.ts";
import type { Tenant } from "../store/tenants.ts";

export interface ReportSettings {
  /** Rows per XLSX sheet, header included (Excel's limit: 1,048,576). */
  sheetMaxRows: number;
  /** Above this many rows only CSV is offered (SPEC: 1,800,000). */
  xlsxMaxRows: number;
  /** SPEC rule 8: no data before this local date (YYYY-MM-DD), or null. */
  dataStartDate: string | null;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = { sheetMaxRows: 1_048_576, xlsxMaxRows: 1_800_000, dataStartDate: null };

export interface ReportPlan {
  request: ReportRequest;
  tenant: Tenant;
  applied: AppliedRange;
  filter: MessageFilter;
  /** The filters as resolved names, for the summary. */
  filterNames: { campaigns: string[]; channels: string[]; agents: string[]; templates: string[]; states: MessageState[] };
  names: {
    agents: Map<number, string>;
    campaigns: Map<number, string>;
    templates: Map<number, { hsmId: string; name: string }>;
  };
}

type Kind = "campaign" | "channel" | "agent" | "template" | "state";

function unknownName(kind: Kind, given: string, known: string[]): ReportError {
  const suggestions = closestNames(given, known);
  const plural = kind === "channel" ? "channels" : `${kind}s`;
  const hint = suggestions.length
    ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?`
    : known.length
      ? ` Known ${plural}: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", …" : ""}.`
      : ` There are no ${plural} yet.`;
  return new ReportError("report_unknown_name", `No ${kind} "${given}".${hint}`, { kind, given, suggestions });
}

function resolve<T extends { id: number }>(
  kind: Kind,
  wanted: readonly string[],
  items: readonly T[],
  keys: (item: T) => (string | null)[],
  label: (item: T) => string,
): { ids: number[] | null; names: string[] } {
  if (wanted.length === 0) return { ids: null, names: [] };
  // Normalised once: a form may send hundreds of names, and the answer must come within Slack's 3 s.
  const byName = new Map<string, T>();
  for (const item of items) {
    for (const key of keys(item)) {
      if (key === null) continue;
      const normalized = normalizeName(key);
      if (!byName.has(normalized)) byName.set(normalized, item);
    }
  }
  const found = new Map<number, T>();
  for (const given of wanted) {
    const item = byName.get(normalizeName(given));
    if (!item) throw unknownName(kind, given, items.map(label));
    found.set(item.id, item);
  }
  return { ids: [...found.keys()], names: [...found.values()].map(label) };
}

export function resolveStates(wanted: readonly string[]): MessageState[] {
  const states: MessageState[] = [];
  const labelled = (state: MessageState) => [state, state.replace("_", " "), STATE_LABELS.es[state], STATE_LABELS.en[state]];
  for (const given of wanted) {
    const all = Object.keys(STATE_LABELS.es).filter(isMessageState);
    const state = all.find((s) => findName(given, labelled(s)) !== undefined);
    if (!state) {
      const error = unknownName("state", given, all);
      // Suggest from the labels too: "leido" is closer to "Leído" than to "read".
      const labels = all.flatMap((s) => [STATE_LABELS.es[s], STATE_LABELS.en[s]]);
      error.details.suggestions = closestNames(given, [...all, ...labels]);
      throw error;
    }
    if (!states.includes(state)) states.push(state);
  }
  return states;
}

export async function planReport(store: SqlStore, request: ReportRequest, settings: ReportSettings): Promise<ReportPlan> {
  const tenant = await reportTenant(store, request.tenant);
  if (!tenant) throw new ReportError("report_unknown_tenant", `No tenant "${request.tenant}".`, { tenant: request.tenant });
  const applied = applyDateRules(request.from, request.to, settings.dataStartDate);
  const states = resolveStates(request.states);
  const d: Dimensions = await loadDimensions(store, tenant.id);
  const campaigns = resolve(
    "campaign",
    request.campaigns,
    d.campaigns,
    (c) => [c.name],
    (c) => c.name,
  );
  const channels = resolve(
    "channel",
    request.channels,
    d.channels,
    (c) => [c.phoneNumberId, c.displayNumber, c.name],
    (c) => (c.name === c.phoneNumberId ? c.phoneNumberId : `${c.name} (${c.phoneNumberId})`),
  );
  const agents = resolve(
    "agent",
    request.agents,
    d.agents,
    (a) => [a.name],
    (a) => a.name,
  );
  const templates = resolve(
    "template",
    request.templates,
    d.templates,
    (t) => [t.hsmId, t.name],
    (t) => t.name,
  );
  return {
    request,
    tenant,
    applied,
    filter: {
      tenantId: tenant.id,
      fromUtc: new Date(startOfLocalDay(applied.from, tenant.timeZone)),
      toUtc: new Date(startOfLocalDay(addDays(applied.to, 1), tenant.timeZone)),
      campaignIds: campaigns.ids,
      channelIds: channels.ids,
      agentIds: agents.ids,
      templateIds: templates.ids,
      states: states.length ? states : null,
    },
    filterNames: {
      campaigns: campaigns.names,
      channels: channels.names,
      agents: agents.names,
      templates: templates.names,
      states,
    },
    names: {
      agents: new Map(d.agents.map((a) => [a.id, a.name])),
      campaigns: new Map(d.campaigns.map((c) => [c.id, c.name])),
      templates: new Map(d.templates.map((t) => [t.id, { hsmId: t.hsmId, name: t.name }])),
    },
  };
}
