// What Slack shows of schedules: the channel's list with its buttons, what a scheduled post says
// besides the report (which schedule, the period, the change against the one before, lateness,
// missed periods), and a failed run's Retry button.
import type { types } from "@slack/bolt";
import type { ReportSummary } from "../../domain/report-summary.ts";
import type { ScheduledPost } from "../../domain/scheduled-post.ts";
import type { Locale } from "../../domain/tenant.ts";
import type { ReportJob } from "../../store/report-jobs.ts";
import { SLACK_PREFIX } from "../commands.ts";
import { scheduleText } from "../messages.ts";
import { clip, escapeMarkup } from "../safe-text.ts";
import type { ScheduleListing } from "../schedule-commands.ts";
import { scheduledPostFacts } from "../scheduled-post-lines.ts";
import { SECTION_TEXT_MAX } from "./slack-blocks.ts";

type KnownBlock = types.KnownBlock;

/** Action ids of the schedule buttons; the value is the schedule's id (a run's, for retry). */
export const SCHEDULE_ACTIONS = {
  pause: "schedule_pause",
  resume: "schedule_resume",
  run: "schedule_run",
  delete: "schedule_delete",
  retry: "schedule_retry",
} as const;

const BUTTONS = {
  es: { pause: "Pausar", resume: "Reanudar", run: "Ejecutar ahora", delete: "Eliminar", retry: "Reintentar", more: "más" },
  en: { pause: "Pause", resume: "Resume", run: "Run now", delete: "Delete", retry: "Retry", more: "more" },
};

const CONFIRM_DELETE = {
  es: { title: "¿Eliminar el reporte?", text: "No volverá a publicarse.", confirm: "Eliminar", deny: "Cancelar" },
  en: { title: "Delete the report?", text: "It will not be posted again.", confirm: "Delete", deny: "Cancel" },
};

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });
const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: clip(text, SECTION_TEXT_MAX) } });

/** Slack takes 50 blocks a message: two a schedule, and a line for the rest. */
const LISTED_MAX = 23;

export function scheduleListBlocks(title: string, listing: readonly ScheduleListing[], locale: Locale): KnownBlock[] {
  const b = BUTTONS[locale];
  const c = CONFIRM_DELETE[locale];
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  for (const { schedule: s, description } of listing.slice(0, LISTED_MAX)) {
    const value = String(s.id);
    blocks.push(section(scheduleText(locale).listLine(s.id, description, s.paused)), {
      type: "actions",
      block_id: `schedule_${s.id}`,
      elements: [
        s.paused
          ? { type: "button", action_id: SCHEDULE_ACTIONS.resume, text: plain(b.resume), value }
          : { type: "button", action_id: SCHEDULE_ACTIONS.pause, text: plain(b.pause), value },
        { type: "button", action_id: SCHEDULE_ACTIONS.run, text: plain(b.run), value },
        {
          type: "button",
          action_id: SCHEDULE_ACTIONS.delete,
          text: plain(b.delete),
          value,
          style: "danger",
          confirm: { title: plain(c.title), text: plain(c.text), confirm: plain(c.confirm), deny: plain(c.deny) },
        },
      ],
    });
  }
  if (listing.length > LISTED_MAX) blocks.push(section(`… +${listing.length - LISTED_MAX} ${b.more}`));
  return blocks;
}

/** Lines a scheduled post carries above the report's summary. */
export function scheduledPostLines(job: ReportJob, post: ScheduledPost, summary: ReportSummary | null): string[] {
  const locale = job.request.locale;
  const by = post.createdBy
    ? locale === "es"
      ? ` · creado por <@${escapeMarkup(post.createdBy)}>`
      : ` · created by <@${escapeMarkup(post.createdBy)}>`
    : "";
  const facts = scheduledPostFacts(job, post, summary, SLACK_PREFIX);
  return [`*${facts.schedule}*${by} · #${post.scheduleId}`, ...facts.lines];
}

export function scheduledPostBlocks(job: ReportJob, post: ScheduledPost, summary: ReportSummary | null): KnownBlock[] {
  return [section(scheduledPostLines(job, post, summary).join("\n"))];
}

export function retryBlocks(text: string, runId: number, locale: Locale): KnownBlock[] {
  return [
    section(text),
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: SCHEDULE_ACTIONS.retry,
          text: plain(BUTTONS[locale].retry),
          value: String(runId),
          style: "primary",
        },
      ],
    },
  ];
}
