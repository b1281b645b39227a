// Tenant time zones at the edges: local calendar dates in (report filters), local wall-clock out
// (report cells). Built on Intl; offsets are cached per zone and UTC hour, since a zone's offset
// only ever changes on an hour boundary in practice and a report asks the same hours again and again.

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

function computeOffset(utcMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Milliseconds to add to a UTC instant to get the zone's wall-clock time at that instant. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  let byHour = offsets.get(zone);
  if (!byHour) {
    byHour = new Map();
    offsets.set(zone, byHour);
  }
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    offset = computeOffset(hour * HOUR_MS, zone);
    byHour.set(hour, offset);
  }
  return offset;
}

/**
 * The zone's offset at an instant, exact to the second and uncached. zoneOffsetMs's per-hour cache is
 * wrong for half an hour a year in a zone that changes off the hour: Australia/Lord_Howe springs
 * forward at 15:30 UTC. Schedules need every minute right.
 */
export function exactZoneOffsetMs(utcMs: number, zone: string): number {
  return computeOffset(utcMs, zone);
}

export interface OffsetSegment {
  /** First instant (UTC ms) the offset applies from. */
  from: number;
  offset: number;
}

/**
 * The zone's offsets over [start, end): one segment per offset change. Steps a week at a time and
 * narrows each change down to the hour, so even a span of decades costs a few thousand lookups.
 */
export function offsetSegments(start: number, end: number, zone: string): OffsetSegment[] {
  const hourFloor = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
  const WEEK = 7 * 24 * HOUR_MS;
  let from = hourFloor(start);
  const segments: OffsetSegment[] = [{ from, offset: computeOffset(from, zone) }];
  while (from < end) {
    const next = Math.min(from + WEEK, hourFloor(end) + HOUR_MS);
    const current = (segments.at(-1) as OffsetSegment).offset;
    if (computeOffset(next, zone) === current) {
      from = next;
      continue;
    }
    // The offset changed within (from, next]: find the first hour with the new offset.
    let lo = from;
    let hi = next;
    while (hi - lo > HOUR_MS) {
      const mid = hourFloor(lo + (hi - lo) / 2);
      if (computeOffset(mid, zone) === current) lo = mid;
      else hi = mid;
    }
    segments.push({ from: hi, offset: computeOffset(hi, zone) });
    from = hi;
  }
  return segments;
}

/**
 * The UTC instant of a local wall-clock time in a zone. A time that happens twice (clocks going
 * back) gives the first; a time skipped by clocks going forward gives the first instant after the gap.
 */
export function zonedToUtc(year: number, month: number, day: number, zone: string, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // A zone's offset changes at most once within a day either side: try both.
  const before = wall - zoneOffsetMs(wall - 86_400_000, zone);
  const after = wall - zoneOffsetMs(wall + 86_400_000, zone);
  const valid = [before, after].filter((utc) => utc + zoneOffsetMs(utc, zone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  return before;
}

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The first instant of a local calendar day (YYYY-MM-DD) in a zone. */
export function startOfLocalDay(isoDate: string, zone: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return zonedToUtc(y, m, d, zone);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(utcMs: number, zone: string): string {
  return new Date(utcMs + zoneOffsetMs(utcMs, zone)).toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus n days. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const DAY_MS = 86_400_000;
let timesOfDay: string[] | null = null;
const dayPrefixes = new Map<number, string>();

/** "HH:MM:SS" for each second of a day, built once: a report formats millions of these. */
function timeOfDay(second: number): string {
  if (!timesOfDay) {
    timesOfDay = new Array(86_400);
    for (let t = 0; t < 86_400; t++)
      timesOfDay[t] = `${pad2(Math.floor(t / 3600))}:${pad2(Math.floor(t / 60) % 60)}:${pad2(t % 60)}`;
  }
  return timesOfDay[second] as string;
}

function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = `${new Date(day * DAY_MS).toISOString().slice(0, 10)} `;
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/** "YYYY-MM-DD HH:MM:SS" in the zone: the CSV date format (sortable as text). */
export function formatLocalDateTime(utcMs: number, zone: string): string {
  const local = utcMs + zoneOffsetMs(utcMs, zone);
  const day = Math.floor(local / DAY_MS);
  return dayPrefix(day) + timeOfDay(Math.floor((local - day * DAY_MS) / 1000));
}

/** Excel's serial day number of the zone's wall-clock time (days since 1899-12-30). */
export function excelSerial(utcMs: number, zone: string): number {
  return (utcMs + zoneOffsetMs(utcMs, zone)) / 86_400_000 + 25_569;
}
