// Date ranges people ask for in chat ("last week", "this month") → local calendar dates. Pure: the
// caller passes today's date in the tenant's zone.
import { addDays } from "./local-time.ts";

export type RangeSpec =
  | { kind: "today" }
  | { kind: "yesterday" }
  | { kind: "lastDays"; days: number }
  | { kind: "lastWeek" }
  | { kind: "lastMonth" }
  | { kind: "thisMonth" }
  | { kind: "between"; from: string; to: string };

export interface DateRange {
  from: string;
  to: string;
}

/** Day of week, Monday = 0. */
function weekday(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

function firstOfMonth(isoDate: string): string {
  return `${isoDate.slice(0, 7)}-01`;
}

export function resolveRange(spec: RangeSpec, today: string): DateRange {
  switch (spec.kind) {
    case "today":
      return { from: today, to: today };
    case "yesterday": {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case "lastDays":
      // "last 7d" is the seven days ending today.
      return { from: addDays(today, -(spec.days - 1)), to: today };
    case "lastWeek": {
      // The last complete week, Monday to Sunday.
      const monday = addDays(today, -weekday(today) - 7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case "lastMonth": {
      const end = addDays(firstOfMonth(today), -1);
      return { from: firstOfMonth(end), to: end };
    }
    case "thisMonth":
      return { from: firstOfMonth(today), to: today };
    case "between":
      return { from: spec.from, to: spec.to };
  }
}

/** "2026-10-01..2026-10-31" → its two dates, or null. */
export function parseExplicitRange(text: string): { from: string; to: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (!m) return null;
  return { from: m[1] as string, to: m[2] as string };
}
