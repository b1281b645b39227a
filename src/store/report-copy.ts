// The CSV report straight out of PostgreSQL: COPY (SELECT …) TO STDOUT, with the labels, dates in
// the tenant's zone and formula neutralisation done by the server. Row by row through Node is ~3.5×
// slower than COPY (NOTES.md); this keeps the CSV near the database's own export. The SQL mirrors
// src/reports/format-row.ts and csv-format.ts; a test compares both paths byte for byte.
import { to as copyTo } from "pg-copy-streams";
import { FORMULA_TRIGGERS, SKIPPED_BEFORE_TRIGGER } from "../domain/formula-triggers.ts";
import { commentFor, REPLIED_LABELS, STAGE_LABELS, STATE_LABELS } from "../domain/labels.ts";
import { type MessageState, STATES, type Stage, type StageValue } from "../domain/lifecycle.ts";
import { offsetSegments } from "../domain/local-time.ts";
import { META_ERROR_TITLES } from "../domain/meta-errors.ts";
import { OUTBOUND_ERROR_CODES, outboundErrorComment } from "../domain/outbound-errors.ts";
import type { Locale } from "../domain/tenant.ts";
import type { PgRunner } from "./pg-runner.ts";
import { filterSql, type MessageFilter } from "./report-source.ts";
import type { SqlValue } from "./sql.ts";

/** A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function inline(sql: string, params: readonly SqlValue[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const p = params[i++];
    if (p === null || p === undefined) return "NULL";
    if (typeof p === "number") return String(p);
    if (p instanceof Date) return `${literal(p.toISOString())}::timestamp`;
    return literal(String(p));
  });
}

const codePoints = (chars: string) => [...chars].map((c) => c.codePointAt(0)).join(", ");
const TRIGGERS = codePoints(FORMULA_TRIGGERS);
const FIRST_CHECKED = `${TRIGGERS}, ${codePoints(SKIPPED_BEFORE_TRIGGER)}`;

/**
 * csv-format.ts's neutralizeFormula in SQL. ascii() of the first character against integers costs a
 * fifth of left(…) IN ('=', …) over a million rows and eight columns; only a text starting with a
 * trigger, a space or NBSP goes on to ltrim(), which copies it. Over 1M rows the COPY takes the same
 * server CPU as with the six ASCII triggers alone, where a regular expression on every cell took a
 * fifth more.
 */
export const neutralizeSql = (expr: string) =>
  `(CASE WHEN ascii(${expr}) IN (${FIRST_CHECKED}) AND ascii(ltrim(${expr}, ${literal(SKIPPED_BEFORE_TRIGGER)})) IN (${TRIGGERS})
    THEN '''' || ${expr} ELSE ${expr} END)`;

function caseOf(expr: string, map: Record<string, string>, otherwise = "NULL"): string {
  return `(CASE ${expr} ${Object.entries(map)
    .map(([k, v]) => `WHEN ${literal(k)} THEN ${literal(v)}`)
    .join(" ")} ELSE ${otherwise} END)`;
}

/**
 * What String.prototype.trim() strips (ECMAScript's WhiteSpace and LineTerminator), which is how
 * metaErrorTitle trims Meta's title on the row-by-row path. PostgreSQL's \s follows the database's
 * locale and in C.UTF-8 misses NBSP and a BOM: a title starting with a NBSP gave two comments.
 */
export const TRIMMED_BY_JAVASCRIPT =
  "\t\n\v\f\r \u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";

function commentSql(locale: Locale): string {
  const outbound = Object.fromEntries(OUTBOUND_ERROR_CODES.map((c) => [c, outboundErrorComment(c, locale)]));
  const progress = Object.fromEntries(
    STATES.map((s) => [s, commentFor(locale, s as MessageState, null, null, null)]).filter(([, text]) => text !== ""),
  );
  const knownTitle = `(CASE m.meta_error_code ${Object.entries(META_ERROR_TITLES)
    .map(([code, title]) => `WHEN ${code} THEN ${literal(title)}`)
    .join(" ")} END)`;
  const sentTitle = `NULLIF(btrim(m.meta_error_title, ${literal(TRIMMED_BY_JAVASCRIPT)}), '')`;
  const noCause = literal(commentFor(locale, "meta_failed", null, null, null));
  return `COALESCE(CASE
      WHEN m.state = 'outbound_failed' AND m.outbound_error IS NOT NULL THEN ${caseOf("m.outbound_error", outbound)}
      WHEN m.state = 'meta_failed' THEN
        CASE WHEN m.meta_error_code IS NULL THEN COALESCE(${sentTitle}, ${noCause})
             ELSE m.meta_error_code::text || COALESCE(' - ' || COALESCE(${sentTitle}, ${knownTitle}), '') END
      ELSE ${caseOf("m.state", progress)}
    END, '')`;
}

const DAY_MS = 86_400_000;
const pgTimestamp = (ms: number) => `${literal(new Date(ms).toISOString())}::timestamp`;

/**
 * A stored UTC timestamp as "YYYY-MM-DD HH:MM:SS" of the zone's wall clock. PostgreSQL's AT TIME
 * ZONE looks the zone up row by row (a fifth of the whole COPY's time over five date columns), so
 * for the span a report's dates can fall in — queued in range, Meta's news up to 30 days later —
 * the zone's offsets are worked out here and applied as plain intervals; anything outside that
 * span takes the exact, slower path. date_trunc…::text prints the same text as formatLocalDateTime
 * (DateStyle ISO is set on the connection).
 */
export function localDateTimeSql(column: string, zone: string, fromUtc: Date, toUtc: Date): string {
  const start = Math.floor(fromUtc.getTime() / 3_600_000) * 3_600_000 - 2 * DAY_MS;
  const end = toUtc.getTime() + 32 * DAY_MS;
  const segments = offsetSegments(start, end, zone);
  const shift = (offset: number) => `${column} + interval '${offset / 1000} seconds'`;
  const [first, ...rest] = segments;
  const inSpan = rest.length
    ? `CASE ${rest
        .map((seg, i) => `WHEN ${column} < ${pgTimestamp(seg.from)} THEN ${shift((segments[i] as { offset: number }).offset)}`)
        .join(" ")} ELSE ${shift((segments.at(-1) as { offset: number }).offset)} END`
    : shift(first?.offset ?? 0);
  const exact = `((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${literal(zone)})`;
  return `date_trunc('second', CASE WHEN ${column} >= ${pgTimestamp(start)} AND ${column} < ${pgTimestamp(end)} THEN ${inSpan} ELSE ${exact} END)::text`;
}

export function copyCsvSql(f: MessageFilter, locale: Locale, zone: string): string {
  const { where, params } = filterSql(f);
  const stage = (column: string, s: Stage) => caseOf(column, STAGE_LABELS[locale][s] as Record<StageValue, string>);
  const date = (column: string) => localDateTimeSql(`m.${column}`, zone, f.fromUtc, f.toUtc);
  const replied = REPLIED_LABELS[locale];
  const select = `SELECT ${neutralizeSql("a.name")}, ${neutralizeSql("c.name")}, ${neutralizeSql("t.hsm_id")}, ${neutralizeSql("t.name")},
      ${neutralizeSql("m.platform_id")}, ${neutralizeSql("m.body")}, ${neutralizeSql("m.destination")},
      ${caseOf("m.state", STATE_LABELS[locale])}, ${neutralizeSql(commentSql(locale))},
      ${stage("m.outbound_stage", "outbound")}, ${stage("m.sent_stage", "sent")}, ${stage("m.delivered_stage", "delivered")},
      ${stage("m.read_stage", "read")},
      ${date("outbound_at")}, ${date("sent_at")}, ${date("delivered_at")}, ${date("read_at")},
      CASE WHEN m.replied_at IS NOT NULL THEN ${literal(replied.yes)} ELSE ${literal(replied.no)} END, ${date("replied_at")}
    FROM messages m
      JOIN agents a ON a.id = m.agent_id
      JOIN campaigns c ON c.id = m.campaign_id
      JOIN templates t ON t.id = m.template_id
    WHERE ${inline(where, params)}
    ORDER BY m.queued_at, m.id`;
  return `COPY (${select}) TO STDOUT WITH (FORMAT csv)`;
}

/** The CSV lines (no header), as PostgreSQL writes them. */
export async function* copyCsvRows(runner: PgRunner, f: MessageFilter, locale: Locale, zone: string): AsyncGenerator<Buffer> {
  const client = await runner.pool.connect();
  try {
    await client.query("SET DateStyle TO ISO");
    const stream = client.query(copyTo(copyCsvSql(f, locale, zone)));
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    client.release();
  }
}
