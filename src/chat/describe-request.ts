// A report request in a few words, for any platform's answers ("queued", history lines).
import type { ReportJob } from "../store/report-jobs.ts";
import { escapeMarkup, fitList } from "./safe-text.ts";

/** One name in a list is cut to this many characters before the list is fitted. */
export const NAME_MAX = 200;

/**
 * A request described in a few words, escaped and at most `budget` characters:
 * "2026-10-01 – 2026-10-31, Campaña chattigo, Cobranza y 3 más, XLSX".
 */
export function describeRequest(job: Pick<ReportJob, "request">, budget = 1000): string {
  const r = job.request;
  const period = `${escapeMarkup(r.from)} – ${escapeMarkup(r.to)}`;
  const format = r.format.toUpperCase();
  const filters = [...r.campaigns, ...r.channels, ...r.agents, ...r.templates, ...r.states];
  if (filters.length === 0) return `${period}, ${format}`;
  const room = Math.max(0, budget - period.length - format.length - 4);
  return `${period}, ${fitList(filters, room, { locale: r.locale, render: escapeMarkup, maxItem: NAME_MAX })}, ${format}`;
}
