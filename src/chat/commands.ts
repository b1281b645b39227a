// The text grammar shared by Slack and Teams:
//   help | history | [range] [campaign:"…"]… [channel:…]… [agent:"…"]… [state:…]… [format:xlsx|csv] [lang:es|en]
// range: today, yesterday, last 7d (any number of days), last week, last month, this month,
// or YYYY-MM-DD..YYYY-MM-DD. Values with spaces go in quotes (Slack's curly quotes too).

import { isIsoDate } from "../domain/local-time.ts";
import { closestNames } from "../domain/name-match.ts";
import { parseExplicitRange, type RangeSpec } from "../domain/relative-range.ts";
import { isReportError } from "../domain/report-errors.ts";
import { type ReportFormat, rangeError } from "../domain/report-request.ts";
import type { Locale } from "../domain/tenant.ts";
import { resolveStates } from "../reports/plan.ts";
import { chatText, reportErrorText } from "./messages.ts";

export interface ReportCommand {
  kind: "report";
  range: RangeSpec;
  campaigns: string[];
  channels: string[];
  agents: string[];
  states: string[];
  format: ReportFormat | null;
  locale: Locale | null;
}

export type Command = { kind: "help" } | { kind: "history" } | ReportCommand | { kind: "error"; message: string };

const KEYS = ["campaign", "channel", "agent", "state", "format", "lang"] as const;
type Key = (typeof KEYS)[number];
const WORDS = [
  "help",
  "history",
  "today",
  "yesterday",
  "last 7d",
  "last week",
  "last month",
  "this month",
  ...KEYS.map((k) => `${k}:`),
];

interface Token {
  text: string;
  key: string | null;
  value: string;
}

const QUOTES = /["“”„«»]/;

/** Splits on spaces outside quotes; `key:"a b"` and `"a b"` keep their spaces. */
function tokenize(text: string): Token[] | { unclosed: string } {
  const tokens: Token[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (s[i] === " ") i++;
    if (i >= s.length) break;
    let raw = "";
    let value = "";
    let key: string | null = null;
    while (i < s.length && s[i] !== " ") {
      const c = s[i] as string;
      if (c === ":" && key === null && !QUOTES.test(raw)) {
        key = raw.toLowerCase();
        raw += c;
        value = "";
        i++;
        continue;
      }
      if (QUOTES.test(c)) {
        const start = i;
        i++;
        while (i < s.length && !QUOTES.test(s[i] as string)) i++;
        if (i >= s.length) return { unclosed: s.slice(start - raw.length) };
        value += s.slice(start + 1, i);
        raw += s.slice(start, i + 1);
        i++;
        continue;
      }
      raw += c;
      value += c;
      i++;
    }
    tokens.push({ text: raw, key, value });
  }
  return tokens;
}

function suggestWord(word: string): string | null {
  return closestNames(word.toLowerCase(), WORDS, 1)[0] ?? null;
}

export function parseCommand(text: string, locale: Locale): Command {
  const t = chatText(locale);
  const fail = (message: string): Command => ({ kind: "error", message: `${message}\n${t.usage}` });
  const tokens = tokenize(text);
  if ("unclosed" in tokens) return fail(t.unclosedQuote(tokens.unclosed));
  const first = tokens[0]?.text.toLowerCase();
  if ((first === "help" || first === "history") && tokens.length > 1) {
    return fail(t.aloneWord(first, (tokens[1] as Token).text));
  }
  if (first === "help") return { kind: "help" };
  if (first === "history") return { kind: "history" };

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
  const setRange = (spec: RangeSpec, token: string): Command | null => {
    if (rangeToken) return fail(t.twoRanges(rangeToken, token));
    rangeToken = token;
    command.range = spec;
    return null;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const word = token.text.toLowerCase();
    if (token.key !== null) {
      if (!(KEYS as readonly string[]).includes(token.key)) {
        const guess = closestNames(token.key, KEYS, 1)[0];
        return fail(t.unknownKey(token.text, guess ? `${guess}:` : null));
      }
      const key = token.key as Key;
      const value = token.value.trim();
      if (!value) return fail(t.emptyValue(token.text));
      switch (key) {
        case "campaign":
          command.campaigns.push(value);
          break;
        case "channel":
          command.channels.push(value);
          break;
        case "agent":
          command.agents.push(value);
          break;
        case "state":
          try {
            resolveStates([value]);
          } catch (error) {
            if (!isReportError(error)) throw error;
            return fail(t.unknownState(token.text, (error.details.suggestions as string[]) ?? []));
          }
          command.states.push(value);
          break;
        case "format":
          if (value !== "xlsx" && value !== "csv") return fail(t.badFormat(token.text));
          command.format = value;
          break;
        case "lang":
          if (value !== "es" && value !== "en") return fail(t.badLang(token.text));
          command.locale = value;
          break;
      }
      continue;
    }
    const explicit = parseExplicitRange(token.text);
    if (explicit) {
      for (const date of [explicit.from, explicit.to]) if (!isIsoDate(date)) return fail(t.badDate(token.text, date));
      const problem = rangeError(explicit.from, explicit.to);
      if (problem) return fail(reportErrorText(problem, locale));
      const err = setRange({ kind: "between", ...explicit }, token.text);
      if (err) return err;
      continue;
    }
    if (word === "today" || word === "yesterday") {
      const err = setRange({ kind: word }, token.text);
      if (err) return err;
      continue;
    }
    if (word === "last" || word === "this") {
      const next = tokens[i + 1]?.text.toLowerCase();
      const phrase = `${token.text} ${tokens[i + 1]?.text ?? ""}`.trim();
      let spec: RangeSpec | null = null;
      if (word === "this" && next === "month") spec = { kind: "thisMonth" };
      if (word === "last" && next === "week") spec = { kind: "lastWeek" };
      if (word === "last" && next === "month") spec = { kind: "lastMonth" };
      const days = word === "last" && next ? /^(\d{1,3})d$/.exec(next) : null;
      if (days) {
        const n = Number(days[1]);
        if (n < 1 || n > 366) return fail(t.badDays(phrase));
        spec = { kind: "lastDays", days: n };
      }
      if (!spec) return fail(t.badRange(phrase));
      const err = setRange(spec, phrase);
      if (err) return err;
      i++;
      continue;
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(token.text)) return fail(t.singleDate(token.text));
    return fail(t.unknownWord(token.text, suggestWord(token.text)));
  }
  return command;
}
