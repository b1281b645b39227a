// The words people read about a schedule and the period of a scheduled post, in Spanish or English.
// Pure; day and month names come from Intl so they match the rest of the tenant's dates.
import { isIsoDate } from "./local-time.ts";
import { ScheduleError, type ScheduleRule, validateScheduleRule } from "./schedule-time.ts";
import type { Locale } from "./tenant.ts";

const INTL_LOCALE: Record<Locale, string> = { es: "es", en: "en-US" };
const names = new Map<string, string>();

/** An Intl name (weekday or month) of a UTC calendar date, cached: it never changes. */
function intlName(locale: Locale, kind: "weekday" | "month", utcMs: number): string {
  const key = `${locale} ${kind} ${utcMs}`;
  let name = names.get(key);
  if (name === undefined) {
    name = new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: "UTC", [kind]: "long" }).format(new Date(utcMs));
    names.set(key, name);
  }
  return name;
}

/** Monday = 0: 2024-01-01 was a Monday. */
function weekdayName(weekday: number, locale: Locale): string {
  return intlName(locale, "weekday", Date.UTC(2024, 0, 1 + weekday));
}

function monthName(month: number, locale: Locale): string {
  return intlName(locale, "month", Date.UTC(2024, month - 1, 1));
}

const englishOrdinals = new Intl.PluralRules("en-US", { type: "ordinal" });
const ORDINAL_SUFFIX: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };

function ordinal(n: number): string {
  return `${n}${ORDINAL_SUFFIX[englishOrdinals.select(n)] ?? "th"}`;
}

/**
 * "Cada lunes a las 08:00 (America/Lima), reporte de la semana anterior; primera entrega: lunes 7 de
 * diciembre" — when it runs, what it covers, and when the first post comes, dated in the rule's zone.
 */
export function describeSchedule(rule: ScheduleRule, locale: Locale, firstFireMs: number): string {
  validateScheduleRule(rule);
  const first = locale === "es" ? "primera entrega" : "first post";
  return `${when(rule, locale)} ${atTime(rule.time, locale)} (${rule.timeZone}), ${coverage(rule, locale)}; ${first}: ${firstPostDate(firstFireMs, rule.timeZone, locale)}`;
}

function when(rule: ScheduleRule, locale: Locale): string {
  const es = locale === "es";
  if (rule.frequency === "daily") return es ? "Cada día" : "Every day";
  if (rule.frequency === "weekly") return `${es ? "Cada" : "Every"} ${weekdayName(rule.weekday as number, locale)}`;
  if (rule.monthDay === "last") return es ? "El último día de cada mes" : "On the last day of every month";
  const day = rule.monthDay as number;
  const base = es ? `El día ${day} de cada mes` : `On the ${ordinal(day)} of every month`;
  if (day <= 28) return base;
  // Every month has a 28th; a 29th–31st is the last day in shorter months, and people should know.
  return es ? `${base} (o el último, si el mes es más corto)` : `${base} (or its last day, in shorter months)`;
}

function atTime(time: string, locale: Locale): string {
  if (locale === "en") return `at ${time}`;
  // "a la una", "a las dos": Spanish puts the article in the singular for one o'clock.
  return time.startsWith("01:") ? `a la ${time}` : `a las ${time}`;
}

/** What the report covers, in the words of periodOfFire's rule. */
function coverage(rule: ScheduleRule, locale: Locale): string {
  const es = locale === "es";
  if (rule.frequency === "daily") return es ? "reporte del día anterior" : "report of the previous day";
  if (rule.frequency === "weekly") {
    // A Monday schedule covers the calendar week; any other day, the seven days before it.
    if (rule.weekday === 0) return es ? "reporte de la semana anterior" : "report of the previous week";
    return es ? "reporte de los siete días anteriores" : "report of the previous seven days";
  }
  if (rule.monthDay === "last")
    return es
      ? "reporte desde el último día del mes anterior hasta la víspera"
      : "report from the last day of the previous month to the day before";
  const day = rule.monthDay as number;
  if (day === 1) return es ? "reporte del mes anterior" : "report of the previous month";
  if (day <= 28)
    return es
      ? `reporte del día ${day} del mes anterior al día ${day - 1} de este mes`
      : `report from the ${ordinal(day)} of the previous month to the ${ordinal(day - 1)} of this month`;
  // Past the 28th the previous post may have come on a shorter month's last day.
  return es
    ? "reporte desde el día de la entrega anterior hasta la víspera de esta"
    : "report from the day of the previous post to the day before this one";
}

const firstPostFormats = new Map<string, Intl.DateTimeFormat>();

/** "lunes 7 de diciembre" / "Monday, December 7" on the local calendar of the rule's zone. */
function firstPostDate(ms: number, zone: string, locale: Locale): string {
  const key = `${locale} ${zone}`;
  let format = firstPostFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: zone, weekday: "long", day: "numeric", month: "long" });
    firstPostFormats.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  // Intl's Spanish puts a comma after the weekday ("lunes, 7 de diciembre"); written Spanish does not.
  return locale === "es" ? `${parts.weekday} ${parts.day} de ${parts.month}` : `${parts.weekday}, ${parts.month} ${parts.day}`;
}

/** "Diario 08:00 America/Lima", "Weekly (Monday) 08:00 America/Lima": a schedule in a list. */
export function scheduleLine(rule: ScheduleRule, locale: Locale): string {
  validateScheduleRule(rule);
  return `${cadence(rule, locale)} ${rule.time} ${rule.timeZone}`;
}

function cadence(rule: ScheduleRule, locale: Locale): string {
  const es = locale === "es";
  if (rule.frequency === "daily") return es ? "Diario" : "Daily";
  if (rule.frequency === "weekly") return `${es ? "Semanal" : "Weekly"} (${weekdayName(rule.weekday as number, locale)})`;
  const day = rule.monthDay === "last" ? (es ? "último día" : "last day") : `${es ? "día" : "day"} ${rule.monthDay}`;
  return `${es ? "Mensual" : "Monthly"} (${day})`;
}

/**
 * The period of a post: "del 30 de noviembre al 6 de diciembre de 2026" / "November 30 – December 6,
 * 2026"; one day: "el 6 de diciembre de 2026" / "December 6, 2026". Repeats a month or year only
 * where the two ends differ.
 */
export function periodWords(from: string, to: string, locale: Locale): string {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to)
    throw new ScheduleError(
      "schedule_invalid_period",
      `A period runs from one YYYY-MM-DD to a later or equal one, got ${from}..${to}.`,
    );
  const [a, b] = [dateParts(from), dateParts(to)];
  return locale === "es" ? spanishPeriod(a, b) : englishPeriod(a, b);
}

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function dateParts(date: string): DateParts {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return { year, month, day };
}

function spanishPeriod(a: DateParts, b: DateParts): string {
  const full = (d: DateParts) => `${d.day} de ${monthName(d.month, "es")} de ${d.year}`;
  if (a.year !== b.year) return `del ${full(a)} al ${full(b)}`;
  if (a.month !== b.month) return `del ${a.day} de ${monthName(a.month, "es")} al ${full(b)}`;
  if (a.day !== b.day) return `del ${a.day} al ${full(b)}`;
  return `el ${full(b)}`;
}

function englishPeriod(a: DateParts, b: DateParts): string {
  const monthDay = (d: DateParts) => `${monthName(d.month, "en")} ${d.day}`;
  if (a.year !== b.year) return `${monthDay(a)}, ${a.year} – ${monthDay(b)}, ${b.year}`;
  if (a.month !== b.month) return `${monthDay(a)} – ${monthDay(b)}, ${b.year}`;
  // Within one month, the en dash closes up: "December 1–7, 2026".
  if (a.day !== b.day) return `${monthDay(a)}–${b.day}, ${b.year}`;
  return `${monthDay(b)}, ${b.year}`;
}
