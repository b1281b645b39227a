// The CSV report straight out of PostgreSQL: COPY (SELECT …) TO STDOUT, with the labels, dates in
// the tenant's zone and formula neutralisation done by the server. Row by row through Node is ~3.5×
// slower than COPY (NOTES.md); this keeps the CSV near the database's own export. The SQL mirrors
// src/reports/format-row.ts and csv-format.ts; a test compares both paths byte for byte.
import { to as copyTo } from "pg-copy-streams";
import { commentFor, REPLIED_LABELS, STAGE_LABELS, STATE_LABELS } from "../domain/labels.ts";
import { type MessageState, STATES, type Stage, type StageValue } from "../domain/lifecycle.ts";
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

const neutralize = (expr: string) =>
  `(CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expr} ELSE ${expr} END)`;

function caseOf(expr: string, map: Record<string, string>, otherwise = "NULL"): string {
  return `(CASE ${expr} ${Object.entries(map)
    .map(([k, v]) => `WHEN ${literal(k)} THEN ${literal(v)}`)
    .join(" ")} ELSE ${otherwise} END)`;
}

function commentSql(locale: Locale): string {
  const outbound = Object.fromEntries(OUTBOUND_ERROR_CODES.map((c) => [c, outboundErrorComment(c, locale)]));
  const progress = Object.fromEntries(
    STATES.map((s) => [s, commentFor(locale, s as MessageState, null, null, null)]).filter(([, text]) => text !== ""),
  );
  const knownTitle = `(CASE m.meta_error_code ${Object.entries(META_ERROR_TITLES)
    .map(([code, title]) => `WHEN ${code} THEN ${literal(title)}`)
    .join(" ")} END)`;
  const sentTitle = `NULLIF(regexp_replace(m.meta_error_title, '^\\s+|\\s+$', '', 'g'), '')`;
  const noCause = literal(commentFor(locale, "meta_failed", null, null, null));
  return `COALESCE(CASE
      WHEN m.state = 'outbound_failed' AND m.outbound_error IS NOT NULL THEN ${caseOf("m.outbound_error", outbound)}
      WHEN m.state = 'meta_failed' THEN
        CASE WHEN m.meta_error_code IS NULL THEN COALESCE(${sentTitle}, ${noCause})
             ELSE m.meta_error_code::text || COALESCE(' - ' || COALESCE(${sentTitle}, ${knownTitle}), '') END
      ELSE ${caseOf("m.state", progress)}
    END, '')`;
}

export function copyCsvSql(f: MessageFilter, locale: Locale, zone: string): string {
  const { where, params } = filterSql(f);
  const stage = (column: string, s: Stage) => caseOf(column, STAGE_LABELS[locale][s] as Record<StageValue, string>);
  const date = (column: string) =>
    `to_char((m.${column} AT TIME ZONE 'UTC') AT TIME ZONE ${literal(zone)}, 'YYYY-MM-DD HH24:MI:SS')`;
  const replied = REPLIED_LABELS[locale];
  const select = `SELECT ${neutralize("a.name")}, ${neutralize("c.name")}, ${neutralize("t.hsm_id")}, ${neutralize("t.name")},
      ${neutralize("m.platform_id")}, ${neutralize("m.body")}, ${neutralize("m.destination")},
      ${caseOf("m.state", STATE_LABELS[locale])}, ${neutralize(commentSql(locale))},
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
    const stream = client.query(copyTo(copyCsvSql(f, locale, zone)));
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    client.release();
  }
}
