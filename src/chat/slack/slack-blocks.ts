// What the Slack app shows: progress, the summary beside the file, history, and its own errors.
import type { types } from "@slack/bolt";

type KnownBlock = types.KnownBlock;

import { STATE_LABELS } from "../../domain/labels.ts";
import { STATES } from "../../domain/lifecycle.ts";
import type { ReportSummary } from "../../domain/report-summary.ts";
import type { Locale } from "../../domain/tenant.ts";
import { percent } from "../../reports/summary-plain.ts";
import { SUMMARY_TEXT, summaryFilters } from "../../reports/summary-text.ts";
import type { ReportJob } from "../../store/report-jobs.ts";
import { describeRequest, NAME_MAX } from "../describe-request.ts";
import { clip, escapeMarkup, fitList, shareBudget } from "../safe-text.ts";

/** Slack's limit on a section's text (docs.slack.dev/reference/block-kit/blocks/section-block). */
export const SECTION_TEXT_MAX = 3000;

const number = (n: number, locale: Locale) => n.toLocaleString(locale === "es" ? "es-ES" : "en-US");

export const SLACK_TEXT = {
  es: {
    unbound: (team: string) =>
      `Este espacio de trabajo (${escapeMarkup(team)}) no está vinculado a ninguna empresa de hsm-report. Pide a tu administrador que ejecute \`hsm-report slack bind --team ${escapeMarkup(team)} --tenant &lt;empresa&gt;\`.`,
    notAllowed: "No tienes permiso para pedir reportes de HSM. Pide a tu administrador que te agregue.",
    queued: (what: string) => `Preparando tu reporte (${what}). Lo publicaré en este canal.`,
    progressStart: "Generando reporte…",
    progress: (pct: number, rows: number, total: number) =>
      `Generando reporte… ${pct} % (${number(rows, "es")} de ${number(total, "es")} filas)`,
    ready: (rows: number) => `Reporte listo: ${number(rows, "es")} filas.`,
    empty: (from: string, to: string, zone: string) =>
      `No hay mensajes para estos filtros entre el ${from} y el ${to} (${escapeMarkup(zone)}), así que no adjunto un archivo vacío.`,
    failed: (text: string) => `:warning: ${text}`,
    notInChannel:
      "No puedo publicar en este canal porque no soy miembro. Invítame con `/invite @hsm-report` y vuelve a pedir el reporte.",
    scheduleNotInChannel:
      "No puedo escribir en este canal porque no soy miembro, así que no anuncié el cambio ni podré publicar aquí sus reportes programados. Invítame con `/invite @hsm-report`.",
    tooBig: (mb: string) =>
      `El archivo (${mb} MB) supera el límite de archivos de este espacio de trabajo. Pide el reporte en CSV (\`format:csv\`) o acota el período o los filtros.`,
    uploadsDisabled: "Este espacio de trabajo no permite subir archivos. Pide a un administrador de Slack que lo habilite.",
    slackRefused: (code: string, ref: string) =>
      `Slack no aceptó el reporte (\`${escapeMarkup(code)}\`, ref ${ref}). Vuelve a pedirlo; si vuelve a fallar, avisa a tu administrador y dale esa referencia.`,
    formMismatch: "Este formulario se abrió en otro espacio de trabajo o para otra persona. Ábrelo de nuevo con /hsm-report.",
    historyTitle: "Tus últimos reportes",
    historyEmpty: "Todavía no has pedido reportes.",
    historyLine: (j: string) => j,
    statusText: { queued: "en cola", running: "generándose", done: "listo", failed: "falló" } as Record<string, string>,
    modalTitle: "Reporte HSM",
    modalSubmit: "Generar",
    modalClose: "Cancelar",
    campaigns: "Campañas",
    channels: "Canales",
    allHint: "Vacío = todas",
    from: "Desde",
    to: "Hasta",
    format: "Formato",
    lang: "Idioma",
  },
  en: {
    unbound: (team: string) =>
      `This workspace (${escapeMarkup(team)}) is not linked to any hsm-report company. Ask your administrator to run \`hsm-report slack bind --team ${escapeMarkup(team)} --tenant &lt;company&gt;\`.`,
    notAllowed: "You are not allowed to ask for HSM reports. Ask your administrator to add you.",
    queued: (what: string) => `Preparing your report (${what}). I will post it in this channel.`,
    progressStart: "Generating report…",
    progress: (pct: number, rows: number, total: number) =>
      `Generating report… ${pct} % (${number(rows, "en")} of ${number(total, "en")} rows)`,
    ready: (rows: number) => `Report ready: ${number(rows, "en")} rows.`,
    empty: (from: string, to: string, zone: string) =>
      `No messages for these filters between ${from} and ${to} (${escapeMarkup(zone)}), so no empty file is attached.`,
    failed: (text: string) => `:warning: ${text}`,
    notInChannel:
      "I can't post in this channel because I'm not a member. Invite me with `/invite @hsm-report` and ask for the report again.",
    scheduleNotInChannel:
      "I can't write in this channel because I'm not a member, so the change was not announced and its scheduled reports cannot be posted here. Invite me with `/invite @hsm-report`.",
    tooBig: (mb: string) =>
      `The file (${mb} MB) is over this workspace's file size limit. Ask for CSV (\`format:csv\`) or narrow the period or the filters.`,
    uploadsDisabled: "This workspace does not allow file uploads. Ask a Slack administrator to enable them.",
    slackRefused: (code: string, ref: string) =>
      `Slack did not accept the report (\`${escapeMarkup(code)}\`, ref ${ref}). Ask for it again; if it fails again, tell your administrator and give them that reference.`,
    formMismatch: "This form was opened in another workspace or for someone else. Open it again with /hsm-report.",
    historyTitle: "Your last reports",
    historyEmpty: "You have not asked for any report yet.",
    historyLine: (j: string) => j,
    statusText: { queued: "queued", running: "running", done: "ready", failed: "failed" } as Record<string, string>,
    modalTitle: "HSM report",
    modalSubmit: "Generate",
    modalClose: "Cancel",
    campaigns: "Campaigns",
    channels: "Channels",
    allHint: "Empty = all",
    from: "From",
    to: "To",
    format: "Format",
    lang: "Language",
  },
};

export function slackText(locale: Locale) {
  return SLACK_TEXT[locale];
}

/** A URL inside `<url|label>`: the characters that would end or split the link are percent-encoded. */
function linkUrl(url: string): string {
  return url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, "&amp;");
}

/** A section of mrkdwn; the cut is a last guard: callers fit their text to SECTION_TEXT_MAX. */
function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text, SECTION_TEXT_MAX) } };
}

/** The summary, readable without opening the file: period and zone, filters, states, funnel. */
export function summaryBlocks(s: ReportSummary): KnownBlock[] {
  const t = SUMMARY_TEXT[s.locale];
  const n = (v: number) => number(v, s.locale);
  const filters = summaryFilters(s);
  const head = [
    `*${t.title}* · ${t.applied}: *${escapeMarkup(s.applied.from)} – ${escapeMarkup(s.applied.to)}* (${escapeMarkup(s.tenant.timeZone)})`,
    ...(s.clamped && s.dataStartDate ? [escapeMarkup(t.clamped(s.dataStartDate))] : []),
  ].join("\n");
  // The filter lists share what the section has left once the fixed words are counted.
  const fixed =
    head.length +
    1 +
    filters.reduce((sum, [label, values]) => sum + label.length + 2 + (values.length ? 0 : t.all.length) + 3, 0);
  const full = filters.map(([, values]) => values.map((v) => escapeMarkup(clip(v, NAME_MAX))).join(", ").length);
  const shares = shareBudget(full, SECTION_TEXT_MAX - fixed);
  const filterLine = filters
    .map(([label, values], i) =>
      values.length
        ? `${label}: ${fitList(values, shares[i] ?? 0, { locale: s.locale, render: escapeMarkup, maxItem: NAME_MAX })}`
        : `${label}: ${t.all}`,
    )
    .join(" · ");
  const blocks: KnownBlock[] = [section(`${head}\n${filterLine}`)];
  if (s.totals.total === 0) {
    blocks.push(section(t.noMessages));
    return blocks;
  }
  const f = s.totals.funnel;
  blocks.push(
    section(
      `*${t.total}: ${n(s.totals.total)}*\n` +
        STATES.filter((st) => s.totals.byState[st] > 0)
          .map((st) => `${STATE_LABELS[s.locale][st]}: ${n(s.totals.byState[st])}`)
          .join(" · "),
    ),
    section(
      `*${t.funnel}*: ${t.funnelSteps.sent} ${n(f.sent)} → ${t.funnelSteps.delivered} ${n(f.delivered)} (${percent(f.stepRates.delivered, s.locale)}) → ` +
        `${t.funnelSteps.read} ${n(f.read)} (${percent(f.stepRates.read, s.locale)}) → ${t.funnelSteps.replied} ${n(f.replied)} (${percent(f.stepRates.replied, s.locale)})\n` +
        `${t.invalidNumbers}: ${n(s.totals.invalidNumbers)}`,
    ),
  );
  return blocks;
}

export function summaryFallbackText(s: ReportSummary): string {
  const t = SUMMARY_TEXT[s.locale];
  return `${t.title}: ${escapeMarkup(s.applied.from)} – ${escapeMarkup(s.applied.to)}, ${t.total.toLowerCase()} ${number(s.totals.total, s.locale)}`;
}

export function historyBlocks(jobs: ReportJob[], locale: Locale): KnownBlock[] {
  const t = slackText(locale);
  if (jobs.length === 0) return [section(t.historyEmpty)];
  // Every line gets an equal part of the section.
  const lineBudget = Math.floor((SECTION_TEXT_MAX - jobs.length) / jobs.length);
  const lines = jobs.map((j) => {
    const when = j.createdAt.toISOString().slice(0, 16).replace("T", " ");
    const name = j.fileName ? escapeMarkup(clip(j.fileName, 80)) : "";
    const file = j.permalink ? `<${linkUrl(j.permalink)}|${name || (locale === "es" ? "archivo" : "file")}>` : name;
    const size = j.fileBytes ? ` · ${(j.fileBytes / 1024).toFixed(0)} KiB` : "";
    const rows = j.rows !== null ? ` · ${number(j.rows, locale)} ${locale === "es" ? "filas" : "rows"}` : "";
    const status = t.statusText[j.status] ?? j.status;
    const rest = ` · ${status}${rows}${size}${file ? ` · ${file}` : ""}`;
    const start = `• ${when} UTC · `;
    return `${start}${describeRequest(j, Math.max(40, lineBudget - start.length - rest.length))}${rest}`;
  });
  return [section(`*${t.historyTitle}*`), section(lines.join("\n"))];
}
