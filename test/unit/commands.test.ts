// The chat grammar Slack and Teams share: what parses, and the exact message for every mistake.
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/chat/commands.ts";
import { resolveRange } from "../../src/domain/relative-range.ts";

const USAGE_ES =
  "Uso: `/hsm-report [today|yesterday|last 7d|last week|last month|this month|AAAA-MM-DD..AAAA-MM-DD] " +
  '[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]` · `/hsm-report history` · `/hsm-report help`';
const USAGE_EN =
  "Usage: `/hsm-report [today|yesterday|last 7d|last week|last month|this month|YYYY-MM-DD..YYYY-MM-DD] " +
  '[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en]` · `/hsm-report history` · `/hsm-report help`';

const error = (text: string, locale: "es" | "en" = "es") => {
  const parsed = parseCommand(text, locale);
  if (parsed.kind !== "error") throw new Error(`expected an error for ${text}`);
  return parsed.message;
};

describe("what the grammar understands", () => {
  it("a report request with every part", () => {
    expect(
      parseCommand(
        'last 7d campaign:"Campaña chattigo" campaign:Cobranza channel:106540352242922 agent:“Diana Huapaya” state:read format:csv lang:en',
        "es",
      ),
    ).toEqual({
      kind: "report",
      range: { kind: "lastDays", days: 7 },
      campaigns: ["Campaña chattigo", "Cobranza"],
      channels: ["106540352242922"],
      agents: ["Diana Huapaya"],
      states: ["read"],
      format: "csv",
      locale: "en",
    });
  });

  it.each([
    ["", { kind: "lastDays", days: 7 }],
    ["today", { kind: "today" }],
    ["yesterday", { kind: "yesterday" }],
    ["last 30d", { kind: "lastDays", days: 30 }],
    ["last week", { kind: "lastWeek" }],
    ["LAST MONTH", { kind: "lastMonth" }],
    ["this month", { kind: "thisMonth" }],
    ["2026-10-01..2026-10-31", { kind: "between", from: "2026-10-01", to: "2026-10-31" }],
  ])("range %j", (text, range) => {
    expect(parseCommand(text, "es")).toMatchObject({ kind: "report", range });
  });

  it("help and history", () => {
    expect(parseCommand("help", "es")).toEqual({ kind: "help" });
    expect(parseCommand(" History ", "es")).toEqual({ kind: "history" });
  });

  it("states by code or by label, in either language, without accents", () => {
    expect(parseCommand('state:leido state:"Envío o entrega fallida" state:Delivered', "es")).toMatchObject({
      states: ["leido", "Envío o entrega fallida", "Delivered"],
    });
  });
});

describe("every mistake gets its exact message, the token at fault, and the usage line", () => {
  it.each([
    ['campaign:"Campaña chattigo', 'Falta cerrar las comillas en `campaign:"Campaña chattigo`.'],
    ["help me", "`help` va solo; sobra `me`."],
    ["last 7d yesterday", "Indica un solo período: `last 7d` y `yesterday`."],
    ["campain:Cobranza", "No conozco el filtro `campain:Cobranza`. ¿Quisiste decir `campaign:`?"],
    ["color:rojo", "No conozco el filtro `color:rojo`."],
    ["campaign:", "`campaign:` está vacío: escribe un valor después de los dos puntos."],
    [
      "state:leidoo",
      "No conozco el estado de `state:leidoo`. ¿Quisiste decir `Leído`? Estados: `queued`, `outbound`, `sent`, `delivered`, `read`, `outbound_failed`, `meta_failed`.",
    ],
    ["format:pdf", "`format:pdf`: el formato es `xlsx` o `csv`."],
    ["lang:pt", "`lang:pt`: el idioma es `es` o `en`."],
    ["2026-02-30..2026-03-01", "`2026-02-30..2026-03-01`: `2026-02-30` no es una fecha válida (AAAA-MM-DD)."],
    ["2026-10-05..2026-10-01", "`2026-10-05..2026-10-01`: el período termina antes de empezar."],
    [
      "2025-01-01..2026-01-02",
      "`2025-01-01..2026-01-02` abarca 367 días y un reporte cubre como máximo 366. Divídelo en períodos más cortos.",
    ],
    ["1999-12-01..2000-01-31", "`1999-12-01`: las fechas van del año 2000 al 2100. Revisa el año."],
    ["2026-10-01..2101-01-01", "`2101-01-01`: las fechas van del año 2000 al 2100. Revisa el año."],
    ['campaign:"<!channel>" banana', "No entiendo `banana`."],
    ["<!channel>", "No entiendo `&lt;!channel&gt;`. ¿Quisiste decir `channel:`?"],
    ["<https://evil.example|click>", "No conozco el filtro `&lt;https://evil.example|click&gt;`."],
    ["last 0d", "`last 0d`: pide entre 1 y 366 días."],
    ["last fortnight", "No entiendo el período `last fortnight`. Usa `last 7d`, `last week`, `last month` o `this month`."],
    ["2026-10-01", "`2026-10-01`: un período lleva dos fechas, por ejemplo `2026-10-01..2026-10-01`."],
    ["lastweek", "No entiendo `lastweek`. ¿Quisiste decir `last week`?"],
    ["banana", "No entiendo `banana`."],
  ])("%j", (text, message) => {
    expect(error(text)).toBe(`${message}\n${USAGE_ES}`);
  });

  it("a whole leap year is one report; a day more is not", () => {
    expect(parseCommand("2024-01-01..2024-12-31", "es")).toMatchObject({
      kind: "report",
      range: { kind: "between", from: "2024-01-01", to: "2024-12-31" },
    });
    expect(error("2024-01-01..2025-01-01", "en")).toBe(
      `\`2024-01-01..2025-01-01\` spans 367 days and a report covers at most 366. Split it into shorter periods.\n${USAGE_EN}`,
    );
  });

  it("a typed token is echoed cut short", () => {
    const long = `x${"y".repeat(500)}`;
    expect(error(long).split("\n")[0]).toBe(`No entiendo \`${long.slice(0, 99)}…\`.`);
  });

  it("in English for an English tenant", () => {
    expect(error("campain:x", "en")).toBe(`Unknown filter \`campain:x\`. Did you mean \`campaign:\`?\n${USAGE_EN}`);
    expect(error("format:pdf", "en")).toBe(`\`format:pdf\`: the format is \`xlsx\` or \`csv\`.\n${USAGE_EN}`);
  });
});

describe("relative ranges in the tenant's calendar", () => {
  const today = "2026-11-25"; // a Wednesday
  it.each([
    [{ kind: "today" }, "2026-11-25", "2026-11-25"],
    [{ kind: "yesterday" }, "2026-11-24", "2026-11-24"],
    [{ kind: "lastDays", days: 7 }, "2026-11-19", "2026-11-25"],
    [{ kind: "lastDays", days: 30 }, "2026-10-27", "2026-11-25"],
    [{ kind: "lastWeek" }, "2026-11-16", "2026-11-22"],
    [{ kind: "lastMonth" }, "2026-10-01", "2026-10-31"],
    [{ kind: "thisMonth" }, "2026-11-01", "2026-11-25"],
  ] as const)("%o", (spec, from, to) => {
    expect(resolveRange(spec, today)).toEqual({ from, to });
  });

  it("last month across a year, last week from a Monday", () => {
    expect(resolveRange({ kind: "lastMonth" }, "2027-01-10")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(resolveRange({ kind: "lastWeek" }, "2026-11-23")).toEqual({ from: "2026-11-16", to: "2026-11-22" });
  });
});
