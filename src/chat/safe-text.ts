// Putting other people's words into chat text: names from send records and what users type are
// data, never markup, and long lists are cut to fit the platform's limits with "and N more".
import type { Locale } from "../domain/tenant.ts";

/**
 * The three characters Slack reads as control sequences (`<!channel>`, `<https://…|label>`), as the
 * entities it asks for (api.slack.com/reference/surfaces/formatting#escaping). Teams' markdown
 * decodes the same entities, so the escaped text is safe there too.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** At most `max` characters, the last one an ellipsis when something was cut (never inside an `&…;` entity). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "…".slice(0, max);
  let kept = text.slice(0, max - 1);
  const amp = kept.lastIndexOf("&");
  if (amp !== -1 && /^&[a-z]*$/.test(kept.slice(amp))) kept = kept.slice(0, amp);
  return `${kept}…`;
}

const MORE = {
  es: (n: number) => `y ${n} más`,
  en: (n: number) => `and ${n} more`,
};

export interface FitOptions {
  locale: Locale;
  /** How each item is written (escaped, quoted …); lengths are measured on what it returns. */
  render?: (item: string) => string;
  /** Each item is first cut to this many characters, so one huge name cannot take the whole budget. */
  maxItem?: number;
  separator?: string;
}

/**
 * As many items as fit in `budget` characters, then "y N más" / "and N more" for the rest.
 * The result is never longer than the budget.
 */
export function fitList(items: readonly string[], budget: number, options: FitOptions): string {
  const render = options.render ?? ((s: string) => s);
  const separator = options.separator ?? ", ";
  const rendered = items.map((item) => render(options.maxItem ? clip(item, options.maxItem) : item));
  const whole = rendered.join(separator);
  if (whole.length <= budget) return whole;
  // prefix[k]: the first k items joined.
  const prefix = [0];
  for (const [i, item] of rendered.entries()) prefix.push((prefix[i] as number) + item.length + (i > 0 ? separator.length : 0));
  for (let k = rendered.length - 1; k >= 0; k--) {
    const tail = MORE[options.locale](rendered.length - k);
    const length = (prefix[k] as number) + (k > 0 ? 1 : 0) + tail.length;
    if (length <= budget) return k > 0 ? `${rendered.slice(0, k).join(separator)} ${tail}` : tail;
  }
  return clip(MORE[options.locale](rendered.length), budget);
}

/** Splits a budget between lists: short lists keep their whole length, the rest share what is left. */
export function shareBudget(lengths: readonly number[], budget: number): number[] {
  const shares = lengths.map(() => 0);
  let left = budget;
  let open = lengths.map((_, i) => i).filter((i) => (lengths[i] as number) > 0);
  while (open.length > 0) {
    const share = Math.floor(left / open.length);
    const fits = open.filter((i) => (lengths[i] as number) <= share);
    if (fits.length === 0) {
      for (const i of open) shares[i] = share;
      break;
    }
    for (const i of fits) {
      shares[i] = lengths[i] as number;
      left -= lengths[i] as number;
    }
    open = open.filter((i) => !fits.includes(i));
  }
  return shares;
}
