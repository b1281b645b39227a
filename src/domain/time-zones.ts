// Time zones people type for a schedule (`tz:America/Lima`): IANA names, any case, and when a name
// is not one, the zones it most likely meant — by the whole name or by its city ("Lima").
import { closestNames, normalizeName } from "./name-match.ts";

/**
 * The runtime's canonical IANA zones, plus "UTC": Node 20's `Intl.supportedValuesOf` leaves UTC
 * out although every `Intl.DateTimeFormat` takes it.
 */
const ZONES: readonly string[] = [...Intl.supportedValuesOf("timeZone"), "UTC"];
const BY_LOWER = new Map(ZONES.map((zone) => [zone.toLowerCase(), zone]));

/** "America/Argentina/Buenos_Aires" → "Buenos Aires": the part people say. */
const cityOf = (name: string) => (name.split("/").at(-1) ?? "").replace(/_/g, " ");
const CITIES = new Map<string, string[]>();
for (const zone of ZONES) CITIES.set(cityOf(zone), [...(CITIES.get(cityOf(zone)) ?? []), zone]);

/**
 * An IANA zone name only: letters first, no offsets. `Intl` alone would also take "EST" (which ICU
 * reads as America/Panama, with no daylight saving) and, in newer runtimes, "+05:00" — both traps
 * for a schedule that should follow a place's clock through the year.
 */
const AREA_CITY = /^[A-Za-z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+)+$/;

function runtimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The canonical spelling of a time zone, or null when `name` is not one: `america/lima` →
 * `America/Lima`, `utc` → `UTC`, a link such as `US/Eastern` → `America/New_York`. Bare
 * abbreviations (`EST`) and offsets (`UTC+5`) are not zones.
 */
export function isTimeZone(name: string): string | null {
  const given = name.trim();
  if (!given) return null;
  const listed = BY_LOWER.get(given.toLowerCase());
  if (listed) return runtimeZone(listed) ? listed : null;
  const resolved = runtimeZone(given);
  if (resolved === "UTC") return "UTC"; // utc, Etc/UTC, GMT: all the same clock
  return resolved && AREA_CITY.test(given) ? resolved : null;
}

/**
 * Up to `max` zones close to `name`, the likeliest first: a city typed alone or misspelt (`Lima`,
 * `Madird`) and a whole name with a typo (`Amrica/Lima`).
 */
export function suggestTimeZones(name: string, max = 3): string[] {
  const given = name.trim();
  if (!given) return [];
  const city = normalizeName(cityOf(given));
  // closestNames ranks by plain edit distance, where a swap costs two ("Madird" would be nearer
  // "Madeira" than "Madrid"); its plausible cities are ranked again with a swap costing one.
  const byCity = closestNames(city, [...CITIES.keys()], 10)
    .map((name) => ({ name, score: typoDistance(city, normalizeName(name)) / Math.max(city.length, name.length) }))
    .sort((a, b) => a.score - b.score)
    .flatMap(({ name }) => CITIES.get(name) ?? []);
  const byName = closestNames(given.replace(/ /g, "_"), ZONES, max);
  // With an area typed the whole name says more; a lone word is a city.
  const ordered = given.includes("/") ? [...byName, ...byCity] : [...byCity, ...byName];
  return [...new Set(ordered)].slice(0, max);
}

/** Edits between two words where swapping two neighbouring letters is one edit (optimal string alignment). */
function typoDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
