// Checks our platform can make on a send record before Meta is involved (SPEC: invalid numbers and
// over-long headers and bodies are reported at once, as outbound failures).

import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import type { OutboundErrorCode } from "./outbound-errors.ts";

export const HEADER_MAX_CHARS = 60;
export const BODY_MAX_CHARS = 1024;

/** Meta accepts `+`, spaces, hyphens, dots and parentheses in `to`; webhooks use bare digits. */
export function normalizeDestination(raw: string): string {
  return raw.trim().replace(/[\s\-().+]/g, "");
}

/**
 * Plausible, not proven: E.164 digits (8–15, no leading 0) under a country calling code that exists.
 * Stricter per-country validation rejects numbers WhatsApp really uses (Mexico's 521… wa_ids,
 * Meta's own 1555… test numbers), so it is deliberately not applied.
 */
export function isPlausiblePhoneNumber(digits: string): boolean {
  if (!/^[1-9]\d{7,14}$/.test(digits)) return false;
  return parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode !== undefined;
}

/** Characters as a person counts them (an emoji is one), not UTF-16 units. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The first outbound failure our own checks find, in the seed's order of causes, or null. */
export function detectOutboundError(record: {
  destination: string;
  header?: string | null;
  body: string;
}): OutboundErrorCode | null {
  if (record.header && charCount(record.header) > HEADER_MAX_CHARS) return "header_too_long";
  if (!isPlausiblePhoneNumber(normalizeDestination(record.destination))) return "invalid_number";
  if (charCount(record.body) > BODY_MAX_CHARS) return "body_too_long";
  return null;
}
