// The chat grammar Slack and Teams share: what parses, and the exact message for every mistake.
import { describe, expect, it } from "vitest";
import { type Command, parseCommand, reportCommandText } from "../../src/chat/commands.ts";
import { helpText } from "../../src/chat/messages.ts";
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

// ——— Issue 8: Spanish keywords, scheduled reports, and the platform's prefix ———

const scheduleUsageEs = (p: string) =>
  `Uso: \`${p} schedule daily|weekly mon|monthly 1|monthly last HH:MM ` +
  '[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en] [tz:Área/Ciudad]` · ' +
  `\`${p} schedules\` · \`${p} schedule pause|resume|run|delete N\``;
const scheduleUsageEn = (p: string) =>
  `Usage: \`${p} schedule daily|weekly mon|monthly 1|monthly last HH:MM ` +
  '[campaign:"…"] [channel:…] [agent:"…"] [state:…] [format:xlsx|csv] [lang:es|en] [tz:Area/City]` · ' +
  `\`${p} schedules\` · \`${p} schedule pause|resume|run|delete N\``;
const SCHEDULE_USAGE_ES = scheduleUsageEs("/hsm-report");

const parsed = (text: string, locale: "es" | "en" = "es") => parseCommand(text, locale);
const schedule = (over: Partial<Extract<Command, { kind: "schedule" }>>) => ({
  kind: "schedule",
  frequency: "daily",
  weekday: null,
  monthDay: null,
  time: "08:00",
  timeZone: null,
  campaigns: [],
  channels: [],
  agents: [],
  states: [],
  format: null,
  locale: null,
  ...over,
});

describe("every keyword in Spanish too, in any case, with or without accents", () => {
  it.each(["help", "HELP", "ayuda", "Ayuda"])("%j is help", (text) => {
    expect(parsed(text)).toEqual({ kind: "help" });
  });

  it.each(["history", "historial", "HISTORIAL"])("%j is history", (text) => {
    expect(parsed(text)).toEqual({ kind: "history" });
  });

  it.each(["schedules", "Schedules", "programaciones", "PROGRAMACIONES"])("%j lists the channel's schedules", (text) => {
    expect(parsed(text)).toEqual({ kind: "schedules" });
  });

  it.each([
    ["hoy", { kind: "today" }],
    ["HOY", { kind: "today" }],
    ["ayer", { kind: "yesterday" }],
    ["últimos 7d", { kind: "lastDays", days: 7 }],
    ["ultimos 30d", { kind: "lastDays", days: 30 }],
    ["ÚLTIMOS 90D", { kind: "lastDays", days: 90 }],
    ["semana pasada", { kind: "lastWeek" }],
    ["Semana Pasada", { kind: "lastWeek" }],
    ["mes pasado", { kind: "lastMonth" }],
    ["este mes", { kind: "thisMonth" }],
    ["Este Mes", { kind: "thisMonth" }],
  ])("period %j", (text, range) => {
    expect(parsed(text)).toMatchObject({ kind: "report", range });
  });

  it("Spanish filter keys ask for the same report as the English ones", () => {
    const english = parsed(
      'last week campaign:"Campaña chattigo" channel:106540352242922 agent:Diana state:read format:csv lang:en',
    );
    for (const text of [
      'semana pasada campaña:"Campaña chattigo" canal:106540352242922 agente:Diana estado:read formato:csv idioma:en',
      'semana pasada campana:"Campaña chattigo" CANAL:106540352242922 Agente:Diana ESTADO:read Formato:csv IDIOMA:en',
    ]) {
      expect(parsed(text)).toEqual(english);
    }
  });

  it("Spanish mistakes get the same messages, with Spanish periods suggested for a Spanish period", () => {
    expect(error("semana próxima")).toBe(
      `No entiendo el período \`semana próxima\`. Usa \`últimos 7d\`, \`semana pasada\`, \`mes pasado\` o \`este mes\`.\n${USAGE_ES}`,
    );
    expect(error("ultimos 0d")).toBe(`\`ultimos 0d\`: pide entre 1 y 366 días.\n${USAGE_ES}`);
    expect(error("hoy ayer")).toBe(`Indica un solo período: \`hoy\` y \`ayer\`.\n${USAGE_ES}`);
    expect(error("ayuda ya")).toBe(`\`ayuda\` va solo; sobra \`ya\`.\n${USAGE_ES}`);
    expect(error("campaña:")).toBe(`\`campaña:\` está vacío: escribe un valor después de los dos puntos.\n${USAGE_ES}`);
    expect(error("formato:pdf")).toBe(`\`formato:pdf\`: el formato es \`xlsx\` o \`csv\`.\n${USAGE_ES}`);
    expect(error("idioma:pt")).toBe(`\`idioma:pt\`: el idioma es \`es\` o \`en\`.\n${USAGE_ES}`);
    expect(error("programr")).toBe(`No entiendo \`programr\`. ¿Quisiste decir \`programar\`?\n${USAGE_ES}`);
  });

  it("a command word only counts first", () => {
    expect(error("last 7d help")).toBe(`\`help\` va al principio.\n${USAGE_ES}`);
    expect(error("ayer programar")).toBe(`\`programar\` va al principio.\n${USAGE_ES}`);
  });

  it("a time zone belongs to a schedule, not to a report", () => {
    expect(error("last 7d tz:America/Lima")).toBe(
      `\`tz:America/Lima\`: la zona horaria solo se indica en un reporte programado; este reporte usa la de la empresa.\n${USAGE_ES}`,
    );
  });

  it("a report still takes the last of two formats, as before", () => {
    expect(parsed("format:csv format:xlsx")).toMatchObject({ kind: "report", format: "xlsx" });
  });
});

describe("scheduled reports", () => {
  it.each([
    ["schedule daily 08:00", {}],
    ["programar diario 8:00", {}],
    ["Programar DIARIO 08:00", {}],
    ["schedule daily 0:00", { time: "00:00" }],
    ["schedule daily 23:59", { time: "23:59" }],
    ["schedule monthly 1 08:00", { frequency: "monthly", monthDay: 1 }],
    ["programar mensual 31 08:00", { frequency: "monthly", monthDay: 31 }],
    ["schedule monthly last 08:00", { frequency: "monthly", monthDay: "last" }],
    ["programar mensual último 08:00", { frequency: "monthly", monthDay: "last" }],
    ["programar mensual ultimo 08:00", { frequency: "monthly", monthDay: "last" }],
    ["schedule monthly ÚLTIMO 08:00", { frequency: "monthly", monthDay: "last" }],
  ])("%j", (text, over) => {
    expect(parsed(text)).toEqual(schedule(over as object));
  });

  const days = [
    ["mon", "monday", "lun", "lunes"],
    ["tue", "tuesday", "mar", "martes"],
    ["wed", "wednesday", "mie", "mié", "miercoles", "miércoles"],
    ["thu", "thursday", "jue", "jueves"],
    ["fri", "friday", "vie", "viernes"],
    ["sat", "saturday", "sab", "sáb", "sabado", "sábado"],
    ["sun", "sunday", "dom", "domingo"],
  ];
  it.each(days.flatMap((spellings, weekday) => spellings.map((day) => [day, weekday] as const)))(
    "weekly on %j is weekday %i (Monday = 0)",
    (day, weekday) => {
      const expected = schedule({ frequency: "weekly", weekday: weekday as 0 });
      expect(parsed(`schedule weekly ${day} 08:00`)).toEqual(expected);
      expect(parsed(`programar semanal ${day.toUpperCase()} 8:00`)).toEqual(expected);
    },
  );

  it("with filters, format, language and zone, in either language", () => {
    const expected = schedule({
      frequency: "weekly",
      weekday: 0,
      time: "07:30",
      timeZone: "America/Lima",
      campaigns: ["Campaña chattigo", "Cobranza"],
      channels: ["106540352242922"],
      agents: ["Diana Huapaya"],
      states: ["read"],
      format: "csv",
      locale: "en",
    });
    expect(
      parsed(
        'schedule weekly mon 7:30 campaign:"Campaña chattigo" campaign:Cobranza channel:106540352242922 agent:“Diana Huapaya” state:read format:csv lang:en tz:America/Lima',
      ),
    ).toEqual(expected);
    expect(
      parsed(
        'programar semanal lunes 07:30 campaña:"Campaña chattigo" campana:Cobranza canal:106540352242922 agente:“Diana Huapaya” estado:read formato:csv idioma:en zona:america/lima',
      ),
    ).toEqual(expected);
  });

  it("the zone is kept in its canonical spelling", () => {
    expect(parsed("schedule daily 08:00 tz:europe/madrid")).toMatchObject({ timeZone: "Europe/Madrid" });
    expect(parsed("schedule daily 08:00 zona:utc")).toMatchObject({ timeZone: "UTC" });
  });

  it.each([
    ["schedule pause 4", "pause", 4],
    ["programar pausar 4", "pause", 4],
    ["schedule resume 12", "resume", 12],
    ["programar reanudar 12", "resume", 12],
    ["schedule run #4", "run", 4],
    ["programar ejecutar 4", "run", 4],
    ["schedule delete 4", "delete", 4],
    ["programar eliminar 4", "delete", 4],
    ["programar borrar 4", "delete", 4],
    ["SCHEDULE Pause 4", "pause", 4],
  ])("%j", (text, action, id) => {
    expect(parsed(text)).toEqual({ kind: "scheduleAction", action, id });
  });
});

describe("every mistake in a schedule gets its exact message and the schedule's usage line", () => {
  it.each([
    ["schedule", "Falta la frecuencia: `schedule daily 08:00`, `schedule weekly mon 08:00` o `schedule monthly 1 08:00`."],
    ["programar", "Falta la frecuencia: `programar diario 08:00`, `programar semanal lun 08:00` o `programar mensual 1 08:00`."],
    ["schedule 08:00", "Falta la frecuencia: `schedule daily 08:00`, `schedule weekly mon 08:00` o `schedule monthly 1 08:00`."],
    [
      "schedule foo",
      "No entiendo `foo` después de `schedule`. Sigue con `daily`, `weekly`, `monthly`, `pause`, `resume`, `run` o `delete`.",
    ],
    [
      "schedule dialy 08:00",
      "No entiendo `dialy` después de `schedule`. ¿Quisiste decir `daily`? Sigue con `daily`, `weekly`, `monthly`, `pause`, `resume`, `run` o `delete`.",
    ],
    [
      "programar diaro 08:00",
      "No entiendo `diaro` después de `programar`. ¿Quisiste decir `diario`? Sigue con `diario`, `semanal`, `mensual`, `pausar`, `reanudar`, `ejecutar` o `eliminar`.",
    ],
    ["schedule daily 25:00", "`25:00` no es una hora válida: usa HH:MM, de `00:00` a `23:59`."],
    ["schedule daily 24:00", "`24:00` no es una hora válida: usa HH:MM, de `00:00` a `23:59`."],
    ["schedule daily 08:60", "`08:60` no es una hora válida: usa HH:MM, de `00:00` a `23:59`."],
    ["schedule daily 8.00", "`8.00` no es una hora válida: usa HH:MM, de `00:00` a `23:59`."],
    ["schedule daily 8", "`8` no es una hora válida: usa HH:MM, de `00:00` a `23:59`."],
    ["schedule daily", "Falta la hora (HH:MM), por ejemplo `schedule daily 08:00`."],
    ["programar diario campaña:Cobranza", "Falta la hora (HH:MM), por ejemplo `programar diario 08:00`."],
    ["schedule weekly mon", "Falta la hora (HH:MM), por ejemplo `schedule weekly mon 08:00`."],
    ["schedule daily 08:00 09:00", "Indica una sola hora: `08:00` y `09:00`."],
    ["schedule weekly 08:00", "`weekly` lleva el día de la semana antes de la hora, por ejemplo `weekly mon 08:00`."],
    ["schedule weekly", "`weekly` lleva el día de la semana antes de la hora, por ejemplo `weekly mon 08:00`."],
    ["programar semanal 08:00", "`semanal` lleva el día de la semana antes de la hora, por ejemplo `semanal lun 08:00`."],
    ["schedule weekly xyz 08:00", "`xyz` no es un día de la semana. Usa `mon`, `tue`, `wed`, `thu`, `fri`, `sat` o `sun`."],
    [
      "schedule weekly mond 08:00",
      "`mond` no es un día de la semana. ¿Quisiste decir `mon`? Usa `mon`, `tue`, `wed`, `thu`, `fri`, `sat` o `sun`.",
    ],
    [
      "programar semanal lunn 08:00",
      "`lunn` no es un día de la semana. ¿Quisiste decir `lun`? Usa `lun`, `mar`, `mié`, `jue`, `vie`, `sáb` o `dom`.",
    ],
    ["schedule monthly 32 08:00", "`32`: el día del mes va de `1` a `31`, o `last` para el último día."],
    ["schedule monthly 0 08:00", "`0`: el día del mes va de `1` a `31`, o `last` para el último día."],
    ["programar mensual 0 08:00", "`0`: el día del mes va de `1` a `31`, o `último` para el último día."],
    [
      "schedule monthly 08:00",
      "`monthly` lleva el día del mes antes de la hora, de `1` a `31` o `last`, por ejemplo `monthly 1 08:00`.",
    ],
    ["schedule daily mon 08:00", "`daily` no lleva día; sobra `mon`. Por ejemplo `daily 08:00`."],
    ["programar diario lunes 08:00", "`diario` no lleva día; sobra `lunes`. Por ejemplo `diario 08:00`."],
    ["schedule daily last 08:00", "`daily` no lleva día; sobra `last`. Por ejemplo `daily 08:00`."],
    [
      "schedule daily 08:00 last 7d",
      "`last 7d`: un reporte programado no lleva período; cada envío cubre el período recién terminado (ayer, la semana pasada o el mes pasado).",
    ],
    [
      "schedule weekly mon 08:00 semana pasada",
      "`semana pasada`: un reporte programado no lleva período; cada envío cubre el período recién terminado (ayer, la semana pasada o el mes pasado).",
    ],
    [
      "schedule daily 08:00 2026-10-01..2026-10-31",
      "`2026-10-01..2026-10-31`: un reporte programado no lleva período; cada envío cubre el período recién terminado (ayer, la semana pasada o el mes pasado).",
    ],
    [
      "schedule daily yesterday",
      "`yesterday`: un reporte programado no lleva período; cada envío cubre el período recién terminado (ayer, la semana pasada o el mes pasado).",
    ],
    [
      "schedule daily 08:00 tz:Lima",
      "`tz:Lima` no es una zona horaria. ¿Quisiste decir `America/Lima`? Usa un nombre IANA (Área/Ciudad) como `America/Lima`, que sigue el horario de verano del lugar.",
    ],
    [
      "schedule daily 08:00 zona:Madird",
      "`zona:Madird` no es una zona horaria. ¿Quisiste decir `Europe/Madrid` o `Atlantic/Madeira`? Usa un nombre IANA (Área/Ciudad) como `America/Lima`, que sigue el horario de verano del lugar.",
    ],
    [
      "schedule daily 08:00 tz:Mars/Olympus",
      "`tz:Mars/Olympus` no es una zona horaria. Usa un nombre IANA (Área/Ciudad) como `America/Lima`, que sigue el horario de verano del lugar.",
    ],
    ["schedule daily 08:00 tz:", "`tz:` está vacío: escribe un valor después de los dos puntos."],
    ["schedule daily 08:00 campaign:", "`campaign:` está vacío: escribe un valor después de los dos puntos."],
    ['schedule daily 08:00 agente:""', '`agente:""` está vacío: escribe un valor después de los dos puntos.'],
    ["schedule daily 08:00 format:csv format:xlsx", "Indica un solo valor: `format:csv` y `format:xlsx`."],
    ["schedule daily 08:00 formato:csv format:csv", "Indica un solo valor: `formato:csv` y `format:csv`."],
    ["schedule daily 08:00 lang:es idioma:en", "Indica un solo valor: `lang:es` y `idioma:en`."],
    ["schedule daily 08:00 tz:UTC zona:America/Lima", "Indica un solo valor: `tz:UTC` y `zona:America/Lima`."],
    ["schedule daily 08:00 format:pdf", "`format:pdf`: el formato es `xlsx` o `csv`."],
    ["schedule daily 08:00 campain:x", "No conozco el filtro `campain:x`. ¿Quisiste decir `campaign:`?"],
    ["schedule daily 08:00 banana", "No entiendo `banana`."],
    ["schedule daily 08:00 help", "`help` va al principio."],
    ['schedule daily 08:00 campaign:"Cobranza', 'Falta cerrar las comillas en `campaign:"Cobranza`.'],
    ["schedule pause", "Falta el número del reporte programado, por ejemplo `schedule pause 4`."],
    ["programar pausar", "Falta el número del reporte programado, por ejemplo `programar pausar 4`."],
    ["schedule pause abc", "`abc` no es el número de un reporte programado (por ejemplo `4`)."],
    ["schedule delete 0", "`0` no es el número de un reporte programado (por ejemplo `4`)."],
    ["schedule run -1", "`-1` no es el número de un reporte programado (por ejemplo `4`)."],
    ["schedule pause 4 5", "`schedule pause 4` va solo; sobra `5`."],
    ["schedules 4", "`schedules` va solo; sobra `4`."],
    ["programaciones todas", "`programaciones` va solo; sobra `todas`."],
  ])("%j", (text, message) => {
    const result = parsed(text);
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && result.message).toBe(`${message}\n${SCHEDULE_USAGE_ES}`);
  });

  it("each mistake carries its code", () => {
    expect(parsed("schedule daily 25:00")).toMatchObject({ kind: "error", code: "badTime" });
    expect(parsed("schedule weekly 08:00")).toMatchObject({ kind: "error", code: "noWeekday" });
    expect(parsed("schedule daily 08:00 tz:Lima")).toMatchObject({ kind: "error", code: "badZone" });
    expect(parsed("2026-10-05..2026-10-01")).toMatchObject({ kind: "error", code: "report_reversed_range" });
  });

  it("in English for an English tenant", () => {
    const en = (text: string) => {
      const result = parseCommand(text, "en");
      return result.kind === "error" ? result.message : null;
    };
    const usage = scheduleUsageEn("/hsm-report");
    expect(en("schedule")).toBe(
      `The frequency is missing: \`schedule daily 08:00\`, \`schedule weekly mon 08:00\` or \`schedule monthly 1 08:00\`.\n${usage}`,
    );
    expect(en("schedule daily 25:00")).toBe(`\`25:00\` is not a valid time: use HH:MM, from \`00:00\` to \`23:59\`.\n${usage}`);
    expect(en("schedule weekly 08:00")).toBe(
      `\`weekly\` takes a day of the week before the time, e.g. \`weekly mon 08:00\`.\n${usage}`,
    );
    expect(en("schedule monthly 32 08:00")).toBe(
      `\`32\`: the day of the month goes from \`1\` to \`31\`, or \`last\` for the last day.\n${usage}`,
    );
    expect(en("schedule daily 08:00 tz:Lima")).toBe(
      `\`tz:Lima\` is not a time zone. Did you mean \`America/Lima\`? Use an IANA name (Area/City) such as \`America/Lima\`, which follows the place's daylight saving time.\n${usage}`,
    );
    expect(en("schedule pause x")).toBe(`\`x\` is not a scheduled report's number (e.g. \`4\`).\n${usage}`);
    expect(en("schedule daily 08:00 last week")).toBe(
      `\`last week\`: a scheduled report takes no period; each post covers the period just ended (yesterday, last week or last month).\n${usage}`,
    );
    expect(en("last 7d tz:UTC")).toBe(
      `\`tz:UTC\`: a time zone is only for a scheduled report; this report uses the company's.\n${USAGE_EN}`,
    );
  });
});

describe("the usage line speaks the platform's prefix", () => {
  it("Slack by default, Teams when asked", () => {
    expect(error("banana")).toBe(`No entiendo \`banana\`.\n${USAGE_ES}`);
    const teams = parseCommand("banana", "es", "@hsm-report");
    expect(teams.kind === "error" && teams.message).toBe(
      `No entiendo \`banana\`.\n${USAGE_ES.replaceAll("/hsm-report", "@hsm-report")}`,
    );
    const teamsEn = parseCommand("format:pdf", "en", "@hsm-report");
    expect(teamsEn.kind === "error" && teamsEn.message).toBe(
      `\`format:pdf\`: the format is \`xlsx\` or \`csv\`.\n${USAGE_EN.replaceAll("/hsm-report", "@hsm-report")}`,
    );
  });

  it("in a schedule's mistakes too", () => {
    const teams = parseCommand("schedule pause", "es", "@hsm-report");
    expect(teams.kind === "error" && teams.message).toBe(
      `Falta el número del reporte programado, por ejemplo \`schedule pause 4\`.\n${scheduleUsageEs("@hsm-report")}`,
    );
    const teamsEn = parseCommand("schedule daily 8.00", "en", "@hsm-report");
    expect(teamsEn.kind === "error" && teamsEn.message).toBe(
      `\`8.00\` is not a valid time: use HH:MM, from \`00:00\` to \`23:59\`.\n${scheduleUsageEn("@hsm-report")}`,
    );
  });

  it("help ends with both usage lines, and never names the other platform", () => {
    for (const [prefix, other] of [
      ["/hsm-report", "@hsm-report"],
      ["@hsm-report", "/hsm-report"],
    ] as const) {
      const es = helpText("es", prefix);
      expect(es.endsWith(`\n${USAGE_ES.replaceAll("/hsm-report", prefix)}\n${scheduleUsageEs(prefix)}`)).toBe(true);
      expect(es).not.toContain(other);
      const en = helpText("en", prefix);
      expect(en.endsWith(`\n${USAGE_EN.replaceAll("/hsm-report", prefix)}\n${scheduleUsageEn(prefix)}`)).toBe(true);
      expect(en).not.toContain(other);
    }
  });
});

describe("help lists every keyword, in both languages", () => {
  const words = (list: string) => list.split(" ");
  const KEYWORDS = [
    ...words("help history schedules schedule daily weekly monthly last pause resume run delete today yesterday"),
    ...["last 7d", "last week", "last month", "this month"],
    ...words("campaign: channel: agent: state: format: lang: tz: mon tue wed thu fri sat sun monday"),
    ...words("ayuda historial programaciones programar diario semanal mensual último pausar reanudar ejecutar eliminar borrar"),
    ...["hoy", "ayer", "últimos 7d", "semana pasada", "mes pasado", "este mes"],
    ...words("campaña: canal: agente: estado: formato: idioma: zona: lun mar mié jue vie sáb dom lunes"),
  ];
  it.each(["es", "en"] as const)("%s", (locale) => {
    const help = helpText(locale, "/hsm-report");
    // Inside a code span, as a whole word: `mar` is not found in `march`, nor `run` in `running`.
    const listed = (word: string) => new RegExp(`\`([^\`]* )?${word}${word.endsWith(":") ? "" : "[ `/]"}`).test(help);
    const missing = KEYWORDS.filter((word) => !listed(word));
    expect(missing).toEqual([]);
  });

  it("and every keyword it lists is understood", () => {
    for (const text of ["ayuda", "historial", "programaciones", "hoy", "semana pasada", "programar semanal mié 08:00"]) {
      expect(parseCommand(text, "es").kind).not.toBe("error");
    }
  });
});

describe("a report's request written back as text", () => {
  it("parses back to the same filters over the same dates", () => {
    const filters = {
      campaigns: ["Campaña chattigo", "Cobranza"],
      channels: ["106540352242922"],
      agents: ["Diana Huapaya"],
      states: ["read", "Envío o entrega fallida"],
      format: "csv" as const,
      locale: "en" as const,
    };
    const text = reportCommandText("/hsm-report", { from: "2026-11-01", to: "2026-11-30" }, filters);
    expect(text).toBe(
      '/hsm-report 2026-11-01..2026-11-30 campaign:"Campaña chattigo" campaign:Cobranza channel:106540352242922 agent:"Diana Huapaya" state:read state:"Envío o entrega fallida" format:csv lang:en',
    );
    expect(parseCommand(text.slice("/hsm-report ".length), "es")).toEqual({
      kind: "report",
      range: { kind: "between", from: "2026-11-01", to: "2026-11-30" },
      ...filters,
    });
  });

  it("with no filters, only the dates", () => {
    const none = { campaigns: [], channels: [], agents: [], states: [], format: null, locale: null };
    expect(reportCommandText("@hsm-report", { from: "2026-11-03", to: "2026-11-03" }, none)).toBe(
      "@hsm-report 2026-11-03..2026-11-03",
    );
  });
});
