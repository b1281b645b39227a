// What the bot says, in the tenant's language. Every error names what was wrong and what to do.
import { STATE_LABELS } from "../domain/labels.ts";
import type { DateRange } from "../domain/relative-range.ts";
import { isReportError, type ReportError } from "../domain/report-errors.ts";
import type { Locale } from "../domain/tenant.ts";
import type { DeliveryProblem } from "../jobs/delivery.ts";
import { failureText } from "../jobs/failure-text.ts";
import { percent } from "../reports/summary-plain.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import { clip, escapeMarkup, fitList } from "./safe-text.ts";
import type { Frequency, Weekday } from "./schedule-command.ts";

/** What the person typed (or a name), echoed as code: escaped, and cut so an echo stays short. */
const q = (s: string) => `\`${escapeMarkup(clip(s, 100))}\``;
const list = (items: string[], or: string) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${or} ${items.at(-1)}`;

const es = {
  usage: (prefix: string) =>
    `Uso: \`${prefix} [today|yesterday|last 7d|last week|last month|this month|AAAA-MM-DD..AAAA-MM-DD] ` +
    `[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]\` · \`${prefix} history\` · \`${prefix} help\``,
  scheduleUsage: (prefix: string) =>
    `Uso: \`${prefix} schedule daily|weekly mon|monthly 1|monthly last HH:MM ` +
    `[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en] [tz:Área/Ciudad]\` · ` +
    `\`${prefix} schedules\` · \`${prefix} schedule pause|resume|run|delete N\``,
  helpTitle: "Reporte de gestión HSM",
  help: (p: string) =>
    `• \`${p}\` sin texto abre un formulario.\n` +
    `• \`${p} last 7d campaign:"Campaña chattigo" format:csv\` genera un reporte (por defecto: últimos 7 días, XLSX).\n` +
    "• Períodos: `today`/`hoy`, `yesterday`/`ayer`, `last 7d`/`últimos 7d`, `last week`/`semana pasada`, " +
    "`last month`/`mes pasado`, `this month`/`este mes`, `2026-10-01..2026-10-31`.\n" +
    "• Filtros (repetibles): `campaign:`/`campaña:`, `channel:`/`canal:`, `agent:`/`agente:`, `state:`/`estado:`; " +
    "además `format:`/`formato:` y `lang:`/`idioma:`. Nombres con espacios entre comillas.\n" +
    `• \`${p} history\` (\`historial\`) muestra tus últimos 10 reportes.\n` +
    `• \`${p} schedule daily 08:00\` publica el reporte en este canal cada día con el día anterior; ` +
    "`weekly mon 08:00`, cada semana con la semana pasada; `monthly 1 08:00` o `monthly last 08:00`, cada mes con el mes pasado. " +
    "Lleva los mismos filtros, sin período. La hora es la de la empresa, u otra zona con `tz:America/Lima` (`zona:`).\n" +
    "• Días: `mon`/`lun`, `tue`/`mar`, `wed`/`mié`, `thu`/`jue`, `fri`/`vie`, `sat`/`sáb`, `sun`/`dom`, o enteros (`monday`, `lunes`…).\n" +
    `• \`${p} schedules\` (\`programaciones\`) lista los reportes programados de este canal; ` +
    `\`${p} schedule pause 4\`, \`resume 4\`, \`run 4\` (ahora) y \`delete 4\` los gestionan.\n` +
    "• En español: `ayuda`, `programar diario 08:00`, `programar semanal lun 08:00`, `programar mensual último 08:00`, " +
    "`pausar`, `reanudar`, `ejecutar`, `eliminar` o `borrar`.",
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
  badRange: (phrase: string, words: readonly string[]) => `No entiendo el período ${q(phrase)}. Usa ${list(words.map(q), "o")}.`,
  singleDate: (date: string) => `${q(date)}: un período lleva dos fechas, por ejemplo ${q(`${date}..${date}`)}.`,
  unknownWord: (word: string, guess: string | null) => `No entiendo ${q(word)}.${guess ? ` ¿Quisiste decir ${q(guess)}?` : ""}`,
  notFirst: (word: string) => `${q(word)} va al principio.`,
  // Scheduled reports. Examples come in the words the person used (`schedule …` or `programar …`).
  noFrequency: (examples: string[]) => `Falta la frecuencia: ${list(examples.map(q), "o")}.`,
  unknownScheduleWord: (verb: string, word: string, guess: string | null, words: string[]) =>
    `No entiendo ${q(word)} después de ${q(verb)}.${guess ? ` ¿Quisiste decir ${q(guess)}?` : ""} Sigue con ${list(words.map(q), "o")}.`,
  noWeekday: (frequency: string, example: string) =>
    `${q(frequency)} lleva el día de la semana antes de la hora, por ejemplo ${q(example)}.`,
  badWeekday: (word: string, guess: string | null, days: string[]) =>
    `${q(word)} no es un día de la semana.${guess ? ` ¿Quisiste decir ${q(guess)}?` : ""} Usa ${list(days.map(q), "o")}.`,
  noMonthDay: (frequency: string, example: string, last: string) =>
    `${q(frequency)} lleva el día del mes antes de la hora, de ${q("1")} a ${q("31")} o ${q(last)}, por ejemplo ${q(example)}.`,
  badMonthDay: (word: string, last: string) =>
    `${q(word)}: el día del mes va de ${q("1")} a ${q("31")}, o ${q(last)} para el último día.`,
  dailyWithDay: (frequency: string, extra: string, example: string) =>
    `${q(frequency)} no lleva día; sobra ${q(extra)}. Por ejemplo ${q(example)}.`,
  noTime: (example: string) => `Falta la hora (HH:MM), por ejemplo ${q(example)}.`,
  badTime: (word: string) => `${q(word)} no es una hora válida: usa HH:MM, de ${q("00:00")} a ${q("23:59")}.`,
  twoTimes: (a: string, b: string) => `Indica una sola hora: ${q(a)} y ${q(b)}.`,
  scheduleRange: (phrase: string) =>
    `${q(phrase)}: un reporte programado no lleva período; cada envío cubre el período recién terminado (ayer, la semana pasada o el mes pasado).`,
  zoneOnlyScheduled: (token: string) =>
    `${q(token)}: la zona horaria solo se indica en un reporte programado; este reporte usa la de la empresa.`,
  badZone: (token: string, suggestions: string[]) =>
    `${q(token)} no es una zona horaria.${suggestions.length ? ` ¿Quisiste decir ${list(suggestions.map(q), "o")}?` : ""} ` +
    `Usa un nombre IANA (Área/Ciudad) como ${q("America/Lima")}, que sigue el horario de verano del lugar.`,
  twice: (a: string, b: string) => `Indica un solo valor: ${q(a)} y ${q(b)}.`,
  noId: (example: string) => `Falta el número del reporte programado, por ejemplo ${q(example)}.`,
  badId: (word: string) => `${q(word)} no es el número de un reporte programado (por ejemplo ${q("4")}).`,
  unknownName: (kind: string, given: string, suggestions: string[]) =>
    `No encuentro ${({ campaign: "la campaña", channel: "el canal", agent: "el agente", template: "la plantilla", state: "el estado" } as Record<string, string>)[kind] ?? kind} ${q(given)}.` +
    (suggestions.length ? ` ¿Quisiste decir ${list(suggestions.map(q), "o")}?` : ""),
  beforeDataStart: (date: string) => `No hay datos antes del ${date}: elige un período que termine ese día o después.`,
  tooLarge: (rows: number, limit: number) =>
    `El reporte tiene ${rows.toLocaleString("es-ES")} filas y un XLSX admite hasta ${limit.toLocaleString("es-ES")}. Pídelo en CSV (${q("format:csv")}) o acota los filtros.`,
};

type ChatText = typeof es;

const en: ChatText = {
  usage: (prefix) =>
    `Usage: \`${prefix} [today|yesterday|last 7d|last week|last month|this month|YYYY-MM-DD..YYYY-MM-DD] ` +
    `[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]\` · \`${prefix} history\` · \`${prefix} help\``,
  scheduleUsage: (prefix) =>
    `Usage: \`${prefix} schedule daily|weekly mon|monthly 1|monthly last HH:MM ` +
    `[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en] [tz:Area/City]\` · ` +
    `\`${prefix} schedules\` · \`${prefix} schedule pause|resume|run|delete N\``,
  helpTitle: "HSM management report",
  help: (p) =>
    `• \`${p}\` with no text opens a form.\n` +
    `• \`${p} last 7d campaign:"Campaña chattigo" format:csv\` makes a report (default: last 7 days, XLSX).\n` +
    "• Periods: `today`, `yesterday`, `last 7d`, `last week`, `last month`, `this month`, `2026-10-01..2026-10-31`.\n" +
    "• Filters (repeatable): `campaign:`, `channel:`, `agent:`, `state:`; also `format:` and `lang:`. Quote names with spaces.\n" +
    `• \`${p} history\` lists your last 10 reports.\n` +
    `• \`${p} schedule daily 08:00\` posts the report in this channel every day with the day before; ` +
    "`weekly mon 08:00`, every week with last week; `monthly 1 08:00` or `monthly last 08:00`, every month with last month. " +
    "It takes the same filters, no period. The time is the company's, or another zone's with `tz:America/Lima`.\n" +
    "• Days: `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`, or in full (`monday`…).\n" +
    `• \`${p} schedules\` lists this channel's scheduled reports; ` +
    `\`${p} schedule pause 4\`, \`resume 4\`, \`run 4\` (now) and \`delete 4\` manage them.\n` +
    "• Spanish words work too: `ayuda`, `historial`, `hoy`, `ayer`, `últimos 7d`, `semana pasada`, `mes pasado`, `este mes`, " +
    "`campaña:`, `canal:`, `agente:`, `estado:`, `formato:`, `idioma:`, `zona:`, `programar`, `programaciones`, " +
    "`diario`, `semanal`, `mensual`, `último`, `pausar`, `reanudar`, `ejecutar`, `eliminar`/`borrar`; " +
    "days `lun`, `mar`, `mié`, `jue`, `vie`, `sáb`, `dom` (or `lunes`…).",
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
  badRange: (phrase, words) => `I don't understand the period ${q(phrase)}. Use ${list(words.map(q), "or")}.`,
  singleDate: (date) => `${q(date)}: a period takes two dates, e.g. ${q(`${date}..${date}`)}.`,
  unknownWord: (word, guess) => `I don't understand ${q(word)}.${guess ? ` Did you mean ${q(guess)}?` : ""}`,
  notFirst: (word) => `${q(word)} goes first.`,
  noFrequency: (examples) => `The frequency is missing: ${list(examples.map(q), "or")}.`,
  unknownScheduleWord: (verb, word, guess, words) =>
    `I don't understand ${q(word)} after ${q(verb)}.${guess ? ` Did you mean ${q(guess)}?` : ""} Go on with ${list(words.map(q), "or")}.`,
  noWeekday: (frequency, example) => `${q(frequency)} takes a day of the week before the time, e.g. ${q(example)}.`,
  badWeekday: (word, guess, days) =>
    `${q(word)} is not a day of the week.${guess ? ` Did you mean ${q(guess)}?` : ""} Use ${list(days.map(q), "or")}.`,
  noMonthDay: (frequency, example, last) =>
    `${q(frequency)} takes a day of the month before the time, ${q("1")} to ${q("31")} or ${q(last)}, e.g. ${q(example)}.`,
  badMonthDay: (word, last) =>
    `${q(word)}: the day of the month goes from ${q("1")} to ${q("31")}, or ${q(last)} for the last day.`,
  dailyWithDay: (frequency, extra, example) => `${q(frequency)} takes no day; ${q(extra)} is extra. For example ${q(example)}.`,
  noTime: (example) => `The time (HH:MM) is missing, e.g. ${q(example)}.`,
  badTime: (word) => `${q(word)} is not a valid time: use HH:MM, from ${q("00:00")} to ${q("23:59")}.`,
  twoTimes: (a, b) => `Give one time only: ${q(a)} and ${q(b)}.`,
  scheduleRange: (phrase) =>
    `${q(phrase)}: a scheduled report takes no period; each post covers the period just ended (yesterday, last week or last month).`,
  zoneOnlyScheduled: (token) => `${q(token)}: a time zone is only for a scheduled report; this report uses the company's.`,
  badZone: (token, suggestions) =>
    `${q(token)} is not a time zone.${suggestions.length ? ` Did you mean ${list(suggestions.map(q), "or")}?` : ""} ` +
    `Use an IANA name (Area/City) such as ${q("America/Lima")}, which follows the place's daylight saving time.`,
  twice: (a, b) => `Give one value only: ${q(a)} and ${q(b)}.`,
  noId: (example) => `The scheduled report's number is missing, e.g. ${q(example)}.`,
  badId: (word) => `${q(word)} is not a scheduled report's number (e.g. ${q("4")}).`,
  unknownName: (kind, given, suggestions) =>
    `No ${kind} ${q(given)}.${suggestions.length ? ` Did you mean ${list(suggestions.map(q), "or")}?` : ""}`,
  beforeDataStart: (date) => `There is no data before ${date}: choose a period that ends on or after that day.`,
  tooLarge: (rows, limit) =>
    `The report has ${rows.toLocaleString("en-US")} rows and an XLSX holds at most ${limit.toLocaleString("en-US")}. Ask for CSV (${q("format:csv")}) or narrow the filters.`,
};

export function chatText(locale: Locale): ChatText {
  return locale === "en" ? en : es;
}

/** What a report form says beside a field left wrong (any platform's form). */
const FORM_TEXT = {
  es: {
    endBeforeStart: "La fecha final es anterior a la inicial.",
    pickDate: "Elige una fecha.",
    pickWeekday: "Elige el día de la semana en que se publica.",
    pickMonthDay: "Elige el día del mes en que se publica.",
    pickTime: "Elige la hora a la que se publica.",
  },
  en: {
    endBeforeStart: "The end date is before the start date.",
    pickDate: "Pick a date.",
    pickWeekday: "Pick the weekday it is posted on.",
    pickMonthDay: "Pick the day of the month it is posted on.",
    pickTime: "Pick the time it is posted at.",
  },
};

export function formText(locale: Locale) {
  return FORM_TEXT[locale];
}

/** The form's "schedule this" part (Slack's modal, Teams' card), saying where the bot posts. */
const SCHEDULE_FORM_TEXT = {
  es: {
    header: "Programar este reporte",
    hint: (where: string) =>
      `Elige una frecuencia para que el bot lo publique solo en ${where}; las fechas de arriba no se usan entonces.`,
    places: { channel: "este canal", conversation: "esta conversación" },
    frequency: "Frecuencia",
    once: "Solo esta vez",
    daily: "Diario (el día anterior)",
    weekly: "Semanal (la semana anterior)",
    monthly: "Mensual (el mes anterior)",
    weekday: "Día de la semana (semanal)",
    day: "Día del mes (mensual)",
    last: "Último día",
    time: "Hora",
    zone: "Zona horaria",
    days: ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
  },
  en: {
    header: "Schedule this report",
    hint: (where: string) => `Choose a frequency and the bot posts it by itself in ${where}; the dates above are not used then.`,
    places: { channel: "this channel", conversation: "this conversation" },
    frequency: "Frequency",
    once: "Just this once",
    daily: "Daily (the day before)",
    weekly: "Weekly (the week before)",
    monthly: "Monthly (the month before)",
    weekday: "Weekday (weekly)",
    day: "Day of the month (monthly)",
    last: "Last day",
    time: "Time",
    zone: "Time zone",
    days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  },
};

/** The schedule part's words; `where` is the place the bot posts in, as the platform calls it. */
export function scheduleFormText(locale: Locale, where: "channel" | "conversation") {
  const { hint, places, ...words } = SCHEDULE_FORM_TEXT[locale];
  return { ...words, hint: hint(places[where]) };
}

/** The answer to `help`: what the bot does, then both usage lines, with the platform's prefix. */
export function helpText(locale: Locale, prefix: string, strong = (title: string) => `*${title}*`): string {
  const t = chatText(locale);
  return `${strong(t.helpTitle)}\n${t.help(prefix)}\n${t.usage(prefix)}\n${t.scheduleUsage(prefix)}`;
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

/** When a schedule posts, in words; `timeZone` is the one it runs in (its own or the tenant's). */
export interface ScheduleTimes {
  frequency: Frequency;
  weekday: Weekday | null;
  monthDay: number | "last" | null;
  time: string;
  timeZone: string;
}

/** A rate in this period and the one before (0–1, null when there was nothing to divide by). */
export interface RateChange {
  rate: number | null;
  previous: number | null;
}

export interface RateChanges {
  delivered: RateChange;
  read: RateChange;
  failed: RateChange;
}

const WEEKDAY_NAMES = {
  es: ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

/** "+1,3 pts", "−2,0 pts", "±0,0 pts": the change in percentage points, to one decimal. */
function points(change: RateChange, locale: Locale): string {
  if (change.rate === null || change.previous === null) return "";
  const format = new Intl.NumberFormat(locale === "es" ? "es-ES" : "en-US", {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const diff = (change.rate - change.previous) * 100;
  const size = format.format(Math.abs(diff));
  // The sign follows what is shown: a change that rounds to 0,0 is no change.
  const sign = size === format.format(0) ? "±" : diff > 0 ? "+" : "−";
  return ` (${sign}${size} pts)`;
}

const rates = (r: RateChanges, locale: Locale, labels: [string, string, string]) =>
  [r.delivered, r.read, r.failed].map((c, i) => `${labels[i]} ${percent(c.rate, locale)}${points(c, locale)}`).join(" · ");

/** "2026-11-03" for one day, "del 2026-11-01 al 2026-11-30" for longer; as many as fit, then "y N más". */
const periods = (list: readonly DateRange[], locale: Locale, render: (r: DateRange) => string) =>
  fitList(list.map(render), 600, { locale });

/**
 * What the bot says about scheduled reports. `description` and `who` come already rendered and safe:
 * a schedule's description in words (escaped by whoever wrote it) and the platform's mention of a
 * person (Slack's `<@U123>`). `prefix` is the platform's (`/hsm-report`, `@hsm-report`).
 */
const scheduleEs = {
  cadence: (s: ScheduleTimes) =>
    `${
      s.frequency === "daily"
        ? "todos los días"
        : s.frequency === "weekly"
          ? `cada ${WEEKDAY_NAMES.es[s.weekday ?? 0]}`
          : s.monthDay === "last"
            ? "el último día de cada mes"
            : `el día ${s.monthDay} de cada mes`
    } a las ${s.time} (${escapeMarkup(s.timeZone)})`,
  created: (id: number, description: string, prefix: string) =>
    `Programé el reporte #${id}: ${description}. Lo publicaré en este canal; para pausarlo: \`${prefix} schedule pause ${id}\`.`,
  listTitle: "Reportes programados en este canal",
  listEmpty: (prefix: string) => `No hay reportes programados en este canal. Crea uno con \`${prefix} schedule daily 08:00\`.`,
  listLine: (id: number, description: string, paused: boolean) => `#${id} · ${description}${paused ? " · *pausado*" : ""}`,
  notFound: (id: number, prefix: string) =>
    `No hay un reporte programado #${id} en este canal. Los de este canal: \`${prefix} schedules\`.`,
  paused: (id: number, prefix: string) => `Pausé el reporte #${id}. Para reanudarlo: \`${prefix} schedule resume ${id}\`.`,
  resumed: (id: number) => `Reanudé el reporte #${id}.`,
  deleted: (id: number) => `Eliminé el reporte #${id}.`,
  runNow: (id: number) => `Generando ahora el reporte #${id}; lo publicaré en este canal.`,
  announceCreated: (who: string, id: number, description: string) => `${who} programó el reporte #${id}: ${description}.`,
  announcePaused: (who: string, id: number) => `${who} pausó el reporte #${id}.`,
  announceResumed: (who: string, id: number) => `${who} reanudó el reporte #${id}.`,
  announceDeleted: (who: string, id: number) => `${who} eliminó el reporte #${id}.`,
  announceRunNow: (who: string, id: number) => `${who} pidió ahora el reporte #${id}.`,
  late: (date: string, time: string, timeZone: string) =>
    `Este reporte llega tarde: debía publicarse el ${date} a las ${time} (${escapeMarkup(timeZone)}).`,
  /** `command` is what to type to get them, e.g. from `reportCommandText`. */
  missed: (missed: readonly DateRange[], command: string) =>
    `No se publicaron: ${periods(missed, "es", (r) => (r.from === r.to ? r.from : `del ${r.from} al ${r.to}`))}. ` +
    `Para obtenerlos: \`${escapeMarkup(clip(command, 1000))}\``,
  /** `reason` is a whole sentence, with its full stop. */
  runFailed: (id: number, reason: string, prefix: string) =>
    `No se pudo publicar el reporte programado #${id}: ${reason} Puedes reintentarlo con \`${prefix} schedule run ${id}\`.`,
  pausedAfterFailures: (id: number, failures: number, prefix: string) =>
    `Pausé el reporte programado #${id} porque falló ${failures} veces seguidas. Cuando se resuelva, reanúdalo con \`${prefix} schedule resume ${id}\`.`,
  /** A direct message to the schedule's creator; `channel` is the platform's reference to it (Slack's `<#C123>`). */
  cannotPost: (id: number, channel: string, prefix: string) =>
    `No pude publicar el reporte programado #${id} en ${channel}: ya no puedo escribir en ese canal (quizá me quitaron o se archivó). ` +
    `Vuelve a agregarme al canal, o elimina el reporte con \`${prefix} schedule delete ${id}\`.`,
  noMessages: (id: number, from: string, to: string, timeZone: string) =>
    `Reporte programado #${id}: no hubo mensajes para estos filtros entre el ${from} y el ${to} (${escapeMarkup(timeZone)}), así que no adjunto un archivo vacío.`,
  /** "Entregados 92,1 % (+1,3 pts) · Leídos 60,4 % (−2,0 pts) · Fallidos 3,2 % (+0,4 pts)" */
  rateChanges: (r: RateChanges) => rates(r, "es", ["Entregados", "Leídos", "Fallidos"]),
};

type ScheduleText = typeof scheduleEs;

const scheduleEn: ScheduleText = {
  cadence: (s) =>
    `${
      s.frequency === "daily"
        ? "every day"
        : s.frequency === "weekly"
          ? `every ${WEEKDAY_NAMES.en[s.weekday ?? 0]}`
          : s.monthDay === "last"
            ? "on the last day of every month"
            : `on day ${s.monthDay} of every month`
    } at ${s.time} (${escapeMarkup(s.timeZone)})`,
  created: (id, description, prefix) =>
    `Scheduled report #${id}: ${description}. I will post it in this channel; to pause it: \`${prefix} schedule pause ${id}\`.`,
  listTitle: "Scheduled reports in this channel",
  listEmpty: (prefix) => `There are no scheduled reports in this channel. Create one with \`${prefix} schedule daily 08:00\`.`,
  listLine: (id, description, paused) => `#${id} · ${description}${paused ? " · *paused*" : ""}`,
  notFound: (id, prefix) => `There is no scheduled report #${id} in this channel. This channel's: \`${prefix} schedules\`.`,
  paused: (id, prefix) => `Paused report #${id}. To resume it: \`${prefix} schedule resume ${id}\`.`,
  resumed: (id) => `Resumed report #${id}.`,
  deleted: (id) => `Deleted report #${id}.`,
  runNow: (id) => `Generating report #${id} now; I will post it in this channel.`,
  announceCreated: (who, id, description) => `${who} scheduled report #${id}: ${description}.`,
  announcePaused: (who, id) => `${who} paused report #${id}.`,
  announceResumed: (who, id) => `${who} resumed report #${id}.`,
  announceDeleted: (who, id) => `${who} deleted report #${id}.`,
  announceRunNow: (who, id) => `${who} asked for report #${id} now.`,
  late: (date, time, timeZone) => `This report is late: it was due on ${date} at ${time} (${escapeMarkup(timeZone)}).`,
  missed: (missed, command) =>
    `Not posted: ${periods(missed, "en", (r) => (r.from === r.to ? r.from : `${r.from} to ${r.to}`))}. ` +
    `To get them: \`${escapeMarkup(clip(command, 1000))}\``,
  runFailed: (id, reason, prefix) =>
    `Scheduled report #${id} could not be posted: ${reason} You can try again with \`${prefix} schedule run ${id}\`.`,
  pausedAfterFailures: (id, failures, prefix) =>
    `I paused scheduled report #${id} because it failed ${failures} times in a row. Once the problem is fixed, resume it with \`${prefix} schedule resume ${id}\`.`,
  cannotPost: (id, channel, prefix) =>
    `I could not post scheduled report #${id} in ${channel}: I can no longer write there (I may have been removed, or the channel archived). ` +
    `Add me to the channel again, or delete the report with \`${prefix} schedule delete ${id}\`.`,
  noMessages: (id, from, to, timeZone) =>
    `Scheduled report #${id}: no messages for these filters between ${from} and ${to} (${escapeMarkup(timeZone)}), so no empty file is attached.`,
  rateChanges: (r) => rates(r, "en", ["Delivered", "Read", "Failed"]),
};

export function scheduleText(locale: Locale): ScheduleText {
  return locale === "en" ? scheduleEn : scheduleEs;
}
