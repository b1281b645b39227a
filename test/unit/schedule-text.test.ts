// What the bot says about scheduled reports, es and en: confirmations, the channel's announcements,
// late and missed runs, failures, and the comparison with the previous period.
import { describe, expect, it } from "vitest";
import { reportCommandText } from "../../src/chat/commands.ts";
import { type RateChanges, scheduleText } from "../../src/chat/messages.ts";

const es = scheduleText("es");
const en = scheduleText("en");
const NBSP = "\u00a0"; // es-ES writes "92,1 %" with a no-break space, as the report's summary does

describe("when a schedule posts, in words", () => {
  it.each([
    [
      { frequency: "daily", weekday: null, monthDay: null },
      "todos los días a las 08:00 (America/Lima)",
      "every day at 08:00 (America/Lima)",
    ],
    [
      { frequency: "weekly", weekday: 0, monthDay: null },
      "cada lunes a las 08:00 (America/Lima)",
      "every Monday at 08:00 (America/Lima)",
    ],
    [
      { frequency: "weekly", weekday: 6, monthDay: null },
      "cada domingo a las 08:00 (America/Lima)",
      "every Sunday at 08:00 (America/Lima)",
    ],
    [
      { frequency: "monthly", weekday: null, monthDay: 15 },
      "el día 15 de cada mes a las 08:00 (America/Lima)",
      "on day 15 of every month at 08:00 (America/Lima)",
    ],
    [
      { frequency: "monthly", weekday: null, monthDay: "last" },
      "el último día de cada mes a las 08:00 (America/Lima)",
      "on the last day of every month at 08:00 (America/Lima)",
    ],
  ] as const)("%o", (when, spanish, english) => {
    const times = { ...when, time: "08:00", timeZone: "America/Lima" };
    expect(es.cadence(times)).toBe(spanish);
    expect(en.cadence(times)).toBe(english);
  });
});

describe("answers to the person who asked", () => {
  it("created, listed, not found, paused, resumed, deleted, run now", () => {
    expect(es.created(4, "cada lunes a las 08:00 (America/Lima)", "/hsm-report")).toBe(
      "Programé el reporte #4: cada lunes a las 08:00 (America/Lima). Lo publicaré en este canal; para pausarlo: `/hsm-report schedule pause 4`.",
    );
    expect(en.created(4, "every Monday at 08:00 (America/Lima)", "@hsm-report")).toBe(
      "Scheduled report #4: every Monday at 08:00 (America/Lima). I will post it in this channel; to pause it: `@hsm-report schedule pause 4`.",
    );
    expect(es.listTitle).toBe("Reportes programados en este canal");
    expect(es.listEmpty("/hsm-report")).toBe(
      "No hay reportes programados en este canal. Crea uno con `/hsm-report schedule daily 08:00`.",
    );
    expect(es.listLine(4, "cada lunes a las 08:00 (America/Lima)", true)).toBe(
      "#4 · cada lunes a las 08:00 (America/Lima) · *pausado*",
    );
    expect(en.listLine(4, "every Monday at 08:00 (America/Lima)", false)).toBe("#4 · every Monday at 08:00 (America/Lima)");
    // One sentence whether #9 never existed or is another channel's: it must not tell them apart.
    expect(es.notFound(9, "/hsm-report")).toBe(
      "No hay un reporte programado #9 en este canal. Los de este canal: `/hsm-report schedules`.",
    );
    expect(en.notFound(9, "/hsm-report")).toBe(
      "There is no scheduled report #9 in this channel. This channel's: `/hsm-report schedules`.",
    );
    expect(es.paused(4, "/hsm-report")).toBe("Pausé el reporte #4. Para reanudarlo: `/hsm-report schedule resume 4`.");
    expect(es.resumed(4)).toBe("Reanudé el reporte #4.");
    expect(es.deleted(4)).toBe("Eliminé el reporte #4.");
    expect(es.runNow(4)).toBe("Generando ahora el reporte #4; lo publicaré en este canal.");
    expect(en.runNow(4)).toBe("Generating report #4 now; I will post it in this channel.");
  });
});

describe("announcements in the channel: who did what", () => {
  it.each([
    [
      es.announceCreated("<@U123>", 4, "todos los días a las 08:00 (America/Lima)"),
      "<@U123> programó el reporte #4: todos los días a las 08:00 (America/Lima).",
    ],
    [es.announcePaused("<@U123>", 4), "<@U123> pausó el reporte #4."],
    [es.announceResumed("<@U123>", 4), "<@U123> reanudó el reporte #4."],
    [es.announceDeleted("<@U123>", 4), "<@U123> eliminó el reporte #4."],
    [es.announceRunNow("<@U123>", 4), "<@U123> pidió ahora el reporte #4."],
    [en.announceDeleted("<@U123>", 4), "<@U123> deleted report #4."],
    [en.announceRunNow("<@U123>", 4), "<@U123> asked for report #4 now."],
  ])("%s", (said, expected) => {
    expect(said).toBe(expected);
  });
});

describe("runs that were late, missed or failed", () => {
  it("late", () => {
    expect(es.late("2026-11-02", "08:00", "America/Lima")).toBe(
      "Este reporte llega tarde: debía publicarse el 2026-11-02 a las 08:00 (America/Lima).",
    );
    expect(en.late("2026-11-02", "08:00", "America/Lima")).toBe(
      "This report is late: it was due on 2026-11-02 at 08:00 (America/Lima).",
    );
  });

  it("missed periods, with the command that gets them", () => {
    const filters = {
      campaigns: ["Cobranza octubre"],
      channels: [],
      agents: [],
      states: [],
      format: "csv" as const,
      locale: null,
    };
    const command = reportCommandText("/hsm-report", { from: "2026-10-01", to: "2026-11-30" }, filters);
    const periods = [
      { from: "2026-10-01", to: "2026-10-31" },
      { from: "2026-11-01", to: "2026-11-30" },
    ];
    expect(es.missed(periods, command)).toBe(
      'No se publicaron: del 2026-10-01 al 2026-10-31, del 2026-11-01 al 2026-11-30. Para obtenerlos: `/hsm-report 2026-10-01..2026-11-30 campaign:"Cobranza octubre" format:csv`',
    );
    expect(en.missed([{ from: "2026-11-03", to: "2026-11-03" }], "/hsm-report 2026-11-03..2026-11-03")).toBe(
      "Not posted: 2026-11-03. To get them: `/hsm-report 2026-11-03..2026-11-03`",
    );
  });

  it("a long outage is listed short, and names in the command stay data", () => {
    const days = Array.from({ length: 200 }, (_, i) => {
      const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
      return { from: day, to: day };
    });
    const text = es.missed(days, '/hsm-report 2026-01-01..2026-07-19 campaign:"<!channel>"');
    expect(text).toMatch(/^No se publicaron: 2026-01-01, 2026-01-02, .* y \d+ más\. Para obtenerlos: /);
    expect(text.length).toBeLessThan(800);
    expect(text).toContain('campaign:"&lt;!channel&gt;"');
    expect(text).not.toContain("<!channel>");
  });

  it("a failed run, and the pause after three", () => {
    expect(es.runFailed(4, "Slack no respondió.", "/hsm-report")).toBe(
      "No se pudo publicar el reporte programado #4: Slack no respondió. Puedes reintentarlo con `/hsm-report schedule run 4`.",
    );
    expect(en.runFailed(4, "Slack did not answer.", "/hsm-report")).toBe(
      "Scheduled report #4 could not be posted: Slack did not answer. You can try again with `/hsm-report schedule run 4`.",
    );
    expect(es.pausedAfterFailures(4, 3, "/hsm-report")).toBe(
      "Pausé el reporte programado #4 porque falló 3 veces seguidas. Cuando se resuelva, reanúdalo con `/hsm-report schedule resume 4`.",
    );
  });

  it("a direct message to the creator when the channel is closed to the bot", () => {
    expect(es.cannotPost(4, "<#C123>", "/hsm-report")).toBe(
      "No pude publicar el reporte programado #4 en <#C123>: ya no puedo escribir en ese canal (quizá me quitaron o se archivó). " +
        "Vuelve a agregarme al canal, o elimina el reporte con `/hsm-report schedule delete 4`.",
    );
  });

  it("no messages in the period", () => {
    expect(es.noMessages(4, "2026-11-01", "2026-11-30", "America/Lima")).toBe(
      "Reporte programado #4: no hubo mensajes para estos filtros entre el 2026-11-01 y el 2026-11-30 (America/Lima), así que no adjunto un archivo vacío.",
    );
  });
});

describe("rates against the previous period", () => {
  const rates: RateChanges = {
    delivered: { rate: 0.921, previous: 0.908 },
    read: { rate: 0.604, previous: 0.624 },
    failed: { rate: 0.032, previous: 0.028 },
  };

  it("in percentage points, signed, one decimal", () => {
    expect(es.rateChanges(rates)).toBe(
      `Entregados 92,1${NBSP}% (+1,3 pts) · Leídos 60,4${NBSP}% (−2,0 pts) · Fallidos 3,2${NBSP}% (+0,4 pts)`,
    );
    expect(en.rateChanges(rates)).toBe("Delivered 92.1% (+1.3 pts) · Read 60.4% (−2.0 pts) · Failed 3.2% (+0.4 pts)");
  });

  it("a change that rounds to nothing is no change; no previous period, no comparison", () => {
    expect(
      en.rateChanges({
        delivered: { rate: 0.9, previous: 0.9004 },
        read: { rate: 0.5, previous: null },
        failed: { rate: null, previous: 0.1 },
      }),
    ).toBe("Delivered 90% (±0.0 pts) · Read 50% · Failed –");
  });
});
