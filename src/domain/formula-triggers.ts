// What makes a spreadsheet run a cell as a formula (SPEC "The report"). Both CSV paths build their
// test from these two lists: the row-by-row writer (src/reports/csv-format.ts) and PostgreSQL's COPY
// (src/store/report-copy.ts), so they agree byte for byte.

/**
 * = + - @ start a formula; tab, CR (OWASP's list) and LF are triggers too, because a reader that
 * strips leading whitespace would otherwise meet the formula behind them. The full-width forms
 * (U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠) are what a Japanese or Chinese keyboard types for
 * these signs: a spreadsheet that folds them to ASCII would run the formula (LibreOffice 7.4 does
 * not fold them; the issue asks for them all the same).
 */
export const FORMULA_TRIGGERS = "=+-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20";

/**
 * Skipped before a trigger. LibreOffice 7.4 opening a CSV with "trim spaces" and "evaluate
 * formulas" on runs "  =1+1" as a formula (checked). NBSP is what text pasted from a web page
 * carries for a space, and a reader that takes it for one would trim it too (LibreOffice does not).
 * Tab, CR and LF need no place here: they are triggers themselves, at the start or after spaces.
 * Other Unicode spaces (U+2003, U+3000, a BOM) are kept by that import and hide no formula there,
 * so a text starting with one is left alone.
 */
export const SKIPPED_BEFORE_TRIGGER = " \u00A0";
