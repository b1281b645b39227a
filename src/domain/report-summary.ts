// The summary that goes with every report: totals per state, the sent → delivered → read → replied
// funnel with rates, invalid numbers, the top Meta errors, and the same per campaign.
import { type MessageState, STATES } from "./lifecycle.ts";
import { metaErrorTitle } from "./meta-errors.ts";
import type { ReportFormat } from "./report-request.ts";
import type { Locale } from "./tenant.ts";

export interface SummaryGroup {
  campaign: string;
  state: MessageState;
  sent: boolean;
  delivered: boolean;
  read: boolean;
  replied: boolean;
  invalidNumber: boolean;
  count: number;
}

export interface Funnel {
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  /** Each step as a share of the step before it (delivered of sent, read of delivered, replied of read); null when the step before is 0. */
  stepRates: { delivered: number | null; read: number | null; replied: number | null };
}

export interface Totals {
  total: number;
  byState: Record<MessageState, number>;
  funnel: Funnel;
  invalidNumbers: number;
}

export interface CampaignTotals extends Totals {
  campaign: string;
}

export interface ErrorCount {
  code: number | null;
  title: string | null;
  count: number;
}

export interface ReportSummary {
  tenant: { slug: string; name: string; timeZone: string };
  locale: Locale;
  requestedFormat: ReportFormat;
  format: ReportFormat;
  /** XLSX was asked, the report was too large for it, and CSV was allowed instead. */
  switchedToCsv: boolean;
  requested: { from: string; to: string };
  applied: { from: string; to: string };
  /** The start was moved to the data start date. */
  clamped: boolean;
  dataStartDate: string | null;
  filters: { campaigns: string[]; channels: string[]; agents: string[]; templates: string[]; states: MessageState[] };
  generatedAt: string;
  totals: Totals;
  topErrors: ErrorCount[];
  byCampaign: CampaignTotals[];
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function emptyByState(): Record<MessageState, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<MessageState, number>;
}

export function totalsOf(groups: readonly SummaryGroup[]): Totals {
  const byState = emptyByState();
  let total = 0;
  let sent = 0;
  let delivered = 0;
  let read = 0;
  let replied = 0;
  let invalidNumbers = 0;
  for (const g of groups) {
    total += g.count;
    byState[g.state] += g.count;
    if (g.sent) sent += g.count;
    if (g.delivered) delivered += g.count;
    if (g.read) read += g.count;
    if (g.replied) replied += g.count;
    if (g.invalidNumber) invalidNumbers += g.count;
  }
  return {
    total,
    byState,
    funnel: {
      sent,
      delivered,
      read,
      replied,
      stepRates: { delivered: rate(delivered, sent), read: rate(read, delivered), replied: rate(replied, read) },
    },
    invalidNumbers,
  };
}

export function campaignTotals(groups: readonly SummaryGroup[]): CampaignTotals[] {
  const byCampaign = new Map<string, SummaryGroup[]>();
  for (const g of groups) byCampaign.set(g.campaign, [...(byCampaign.get(g.campaign) ?? []), g]);
  return [...byCampaign]
    .map(([campaign, list]) => ({ campaign, ...totalsOf(list) }))
    .sort((a, b) => b.total - a.total || a.campaign.localeCompare(b.campaign));
}

/** Meta's failures by code, most frequent first; a code Meta titled differently over time shows its most common title. */
export function topErrors(rows: readonly ErrorCount[], limit = 10): ErrorCount[] {
  const byCode = new Map<string, { code: number | null; titles: Map<string, number>; count: number }>();
  for (const r of rows) {
    const key = String(r.code);
    const entry = byCode.get(key) ?? { code: r.code, titles: new Map(), count: 0 };
    entry.count += r.count;
    const title = metaErrorTitle(r.code, r.title);
    if (title) entry.titles.set(title, (entry.titles.get(title) ?? 0) + r.count);
    byCode.set(key, entry);
  }
  return [...byCode.values()]
    .map((e) => ({
      code: e.code,
      title: [...e.titles].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null,
      count: e.count,
    }))
    .sort((a, b) => b.count - a.count || (a.code ?? Number.MAX_SAFE_INTEGER) - (b.code ?? Number.MAX_SAFE_INTEGER))
    .slice(0, limit);
}
