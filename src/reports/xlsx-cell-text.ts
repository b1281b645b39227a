// A text from outside (a name, an id, a body, Meta's title) → the value exceljs writes for it: within
// Excel's cell limit, and with its spaces and control characters intact.
import type ExcelJS from "exceljs";
import type { Locale } from "../domain/tenant.ts";

/** Excel's limit on the characters of one cell; a longer one makes Excel "repair" the file. */
export const MAX_CELL_CHARS = 32_767;

/** Ends a cut text, in the report's language, so a reader knows the rest is missing. */
export const CUT_MARK: Record<Locale, string> = { es: "…[cortado]", en: "…[truncated]" };

/** Leading or trailing whitespace, or a control character XML cannot carry as is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const NEEDS_RICH_TEXT = /^\s|\s$|[\x00-\x08\x0b-\x1f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTER = /[\x00-\x08\x0b-\x1f]/g;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The text cut to MAX_CELL_CHARS with the mark at its end. Counted in UTF-16 units (an emoji counts
 * two), never fewer than Excel counts; the cut never splits a surrogate pair (half an emoji is not
 * valid XML text).
 */
export function fitCellLimit(text: string, locale: Locale): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  const mark = CUT_MARK[locale];
  let end = MAX_CELL_CHARS - mark.length;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end) + mark;
}

/**
 * exceljs writes a plain string as `<v>` text, where readers trim surrounding whitespace and XML
 * turns a CR into a line break and drops other control characters. An inline rich-text string
 * keeps spaces (xml:space="preserve") and carries control characters in OOXML's _xHHHH_ escape,
 * which Excel, LibreOffice and exceljs decode. Only such texts take this slower path.
 */
function faithfulText(text: string): ExcelJS.CellRichTextValue {
  const escaped = text.replace(CONTROL_CHARACTER, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
  return { richText: [{ text: escaped }] };
}

/** Cut first: Excel's limit counts the decoded characters, not their _xHHHH_ escapes. */
export function userTextValue(text: string, locale: Locale): string | ExcelJS.CellRichTextValue {
  const fitted = fitCellLimit(text, locale);
  return NEEDS_RICH_TEXT.test(fitted) ? faithfulText(fitted) : fitted;
}
