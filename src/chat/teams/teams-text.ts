// What the Teams bot says that the shared texts do not (messages.ts has the grammar's errors and
// the schedules' words, the same on every platform). Ids and names are escaped: Teams reads them as
// markdown otherwise.
import type { Locale } from "../../domain/tenant.ts";
import { escapeMarkup } from "../safe-text.ts";

export const formatNumber = (n: number, locale: Locale) => n.toLocaleString(locale === "es" ? "es-ES" : "en-US");

export const TEAMS_TEXT = {
  es: {
    unbound: (tenant: string) =>
      `Esta organización de Microsoft 365 (${escapeMarkup(tenant)}) no está vinculada a ninguna empresa de hsm-report. ` +
      `Pide a tu administrador que ejecute \`hsm-report teams bind --aad-tenant ${escapeMarkup(tenant)} --tenant EMPRESA\`.`,
    noTenant:
      "Teams no indicó a qué organización de Microsoft 365 perteneces, así que no puedo mostrarte reportes. Escríbeme desde Teams con tu cuenta de trabajo.",
    notAllowed: "No tienes permiso para pedir reportes de HSM. Pide a tu administrador que te agregue.",
    queued: (what: string) => `Preparando tu reporte (${what}). Lo publicaré en esta conversación.`,
    historyTitle: "Tus últimos reportes",
    historyEmpty: "Todavía no has pedido reportes.",
    file: "archivo",
    rows: "filas",
    statusText: { queued: "en cola", running: "generándose", done: "listo", failed: "falló" } as Record<string, string>,
    formFixErrors: "Revisa los campos marcados y vuelve a enviar el formulario.",
  },
  en: {
    unbound: (tenant: string) =>
      `This Microsoft 365 organization (${escapeMarkup(tenant)}) is not linked to any hsm-report company. ` +
      `Ask your administrator to run \`hsm-report teams bind --aad-tenant ${escapeMarkup(tenant)} --tenant COMPANY\`.`,
    noTenant:
      "Teams did not say which Microsoft 365 organization you belong to, so I cannot show you reports. Write to me from Teams with your work account.",
    notAllowed: "You are not allowed to ask for HSM reports. Ask your administrator to add you.",
    queued: (what: string) => `Preparing your report (${what}). I will post it in this conversation.`,
    historyTitle: "Your last reports",
    historyEmpty: "You have not asked for any report yet.",
    file: "file",
    rows: "rows",
    statusText: { queued: "queued", running: "running", done: "ready", failed: "failed" } as Record<string, string>,
    formFixErrors: "Check the fields marked below and send the form again.",
  },
};

export function teamsText(locale: Locale) {
  return TEAMS_TEXT[locale];
}
