// What a report job shows in Teams: the progress card (updated in place), which becomes the summary
// card (period with its zone, filters, totals per state, the funnel with its rates, and a Download
// button where the file cannot be attached), and the two file cards of the personal chat's consent
// flow (the FileConsentCard asking to send the file, the file info card once it is in OneDrive).
//
// Names that come from data (campaigns, channels, agents, templates, file names) go into TextRuns
// of a RichTextBlock, which Teams shows as they are: a TextBlock would read them as markdown, so a
// campaign called "[click](https://evil)" would become a link.
import type { Activity } from "botbuilder";
import { STATE_LABELS } from "../../domain/labels.ts";
import { STATES } from "../../domain/lifecycle.ts";
import type { ReportSummary } from "../../domain/report-summary.ts";
import type { Locale } from "../../domain/tenant.ts";
import { percent } from "../../reports/summary-plain.ts";
import { SUMMARY_TEXT, summaryFilters } from "../../reports/summary-text.ts";
import { NAME_MAX } from "../describe-request.ts";
import { fitList } from "../safe-text.ts";
import { ADAPTIVE_CARD } from "./report-card.ts";
import { formatNumber } from "./teams-text.ts";

export const FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info";
/** Characters each filter list may take on the card (a card must stay under Teams' 28 KB). */
const FILTER_BUDGET = 1200;

type Element = Record<string, unknown>;

/** What a FileConsentCard's answer brings back: the published file's token, and the report's language. */
export interface ConsentContext {
  token: string;
  lang: Locale;
}

const block = (text: string, extra: Element = {}): Element => ({ type: "TextBlock", text, wrap: true, ...extra });
const plain = (runs: { text: string; bold?: boolean }[]): Element => ({
  type: "RichTextBlock",
  inlines: runs.map((r) => ({ type: "TextRun", text: r.text, ...(r.bold ? { weight: "Bolder" } : {}) })),
});

function card(body: Element[], actions: Element[] = []): Element {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length ? { actions } : {}),
    msteams: { width: "Full" },
  };
}

export function cardMessage(content: Element, summaryText: string): Partial<Activity> {
  // `summary` is what a notification or a client without cards shows.
  return { type: "message", summary: summaryText, attachments: [{ contentType: ADAPTIVE_CARD, content }] };
}

/** A card of one or more lines (markdown the caller made safe). */
export function textCard(lines: readonly string[], options: { attention?: boolean } = {}): Partial<Activity> {
  const body = lines.map((l, i) => block(l, i === 0 && options.attention ? { color: "attention" } : {}));
  return cardMessage(card(body), lines[0] ?? "");
}

export interface SummaryCardOptions {
  /** Lines above the report (what a scheduled post says of its schedule), safe markdown. */
  lead?: readonly string[];
  /** A line under it: "ready", "accept the file below", the link's lifetime. */
  status?: string;
  download?: { url: string; label: string };
}

/** The summary of the report, readable without opening the file. */
export function summaryCard(s: ReportSummary, options: SummaryCardOptions = {}): Partial<Activity> {
  const t = SUMMARY_TEXT[s.locale];
  const n = (v: number) => formatNumber(v, s.locale);
  const body: Element[] = (options.lead ?? []).map((l, i) => block(l, i === 0 ? { weight: "Bolder" } : {}));
  body.push(
    block(t.title, { size: "Medium", weight: "Bolder", ...(body.length ? { separator: true } : {}) }),
    block(`${t.applied}: **${s.applied.from} – ${s.applied.to}** (${s.tenant.timeZone})`),
  );
  if (s.clamped && s.dataStartDate) body.push(block(t.clamped(s.dataStartDate), { isSubtle: true }));
  const filters = summaryFilters(s);
  body.push(
    plain(
      filters.flatMap(([label, values], i) => [
        { text: `${i ? " · " : ""}${label}: `, bold: true },
        { text: values.length ? fitList(values, FILTER_BUDGET, { locale: s.locale, maxItem: NAME_MAX }) : t.all },
      ]),
    ),
  );
  if (s.totals.total === 0) body.push(block(t.noMessages));
  else {
    const f = s.totals.funnel;
    body.push(
      block(`${t.total}: ${n(s.totals.total)}`, { weight: "Bolder", separator: true }),
      {
        type: "FactSet",
        facts: STATES.filter((st) => s.totals.byState[st] > 0).map((st) => ({
          title: STATE_LABELS[s.locale][st],
          value: `${n(s.totals.byState[st])} (${percent(s.totals.byState[st] / s.totals.total, s.locale)})`,
        })),
      },
      block(t.funnel, { weight: "Bolder" }),
      {
        type: "FactSet",
        facts: [
          { title: t.funnelSteps.sent, value: n(f.sent) },
          { title: t.funnelSteps.delivered, value: `${n(f.delivered)} (${percent(f.stepRates.delivered, s.locale)})` },
          { title: t.funnelSteps.read, value: `${n(f.read)} (${percent(f.stepRates.read, s.locale)})` },
          { title: t.funnelSteps.replied, value: `${n(f.replied)} (${percent(f.stepRates.replied, s.locale)})` },
          { title: t.invalidNumbers, value: n(s.totals.invalidNumbers) },
        ],
      },
    );
  }
  if (options.status) body.push(block(options.status, { isSubtle: true, separator: true }));
  const actions = options.download ? [{ type: "Action.OpenUrl", title: options.download.label, url: options.download.url }] : [];
  return cardMessage(
    card(body, actions),
    `${t.title}: ${s.applied.from} – ${s.applied.to}, ${t.total.toLowerCase()} ${n(s.totals.total)}`,
  );
}

/**
 * Teams' FileConsentCard: asks the person to let the bot put the file in their OneDrive. Teams
 * sends a `fileConsent/invoke` with the context back (accept or decline): the context carries the
 * download token of the published file, so the answer names a file only this chat was given.
 */
export function fileConsentCard(file: {
  name: string;
  bytes: number;
  description: string;
  token: string;
  locale: Locale;
}): Partial<Activity> {
  const context: ConsentContext = { token: file.token, lang: file.locale };
  return {
    type: "message",
    attachments: [
      {
        contentType: FILE_CONSENT_CARD,
        name: file.name,
        content: { description: file.description, sizeInBytes: file.bytes, acceptContext: context, declineContext: context },
      },
    ],
  };
}

/** The file, once uploaded: Teams shows it as a file in the chat. */
export function fileInfoCard(upload: {
  contentUrl: string;
  name: string;
  uniqueId: string;
  fileType: string;
}): Partial<Activity> {
  return {
    type: "message",
    attachments: [
      {
        contentType: FILE_INFO_CARD,
        contentUrl: upload.contentUrl,
        name: upload.name,
        content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
      },
    ],
  };
}
