// A scheduled post compares its period with the one just before it, of the same length: the
// delivered, read and failed rates, and how many points each moved (SPEC: scheduled reports).
import { addDays } from "./local-time.ts";
import type { Totals } from "./report-summary.ts";

export interface RateChange {
  /** Share of the period's messages, 0–1; null when the period has none. */
  rate: number | null;
  previous: number | null;
  /** rate − previous, in percentage points; null when either is unknown. */
  points: number | null;
}

export interface PeriodComparison {
  previousFrom: string;
  previousTo: string;
  delivered: RateChange;
  read: RateChange;
  failed: RateChange;
}

/** The period of the same length that ends the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  const previousTo = addDays(from, -1);
  return { from: addDays(previousTo, -(days - 1)), to: previousTo };
}

const share = (n: number, total: number) => (total === 0 ? null : n / total);

function change(now: number | null, before: number | null): RateChange {
  return { rate: now, previous: before, points: now === null || before === null ? null : (now - before) * 100 };
}

function rates(t: Totals) {
  const failed = t.byState.outbound_failed + t.byState.meta_failed;
  return {
    delivered: share(t.funnel.delivered, t.total),
    read: share(t.funnel.read, t.total),
    failed: share(failed, t.total),
  };
}

export function comparePeriods(current: Totals, previous: Totals, previousFrom: string, previousTo: string): PeriodComparison {
  const a = rates(current);
  const b = rates(previous);
  return {
    previousFrom,
    previousTo,
    delivered: change(a.delivered, b.delivered),
    read: change(a.read, b.read),
    failed: change(a.failed, b.failed),
  };
}
