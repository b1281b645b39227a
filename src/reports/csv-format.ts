// CSV cells: RFC 4180 quoting, and neutralised formulas. A spreadsheet opening the file would run a
// cell starting with a trigger as a formula; message bodies are customer data, so such a cell gets a
// leading apostrophe (OWASP's advice), which spreadsheets show as text. The triggers are in
// src/domain/formula-triggers.ts, shared with PostgreSQL's COPY path.
import { FORMULA_TRIGGERS, SKIPPED_BEFORE_TRIGGER } from "../domain/formula-triggers.ts";

// No cut at Excel's 32,767 characters per cell here, unlike the XLSX writer: a CSV has no such
// limit and is what scripts, databases and the reports too large for XLSX rely on to get every
// character back. A cell that long is a body WhatsApp refuses anyway (over 1,024 characters), and
// cutting it on both paths would mean counting characters alike in PostgreSQL (code points) and
// here (UTF-16 units).

const charClass = (chars: string) => [...chars].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
const FORMULA_START = new RegExp(`^[${charClass(SKIPPED_BEFORE_TRIGGER)}]*[${charClass(FORMULA_TRIGGERS)}]`);
const NEEDS_QUOTES = /[",\r\n]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: empty for no value, "" for an empty text, quoted when it has to be. */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const text = neutralizeFormula(value);
  if (text === "") return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const UTF8_BOM = "\uFEFF";
