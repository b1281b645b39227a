// The schedule half of the chat grammar (issue 8): `schedule daily 08:00 …`, `schedule weekly mon
// 08:00 …`, `schedule monthly 1|last 08:00 …` with the report's filters, format, language and an
// optional `tz:Area/City`, and `schedule pause|resume|run|delete ID`; in Spanish too (`programar
// semanal lun 08:00`, `programar pausar 4`).

import { closestNames } from "../domain/name-match.ts";
import {
  allSpellings,
  COMMANDS,
  type CommandError,
  type Context,
  type Filters,
  fail,
  isFilter,
  KEYS,
  type Key,
  looksLikeTime,
  lookup,
  readFilter,
  readRange,
  spelled,
  type Token,
} from "./grammar.ts";

export type Frequency = "daily" | "weekly" | "monthly";
/** Monday = 0, as in relative-range.ts. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export type ScheduleAction = "pause" | "resume" | "run" | "delete";

export interface ScheduleCommand extends Filters {
  kind: "schedule";
  frequency: Frequency;
  /** Weekly only. */
  weekday: Weekday | null;
  /** Monthly only: 1–31 or the month's last day. */
  monthDay: number | "last" | null;
  /** "HH:MM", zero-padded. */
  time: string;
  /** Canonical IANA name; null runs in the tenant's zone. */
  timeZone: string | null;
}

export interface ScheduleActionCommand {
  kind: "scheduleAction";
  action: ScheduleAction;
  id: number;
}

// Spelt as in grammar.ts: English, Spanish as shown in examples, then other accepted forms.
const FREQUENCIES = { daily: ["daily", "diario"], weekly: ["weekly", "semanal"], monthly: ["monthly", "mensual"] } as const;
const ACTIONS = {
  pause: ["pause", "pausar"],
  resume: ["resume", "reanudar"],
  run: ["run", "ejecutar"],
  delete: ["delete", "eliminar", "borrar"],
} as const;
const LAST_DAY = ["last", "último"] as const;
const WEEKDAYS = [
  ["mon", "lun", "monday", "lunes"],
  ["tue", "mar", "tuesday", "martes"],
  ["wed", "mié", "wednesday", "miércoles"],
  ["thu", "jue", "thursday", "jueves"],
  ["fri", "vie", "friday", "viernes"],
  ["sat", "sáb", "saturday", "sábado"],
  ["sun", "dom", "sunday", "domingo"],
] as const;

/** "8:00" → "08:00"; null for anything but H:MM or HH:MM from 00:00 to 23:59. */
function readTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${(m[1] as string).padStart(2, "0")}:${m[2]}`;
}

/** The words of examples in an error: the language of the verb the person typed. */
function vocabulary(verb: string) {
  const i = spelled(verb, [COMMANDS.schedule[1]]) ? 1 : 0;
  return {
    daily: FREQUENCIES.daily[i],
    weekly: FREQUENCIES.weekly[i],
    monthly: FREQUENCIES.monthly[i],
    last: LAST_DAY[i],
    days: WEEKDAYS.map((d) => d[i]),
    next: [...Object.values(FREQUENCIES), ...Object.values(ACTIONS)].map((w) => w[i]),
  };
}

export function parseSchedule(verb: Token, rest: Token[], ctx: Context): ScheduleCommand | ScheduleActionCommand | CommandError {
  const v = vocabulary(verb.text);
  const [head, ...more] = rest;
  if (!head || looksLikeTime(head.text) || isFilter(head)) {
    return fail(ctx, "noFrequency", [
      `${verb.text} ${v.daily} 08:00`,
      `${verb.text} ${v.weekly} ${v.days[0]} 08:00`,
      `${verb.text} ${v.monthly} 1 08:00`,
    ]);
  }
  const action = lookup(head.text, ACTIONS);
  if (action) return parseAction(verb, head, action, more, ctx);
  const frequency = lookup(head.text, FREQUENCIES);
  if (!frequency) {
    const words = [...allSpellings(FREQUENCIES), ...allSpellings(ACTIONS)];
    return fail(ctx, "unknownScheduleWord", verb.text, head.text, closestNames(head.text, words, 1)[0] ?? null, v.next);
  }

  const command: ScheduleCommand = {
    kind: "schedule",
    frequency,
    weekday: null,
    monthDay: null,
    time: "",
    timeZone: null,
    campaigns: [],
    channels: [],
    agents: [],
    states: [],
    format: null,
    locale: null,
  };
  let i = 0;
  const day = more[0];
  // The day comes between the frequency and the time: "weekly mon 08:00", "monthly last 08:00".
  const noDay = !day || looksLikeTime(day.text) || isFilter(day);
  if (frequency === "weekly") {
    if (noDay) return fail(ctx, "noWeekday", head.text, `${head.text} ${v.days[0]} 08:00`);
    const weekday = WEEKDAYS.findIndex((spellings) => spelled(day.text, spellings));
    if (weekday < 0) {
      return fail(ctx, "badWeekday", day.text, closestNames(day.text, WEEKDAYS.flat(), 1)[0] ?? null, v.days);
    }
    command.weekday = weekday as Weekday;
    i++;
  } else if (frequency === "monthly") {
    if (noDay) return fail(ctx, "noMonthDay", head.text, `${head.text} 1 08:00`, v.last);
    if (spelled(day.text, LAST_DAY)) command.monthDay = "last";
    else if (/^\d{1,2}$/.test(day.text) && Number(day.text) >= 1 && Number(day.text) <= 31) command.monthDay = Number(day.text);
    else return fail(ctx, "badMonthDay", day.text, v.last);
    i++;
  } else if (day && (spelled(day.text, LAST_DAY) || WEEKDAYS.some((d) => spelled(day.text, d)))) {
    // A bare number after "daily" is read as a (bad) time below: "daily 8" meant eight o'clock.
    return fail(ctx, "dailyWithDay", head.text, day.text, `${head.text} 08:00`);
  }

  const timeToken = more[i];
  if (!timeToken || isFilter(timeToken)) {
    const typed = [verb, head, ...more.slice(0, i)].map((t) => t.text).join(" ");
    return fail(ctx, "noTime", `${typed} 08:00`);
  }
  if (!looksLikeTime(timeToken.text)) {
    const range = readRange(more, i, ctx);
    if (range) return fail(ctx, "scheduleRange", range.phrase);
  }
  const time = readTime(timeToken.text);
  if (!time) return fail(ctx, "badTime", timeToken.text);
  command.time = time;

  const once = new Map<Key, Token>();
  for (let j = i + 1; j < more.length; j++) {
    const token = more[j] as Token;
    if (looksLikeTime(token.text)) return fail(ctx, "twoTimes", timeToken.text, token.text);
    if (token.key !== null) {
      const problem = readFilter(token, command, once, ctx);
      if (problem) return problem;
      continue;
    }
    const range = readRange(more, j, ctx);
    if (range) return fail(ctx, "scheduleRange", range.phrase);
    if (lookup(token.text, COMMANDS)) return fail(ctx, "notFirst", token.text);
    const keys = Object.keys(KEYS).map((k) => `${k}:`);
    return fail(ctx, "unknownWord", token.text, closestNames(token.text, keys, 1)[0] ?? null);
  }
  return command;
}

function parseAction(
  verb: Token,
  head: Token,
  action: ScheduleAction,
  rest: Token[],
  ctx: Context,
): ScheduleActionCommand | CommandError {
  const [idToken, extra] = rest;
  if (!idToken) return fail(ctx, "noId", `${verb.text} ${head.text} 4`);
  // "#4" too: that is how the bot writes a schedule's number.
  const m = /^#?(\d{1,9})$/.exec(idToken.text);
  const id = m ? Number(m[1]) : 0;
  if (id < 1) return fail(ctx, "badId", idToken.text);
  if (extra) return fail(ctx, "aloneWord", `${verb.text} ${head.text} ${idToken.text}`, extra.text);
  return { kind: "scheduleAction", action, id };
}
