// What a scheduled post says besides the report, on every platform: which schedule, the period in
// its zone, the change of the rates against the period before, lateness, and the periods missed
// with the command that makes them. Safe markdown (names escaped); each platform adds its own
// emphasis and its way of naming the creator.
import { comparePeriods } from "../domain/period-comparison.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import { periodWords, scheduleLine } from "../domain/schedule-words.ts";
import type { ScheduledPost } from "../domain/scheduled-post.ts";
import type { Locale } from "../domain/tenant.ts";
import type { ReportJob } from "../store/report-jobs.ts";
import { reportCommandText } from "./commands.ts";
import { scheduleText } from "./messages.ts";
import { escapeMarkup } from "./safe-text.ts";

export interface ScheduledPostFacts {
  /** The schedule in words ("Every Monday at 08:00 (America/Lima), last week"). */
  schedule: string;
  /** The period, then any comparison, lateness and missed periods: one line each. */
  lines: string[];
}

export function scheduledPostFacts(
  job: ReportJob,
  post: ScheduledPost,
  summary: ReportSummary | null,
  prefix: string,
): ScheduledPostFacts {
  const locale = job.request.locale;
  const t = scheduleText(locale);
  const zone = post.rule.timeZone;
  const lines = [`${escapeMarkup(capitalized(periodWords(post.from, post.to, locale)))} (${escapeMarkup(zone)})`];
  if (summary && post.previous && summary.totals.total > 0) {
    const c = comparePeriods(summary.totals, post.previous.totals, post.previous.from, post.previous.to);
    lines.push(`${t.rateChanges(c)} · ${escapeMarkup(against(c.previousFrom, c.previousTo, locale))}`);
  }
  if (post.late) {
    const fire = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(post.fireAt);
    const part = (type: string) => fire.find((p) => p.type === type)?.value ?? "";
    lines.push(t.late(`${part("year")}-${part("month")}-${part("day")}`, `${part("hour")}:${part("minute")}`, zone));
  }
  if (post.missed.length > 0) {
    const r = job.request;
    const first = post.missed[0] as { from: string; to: string };
    const command = reportCommandText(prefix, first, {
      campaigns: r.campaigns,
      channels: r.channels,
      agents: r.agents,
      states: r.states,
      format: r.format,
      locale: r.locale,
    });
    lines.push(t.missed(post.missed, command));
  }
  return { schedule: escapeMarkup(scheduleLine(post.rule, locale)), lines };
}

/** "against December 1, 2026"; "frente al 1 de diciembre de 2026", "frente al período del 16 al 22 de noviembre de 2026". */
function against(from: string, to: string, locale: Locale): string {
  const words = periodWords(from, to, locale);
  if (locale === "en") return `against ${words}`;
  // Spanish contracts "a el" to "al", and "del 16 al 22" needs a noun before it ("frente a del …" is not Spanish).
  return from === to ? `frente al ${words.replace(/^el /, "")}` : `frente al período ${words}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
