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
    progressStart: "Generando reporte…",
    progress: (pct: number, rows: number, total: number) =>
      `Generando reporte… ${pct} % (${formatNumber(rows, "es")} de ${formatNumber(total, "es")} filas)`,
    ready: (rows: number) => `Reporte listo: ${formatNumber(rows, "es")} filas.`,
    download: "Descargar",
    linkUntil: (when: string) => `El enlace de descarga vale hasta el ${when} UTC.`,
    acceptFile: "Acepta el archivo en la tarjeta de abajo y te lo envío a este chat.",
    consentDescription: (rows: number) => `Reporte de gestión HSM (${formatNumber(rows, "es")} filas)`,
    fileSent: (name: string) => `Te envié ${escapeMarkup(name)}.`,
    declined: (url: string, when: string) =>
      `No te envié el archivo. Puedes descargarlo aquí hasta el ${when} UTC: [Descargar](${url})`,
    uploadFailed: (url: string, when: string, ref: string) =>
      `No pude subir el archivo a tu OneDrive (ref ${ref}). Puedes descargarlo aquí hasta el ${when} UTC: [Descargar](${url})`,
    fileUnavailable: "Ese archivo ya no está disponible (el enlace venció o se eliminó). Pide el reporte de nuevo.",
    empty: (from: string, to: string, zone: string) =>
      `No hay mensajes para estos filtros entre el ${from} y el ${to} (${escapeMarkup(zone)}), así que no adjunto un archivo vacío.`,
    failed: (text: string) => `⚠️ ${text}`,
    notInConversation:
      "No puedo publicar en esta conversación (quizá me quitaron del equipo o del chat). Agrégame de nuevo y vuelve a pedir el reporte.",
    teamsRefused: (code: string, ref: string) =>
      `Teams no aceptó el reporte (${escapeMarkup(code)}, ref ${ref}). Vuelve a pedirlo; si vuelve a fallar, avisa a tu administrador y dale esa referencia.`,
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
    progressStart: "Generating report…",
    progress: (pct: number, rows: number, total: number) =>
      `Generating report… ${pct} % (${formatNumber(rows, "en")} of ${formatNumber(total, "en")} rows)`,
    ready: (rows: number) => `Report ready: ${formatNumber(rows, "en")} rows.`,
    download: "Download",
    linkUntil: (when: string) => `The download link works until ${when} UTC.`,
    acceptFile: "Accept the file in the card below and I will send it to this chat.",
    consentDescription: (rows: number) => `HSM management report (${formatNumber(rows, "en")} rows)`,
    fileSent: (name: string) => `I sent you ${escapeMarkup(name)}.`,
    declined: (url: string, when: string) =>
      `I did not send the file. You can download it here until ${when} UTC: [Download](${url})`,
    uploadFailed: (url: string, when: string, ref: string) =>
      `I could not upload the file to your OneDrive (ref ${ref}). You can download it here until ${when} UTC: [Download](${url})`,
    fileUnavailable: "That file is no longer available (its link expired or it was removed). Please ask for the report again.",
    empty: (from: string, to: string, zone: string) =>
      `No messages for these filters between ${from} and ${to} (${escapeMarkup(zone)}), so no empty file is attached.`,
    failed: (text: string) => `⚠️ ${text}`,
    notInConversation:
      "I can't post in this conversation (I may have been removed from the team or chat). Add me again and ask for the report again.",
    teamsRefused: (code: string, ref: string) =>
      `Teams did not accept the report (${escapeMarkup(code)}, ref ${ref}). Ask for it again; if it fails again, tell your administrator and give them that reference.`,
  },
};

export function teamsText(locale: Locale) {
  return TEAMS_TEXT[locale];
}

/** "2026-12-06 14:00": when a link stops working, in UTC (a link has no zone of its own). */
export const utcMinute = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
