// Words of the summary ("Resumen" / "Summary"), in both languages.
import { STATE_LABELS } from "../domain/labels.ts";
import type { ReportSummary } from "../domain/report-summary.ts";
import type { Locale } from "../domain/tenant.ts";

export const SUMMARY_TEXT = {
  es: {
    sheet: "Resumen",
    messagesSheet: "Mensajes",
    title: "Reporte de gestión HSM",
    tenant: "Empresa",
    requested: "Período solicitado",
    applied: "Período del reporte",
    clamped: (date: string) => `Los datos comienzan el ${date}: el período empieza ese día.`,
    timeZone: "Zona horaria",
    generatedAt: "Generado",
    filters: "Filtros",
    campaigns: "Campañas",
    channels: "Canales",
    agents: "Agentes",
    templates: "Plantillas (HSM)",
    states: "Estados",
    all: "Todos",
    format: "Formato",
    switchedToCsv: "CSV (el reporte supera el máximo de filas de XLSX)",
    total: "Total de mensajes",
    noMessages: "No hay mensajes para estos filtros en este período.",
    byState: "Mensajes por estado",
    state: "Estado",
    messages: "Mensajes",
    share: "% del total",
    funnel: "Embudo",
    step: "Etapa",
    ofPrevious: "% de la etapa anterior",
    funnelSteps: { sent: "Enviados", delivered: "Entregados", read: "Leídos", replied: "Respondidos" },
    invalidNumbers: "Números inválidos",
    topErrors: "Principales errores de Meta",
    code: "Código",
    errorTitle: "Descripción",
    noCode: "(sin código)",
    byCampaign: "Por campaña",
    campaign: "Campaña",
    readNote: "Lectura: los usuarios que desactivan las confirmaciones de lectura nunca aparecen como leídos.",
  },
  en: {
    sheet: "Summary",
    messagesSheet: "Messages",
    title: "HSM management report",
    tenant: "Company",
    requested: "Requested period",
    applied: "Report period",
    clamped: (date: string) => `Data starts on ${date}: the period starts that day.`,
    timeZone: "Time zone",
    generatedAt: "Generated",
    filters: "Filters",
    campaigns: "Campaigns",
    channels: "Channels",
    agents: "Agents",
    templates: "Templates (HSM)",
    states: "States",
    all: "All",
    format: "Format",
    switchedToCsv: "CSV (the report exceeds the XLSX row limit)",
    total: "Total messages",
    noMessages: "No messages for these filters in this period.",
    byState: "Messages by state",
    state: "State",
    messages: "Messages",
    share: "% of total",
    funnel: "Funnel",
    step: "Step",
    ofPrevious: "% of previous step",
    funnelSteps: { sent: "Sent", delivered: "Delivered", read: "Read", replied: "Replied" },
    invalidNumbers: "Invalid numbers",
    topErrors: "Top Meta errors",
    code: "Code",
    errorTitle: "Description",
    noCode: "(no code)",
    byCampaign: "By campaign",
    campaign: "Campaign",
    readNote: "Read: recipients who turn off read receipts never show as read.",
  },
} satisfies Record<Locale, unknown>;

export function messagesSheetName(locale: Locale, index: number): string {
  const base = SUMMARY_TEXT[locale].messagesSheet;
  return index === 0 ? base : `${base} (${index + 1})`;
}

/** The summary's filters as label and values, in the order every rendering shows them (empty = all). */
export function summaryFilters(s: ReportSummary): [label: string, values: readonly string[]][] {
  const t = SUMMARY_TEXT[s.locale];
  return [
    [t.campaigns, s.filters.campaigns],
    [t.channels, s.filters.channels],
    [t.agents, s.filters.agents],
    [t.templates, s.filters.templates],
    [t.states, s.filters.states.map((st) => STATE_LABELS[s.locale][st])],
  ];
}
