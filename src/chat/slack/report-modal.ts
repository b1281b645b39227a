// The form `/hsm-report` opens when it has no text: campaigns, channels, dates, format, language.
import type { types } from "@slack/bolt";
import type { Locale } from "../../domain/tenant.ts";
import { slackText } from "./slack-blocks.ts";

export const MODAL_CALLBACK_ID = "hsm_report_form";
/** Slack allows at most 100 options in a static select; past that the list is searched as you type. */
export const STATIC_OPTIONS_MAX = 100;

export interface ModalChoices {
  campaigns: { label: string; value: string }[];
  channels: { label: string; value: string }[];
}

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
  choices: ModalChoices,
  range: { from: string; to: string },
  meta: ModalMetadata,
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
    ],
  } as types.View;
}

export interface ModalAnswers {
  campaigns: string[];
  channels: string[];
  from: string | null;
  to: string | null;
  format: "xlsx" | "csv";
  locale: Locale;
}

type StateValues = Record<
  string,
  Record<
    string,
    { selected_options?: { value: string }[]; selected_option?: { value: string } | null; selected_date?: string | null }
  >
>;

export function readModal(values: StateValues): ModalAnswers {
  const pick = (block: string) => values[block]?.[block];
  const selected = (block: string) => (pick(block)?.selected_options ?? []).map((o) => o.value).filter((v) => v !== "-");
  return {
    campaigns: selected("campaigns"),
    channels: selected("channels"),
    from: pick("from")?.selected_date ?? null,
    to: pick("to")?.selected_date ?? null,
    format: pick("format")?.selected_option?.value === "csv" ? "csv" : "xlsx",
    locale: pick("lang")?.selected_option?.value === "en" ? "en" : "es",
  };
}
