// CSV cells: RFC 4180 quoting, and neutralised formulas. A spreadsheet opening the file would run a
// cell starting with = + - @ tab or CR as a formula; message bodies are customer data, so such a
// cell gets a leading apostrophe (OWASP's advice), which spreadsheets show as text.

const FORMULA_START = /^[=+\-@\t\r]/;
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
