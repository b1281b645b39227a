// The Slack app as a workspace sees it: the real server (Bolt included) on a fresh database with
// the demo tenant bound to the workspace, a fake of Slack's Web API, and the requests a person's
// clicks send, signed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDemo } from "../../src/demo/run-demo.ts";
import { bindSlackWorkspace } from "../../src/store/chat-bindings.ts";
import { startTestApp, type TestApp } from "./app.ts";
import type { TestDatabase } from "./databases.ts";
import { type FakeSlack, startFakeSlack } from "./fake-slack.ts";
import { interactionBody, postSigned, SIGNING_SECRET, slashCommandBody, TEAM } from "./slack.ts";

export interface SlackFixture {
  db: TestDatabase;
  slack: FakeSlack;
  /** The app now running (a new one after restart()). */
  readonly app: TestApp;
  demoTenantId: number;
  command(text: string, fields?: Partial<Record<string, string>>): ReturnType<typeof postSigned>;
  /** Submits the report form as `user` of `team`, with metadata as the form was opened (or as given). */
  submitForm(
    values: Record<string, unknown>,
    options?: { team?: string; user?: string; metadata?: Record<string, unknown> },
  ): ReturnType<typeof postSigned>;
  /** A block_suggestion: the form asks for the campaigns or channels matching what was typed. */
  suggest(actionId: "campaigns" | "channels", typed: string, user?: string): ReturnType<typeof postSigned>;
  /**
   * A click on a button of a message the bot posted in `channel` (block_actions, as Slack sends it).
   * Its response_url is the fake Slack's `responsePath`: what Bolt's respond() said there is in `slack.responses`.
   */
  click(
    button: { actionId: string; value: string; blockId?: string },
    options?: { channel?: string; user?: string; team?: string },
  ): Promise<Awaited<ReturnType<typeof postSigned>> & { responsePath: string }>;
  /** Stops the app and starts a new one on the same database and fake Slack, as a restarted server. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The form's "schedule this" part as Slack sends it; a field left out was not picked. */
export interface FormSchedule {
  frequency: "once" | "daily" | "weekly" | "monthly";
  /** mon … sun */
  weekday?: string;
  /** 1 … 31 or last */
  day?: string;
  /** HH:MM; the form opens with 08:00 */
  time?: string | null;
  /** The form opens with the tenant's zone. */
  zone?: string | null;
}

/** Form values as Slack sends them: campaigns, channels, dates, format, language and the schedule choice. */
export function formValues(answers: {
  campaigns?: string[];
  channels?: string[];
  from: string | null;
  to: string | null;
  format?: "xlsx" | "csv";
  lang?: "es" | "en";
  schedule?: FormSchedule;
}): Record<string, unknown> {
  const selected = (values: string[] = []) => values.map((value) => ({ value, text: { type: "plain_text", text: value } }));
  const option = (value: string | undefined) =>
    value === undefined ? null : { value, text: { type: "plain_text", text: value } };
  const s = answers.schedule;
  const schedule = s
    ? {
        schedule_frequency: { schedule_frequency: { type: "static_select", selected_option: option(s.frequency) } },
        schedule_weekday: { schedule_weekday: { type: "static_select", selected_option: option(s.weekday) } },
        schedule_day: { schedule_day: { type: "static_select", selected_option: option(s.day) } },
        schedule_time: {
          schedule_time: { type: "timepicker", selected_time: s.time === undefined ? "08:00" : s.time },
        },
        schedule_zone: {
          schedule_zone: { type: "plain_text_input", value: s.zone === undefined ? "America/Lima" : s.zone },
        },
      }
    : {};
  return {
    campaigns: { campaigns: { type: "multi_static_select", selected_options: selected(answers.campaigns) } },
    channels: { channels: { type: "multi_static_select", selected_options: selected(answers.channels) } },
    from: { from: { type: "datepicker", selected_date: answers.from } },
    to: { to: { type: "datepicker", selected_date: answers.to } },
    format: { format: { type: "radio_buttons", selected_option: { value: answers.format ?? "xlsx" } } },
    lang: { lang: { type: "radio_buttons", selected_option: { value: answers.lang ?? "es" } } },
    ...schedule,
  };
}

export async function startSlackFixture(
  db: TestDatabase,
  env: Record<string, string> = {},
  demo: { messages: number } = { messages: 1000 },
): Promise<SlackFixture> {
  const slack = await startFakeSlack();
  const start = () =>
    startTestApp(db.url, {
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-slack-reports-")),
      JOB_POLL_MS: "50",
      JOB_PROGRESS_INTERVAL_MS: "0",
      ...env,
    });
  let app = await start();
  await runDemo(app.store, { messages: demo.messages, windowDays: 30, now: new Date() });
  const demoTenant = await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
  await bindSlackWorkspace(app.store, TEAM, demoTenant.id, new Date());
  let clicks = 0;
  return {
    db,
    slack,
    get app() {
      return app;
    },
    demoTenantId: demoTenant.id,
    command: (text, fields = {}) =>
      postSigned(
        app.url,
        slashCommandBody(text, { response_url: `${slack.url}/response/${Math.random().toString(36).slice(2)}`, ...fields }),
      ),
    submitForm: (values, options = {}) => {
      const team = options.team ?? TEAM;
      const user = options.user ?? "U0ANA";
      const metadata = options.metadata ?? { teamId: team, channelId: "C0FORM", userId: user, responseUrl: null };
      return postSigned(
        app.url,
        interactionBody({
          type: "view_submission",
          team: { id: team, domain: "fake" },
          user: { id: user, team_id: team },
          api_app_id: "A0FAKE",
          trigger_id: "1.2.3",
          view: {
            id: "V0FAKE",
            type: "modal",
            callback_id: "hsm_report_form",
            private_metadata: JSON.stringify(metadata),
            state: { values },
          },
        }),
      );
    },
    suggest: (actionId, typed, user = "U0ANA") =>
      postSigned(
        app.url,
        interactionBody({
          type: "block_suggestion",
          user: { id: user, team_id: TEAM },
          team: { id: TEAM, domain: "fake" },
          api_app_id: "A0FAKE",
          action_id: actionId,
          block_id: actionId,
          value: typed,
          view: { id: "V0FAKE", type: "modal", callback_id: "hsm_report_form", private_metadata: "{}" },
        }),
      ),
    async click(button, options = {}) {
      const team = options.team ?? TEAM;
      const user = options.user ?? "U0ANA";
      const channel = options.channel ?? "C0REPORTS";
      const responsePath = `/response/click-${++clicks}-${Math.random().toString(36).slice(2)}`;
      const res = await postSigned(
        app.url,
        interactionBody({
          type: "block_actions",
          user: { id: user, username: "ana", name: "ana", team_id: team },
          api_app_id: "A0FAKE",
          token: "legacy",
          container: { type: "message", message_ts: "1700000000.000100", channel_id: channel, is_ephemeral: true },
          trigger_id: "13345224609.738474920.8088930838d88f008e0",
          team: { id: team, domain: "fake" },
          enterprise: null,
          is_enterprise_install: false,
          channel: { id: channel, name: "reportes" },
          response_url: `${slack.url}${responsePath}`,
          actions: [
            {
              action_id: button.actionId,
              block_id: button.blockId ?? `schedule_${button.value}`,
              text: { type: "plain_text", text: button.actionId, emoji: true },
              value: button.value,
              type: "button",
              action_ts: `${Date.now() / 1000}`,
            },
          ],
        }),
      );
      return { ...res, responsePath };
    },
    async restart() {
      await app.stop();
      app = await start();
    },
    async close() {
      await app.stop();
      await slack.close();
    },
  };
}
