// What the bot says, in the tenant's language. Every error names what was wrong and what to do.
import { STATE_LABELS } from "../domain/labels.ts";
import { isReportError, type ReportError } from "../domain/report-errors.ts";
import type { Locale } from "../domain/tenant.ts";
import type { DeliveryProblem } from "../jobs/delivery.ts";
import { failureText } from "../jobs/failure-text.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import { clip, escapeMarkup } from "./safe-text.ts";

/** What the person typed (or a name), echoed as code: escaped, and cut so an echo stays short. */
const q = (s: string) => `\`${escapeMarkup(clip(s, 100))}\``;
const list = (items: string[], or: string) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${or} ${items.at(-1)}`;

const es = {
  usage:
    "Uso: `/hsm-report [today|yesterday|last 7d|last week|last month|this month|AAAA-MM-DD..AAAA-MM-DD] " +
    '[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]` · `/hsm-report history` · `/hsm-report help`',
  help:
    "*Reporte de gestión HSM*\n" +
    "• `/hsm-report` sin texto abre un formulario.\n" +
    '• `/hsm-report last 7d campaign:"Campaña chattigo" format:csv` genera un reporte (por defecto: últimos 7 días, XLSX).\n' +
    "• Períodos: `today`, `yesterday`, `last 7d`, `last week`, `last month`, `this month`, `2026-10-01..2026-10-31`.\n" +
    "• Filtros (repetibles): `campaign:`, `channel:`, `agent:`, `state:`. Nombres con espacios entre comillas.\n" +
    "• `/hsm-report history` muestra tus últimos 10 reportes.",
  unclosedQuote: (s: string) => `Falta cerrar las comillas en ${q(s)}.`,
  aloneWord: (word: string, extra: string) => `${q(word)} va solo; sobra ${q(extra)}.`,
  twoRanges: (a: string, b: string) => `Indica un solo período: ${q(a)} y ${q(b)}.`,
  unknownKey: (token: string, guess: string | null) =>
    `No conozco el filtro ${q(token)}.${guess ? ` ¿Quisiste decir ${q(guess)}?` : ""}`,
  emptyValue: (token: string) => `${q(token)} está vacío: escribe un valor después de los dos puntos.`,
  unknownState: (token: string, suggestions: string[]) =>
    `No conozco el estado de ${q(token)}.${suggestions.length ? ` ¿Quisiste decir ${list(suggestions.map(q), "o")}?` : ""} Estados: ${Object.keys(STATE_LABELS.es).map(q).join(", ")}.`,
  badFormat: (token: string) => `${q(token)}: el formato es ${q("xlsx")} o ${q("csv")}.`,
  badLang: (token: string) => `${q(token)}: el idioma es ${q("es")} o ${q("en")}.`,
  badDate: (token: string, date: string) => `${q(token)}: ${q(date)} no es una fecha válida (AAAA-MM-DD).`,
  reversedRange: (token: string) => `${q(token)}: el período termina antes de empezar.`,
  rangeTooLong: (period: string, days: number, max: number) =>
    `${q(period)} abarca ${days} días y un reporte cubre como máximo ${max}. Divídelo en períodos más cortos.`,
  dateOutOfRange: (date: string, first: number, last: number) =>
    `${q(date)}: las fechas van del año ${first} al ${last}. Revisa el año.`,
  queueFull: (active: number) =>
    `Ya tienes ${active} reportes en cola o generándose, el máximo a la vez. Vuelve a pedirlo cuando termine uno.`,
  unexpected: (ref: string) => `hsm-report: error inesperado (ref ${ref}); vuelve a intentarlo en un momento.`,
  badDays: (phrase: string) => `${q(phrase)}: pide entre 1 y 366 días.`,
  badRange: (phrase: string) =>
    `No entiendo el período ${q(phrase)}. Usa ${q("last 7d")}, ${q("last week")}, ${q("last month")} o ${q("this month")}.`,
  singleDate: (date: string) => `${q(date)}: un período lleva dos fechas, por ejemplo ${q(`${date}..${date}`)}.`,
  unknownWord: (word: string, guess: string | null) => `No entiendo ${q(word)}.${guess ? ` ¿Quisiste decir ${q(guess)}?` : ""}`,
  unknownName: (kind: string, given: string, suggestions: string[]) =>
    `No encuentro ${({ campaign: "la campaña", channel: "el canal", agent: "el agente", template: "la plantilla", state: "el estado" } as Record<string, string>)[kind] ?? kind} ${q(given)}.` +
    (suggestions.length ? ` ¿Quisiste decir ${list(suggestions.map(q), "o")}?` : ""),
  beforeDataStart: (date: string) => `No hay datos antes del ${date}: elige un período que termine ese día o después.`,
  tooLarge: (rows: number, limit: number) =>
    `El reporte tiene ${rows.toLocaleString("es-ES")} filas y un XLSX admite hasta ${limit.toLocaleString("es-ES")}. Pídelo en CSV (${q("format:csv")}) o acota los filtros.`,
};

type ChatText = typeof es;

const en: ChatText = {
  usage:
    "Usage: `/hsm-report [today|yesterday|last 7d|last week|last month|this month|YYYY-MM-DD..YYYY-MM-DD] " +
    '[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]` · `/hsm-report history` · `/hsm-report help`',
  help:
    "*HSM management report*\n" +
    "• `/hsm-report` with no text opens a form.\n" +
    '• `/hsm-report last 7d campaign:"Campaña chattigo" format:csv` makes a report (default: last 7 days, XLSX).\n' +
    "• Periods: `today`, `yesterday`, `last 7d`, `last week`, `last month`, `this month`, `2026-10-01..2026-10-31`.\n" +
    "• Filters (repeatable): `campaign:`, `channel:`, `agent:`, `state:`. Quote names with spaces.\n" +
    "• `/hsm-report history` lists your last 10 reports.",
  unclosedQuote: (s) => `The quote in ${q(s)} is never closed.`,
  aloneWord: (word, extra) => `${q(word)} goes alone; ${q(extra)} is extra.`,
  twoRanges: (a, b) => `Give one period only: ${q(a)} and ${q(b)}.`,
  unknownKey: (token, guess) => `Unknown filter ${q(token)}.${guess ? ` Did you mean ${q(guess)}?` : ""}`,
  emptyValue: (token) => `${q(token)} is empty: write a value after the colon.`,
  unknownState: (token, suggestions) =>
    `Unknown state in ${q(token)}.${suggestions.length ? ` Did you mean ${list(suggestions.map(q), "or")}?` : ""} States: ${Object.keys(STATE_LABELS.en).map(q).join(", ")}.`,
  badFormat: (token) => `${q(token)}: the format is ${q("xlsx")} or ${q("csv")}.`,
  badLang: (token) => `${q(token)}: the language is ${q("es")} or ${q("en")}.`,
  badDate: (token, date) => `${q(token)}: ${q(date)} is not a valid date (YYYY-MM-DD).`,
  reversedRange: (token) => `${q(token)}: the period ends before it starts.`,
  rangeTooLong: (period, days, max) =>
    `${q(period)} spans ${days} days and a report covers at most ${max}. Split it into shorter periods.`,
  dateOutOfRange: (date, first, last) => `${q(date)}: dates go from the year ${first} to ${last}. Check the year.`,
  queueFull: (active) =>
    `You already have ${active} reports queued or being generated, the most at once. Ask again when one of them is done.`,
  unexpected: (ref) => `hsm-report: unexpected error (ref ${ref}); try again in a moment.`,
  badDays: (phrase) => `${q(phrase)}: ask for 1 to 366 days.`,
  badRange: (phrase) =>
    `I don't understand the period ${q(phrase)}. Use ${q("last 7d")}, ${q("last week")}, ${q("last month")} or ${q("this month")}.`,
  singleDate: (date) => `${q(date)}: a period takes two dates, e.g. ${q(`${date}..${date}`)}.`,
  unknownWord: (word, guess) => `I don't understand ${q(word)}.${guess ? ` Did you mean ${q(guess)}?` : ""}`,
  unknownName: (kind, given, suggestions) =>
    `No ${kind} ${q(given)}.${suggestions.length ? ` Did you mean ${list(suggestions.map(q), "or")}?` : ""}`,
  beforeDataStart: (date) => `There is no data before ${date}: choose a period that ends on or after that day.`,
  tooLarge: (rows, limit) =>
    `The report has ${rows.toLocaleString("en-US")} rows and an XLSX holds at most ${limit.toLocaleString("en-US")}. Ask for CSV (${q("format:csv")}) or narrow the filters.`,
};

export function chatText(locale: Locale): ChatText {
  return locale === "en" ? en : es;
}

/** A report error as the person in the chat should read it. */
export function reportErrorText(error: ReportError, locale: Locale): string {
  const t = chatText(locale);
  const d = error.details;
  switch (error.code) {
    case "report_unknown_name":
      return t.unknownName(String(d.kind), String(d.given), (d.suggestions as string[]) ?? []);
    case "report_before_data_start":
      return t.beforeDataStart(String(d.dataStartDate));
    case "report_too_large":
      return t.tooLarge(Number(d.rows), Number(d.limit));
    case "report_reversed_range":
      return t.reversedRange(`${d.from}..${d.to}`);
    case "report_range_too_long":
      return t.rangeTooLong(`${d.from}..${d.to}`, Number(d.days), Number(d.maxDays));
    case "report_date_out_of_range":
      return t.dateOutOfRange(String(d.date), Number(d.firstYear), Number(d.lastYear));
    default:
      return escapeMarkup(error.message);
  }
}

/**
 * A job's failure that is not the chat platform's: the request's own problem (said at once, never
 * retried), the database being away (retried), or an unexpected one (a sentence and `ref`; the
 * cause stays in the log).
 */
export function explainReportFailure(error: unknown, locale: Locale, ref: string): DeliveryProblem {
  if (isReportError(error)) return { code: error.code, text: reportErrorText(error, locale), retry: false };
  if (isStoreUnavailable(error)) return { code: "store_unavailable", text: failureText(locale, ref), retry: true };
  return { code: "internal_error", text: failureText(locale, ref), retry: false };
}
