// Scheduled reports as a Slack channel lives them: created by text in every frequency and from the
// form, listed with their buttons, paused, resumed, run now and deleted by text and by click, each
// change announced in the channel; posts made by the real scheduler (on time, late, to a channel the
// bot left, failed and retried); every mistake answered with the word at fault and the usage line;
// another channel's or tenant's schedule answered exactly as one that never existed; and schedules
// that keep their state across a restart, a deleted one never firing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../../src/domain/local-time.ts";
import { lastFireAtOrBefore, nextFireAfter, periodOfFire, type ScheduleRule } from "../../src/domain/schedule-time.ts";
import { allowChatUser, bindSlackWorkspace } from "../../src/store/chat-bindings.ts";
import { ruleOf } from "../../src/store/schedules.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES } from "../support/databases.ts";
import { formValues, type SlackFixture, startSlackFixture, until } from "../support/slack-fixture.ts";

const ZONE = "America/Lima";
const USAGE =
  'Uso: `/hsm-report schedule daily|weekly mon|monthly 1|monthly last HH:MM [campaign:"…"] [channel:…] [agent:"…"] ' +
  "[state:…] [format:xlsx|csv] [lang:es|en] [tz:Área/Ciudad]` · `/hsm-report schedules` · " +
  "`/hsm-report schedule pause|resume|run|delete N`";
const OTHER_TEAM = "T0OTRA";

const MONTHS = [
  "enero",
  "febrero",
  "marzo",
  "abril",
  "mayo",
  "junio",
  "julio",
  "agosto",
  "septiembre",
  "octubre",
  "noviembre",
  "diciembre",
];
const WEEKDAYS = ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"];
const parts = (iso: string) => iso.split("-").map(Number) as [number, number, number];

/** "jueves 3 de diciembre": the local day of an instant, as the bot dates a first post. */
function dayWords(ms: number, zone: string): string {
  const [y, m, d] = parts(localDate(ms, zone));
  return `${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} de ${MONTHS[m - 1]}`;
}

/** "el 2 de diciembre de 2026", "del 23 al 29 de noviembre de 2026", "del 30 de noviembre al 6 de diciembre de 2026". */
function periodWords(from: string, to: string): string {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  const full = `${d2} de ${MONTHS[m2 - 1]} de ${y2}`;
  if (from === to) return `el ${full}`;
  if (y1 !== y2) return `del ${d1} de ${MONTHS[m1 - 1]} de ${y1} al ${full}`;
  if (m1 !== m2) return `del ${d1} de ${MONTHS[m1 - 1]} al ${full}`;
  return `del ${d1} al ${full}`;
}

/** "HH:MM" in the zone, `offsetMs` from now. */
function localTime(offsetMs: number, zone = ZONE): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(Date.now() + offsetMs),
  );
}

const RATE = "(?:[\\d,]+\\s%|–)(?: \\([+−±][\\d,]+ pts\\))?";
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id: string; value: string; style?: string; text: { text: string }; confirm?: unknown }[];
}

describe.each(DATABASES)("scheduled reports from Slack on $kind", ({ fresh }) => {
  let f: SlackFixture;
  let otherTenantId: number;

  const prisma = () => f.app.store.prisma;
  const command = async (text: string, channel: string, fields: Partial<Record<string, string>> = {}) => {
    const res = await f.command(text, { channel_id: channel, ...fields });
    expect(res.status).toBe(200);
    return res.json as { response_type: string; text: string; blocks?: Block[] };
  };
  const posted = (channel: string) =>
    f.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === channel)
      .map((c) => String(c.args.text));
  const announcements = (channel: string) => posted(channel).filter((t) => t !== "Generando reporte…");
  const uploadsTo = (channel: string) => f.slack.uploads.filter((u) => u.channel === channel);
  const idIn = (text: string) => Number(/#(\d+)/.exec(text)?.[1]);
  const stored = (id: number) => prisma().schedule.findUniqueOrThrow({ where: { id } });
  const ruleOfStored = async (id: number): Promise<ScheduleRule> => ruleOf(await stored(id));
  const runsOf = (id: number) => prisma().scheduleRun.findMany({ where: { scheduleId: id }, orderBy: { id: "asc" } });
  const ended = (id: number, count = 1) =>
    until(`schedule #${id}'s run to end`, async () => {
      const runs = await runsOf(id);
      return runs.length >= count && runs.every((r) => r.outcome !== "queued") ? runs : null;
    });
  const create = async (text: string, channel: string, fields: Partial<Record<string, string>> = {}) => {
    const answer = await command(text, channel, fields);
    const id = idIn(answer.text);
    expect(answer.text, text).toMatch(/^Programé el reporte #\d+: /);
    return { id, answer, description: (/^Programé el reporte #\d+: (.*)\. Lo publicaré/s.exec(answer.text) ?? [])[1] as string };
  };
  /** Its latest fire becomes its next run, so the scheduler's next tick finds it due. */
  const makeDue = async (id: number) => {
    const fire = lastFireAtOrBefore(await ruleOfStored(id), Date.now()) as number;
    await prisma().schedule.update({ where: { id }, data: { nextRunAt: new Date(fire) } });
    return fire;
  };
  const answerAt = (path: string) =>
    until(`the answer at ${path}`, () => f.slack.responses.find((r) => r.path === path)?.body as { text: string } | undefined);
  const click = async (actionId: string, value: number, channel: string, options: { team?: string; user?: string } = {}) => {
    const res = await f.click({ actionId, value: String(value) }, { channel, ...options });
    expect([res.status, res.text]).toEqual([200, ""]);
    const answer = await answerAt(res.responsePath);
    expect(answer).toMatchObject({ response_type: "ephemeral", replace_original: false });
    return answer.text;
  };
  const sections = (blocks: unknown) => ((blocks ?? []) as Block[]).filter((b) => b.type === "section").map((b) => b.text?.text);
  /** The lines a scheduled post carries above the summary. */
  const postLines = (blocks: unknown) => String(sections(blocks)[0]).split("\n");
  const notFound = (id: number) =>
    `No hay un reporte programado #${id} en este canal. Los de este canal: \`/hsm-report schedules\`.`;

  beforeAll(async () => {
    f = await startSlackFixture(fresh(), {}, { messages: 400 });
    const other = await createTenant(f.app.store, {
      slug: "otra",
      name: "Otra empresa",
      timeZone: "America/Bogota",
      locale: "es",
    });
    otherTenantId = other.tenant.id;
    await bindSlackWorkspace(f.app.store, OTHER_TEAM, otherTenantId, new Date());
  });
  afterAll(async () => {
    await f?.close();
    await f?.db.drop();
  });

  const creations = [
    {
      name: "daily",
      text: "schedule daily 08:00",
      rule: { frequency: "daily", day: null, time: "08:00", timeZone: ZONE },
      words: "Cada día a las 08:00 (America/Lima), reporte del día anterior",
      filters: { campaigns: [], channels: [], agents: [], states: [] },
      format: "xlsx",
      tail: "XLSX",
    },
    {
      name: "weekly, with a campaign and CSV",
      text: 'schedule weekly mon 08:00 campaign:"Campaña chattigo" format:csv',
      rule: { frequency: "weekly", day: "mon", time: "08:00", timeZone: ZONE },
      words: "Cada lunes a las 08:00 (America/Lima), reporte de la semana anterior",
      filters: { campaigns: ["Campaña chattigo"], channels: [], agents: [], states: [] },
      format: "csv",
      tail: "Campaña chattigo · CSV",
    },
    {
      name: "monthly on the 1st",
      text: "schedule monthly 1 08:00",
      rule: { frequency: "monthly", day: "1", time: "08:00", timeZone: ZONE },
      words: "El día 1 de cada mes a las 08:00 (America/Lima), reporte del mes anterior",
      filters: { campaigns: [], channels: [], agents: [], states: [] },
      format: "xlsx",
      tail: "XLSX",
    },
    {
      name: "monthly on the last day, in another zone",
      text: "schedule monthly last 08:00 tz:Europe/Madrid",
      rule: { frequency: "monthly", day: "last", time: "08:00", timeZone: "Europe/Madrid" },
      words:
        "El último día de cada mes a las 08:00 (Europe/Madrid), reporte desde el último día del mes anterior hasta la víspera",
      filters: { campaigns: [], channels: [], agents: [], states: [] },
      format: "xlsx",
      tail: "XLSX",
    },
    {
      name: "weekly, in Spanish",
      text: "programar semanal lun 08:00",
      rule: { frequency: "weekly", day: "mon", time: "08:00", timeZone: ZONE },
      words: "Cada lunes a las 08:00 (America/Lima), reporte de la semana anterior",
      filters: { campaigns: [], channels: [], agents: [], states: [] },
      format: "xlsx",
      tail: "XLSX",
    },
  ] as const;

  it.each(creations.map((c, i) => ({ ...c, channel: `C0NEW${i}` })))(
    "created $name by text: answered in words with its first post, announced in the channel, stored",
    async ({ channel, ...c }) => {
      const before = Date.now();
      const answer = await command(c.text, channel);
      const id = idIn(answer.text);
      const row = await stored(id);
      const rule = ruleOf(row);
      // The first post is the first fire after the schedule was created.
      expect(row.nextRunAt.getTime()).toBe(nextFireAfter(rule, row.createdAt.getTime()));
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const description = `${c.words}; primera entrega: ${dayWords(row.nextRunAt.getTime(), c.rule.timeZone)} · ${c.tail}`;
      expect(answer).toEqual({
        response_type: "ephemeral",
        text: `Programé el reporte #${id}: ${description}. Lo publicaré en este canal; para pausarlo: \`/hsm-report schedule pause ${id}\`.`,
      });
      expect(announcements(channel)).toEqual([`<@U0ANA> programó el reporte #${id}: ${description}.`]);
      expect({
        tenantId: row.tenantId,
        platform: row.platform,
        conversationId: row.conversationId,
        frequency: row.frequency,
        day: row.day,
        time: row.time,
        timeZone: row.timeZone,
        filters: JSON.parse(row.filters),
        format: row.format,
        locale: row.locale,
        createdBy: row.createdBy,
        paused: row.paused,
        deletedAt: row.deletedAt,
        consecutiveFailures: row.consecutiveFailures,
      }).toEqual({
        tenantId: f.demoTenantId,
        platform: "slack",
        conversationId: channel,
        ...c.rule,
        filters: c.filters,
        format: c.format,
        locale: "es",
        createdBy: "U0ANA",
        paused: false,
        deletedAt: null,
        consecutiveFailures: 0,
      });
      // Where it posts: the channel, nobody's request; its creator is who hears when it cannot post.
      expect(JSON.parse(row.conversation)).toMatchObject({
        platform: "slack",
        workspaceId: "T0FAKE",
        conversationId: channel,
        requesterId: null,
        extra: { creatorId: "U0ANA" },
      });
      expect(JSON.parse(row.conversation).extra.responseUrl).toBeUndefined();
    },
  );

  it("`schedules` lists this channel's schedules with their buttons; `programaciones` with none says how to make one", async () => {
    const a = await create(`schedule daily ${localTime(12 * 3_600_000)}`, "C0LIST");
    const b = await create("schedule weekly fri 18:00 format:csv", "C0LIST");
    await create("schedule daily 07:00", "C0LISTOTHER");
    await command(`schedule pause ${b.id}`, "C0LIST");

    const list = await command("schedules", "C0LIST");
    expect(list.text).toBe(
      `Reportes programados en este canal\n#${a.id} · ${a.description}\n#${b.id} · ${b.description} · *pausado*`,
    );
    const confirm = {
      title: { type: "plain_text", text: "¿Eliminar el reporte?", emoji: true },
      text: { type: "plain_text", text: "No volverá a publicarse.", emoji: true },
      confirm: { type: "plain_text", text: "Eliminar", emoji: true },
      deny: { type: "plain_text", text: "Cancelar", emoji: true },
    };
    const button = (action: string, text: string, id: number, extra: object = {}) => ({
      type: "button",
      action_id: action,
      text: { type: "plain_text", text, emoji: true },
      value: String(id),
      ...extra,
    });
    const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
    expect(list.blocks).toEqual([
      section("*Reportes programados en este canal*"),
      section(`#${a.id} · ${a.description}`),
      {
        type: "actions",
        block_id: `schedule_${a.id}`,
        elements: [
          button("schedule_pause", "Pausar", a.id),
          button("schedule_run", "Ejecutar ahora", a.id),
          button("schedule_delete", "Eliminar", a.id, { style: "danger", confirm }),
        ],
      },
      section(`#${b.id} · ${b.description} · *pausado*`),
      {
        type: "actions",
        block_id: `schedule_${b.id}`,
        elements: [
          button("schedule_resume", "Reanudar", b.id),
          button("schedule_run", "Ejecutar ahora", b.id),
          button("schedule_delete", "Eliminar", b.id, { style: "danger", confirm }),
        ],
      },
    ]);
    expect(b.description).toMatch(
      /^Cada viernes a las 18:00 \(America\/Lima\), reporte de los siete días anteriores; primera entrega: viernes \d+ de \w+ · CSV$/,
    );

    // Paused while its fire passed: its next_run_at stands still, but the list dates the post a resume would bring.
    await prisma().schedule.update({ where: { id: b.id }, data: { nextRunAt: new Date(Date.now() - 3 * 86_400_000) } });
    const stale = await command("schedules", "C0LIST");
    const bRule = await ruleOfStored(b.id);
    expect(stale.text.split("\n")[2]).toBe(
      `#${b.id} · Cada viernes a las 18:00 (America/Lima), reporte de los siete días anteriores; ` +
        `primera entrega: ${dayWords(nextFireAfter(bRule, Date.now()), ZONE)} · CSV · *pausado*`,
    );

    for (const word of ["schedules", "programaciones"]) {
      expect(await command(word, "C0EMPTY")).toEqual({
        response_type: "ephemeral",
        text: "No hay reportes programados en este canal. Crea uno con `/hsm-report schedule daily 08:00`.",
      });
    }
    // Listing changes nothing, so nothing is announced.
    expect(announcements("C0EMPTY")).toEqual([]);
  });

  /** Waits for the post of schedule `id`'s run number `count` and checks what it says. */
  async function expectPost(id: number, channel: string, count: number, period: { from: string; to: string }, head: string) {
    const runs = await ended(id, count);
    const run = runs[count - 1];
    expect([run?.outcome, run?.periodFrom, run?.periodTo]).toEqual(["posted", period.from, period.to]);
    const upload = uploadsTo(channel).find((u) => u.fileId === run?.postRef);
    expect(upload, "the file of the run").toBeDefined();
    const lines = postLines(upload?.blocks);
    expect(lines[0]).toBe(`*${head}* · creado por <@U0ANA> · #${id}`);
    const words = periodWords(period.from, period.to);
    expect(lines[1]).toBe(`${words.charAt(0).toUpperCase()}${words.slice(1)} (America/Lima)`);
    // The change against the period of the same length just before.
    const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + 1;
    const previousTo = new Date(Date.parse(period.from) - 86_400_000).toISOString().slice(0, 10);
    const previousFrom = new Date(Date.parse(previousTo) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const previous = periodWords(previousFrom, previousTo);
    const against = previous.startsWith("el ") ? `al ${previous.slice(3)}` : `al período ${previous}`;
    expect(lines[2]).toMatch(
      new RegExp(`^Entregados ${RATE} · Leídos ${RATE} · Fallidos ${RATE} · frente ${escapeRegex(against)}$`),
    );
    const summary = sections(upload?.blocks).slice(1).join("\n");
    expect(summary).toContain(`*Reporte de gestión HSM* · Período del reporte: *${period.from} – ${period.to}* (America/Lima)`);
    expect(summary).toMatch(/\*Total de mensajes: \d+\*/);
    return { lines, upload, run };
  }

  it("pause, resume, run now and delete by text: each answered, announced, stored; run now posts the last period and leaves the next run", async () => {
    const channel = "C0TEXTACT";
    // Twelve hours away: the heartbeat never posts it while the test runs.
    const time = localTime(12 * 3_600_000);
    const { id } = await create(`schedule daily ${time}`, channel);
    const rule = await ruleOfStored(id);
    const said = () => announcements(channel).slice(1);

    expect(await command(`schedule pause ${id}`, channel)).toEqual({
      response_type: "ephemeral",
      text: `Pausé el reporte #${id}. Para reanudarlo: \`/hsm-report schedule resume ${id}\`.`,
    });
    expect((await stored(id)).paused).toBe(true);

    const resumedAt = Date.now();
    expect((await command(`programar reanudar ${id}`, channel)).text).toBe(`Reanudé el reporte #${id}.`);
    const resumed = await stored(id);
    expect(resumed.paused).toBe(false);
    // From now on: the first fire after the resume.
    expect(resumed.nextRunAt.getTime()).toBeGreaterThan(resumedAt);
    expect(resumed.nextRunAt.getTime()).toBe(nextFireAfter(rule, resumed.updatedAt.getTime()));

    const nextRun = resumed.nextRunAt.getTime();
    expect((await command(`schedule run #${id}`, channel)).text).toBe(
      `Generando ahora el reporte #${id}; lo publicaré en este canal.`,
    );
    const period = periodOfFire(rule, lastFireAtOrBefore(rule, Date.now()) as number);
    const { run } = await expectPost(id, channel, 1, period, `Diario ${time} America/Lima`);
    expect([run?.kind, run?.requestedBy, run?.late]).toEqual(["manual", "U0ANA", false]);
    expect(uploadsTo(channel)).toHaveLength(1);
    expect((await stored(id)).nextRunAt.getTime()).toBe(nextRun);

    expect(await command(`schedule delete ${id}`, channel)).toEqual({
      response_type: "ephemeral",
      text: `Eliminé el reporte #${id}.`,
    });
    expect((await stored(id)).deletedAt).not.toBeNull();
    expect(said()).toEqual([
      `<@U0ANA> pausó el reporte #${id}.`,
      `<@U0ANA> reanudó el reporte #${id}.`,
      `<@U0ANA> pidió ahora el reporte #${id}.`,
      `<@U0ANA> eliminó el reporte #${id}.`,
    ]);
    // Gone: not listed, not found.
    expect((await command("schedules", channel)).text).toBe(
      "No hay reportes programados en este canal. Crea uno con `/hsm-report schedule daily 08:00`.",
    );
    expect((await command(`schedule pause ${id}`, channel)).text).toBe(notFound(id));
  });

  it("pause, resume, run now and delete by clicking the list's buttons: answered to the person, announced, stored", async () => {
    const channel = "C0BUTTONS";
    const time = localTime(12 * 3_600_000);
    const { id } = await create(`schedule weekly mon ${time}`, channel);
    const rule = await ruleOfStored(id);
    const list = await command("schedules", channel);
    const ids = (list.blocks ?? []).flatMap((b) => (b.elements ?? []).map((e) => e.action_id));
    expect(ids).toEqual(["schedule_pause", "schedule_run", "schedule_delete"]);

    expect(await click("schedule_pause", id, channel)).toBe(
      `Pausé el reporte #${id}. Para reanudarlo: \`/hsm-report schedule resume ${id}\`.`,
    );
    expect((await stored(id)).paused).toBe(true);
    // The list now offers Resume.
    const paused = await command("schedules", channel);
    expect(paused.blocks?.[2]?.elements?.[0]).toMatchObject({ action_id: "schedule_resume", text: { text: "Reanudar" } });

    expect(await click("schedule_resume", id, channel)).toBe(`Reanudé el reporte #${id}.`);
    const resumed = await stored(id);
    expect(resumed.paused).toBe(false);
    expect(resumed.nextRunAt.getTime()).toBe(nextFireAfter(rule, resumed.updatedAt.getTime()));

    expect(await click("schedule_run", id, channel)).toBe(`Generando ahora el reporte #${id}; lo publicaré en este canal.`);
    const period = periodOfFire(rule, lastFireAtOrBefore(rule, Date.now()) as number);
    await expectPost(id, channel, 1, period, `Semanal (lunes) ${time} America/Lima`);
    expect(uploadsTo(channel)).toHaveLength(1);
    expect((await stored(id)).nextRunAt.getTime()).toBe(resumed.nextRunAt.getTime());

    expect(await click("schedule_delete", id, channel)).toBe(`Eliminé el reporte #${id}.`);
    expect((await stored(id)).deletedAt).not.toBeNull();
    expect(announcements(channel).slice(1)).toEqual([
      `<@U0ANA> pausó el reporte #${id}.`,
      `<@U0ANA> reanudó el reporte #${id}.`,
      `<@U0ANA> pidió ahora el reporte #${id}.`,
      `<@U0ANA> eliminó el reporte #${id}.`,
    ]);
    // A second click on Delete of the old list: not found any more.
    expect(await click("schedule_delete", id, channel)).toBe(notFound(id));
  });

  it("the form's schedule choice creates the schedule and announces it; a missing day or a bad zone is said under its field", async () => {
    const answers = { campaigns: ["Cobranza octubre"], from: "2026-01-01", to: "2026-01-07", format: "csv" as const };
    const errors = async (schedule: Parameters<typeof formValues>[0]["schedule"]) => {
      const res = await f.submitForm(formValues({ ...answers, schedule }));
      expect(res.status).toBe(200);
      return res.json as { response_action: string; errors: Record<string, string> };
    };
    const count = await prisma().schedule.count();

    expect(await errors({ frequency: "weekly" })).toEqual({
      response_action: "errors",
      errors: { schedule_weekday: "Elige el día de la semana en que se publica." },
    });
    expect(await errors({ frequency: "monthly" })).toEqual({
      response_action: "errors",
      errors: { schedule_day: "Elige el día del mes en que se publica." },
    });
    expect(await errors({ frequency: "daily", time: null })).toEqual({
      response_action: "errors",
      errors: { schedule_time: "Elige la hora a la que se publica." },
    });
    const zone = await errors({ frequency: "daily", zone: "Europe/Madri" });
    expect(Object.keys(zone.errors)).toEqual(["schedule_zone"]);
    expect(zone.errors.schedule_zone).toMatch(/^`Europe\/Madri` no es una zona horaria\. ¿Quisiste decir `Europe\/Madrid`\?/);
    expect(zone.errors.schedule_zone?.length).toBeLessThanOrEqual(150);
    // A name that matches nothing: under its own list, as for a report (no typed command's usage line).
    const campaign = await f.submitForm(
      formValues({ ...answers, campaigns: ["Cobranza noviembre"], schedule: { frequency: "daily" } }),
    );
    expect(campaign.json).toEqual({
      response_action: "errors",
      errors: { campaigns: "No encuentro la campaña `Cobranza noviembre`. ¿Quisiste decir `Cobranza octubre`?" },
    });
    const line = await f.submitForm(formValues({ ...answers, channels: ["Ventas Peru 2"], schedule: { frequency: "daily" } }));
    expect(Object.keys((line.json as { errors: Record<string, string> }).errors)).toEqual(["channels"]);
    expect((line.json as { errors: Record<string, string> }).errors.channels).toMatch(/^No encuentro el canal `Ventas Peru 2`\./);
    expect(await prisma().schedule.count()).toBe(count);
    expect(announcements("C0FORM")).toEqual([]);

    const ok = await f.submitForm(
      formValues({ ...answers, schedule: { frequency: "weekly", weekday: "wed", time: "07:30", zone: "America/Bogota" } }),
    );
    expect([ok.status, ok.text]).toEqual([200, ""]);
    // The form closes at once (Slack wants its answer within 3 s); the announcement follows.
    const announced = await until("the announcement", () => announcements("C0FORM")[0]);
    const id = idIn(String(announced));
    const row = await stored(id);
    expect(announced).toBe(
      `<@U0ANA> programó el reporte #${id}: Cada miércoles a las 07:30 (America/Bogota), reporte de los siete días anteriores; ` +
        `primera entrega: ${dayWords(row.nextRunAt.getTime(), "America/Bogota")} · Cobranza octubre · CSV.`,
    );
    expect([row.frequency, row.day, row.time, row.timeZone, row.format, row.conversationId, row.createdBy]).toEqual([
      "weekly",
      "wed",
      "07:30",
      "America/Bogota",
      "csv",
      "C0FORM",
      "U0ANA",
    ]);
    expect(JSON.parse(row.filters)).toEqual({ campaigns: ["Cobranza octubre"], channels: [], agents: [], states: [] });
    // A schedule, not a report: nothing was queued for the form's dates.
    expect(await prisma().reportJob.count({ where: { conversation: { contains: '"C0FORM"' } } })).toBe(0);

    const monthly = await f.submitForm(
      formValues({ ...answers, schedule: { frequency: "monthly", day: "last", time: "23:15" } }),
    );
    expect([monthly.status, monthly.text]).toEqual([200, ""]);
    expect(await until("the second announcement", () => announcements("C0FORM")[1])).toMatch(
      /^<@U0ANA> programó el reporte #\d+: El último día de cada mes a las 23:15 \(America\/Lima\), .* · Cobranza octubre · CSV\.$/,
    );
  });

  it("each bad input is answered with the word at fault and the schedule's usage line, and nothing is stored or announced", async () => {
    const channel = "C0BAD";
    const count = await prisma().schedule.count();
    const cases: [string, string][] = [
      ["schedule daily 25:00", "`25:00` no es una hora válida: usa HH:MM, de `00:00` a `23:59`."],
      [
        "schedule daily 08:00 tz:Europe/Madri",
        "`tz:Europe/Madri` no es una zona horaria. ¿Quisiste decir `Europe/Madrid`? Usa un nombre IANA (Área/Ciudad) como `America/Lima`, que sigue el horario de verano del lugar.",
      ],
      ["schedule weekly 08:00", "`weekly` lleva el día de la semana antes de la hora, por ejemplo `weekly mon 08:00`."],
      ["programar semanal 08:00", "`semanal` lleva el día de la semana antes de la hora, por ejemplo `semanal lun 08:00`."],
      ["schedule monthly 32 08:00", "`32`: el día del mes va de `1` a `31`, o `last` para el último día."],
      [
        'schedule daily 08:00 campaign:"Campaña chatigo"',
        "No encuentro la campaña `Campaña chatigo`. ¿Quisiste decir `Campaña chattigo`?",
      ],
    ];
    for (const [text, first] of cases) {
      expect(await command(text, channel), text).toEqual({ response_type: "ephemeral", text: `${first}\n${USAGE}` });
    }
    expect(await prisma().schedule.count()).toBe(count);
    expect(posted(channel)).toEqual([]);
  });

  it("a schedule of another channel or another tenant is answered exactly as one that never existed, by text and by button", async () => {
    const mine = await create(`schedule daily ${localTime(12 * 3_600_000)} campaign:"Bienvenida clientes"`, "C0MINE");
    // Another tenant's schedule, in a channel whose id is the same as one of ours.
    const theirTime = localTime(13 * 3_600_000);
    const theirs = await create(`schedule daily ${theirTime}`, "C0SHARED", { team_id: OTHER_TEAM });
    expect((await stored(theirs.id)).tenantId).toBe(otherTenantId);
    const never = 999_999;
    const before = await prisma().schedule.findMany({ orderBy: { id: "asc" } });
    const runsBefore = await prisma().scheduleRun.count();
    const responsesBefore = f.slack.responses.length;

    const tries: [number, string][] = [
      [mine.id, "C0ELSEWHERE"],
      [theirs.id, "C0SHARED"],
      [never, "C0MINE"],
    ];
    for (const [id, channel] of tries) {
      for (const action of ["pause", "resume", "run", "delete"]) {
        const answer = await command(`schedule ${action} ${id}`, channel);
        expect(answer, `${action} ${id} in ${channel}`).toEqual({ response_type: "ephemeral", text: notFound(id) });
        expect(await click(`schedule_${action}`, id, channel), `click ${action} ${id} in ${channel}`).toBe(notFound(id));
      }
    }
    // Nor is another tenant's schedule listed in a channel of the same id.
    expect((await command("schedules", "C0SHARED")).text).toBe(
      "No hay reportes programados en este canal. Crea uno con `/hsm-report schedule daily 08:00`.",
    );
    expect(await prisma().schedule.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await prisma().scheduleRun.count()).toBe(runsBefore);
    expect([...posted("C0ELSEWHERE"), ...posted("C0SHARED").slice(1), ...posted("C0MINE").slice(1)]).toEqual([]);
    // Its contents never show elsewhere.
    const answers = JSON.stringify(f.slack.responses.slice(responsesBefore));
    expect(answers).not.toContain("Bienvenida clientes");
    expect(answers).not.toContain(theirTime);
  });

  it("a due schedule is posted by the scheduler exactly once, with its line, period and comparison, and its next run moves on", async () => {
    const channel = "C0ONTIME";
    // A schedule whose time was a minute ago: its latest fire is due and not late.
    const { id } = await create(`schedule daily ${localTime(-60_000)}`, channel);
    const rule = await ruleOfStored(id);
    const fire = await makeDue(id);
    await f.app.schedulerTick();
    const period = periodOfFire(rule, fire);
    const { lines, run } = await expectPost(id, channel, 1, period, `Diario ${rule.time} America/Lima`);
    expect([run?.kind, run?.late, run?.requestedBy]).toEqual(["scheduled", false, null]);
    expect(lines).toHaveLength(3);
    expect((await stored(id)).nextRunAt.getTime()).toBe(nextFireAfter(rule, fire));
    // Nothing more is due: another tick posts nothing.
    await f.app.schedulerTick();
    expect(await runsOf(id)).toHaveLength(1);
    expect(uploadsTo(channel)).toHaveLength(1);
    // The progress message was updated in place to say it is ready.
    const updates = f.slack.callsTo("chat.update").filter((c) => c.args.channel === channel);
    expect(String(updates.at(-1)?.args.text)).toMatch(/^Reporte listo: \d+ filas\./);
  });

  it("a fire missed by more than five minutes is posted late, and says so", async () => {
    const channel = "C0LATE";
    const { id } = await create(`schedule daily ${localTime(-3 * 3_600_000)}`, channel);
    const rule = await ruleOfStored(id);
    const fire = await makeDue(id);
    await f.app.schedulerTick();
    const { lines, run } = await expectPost(id, channel, 1, periodOfFire(rule, fire), `Diario ${rule.time} America/Lima`);
    expect(run?.late).toBe(true);
    expect(lines[3]).toBe(
      `Este reporte llega tarde: debía publicarse el ${localDate(fire, ZONE)} a las ${rule.time} (America/Lima).`,
    );
    expect(uploadsTo(channel)).toHaveLength(1);
  });

  it("a schedule whose channel the bot left tells its creator in a direct message", async () => {
    const channel = "C0GONE";
    const { id } = await create(`schedule daily ${localTime(12 * 3_600_000)}`, channel);
    f.slack.notInChannel.add(channel);
    await makeDue(id);
    await f.app.schedulerTick();
    const [run] = await ended(id);
    expect(run?.outcome).toBe("failed");
    expect(posted("U0ANA")).toEqual([
      `No pude publicar el reporte programado #${id} en <#${channel}>: ya no puedo escribir en ese canal (quizá me quitaron o se archivó). ` +
        `Vuelve a agregarme al canal, o elimina el reporte con \`/hsm-report schedule delete ${id}\`.`,
    ]);
    expect(uploadsTo(channel)).toEqual([]);
  });

  it("a schedule made in a channel the bot is not in is kept, and the person is told to invite the bot", async () => {
    const channel = "C0NOTYET";
    f.slack.notInChannel.add(channel);
    const answer = await command(`schedule daily ${localTime(12 * 3_600_000)}`, channel);
    const id = idIn(answer.text);
    expect(answer.text).toMatch(
      new RegExp(
        `^Programé el reporte #${id}: .*\\. Lo publicaré en este canal; para pausarlo: \`/hsm-report schedule pause ${id}\`\\.\n` +
          escapeRegex(
            "No puedo escribir en este canal porque no soy miembro, así que no anuncié el cambio ni podré publicar aquí sus reportes programados. Invítame con `/invite @hsm-report`.",
          ) +
          "$",
      ),
    );
    expect((await stored(id)).conversationId).toBe(channel);
    f.slack.notInChannel.delete(channel);
  });

  it("a run whose period had no messages says so instead of posting an empty file", async () => {
    const channel = "C0NADA";
    await prisma().campaign.create({ data: { tenantId: f.demoTenantId, name: "Campaña sin envíos" } });
    const { id } = await create(`schedule daily ${localTime(12 * 3_600_000)} campaign:"Campaña sin envíos"`, channel);
    const rule = await ruleOfStored(id);
    await command(`schedule run ${id}`, channel);
    const [run] = await ended(id);
    expect(run?.outcome).toBe("empty");
    const period = periodOfFire(rule, lastFireAtOrBefore(rule, Date.now()) as number);
    const update = f.slack.callsTo("chat.update").find((c) => c.args.channel === channel && c.args.blocks);
    expect(update?.args.text).toBe(
      `Reporte programado #${id}: no hubo mensajes para estos filtros entre el ${period.from} y el ${period.to} (America/Lima), así que no adjunto un archivo vacío.`,
    );
    const words = periodWords(period.from, period.to);
    expect(postLines(update?.args.blocks)).toEqual([
      `*Diario ${rule.time} America/Lima* · creado por <@U0ANA> · #${id}`,
      `${words.charAt(0).toUpperCase()}${words.slice(1)} (America/Lima)`,
    ]);
    expect(sections(update?.args.blocks)).toContain("No hay mensajes para estos filtros en este período.");
    expect(uploadsTo(channel)).toEqual([]);
  });

  it("a schedule that fails a third time in a row pauses itself and says so in the channel", async () => {
    const channel = "C0THIRD";
    const { id } = await create(`schedule daily ${localTime(12 * 3_600_000)}`, channel);
    // Two scheduled runs failed before this one.
    await prisma().schedule.update({ where: { id }, data: { consecutiveFailures: 2 } });
    f.slack.failures.push({
      method: "files.completeUploadExternal",
      times: 1,
      error: "access_denied",
      when: (args) => args.channel_id === channel,
    });
    await makeDue(id);
    await f.app.schedulerTick();
    const notice = `Pausé el reporte programado #${id} porque falló 3 veces seguidas. Cuando se resuelva, reanúdalo con \`/hsm-report schedule resume ${id}\`.`;
    await until("the notice", () => posted(channel).includes(notice));
    const row = await stored(id);
    expect([row.paused, row.consecutiveFailures]).toEqual([true, 3]);
    expect((await command("schedules", channel)).text).toMatch(/ · \*pausado\*$/);
    // Resumed, it starts counting again.
    await command(`schedule resume ${id}`, channel);
    expect((await stored(id)).consecutiveFailures).toBe(0);
  });

  it("a run that fails says so in the channel with a Retry button, and Retry posts the report", async () => {
    const channel = "C0FAIL";
    const time = localTime(12 * 3_600_000);
    const { id } = await create(`schedule daily ${time}`, channel);
    const rule = await ruleOfStored(id);
    f.slack.failures.push({
      method: "files.completeUploadExternal",
      times: 1,
      error: "access_denied",
      when: (args) => args.channel_id === channel,
    });
    const fire = await makeDue(id);
    await f.app.schedulerTick();
    const [failed] = await ended(id);
    expect(failed?.outcome).toBe("failed");
    const update = f.slack.callsTo("chat.update").find((c) => c.args.channel === channel && c.args.blocks);
    const text = String(update?.args.text);
    expect(text).toMatch(
      new RegExp(
        `^No se pudo publicar el reporte programado #${id}: Slack no aceptó el reporte \\(\`access_denied\`, ref [0-9a-f]{6}\\)\\. ` +
          `Vuelve a pedirlo; si vuelve a fallar, avisa a tu administrador y dale esa referencia\\. ` +
          `Puedes reintentarlo con \`/hsm-report schedule run ${id}\`\\.$`,
      ),
    );
    expect(update?.args.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "schedule_retry",
            text: { type: "plain_text", text: "Reintentar", emoji: true },
            value: String(failed?.id),
            style: "primary",
          },
        ],
      },
    ]);
    expect(uploadsTo(channel)).toEqual([]);

    expect(await click("schedule_retry", failed?.id as number, channel)).toBe(
      `Generando ahora el reporte #${id}; lo publicaré en este canal.`,
    );
    const { run } = await expectPost(id, channel, 2, periodOfFire(rule, fire), `Diario ${time} America/Lima`);
    expect([run?.kind, run?.requestedBy]).toEqual(["retry", "U0ANA"]);
    expect(uploadsTo(channel)).toHaveLength(1);
    expect(announcements(channel).at(-1)).toBe(`<@U0ANA> pidió ahora el reporte #${id}.`);

    // Retry of this channel's run, clicked in another channel or workspace: as a run that never existed.
    const runId = failed?.id as number;
    expect(await click("schedule_retry", runId, "C0ELSEWHERE")).toBe(notFound(runId));
    expect(await click("schedule_retry", runId, channel, { team: OTHER_TEAM })).toBe(notFound(runId));
    expect(await click("schedule_retry", 999_999, channel)).toBe(notFound(999_999));
    // Once the schedule is deleted, its Retry button finds it no more.
    await command(`schedule delete ${id}`, channel);
    expect(await click("schedule_retry", runId, channel)).toBe(notFound(id));
    expect(await runsOf(id)).toHaveLength(2);
  });

  it("a channel with more schedules than a message holds lists the first 23 with buttons and says how many more", async () => {
    const channel = "C0MANY";
    const hour = localTime(12 * 3_600_000).slice(0, 2);
    for (let i = 0; i < 25; i++) await create(`schedule daily ${hour}:${String(i * 2).padStart(2, "0")}`, channel);
    const list = await command("schedules", channel);
    expect(list.blocks).toHaveLength(48);
    expect(list.blocks?.filter((b) => b.type === "actions")).toHaveLength(23);
    expect(list.blocks?.at(-1)).toEqual({ type: "section", text: { type: "mrkdwn", text: "… +2 más" } });
    expect(list.text.split("\n")).toHaveLength(26);
  });

  it("someone the tenant's allow-list leaves out can neither list nor change its schedules", async () => {
    const { id } = await create(`schedule daily ${localTime(12 * 3_600_000)}`, "C0ALLOWED", { team_id: OTHER_TEAM });
    await allowChatUser(f.app.store, otherTenantId, "slack", "U0BOSS");
    const refusal = "No tienes permiso para pedir reportes de HSM. Pide a tu administrador que te agregue.";
    expect((await command("schedules", "C0ALLOWED", { team_id: OTHER_TEAM })).text).toBe(refusal);
    expect((await command(`schedule pause ${id}`, "C0ALLOWED", { team_id: OTHER_TEAM })).text).toBe(refusal);
    expect(await click("schedule_delete", id, "C0ALLOWED", { team: OTHER_TEAM })).toBe(refusal);
    expect([(await stored(id)).paused, (await stored(id)).deletedAt]).toEqual([false, null]);
    // Whoever is listed may.
    expect(await click("schedule_pause", id, "C0ALLOWED", { team: OTHER_TEAM, user: "U0BOSS" })).toBe(
      `Pausé el reporte #${id}. Para reanudarlo: \`/hsm-report schedule resume ${id}\`.`,
    );
    expect(announcements("C0ALLOWED").at(-1)).toBe(`<@U0BOSS> pausó el reporte #${id}.`);
  });

  it("schedules keep their state across a restart, and a deleted or paused one never fires", async () => {
    const channel = "C0RESTART";
    const time = localTime(12 * 3_600_000);
    const active = await create(`schedule daily ${time}`, channel);
    const paused = await create(`schedule weekly tue ${time}`, channel);
    const resumed = await create(`schedule monthly 15 ${time}`, channel);
    const deleted = await create(`schedule daily ${time}`, channel);
    await command(`schedule pause ${paused.id}`, channel);
    await command(`schedule pause ${resumed.id}`, channel);
    await command(`schedule resume ${resumed.id}`, channel);
    await command(`schedule delete ${deleted.id}`, channel);
    const ids = [active.id, paused.id, resumed.id, deleted.id];
    const before = await prisma().schedule.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    expect(before.map((s) => [s.paused, s.deletedAt !== null])).toEqual([
      [false, false],
      [true, false],
      [false, false],
      [false, true],
    ]);

    await f.restart();

    expect(await prisma().schedule.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).toEqual(before);
    expect((await command("schedules", channel)).text).toBe(
      "Reportes programados en este canal\n" +
        `#${active.id} · ${active.description}\n#${paused.id} · ${paused.description} · *pausado*\n#${resumed.id} · ${resumed.description}`,
    );

    // The deleted and the paused one made due: the scheduler passes them by; the live one posts.
    await makeDue(deleted.id);
    await makeDue(paused.id);
    const fire = await makeDue(active.id);
    await f.app.schedulerTick();
    await expectPost(active.id, channel, 1, periodOfFire(await ruleOfStored(active.id), fire), `Diario ${time} America/Lima`);
    await f.app.schedulerTick();
    expect(await runsOf(deleted.id)).toEqual([]);
    expect(await runsOf(paused.id)).toEqual([]);
    expect(uploadsTo(channel)).toHaveLength(1);
    expect(posted(channel).filter((t) => t === "Generando reporte…")).toHaveLength(1);
  });
});
