// The parts of the chat grammar that reports and schedules share: the tokenizer, the keywords in
// English and Spanish, filters (`campaign:` …), periods (`last week` …), and errors that end with
// the usage line in the platform's prefix. commands.ts puts them together.

import { isIsoDate } from "../domain/local-time.ts";
import { closestNames, normalizeName } from "../domain/name-match.ts";
import { parseExplicitRange, type RangeSpec } from "../domain/relative-range.ts";
import { isReportError, type ReportErrorCode } from "../domain/report-errors.ts";
import { type ReportFormat, rangeError } from "../domain/report-request.ts";
import type { Locale } from "../domain/tenant.ts";
import { isTimeZone, suggestTimeZones } from "../domain/time-zones.ts";
import { resolveStates } from "../reports/plan.ts";
import { type chatText, reportErrorText } from "./messages.ts";

export interface Filters {
  campaigns: string[];
  channels: string[];
  agents: string[];
  states: string[];
  format: ReportFormat | null;
  locale: Locale | null;
}

type ChatText = ReturnType<typeof chatText>;
/** Each grammar mistake, named as its text in messages.ts: one code, one message. */
export type GrammarErrorCode = Extract<
  keyof ChatText,
  | "unclosedQuote"
  | "aloneWord"
  | "twoRanges"
  | "unknownKey"
  | "emptyValue"
  | "unknownState"
  | "badFormat"
  | "badLang"
  | "badDate"
  | "badDays"
  | "badRange"
  | "singleDate"
  | "unknownWord"
  | "notFirst"
  | "noFrequency"
  | "unknownScheduleWord"
  | "noWeekday"
  | "badWeekday"
  | "noMonthDay"
  | "badMonthDay"
  | "dailyWithDay"
  | "noTime"
  | "badTime"
  | "twoTimes"
  | "scheduleRange"
  | "zoneOnlyScheduled"
  | "badZone"
  | "twice"
  | "noId"
  | "badId"
>;

export interface CommandError {
  kind: "error";
  /** A grammar mistake, or the report engine's code for a range it refuses (reversed, too long …). */
  code: GrammarErrorCode | ReportErrorCode;
  message: string;
}

// Spellings: English first, then Spanish as shown in examples, then other accepted forms. They are
// compared after normalizeName, so `Campaña:`, `campana:` and `CAMPAÑA:` are one key.
export const COMMANDS = {
  help: ["help", "ayuda"],
  history: ["history", "historial"],
  schedules: ["schedules", "programaciones"],
  schedule: ["schedule", "programar"],
} as const;
export const KEYS = {
  campaign: ["campaign", "campaña"],
  channel: ["channel", "canal"],
  agent: ["agent", "agente"],
  state: ["state", "estado"],
  format: ["format", "formato"],
  lang: ["lang", "idioma"],
  tz: ["tz", "zona"],
} as const;
export type Key = keyof typeof KEYS;
export const ONE_DAY = { today: ["today", "hoy"], yesterday: ["yesterday", "ayer"] } as const;
// Two-word periods: "last week" in English, "semana pasada" in Spanish.
const PERIODS: Record<string, "lastWeek" | "lastMonth" | "thisMonth"> = {
  "last week": "lastWeek",
  "last month": "lastMonth",
  "this month": "thisMonth",
  "semana pasada": "lastWeek",
  "mes pasado": "lastMonth",
  "este mes": "thisMonth",
};
const PERIOD_STARTS = { en: ["last", "this"], es: ["ultimos", "semana", "mes", "este"] };
export const PERIOD_WORDS = {
  en: ["last 7d", "last week", "last month", "this month"],
  es: ["últimos 7d", "semana pasada", "mes pasado", "este mes"],
};
const DAYS_WORDS = ["last", "ultimos"];

export const spelled = (word: string, spellings: readonly string[]) =>
  spellings.some((s) => normalizeName(s) === normalizeName(word));
export function lookup<K extends string>(word: string, table: Record<K, readonly string[]>): K | null {
  return (Object.keys(table) as K[]).find((k) => spelled(word, table[k])) ?? null;
}
export const allSpellings = (table: Record<string, readonly string[]>) => Object.values(table).flat();

export interface Token {
  text: string;
  key: string | null;
  value: string;
}

const QUOTES = /["“”„«»]/;

/** Splits on spaces outside quotes; `key:"a b"` and `"a b"` keep their spaces. */
export function tokenize(text: string): Token[] | { unclosed: string } {
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

/** Which usage line ends an error: the report's or the schedule's. */
export type Mode = "report" | "schedule";

export interface Context {
  t: ChatText;
  locale: Locale;
  prefix: string;
  mode: Mode;
}

export function fail<K extends GrammarErrorCode>(ctx: Context, code: K, ...args: Parameters<ChatText[K]>): CommandError {
  const text = (ctx.t[code] as (...a: Parameters<ChatText[K]>) => string)(...args);
  return withUsage(ctx, code, text);
}

function withUsage(ctx: Context, code: CommandError["code"], text: string): CommandError {
  const usage = ctx.mode === "schedule" ? ctx.t.scheduleUsage(ctx.prefix) : ctx.t.usage(ctx.prefix);
  return { kind: "error", code, message: `${text}\n${usage}` };
}

/** A time as typed where one is expected ("8:00", "8.00", "25:00", "8h"), right or wrong. */
export const looksLikeTime = (text: string) => /^\d{1,2}[:.h]/i.test(text);
/** A `key:value` token, not a time whose colon the tokenizer took for a key's. */
export const isFilter = (token: Token) => token.key !== null && !looksLikeTime(token.text);

export interface RangeRead {
  /** What it was, or what is wrong with it. */
  spec: RangeSpec | CommandError;
  phrase: string;
  used: number;
}

/** A period starting at `tokens[i]` ("today", "last week", "semana pasada", "2026-10-01..2026-10-31"), or null. */
export function readRange(tokens: Token[], i: number, ctx: Context): RangeRead | null {
  const token = tokens[i] as Token;
  const explicit = parseExplicitRange(token.text);
  const one = (spec: RangeSpec | CommandError): RangeRead => ({ spec, phrase: token.text, used: 1 });
  if (explicit) {
    for (const date of [explicit.from, explicit.to]) if (!isIsoDate(date)) return one(fail(ctx, "badDate", token.text, date));
    const problem = rangeError(explicit.from, explicit.to);
    if (problem) return one(withUsage(ctx, problem.code, reportErrorText(problem, ctx.locale)));
    return one({ kind: "between", ...explicit });
  }
  const day = lookup(token.text, ONE_DAY);
  if (day) return one({ kind: day });
  if (/^\d{4}-\d{2}-\d{2}$/.test(token.text)) return one(fail(ctx, "singleDate", token.text));

  const word = normalizeName(token.text);
  const language = PERIOD_STARTS.en.includes(word) ? "en" : PERIOD_STARTS.es.includes(word) ? "es" : null;
  if (!language) return null;
  const next = tokens[i + 1];
  const phrase = `${token.text} ${next?.text ?? ""}`.trim();
  const two = (spec: RangeSpec | CommandError): RangeRead => ({ spec, phrase, used: 2 });
  const named = next ? PERIODS[`${word} ${normalizeName(next.text)}`] : undefined;
  if (named) return two({ kind: named });
  const days = DAYS_WORDS.includes(word) && next ? /^(\d{1,3})d$/i.exec(next.text) : null;
  if (days) {
    const n = Number(days[1]);
    return two(n < 1 || n > 366 ? fail(ctx, "badDays", phrase) : { kind: "lastDays", days: n });
  }
  return two(fail(ctx, "badRange", phrase, PERIOD_WORDS[language]));
}

/**
 * One `key:value` token into the filters, or what is wrong with it. A schedule (`once` given) also
 * takes `tz:` and refuses a second format, language or zone; a report keeps the last, as it always has.
 */
export function readFilter(
  token: Token,
  into: Filters & { timeZone?: string | null },
  once: Map<Key, Token> | null,
  ctx: Context,
): CommandError | null {
  const key = lookup(token.key ?? "", KEYS);
  if (!key) {
    const guess = closestNames(token.key ?? "", allSpellings(KEYS), 1)[0];
    return fail(ctx, "unknownKey", token.text, guess ? `${guess}:` : null);
  }
  const value = token.value.trim();
  if (!value) return fail(ctx, "emptyValue", token.text);
  if (key === "tz" && !once) return fail(ctx, "zoneOnlyScheduled", token.text);
  if (once && (key === "format" || key === "lang" || key === "tz")) {
    const before = once.get(key);
    if (before) return fail(ctx, "twice", before.text, token.text);
    once.set(key, token);
  }
  switch (key) {
    case "campaign":
      into.campaigns.push(value);
      break;
    case "channel":
      into.channels.push(value);
      break;
    case "agent":
      into.agents.push(value);
      break;
    case "state":
      try {
        resolveStates([value]);
      } catch (error) {
        if (!isReportError(error)) throw error;
        return fail(ctx, "unknownState", token.text, (error.details.suggestions as string[]) ?? []);
      }
      into.states.push(value);
      break;
    case "format":
      if (value !== "xlsx" && value !== "csv") return fail(ctx, "badFormat", token.text);
      into.format = value;
      break;
    case "lang":
      if (value !== "es" && value !== "en") return fail(ctx, "badLang", token.text);
      into.locale = value;
      break;
    case "tz": {
      const zone = isTimeZone(value);
      if (!zone) return fail(ctx, "badZone", token.text, suggestTimeZones(value));
      into.timeZone = zone;
      break;
    }
  }
  return null;
}
