// The summary as a few lines of plain text (the end of `hsm-report generate`).
import { STATE_LABELS } from "../domain/labels.ts";
import { STATES } from "../domain/lifecycle.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import { SUMMARY_TEXT } from "./summary-text.ts";

export function percent(value: number | null, locale: "es" | "en"): string {
  if (value === null) return "–";
  return new Intl.NumberFormat(locale === "es" ? "es-ES" : "en-US", { style: "percent", maximumFractionDigits: 1 }).format(value);
}

export function summaryLines(s: ReportSummary): string[] {
  const t = SUMMARY_TEXT[s.locale];
  const n = (v: number) => v.toLocaleString(s.locale === "es" ? "es-ES" : "en-US");
  const lines = [`${t.applied}: ${s.applied.from} – ${s.applied.to} (${s.tenant.timeZone})`];
  if (s.clamped && s.dataStartDate) lines.push(t.clamped(s.dataStartDate));
  if (s.switchedToCsv) lines.push(`${t.format}: ${t.switchedToCsv}`);
  lines.push(`${t.total}: ${n(s.totals.total)}`);
  if (s.totals.total === 0) return [...lines, t.noMessages];
  lines.push(
    STATES.filter((st) => s.totals.byState[st] > 0)
      .map((st) => `${STATE_LABELS[s.locale][st]} ${n(s.totals.byState[st])}`)
      .join(" · "),
  );
  const f = s.totals.funnel;
  lines.push(
    `${t.funnel}: ${t.funnelSteps.sent} ${n(f.sent)} → ${t.funnelSteps.delivered} ${n(f.delivered)} (${percent(f.stepRates.delivered, s.locale)}) → ` +
      `${t.funnelSteps.read} ${n(f.read)} (${percent(f.stepRates.read, s.locale)}) → ${t.funnelSteps.replied} ${n(f.replied)} (${percent(f.stepRates.replied, s.locale)})`,
  );
  lines.push(`${t.invalidNumbers}: ${n(s.totals.invalidNumbers)}`);
  return lines;
}
