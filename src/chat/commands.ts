// The text grammar shared by Slack and Teams:
//   help | history | schedules
//   [range] [campaign:"…"]… [channel:…]… [agent:"…"]… [state:…]… [format:xlsx|csv] [lang:es|en]
//   schedule daily HH:MM | weekly DAY HH:MM | monthly 1…31|last HH:MM  [filters…] [format:…] [lang:…] [tz:Area/City]
//   schedule pause|resume|run|delete ID
// range: today, yesterday, last 7d (any number of days), last week, last month, this month,
// or YYYY-MM-DD..YYYY-MM-DD. A schedule takes no range: each run covers the period just ended.
// Every keyword has a Spanish spelling (ayuda, hoy, semana pasada, campaña:, programar, lun …) and
// matches in any case, with or without accents. Values with spaces go in quotes (Slack's curly
// quotes too).

import { closestNames } from "../domain/name-match.ts";
import type { DateRange, RangeSpec } from "../domain/relative-range.ts";
import type { Locale } from "../domain/tenant.ts";
import {
  allSpellings,
  COMMANDS,
  type CommandError,
  type Context,
  type Filters,
  fail,
  KEYS,
  lookup,
  type Mode,
  ONE_DAY,
  PERIOD_WORDS,
  readFilter,
  readRange,
  spelled,
  type Token,
  tokenize,
} from "./grammar.ts";
import { chatText } from "./messages.ts";
import { parseSchedule, type ScheduleActionCommand, type ScheduleCommand } from "./schedule-command.ts";

export type { CommandError, Filters, GrammarErrorCode } from "./grammar.ts";
export type { Frequency, ScheduleAction, ScheduleActionCommand, ScheduleCommand, Weekday } from "./schedule-command.ts";

/** How the person addresses the bot, at the start of every example and usage line. */
export const SLACK_PREFIX = "/hsm-report";
export const TEAMS_PREFIX = "@hsm-report";

export interface ReportCommand extends Filters {
  kind: "report";
  range: RangeSpec;
}

export type Command =
  | { kind: "help" }
  | { kind: "history" }
  | { kind: "schedules" }
  | ReportCommand
  | ScheduleCommand
  | ScheduleActionCommand
  | CommandError;

/**
 * What a mistyped word at the top level most likely meant. Keys are offered in English only, as
 * before: a bare word is seldom a key that lost its colon, and Spanish keys there drew far-fetched
 * guesses ("banana" → `campaña:`).
 */
const WORDS = [
  ...allSpellings(COMMANDS),
  ...allSpellings(ONE_DAY),
  ...PERIOD_WORDS.en,
  ...PERIOD_WORDS.es,
  ...Object.keys(KEYS).map((k) => `${k}:`),
];

export function parseCommand(text: string, locale: Locale, prefix = SLACK_PREFIX): Command {
  // Known before tokenizing, so that even an unclosed quote in a schedule gets the schedule's usage.
  const firstWord = text.trim().split(" ")[0] ?? "";
  const mode: Mode = spelled(firstWord, [...COMMANDS.schedule, ...COMMANDS.schedules]) ? "schedule" : "report";
  const ctx: Context = { t: chatText(locale), locale, prefix, mode };
  const tokens = tokenize(text);
  if ("unclosed" in tokens) return fail(ctx, "unclosedQuote", tokens.unclosed);
  const first = tokens[0] ? lookup(tokens[0].text, COMMANDS) : null;
  if (first === "schedule") return parseSchedule(tokens[0] as Token, tokens.slice(1), ctx);
  if (first && tokens.length > 1)
    return fail(ctx, "aloneWord", (tokens[0] as Token).text.toLowerCase(), (tokens[1] as Token).text);
  if (first) return { kind: first };
  return parseReport(tokens, ctx);
}

function parseReport(tokens: Token[], ctx: Context): Command {
  const command: ReportCommand = {
    kind: "report",
    range: { kind: "lastDays", days: 7 },
    campaigns: [],
    channels: [],
    agents: [],
    states: [],
    format: null,
    locale: null,
  };
  let rangeToken: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.key !== null) {
      const problem = readFilter(token, command, null, ctx);
      if (problem) return problem;
      continue;
    }
    const range = readRange(tokens, i, ctx);
    if (range) {
      if (range.spec.kind === "error") return range.spec;
      if (rangeToken) return fail(ctx, "twoRanges", rangeToken, range.phrase);
      rangeToken = range.phrase;
      command.range = range.spec;
      i += range.used - 1;
      continue;
    }
    // "last 7d help": a command word only means something first.
    if (lookup(token.text, COMMANDS)) return fail(ctx, "notFirst", token.text);
    return fail(ctx, "unknownWord", token.text, closestNames(token.text, WORDS, 1)[0] ?? null);
  }
  return command;
}

/**
 * The text that asks for a report of `range` with these filters, e.g. to offer the periods a
 * schedule missed: `/hsm-report 2026-11-01..2026-11-30 campaign:"Campaña chattigo" format:csv`.
 * parseCommand reads it back as the same request, unless a value holds a quote (the grammar has no
 * escape for one).
 */
export function reportCommandText(prefix: string, range: DateRange, filters: Filters): string {
  const value = (v: string) => (/\s/.test(v) ? `"${v}"` : v);
  return [
    `${prefix} ${range.from}..${range.to}`,
    ...filters.campaigns.map((c) => `campaign:${value(c)}`),
    ...filters.channels.map((c) => `channel:${value(c)}`),
    ...filters.agents.map((a) => `agent:${value(a)}`),
    ...filters.states.map((s) => `state:${value(s)}`),
    ...(filters.format ? [`format:${filters.format}`] : []),
    ...(filters.locale ? [`lang:${filters.locale}`] : []),
  ].join(" ");
}
