// The form the bot answers an empty mention with: an Adaptive Card 1.5 (the highest Teams renders)
// with campaigns, channels, dates, format, language and "schedule this". Its input ids are a
// contract (other clients may submit it): `from`, `to` (YYYY-MM-DD), `campaigns`, `channels`
// (comma-separated values, as a multi-select submits them), `format`, `lang`, and the schedule's
// `schedule_frequency`, `schedule_weekday`, `schedule_day`, `schedule_time`, `schedule_zone`;
// its Action.Submit carries {"action": "report"}. Sent again with the answers kept and each
// problem beside its field when a submission is refused.
import { WEEKDAY_CODES } from "../../domain/schedule-time.ts";
import type { Locale } from "../../domain/tenant.ts";
import type { Choice, FormChoices } from "../form-choices.ts";
import { scheduleFormText } from "../messages.ts";
import type { FormAnswers, FormErrors, FormField, FormSchedule } from "../report-form.ts";
import { clip } from "../safe-text.ts";

export const CARD_ACTION = "report";
/** Past this many campaigns or channels, the lists are searched as you type (Data.Query). */
export const STATIC_CHOICES_MAX = 100;
/** Teams shows at most 15 results of a typeahead search (msteams-docs dynamic-search.md). */
export const SEARCH_RESULTS_MAX = 15;
export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

const WORDS = {
  es: {
    title: "Reporte de gestión HSM",
    submit: "Generar",
    campaigns: "Campañas (vacío = todas)",
    channels: "Canales (vacío = todos)",
    search: "Escribe para buscar",
    from: "Desde",
    to: "Hasta",
    format: "Formato",
    lang: "Idioma",
  },
  en: {
    title: "HSM management report",
    submit: "Generate",
    campaigns: "Campaigns (empty = all)",
    channels: "Channels (empty = all)",
    search: "Type to search",
    from: "From",
    to: "To",
    format: "Format",
    lang: "Language",
  },
};

/** What the card's inputs hold: as first offered, or as the person last submitted them. */
export interface CardValues {
  campaigns: string[];
  channels: string[];
  from: string;
  to: string;
  format: string;
  lang: string;
  schedule_frequency: string;
  schedule_weekday: string;
  schedule_day: string;
  schedule_time: string;
  schedule_zone: string;
}

export function initialValues(range: { from: string; to: string }, locale: Locale, timeZone: string): CardValues {
  return {
    campaigns: [],
    channels: [],
    from: range.from,
    to: range.to,
    format: "xlsx",
    lang: locale,
    schedule_frequency: "once",
    schedule_weekday: "",
    schedule_day: "",
    schedule_time: "08:00",
    schedule_zone: timeZone,
  };
}

/**
 * A multi-select submits its values joined by commas, so a value holding a comma (a campaign
 * called "Ventas, Lima") is sent with it percent-encoded, and decoded when read back.
 */
export const encodeChoice = (value: string) => value.replace(/%/g, "%25").replace(/,/g, "%2C");
export const decodeChoice = (value: string) => value.replace(/%2C/gi, ",").replace(/%25/g, "%");

/** Adaptive Cards limit nothing, but Teams refuses messages over ~28 KB: names are cut. */
const CHOICE_TITLE_MAX = 120;

const toChoice = (c: Choice) => ({ title: clip(c.label, CHOICE_TITLE_MAX), value: encodeChoice(c.value) });

function errorBlock(errors: FormErrors, field: FormField): Record<string, unknown>[] {
  const text = errors[field];
  return text
    ? [{ type: "TextBlock", text: clip(text, 1000), color: "attention", wrap: true, size: "small", spacing: "none" }]
    : [];
}

function choiceList(
  id: "campaigns" | "channels",
  label: string,
  search: string,
  all: Choice[],
  selected: string[],
): Record<string, unknown> {
  const searched = all.length > STATIC_CHOICES_MAX;
  // Searched lists carry only what is selected (so that it shows); Teams asks for the rest.
  const offered = searched ? all.filter((c) => selected.includes(c.value)) : all;
  return {
    type: "Input.ChoiceSet",
    id,
    label,
    isMultiSelect: true,
    style: "filtered",
    placeholder: search,
    choices: offered.map(toChoice),
    value: selected.map(encodeChoice).join(","),
    ...(searched ? { "choices.data": { type: "Data.Query", dataset: id } } : {}),
  };
}

/** The card as an attachment of a message activity. */
export function reportCard(input: {
  locale: Locale;
  choices: FormChoices;
  values: CardValues;
  errors?: FormErrors;
  /** A line above the fields (e.g. "check the fields marked below"). */
  intro?: string;
}): { contentType: string; content: Record<string, unknown> } {
  const w = WORDS[input.locale];
  const sw = scheduleFormText(input.locale, "conversation");
  const v = input.values;
  const errors = input.errors ?? {};
  const choices = (id: string, label: string, options: [string, string][], value: string, style = "compact") => ({
    type: "Input.ChoiceSet",
    id,
    label,
    style,
    choices: options.map(([value, title]) => ({ title, value })),
    value,
  });
  const body: Record<string, unknown>[] = [
    { type: "TextBlock", text: w.title, weight: "bolder", size: "medium", wrap: true },
    ...(input.intro ? [{ type: "TextBlock", text: input.intro, color: "attention", wrap: true }] : []),
    choiceList("campaigns", w.campaigns, w.search, input.choices.campaigns, v.campaigns),
    ...errorBlock(errors, "campaigns"),
    choiceList("channels", w.channels, w.search, input.choices.channels, v.channels),
    ...errorBlock(errors, "channels"),
    { type: "Input.Date", id: "from", label: w.from, value: v.from },
    ...errorBlock(errors, "from"),
    { type: "Input.Date", id: "to", label: w.to, value: v.to },
    ...errorBlock(errors, "to"),
    choices(
      "format",
      w.format,
      [
        ["xlsx", "XLSX"],
        ["csv", "CSV"],
      ],
      v.format,
      "expanded",
    ),
    ...errorBlock(errors, "format"),
    choices(
      "lang",
      w.lang,
      [
        ["es", "Español"],
        ["en", "English"],
      ],
      v.lang,
      "expanded",
    ),
    { type: "TextBlock", text: sw.header, weight: "bolder", wrap: true, separator: true },
    { type: "TextBlock", text: sw.hint, isSubtle: true, wrap: true, size: "small" },
    choices(
      "schedule_frequency",
      sw.frequency,
      [
        ["once", sw.once],
        ["daily", sw.daily],
        ["weekly", sw.weekly],
        ["monthly", sw.monthly],
      ],
      v.schedule_frequency,
    ),
    choices(
      "schedule_weekday",
      sw.weekday,
      WEEKDAY_CODES.map((d, i) => [d, sw.days[i] as string]),
      v.schedule_weekday,
    ),
    ...errorBlock(errors, "schedule_weekday"),
    choices(
      "schedule_day",
      sw.day,
      [...Array.from({ length: 31 }, (_, i): [string, string] => [String(i + 1), String(i + 1)]), ["last", sw.last]],
      v.schedule_day,
    ),
    ...errorBlock(errors, "schedule_day"),
    { type: "Input.Time", id: "schedule_time", label: sw.time, value: v.schedule_time },
    ...errorBlock(errors, "schedule_time"),
    { type: "Input.Text", id: "schedule_zone", label: sw.zone, value: v.schedule_zone, maxLength: 64 },
    ...errorBlock(errors, "schedule_zone"),
  ];
  return {
    contentType: ADAPTIVE_CARD,
    content: {
      type: "AdaptiveCard",
      $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
      version: "1.5",
      msteams: { width: "Full" },
      body,
      actions: [{ type: "Action.Submit", title: w.submit, data: { action: CARD_ACTION } }],
    },
  };
}

/** Whether a message's value is this card's submission. */
export function isCardSubmission(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && (value as { action?: unknown }).action === CARD_ACTION;
}

const field = (value: Record<string, unknown>, key: string) => {
  const v = value[key];
  return typeof v === "string" ? v.trim() : "";
};
const list = (text: string) =>
  text
    .split(",")
    .map((v) => decodeChoice(v.trim()))
    .filter(Boolean);
const isoDate = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null);

/** The submission read as the form's answers, and as the values to show again if it is refused. */
export function readSubmission(
  value: Record<string, unknown>,
  fallbackLocale: Locale,
): { answers: FormAnswers; values: CardValues } {
  const values: CardValues = {
    campaigns: list(field(value, "campaigns")),
    channels: list(field(value, "channels")),
    from: field(value, "from"),
    to: field(value, "to"),
    format: field(value, "format"),
    lang: field(value, "lang"),
    schedule_frequency: field(value, "schedule_frequency") || "once",
    schedule_weekday: field(value, "schedule_weekday"),
    schedule_day: field(value, "schedule_day"),
    schedule_time: field(value, "schedule_time"),
    schedule_zone: field(value, "schedule_zone"),
  };
  const lang = values.lang === "en" || values.lang === "es" ? values.lang : fallbackLocale;
  return {
    values,
    answers: {
      campaigns: values.campaigns,
      channels: values.channels,
      from: isoDate(values.from),
      to: isoDate(values.to),
      format: values.format === "csv" ? "csv" : "xlsx",
      locale: lang,
      schedule: readSchedule(values),
    },
  };
}

function readSchedule(v: CardValues): FormSchedule | null {
  const frequency = v.schedule_frequency;
  if (frequency !== "daily" && frequency !== "weekly" && frequency !== "monthly") return null;
  const weekday = WEEKDAY_CODES.indexOf(v.schedule_weekday as (typeof WEEKDAY_CODES)[number]);
  const day = /^([1-9]|[12]\d|3[01])$/.test(v.schedule_day) ? Number(v.schedule_day) : v.schedule_day === "last" ? "last" : null;
  return {
    frequency,
    weekday: weekday >= 0 ? weekday : null,
    monthDay: day,
    // Input.Time submits HH:mm; some clients add seconds.
    time: /^\d{2}:\d{2}(:\d{2})?$/.test(v.schedule_time) ? v.schedule_time.slice(0, 5) : null,
    zone: v.schedule_zone || null,
  };
}
