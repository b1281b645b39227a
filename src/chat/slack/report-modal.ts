// The form `/hsm-report` opens when it has no text: campaigns, channels, dates, format, language.
import type { types } from "@slack/bolt";
import { WEEKDAY_CODES } from "../../domain/schedule-time.ts";
import type { Locale } from "../../domain/tenant.ts";
import type { FormChoices } from "../form-choices.ts";
import { scheduleFormText } from "../messages.ts";
import type { FormAnswers, FormSchedule } from "../report-form.ts";
import { slackText } from "./slack-blocks.ts";

export const MODAL_CALLBACK_ID = "hsm_report_form";
/** Slack allows at most 100 options in a static select; past that the list is searched as you type. */
export const STATIC_OPTIONS_MAX = 100;

export interface ModalMetadata {
  teamId: string;
  channelId: string;
  userId: string;
  responseUrl: string | null;
}

type Option = { text: { type: "plain_text"; text: string }; value: string };

export const toOption = (o: { label: string; value: string }): Option => ({
  text: { type: "plain_text", text: o.label.slice(0, 75) },
  value: o.value.slice(0, 75),
});

function multiSelect(id: "campaigns" | "channels", label: string, hint: string, choices: { label: string; value: string }[]) {
  const element =
    choices.length > STATIC_OPTIONS_MAX
      ? { type: "multi_external_select", action_id: id, min_query_length: 0 }
      : { type: "multi_static_select", action_id: id, options: choices.map(toOption) };
  return {
    type: "input",
    block_id: id,
    optional: true,
    label: { type: "plain_text", text: label },
    hint: { type: "plain_text", text: hint },
    element:
      choices.length === 0
        ? { ...element, type: "multi_static_select", options: [toOption({ label: "—", value: "-" })] }
        : element,
  };
}

export function reportModal(
  locale: Locale,
  choices: FormChoices,
  range: { from: string; to: string },
  meta: ModalMetadata,
  zone: string,
): types.View {
  const t = slackText(locale);
  const radio = (id: string, label: string, options: [string, string][], initial: string) => {
    const all = options.map(([value, text]) => ({ text: { type: "plain_text" as const, text }, value }));
    return {
      type: "input",
      block_id: id,
      label: { type: "plain_text", text: label },
      element: { type: "radio_buttons", action_id: id, options: all, initial_option: all.find((o) => o.value === initial) },
    };
  };
  const date = (id: "from" | "to", label: string, initial: string) => ({
    type: "input",
    block_id: id,
    label: { type: "plain_text", text: label },
    element: { type: "datepicker", action_id: id, initial_date: initial },
  });
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify(meta),
    title: { type: "plain_text", text: t.modalTitle },
    submit: { type: "plain_text", text: t.modalSubmit },
    close: { type: "plain_text", text: t.modalClose },
    blocks: [
      multiSelect("campaigns", t.campaigns, t.allHint, choices.campaigns),
      multiSelect("channels", t.channels, t.allHint, choices.channels),
      date("from", t.from, range.from),
      date("to", t.to, range.to),
      radio(
        "format",
        t.format,
        [
          ["xlsx", "XLSX"],
          ["csv", "CSV"],
        ],
        "xlsx",
      ),
      radio(
        "lang",
        t.lang,
        [
          ["es", "Español"],
          ["en", "English"],
        ],
        locale,
      ),
      ...scheduleBlocks(locale, zone),
    ],
  } as types.View;
}

/** The form's "schedule this" part: frequency, weekday or day, time and zone. */
function scheduleBlocks(locale: Locale, zone: string) {
  const w = scheduleFormText(locale, "channel");
  const option = (value: string, text: string) => ({ text: { type: "plain_text" as const, text }, value });
  const select = (id: string, label: string, options: ReturnType<typeof option>[], initial?: string) => ({
    type: "input",
    block_id: id,
    optional: true,
    label: { type: "plain_text", text: label },
    element: {
      type: "static_select",
      action_id: id,
      options,
      ...(initial ? { initial_option: options.find((o) => o.value === initial) } : {}),
    },
  });
  const frequencies = [
    option("once", w.once),
    option("daily", w.daily),
    option("weekly", w.weekly),
    option("monthly", w.monthly),
  ];
  return [
    { type: "header", text: { type: "plain_text", text: w.header } },
    { type: "context", elements: [{ type: "mrkdwn", text: w.hint }] },
    select("schedule_frequency", w.frequency, frequencies, "once"),
    select(
      "schedule_weekday",
      w.weekday,
      WEEKDAY_CODES.map((v, i) => option(v, w.days[i] as string)),
    ),
    select("schedule_day", w.day, [
      ...Array.from({ length: 31 }, (_, i) => option(String(i + 1), String(i + 1))),
      option("last", w.last),
    ]),
    {
      type: "input",
      block_id: "schedule_time",
      optional: true,
      label: { type: "plain_text", text: w.time },
      element: { type: "timepicker", action_id: "schedule_time", initial_time: "08:00" },
    },
    {
      type: "input",
      block_id: "schedule_zone",
      optional: true,
      label: { type: "plain_text", text: w.zone },
      element: { type: "plain_text_input", action_id: "schedule_zone", initial_value: zone, max_length: 64 },
    },
  ];
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      selected_options?: { value: string }[];
      selected_option?: { value: string } | null;
      selected_date?: string | null;
      selected_time?: string | null;
      value?: string | null;
    }
  >
>;

export function readModal(values: StateValues): FormAnswers {
  const pick = (block: string) => values[block]?.[block];
  const selected = (block: string) => (pick(block)?.selected_options ?? []).map((o) => o.value).filter((v) => v !== "-");
  return {
    campaigns: selected("campaigns"),
    channels: selected("channels"),
    from: pick("from")?.selected_date ?? null,
    to: pick("to")?.selected_date ?? null,
    format: pick("format")?.selected_option?.value === "csv" ? "csv" : "xlsx",
    locale: pick("lang")?.selected_option?.value === "en" ? "en" : "es",
    schedule: readSchedule(pick),
  };
}

function readSchedule(pick: (block: string) => StateValues[string][string] | undefined): FormSchedule | null {
  const frequency = pick("schedule_frequency")?.selected_option?.value;
  if (frequency !== "daily" && frequency !== "weekly" && frequency !== "monthly") return null;
  const weekday = (WEEKDAY_CODES as readonly string[]).indexOf(pick("schedule_weekday")?.selected_option?.value ?? "");
  const day = pick("schedule_day")?.selected_option?.value ?? null;
  return {
    frequency,
    weekday: weekday >= 0 ? weekday : null,
    monthDay: day === null ? null : day === "last" ? "last" : Number(day),
    time: pick("schedule_time")?.selected_time ?? null,
    zone: pick("schedule_zone")?.value?.trim() || null,
  };
}
