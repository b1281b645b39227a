// A raw message row → the 19 report cells in the request's language. Dates stay UTC milliseconds
// here; each file writer turns them into its own kind of date.
import { commentFor, REPLIED_LABELS, STAGE_LABELS, STATE_LABELS } from "../domain/labels.ts";
import type { MessageState, StageValue } from "../domain/lifecycle.ts";
import { isOutboundErrorCode } from "../domain/outbound-errors.ts";
import type { Locale } from "../domain/tenant.ts";
import { RAW, type RawRow } from "../store/report-source.ts";
import type { ReportPlan } from "./plan.ts";

/** Text, a date (UTC ms), or empty. */
export type Cell = string | number | null;

const asMs = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Formats into `into` when given (the CSV path reuses one array for every row), else a new array. */
export function rowFormatter(plan: ReportPlan, locale: Locale): (raw: RawRow, into?: Cell[]) => Cell[] {
  const states = STATE_LABELS[locale];
  const stages = STAGE_LABELS[locale];
  const replied = REPLIED_LABELS[locale];
  const { agents, campaigns, templates } = plan.names;
  return (r, into) => {
    const state = r[RAW.state] as MessageState;
    const template = templates.get(r[RAW.templateId] as number);
    const outboundError = r[RAW.outboundError];
    const repliedAt = asMs(r[RAW.repliedAt]);
    const c: Cell[] = into ?? new Array(19);
    c[0] = agents.get(r[RAW.agentId] as number) ?? "";
    c[1] = campaigns.get(r[RAW.campaignId] as number) ?? "";
    c[2] = template?.hsmId ?? "";
    c[3] = template?.name ?? "";
    c[4] = r[RAW.platformId] as string;
    c[5] = r[RAW.body] as string;
    c[6] = r[RAW.destination] as string;
    c[7] = states[state];
    c[8] = commentFor(
      locale,
      state,
      isOutboundErrorCode(outboundError) ? outboundError : null,
      r[RAW.metaErrorCode] === null ? null : Number(r[RAW.metaErrorCode]),
      (r[RAW.metaErrorTitle] as string | null) ?? null,
    );
    c[9] = stages.outbound[r[RAW.outboundStage] as StageValue];
    c[10] = stages.sent[r[RAW.sentStage] as StageValue];
    c[11] = stages.delivered[r[RAW.deliveredStage] as StageValue];
    c[12] = stages.read[r[RAW.readStage] as StageValue];
    c[13] = asMs(r[RAW.outboundAt]);
    c[14] = asMs(r[RAW.sentAt]);
    c[15] = asMs(r[RAW.deliveredAt]);
    c[16] = asMs(r[RAW.readAt]);
    c[17] = repliedAt === null ? replied.no : replied.yes;
    c[18] = repliedAt;
    return c;
  };
}
