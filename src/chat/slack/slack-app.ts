// The Slack front door: /hsm-report (text or form), the form's submission and its option search.
// Bolt verifies every request's signature; every path acknowledges within Slack's 3 seconds, and
// the report itself becomes a job that answers later in the same conversation.
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from "@slack/bolt";
import { localDate } from "../../domain/local-time.ts";
import { closestNames, normalizeName } from "../../domain/name-match.ts";
import { resolveRange } from "../../domain/relative-range.ts";
import { isReportError } from "../../domain/report-errors.ts";
import type { ReportRequest } from "../../domain/report-request.ts";
import type { Logger } from "../../log.ts";
import { planReport, type ReportSettings } from "../../reports/plan.ts";
import { isChatUserAllowed, tenantForSlackTeam } from "../../store/chat-bindings.ts";
import type { Store } from "../../store/open-store.ts";
import { createJob, recentJobs } from "../../store/report-jobs.ts";
import { loadDimensions } from "../../store/report-source.ts";
import type { Tenant } from "../../store/tenants.ts";
import { parseCommand } from "../commands.ts";
import { chatText, reportErrorText } from "../messages.ts";
import {
  MODAL_CALLBACK_ID,
  type ModalChoices,
  type ModalMetadata,
  readModal,
  reportModal,
  STATIC_OPTIONS_MAX,
  toOption,
} from "./report-modal.ts";
import { describeRequest, historyBlocks, slackText } from "./slack-blocks.ts";
import type { SlackConversation } from "./slack-delivery.ts";

export const SLASH_COMMAND = "/hsm-report";

export interface SlackSettings {
  botToken: string;
  signingSecret: string | null;
  appToken: string | null;
  apiUrl: string;
}

export interface SlackAppDeps {
  store: Store;
  slack: SlackSettings;
  reportSettings: ReportSettings;
  /** Told when a job was queued, so it starts at once. */
  onJobQueued: () => void;
  log: Logger;
  now?: () => Date;
}

export interface SlackFrontDoor {
  app: App;
  /** The HTTP handler for /slack/events (null in Socket Mode). */
  handle: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: "slack" });
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(m.map(String).join(" ")),
    info: (...m: unknown[]) => child.info(m.map(String).join(" ")),
    warn: (...m: unknown[]) => child.warn(m.map(String).join(" ")),
    error: (...m: unknown[]) => child.error(m.map(String).join(" ")),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function requestFor(tenant: Tenant, input: Omit<ReportRequest, "tenant" | "allowCsvFallback">): ReportRequest {
  return { tenant: tenant.slug, allowCsvFallback: false, ...input };
}

async function modalChoices(store: Store, tenantId: number): Promise<ModalChoices> {
  const d = await loadDimensions(store, tenantId);
  return {
    campaigns: d.campaigns.map((c) => ({ label: c.name, value: c.name })),
    channels: d.channels.map((c) => ({
      label: c.name === c.phoneNumberId ? c.phoneNumberId : `${c.name} (${c.displayNumber ?? c.phoneNumberId})`,
      value: c.phoneNumberId,
    })),
  };
}

export function createSlackApp(deps: SlackAppDeps): SlackFrontDoor {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());
  const socketMode = Boolean(deps.slack.appToken);
  const clientOptions = { slackApiUrl: deps.slack.apiUrl, retryConfig: { retries: 2 } };
  const logger = boltLogger(log);
  let receiver: HTTPReceiver | null = null;
  let app: App;
  if (socketMode) {
    app = new App({
      token: deps.slack.botToken,
      appToken: deps.slack.appToken as string,
      socketMode: true,
      clientOptions,
      logger,
    });
  } else {
    receiver = new HTTPReceiver({ signingSecret: deps.slack.signingSecret as string, endpoints: "/slack/events", logger });
    app = new App({ token: deps.slack.botToken, receiver, clientOptions, logger, tokenVerificationEnabled: false });
  }

  /** The tenant behind a workspace, or the sentence that explains why there is none for this person. */
  async function access(teamId: string, userId: string): Promise<{ tenant: Tenant } | { refusal: string }> {
    const tenant = await tenantForSlackTeam(store, teamId);
    if (!tenant) return { refusal: slackText("es").unbound(teamId) };
    if (!(await isChatUserAllowed(store, tenant.id, "slack", userId))) return { refusal: slackText(tenant.locale).notAllowed };
    return { tenant };
  }

  async function queue(tenant: Tenant, conversation: SlackConversation, request: ReportRequest): Promise<void> {
    await createJob(
      store,
      { tenantId: tenant.id, platform: "slack", requesterId: conversation.userId, conversation: { ...conversation }, request },
      now(),
    );
    deps.onJobQueued();
  }

  app.command(SLASH_COMMAND, async ({ command, ack, client }) => {
    try {
      const who = await access(command.team_id, command.user_id);
      if ("refusal" in who) {
        await ack({ response_type: "ephemeral", text: who.refusal });
        return;
      }
      const { tenant } = who;
      const t = chatText(tenant.locale);
      const today = localDate(now().getTime(), tenant.timeZone);
      if (!command.text.trim()) {
        // Ack first: the trigger_id is good for 3 seconds and views.open needs some of them.
        await ack();
        const meta: ModalMetadata = {
          teamId: command.team_id,
          channelId: command.channel_id,
          userId: command.user_id,
          responseUrl: command.response_url ?? null,
        };
        const choices = await modalChoices(store, tenant.id);
        await client.views.open({
          trigger_id: command.trigger_id,
          view: reportModal(tenant.locale, choices, resolveRange({ kind: "lastDays", days: 7 }, today), meta),
        });
        return;
      }
      const parsed = parseCommand(command.text, tenant.locale);
      if (parsed.kind === "error") return void (await ack({ response_type: "ephemeral", text: parsed.message }));
      if (parsed.kind === "help") return void (await ack({ response_type: "ephemeral", text: `${t.help}\n${t.usage}` }));
      if (parsed.kind === "history") {
        const jobs = await recentJobs(store, tenant.id, "slack", command.user_id);
        return void (await ack({
          response_type: "ephemeral",
          blocks: historyBlocks(jobs, tenant.locale),
          text: slackText(tenant.locale).historyTitle,
        }));
      }
      const range = resolveRange(parsed.range, today);
      const request = requestFor(tenant, {
        ...range,
        campaigns: parsed.campaigns,
        channels: parsed.channels,
        agents: parsed.agents,
        templates: [],
        states: parsed.states,
        format: parsed.format ?? "xlsx",
        locale: parsed.locale ?? tenant.locale,
      });
      try {
        // Names and dates are checked now, so a typo is answered at once rather than by a failed job.
        await planReport(store, request, deps.reportSettings);
      } catch (error) {
        if (!isReportError(error)) throw error;
        return void (await ack({ response_type: "ephemeral", text: `${reportErrorText(error, tenant.locale)}\n${t.usage}` }));
      }
      await queue(
        tenant,
        { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id, responseUrl: command.response_url },
        request,
      );
      await ack({ response_type: "ephemeral", text: slackText(tenant.locale).queued(describeRequest({ request })) });
    } catch (error) {
      log.error({ err: error }, "slash command failed");
      await ack({ response_type: "ephemeral", text: "hsm-report: error inesperado; vuelve a intentarlo en un momento." }).catch(
        () => {},
      );
    }
  });

  app.view(MODAL_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = JSON.parse(view.private_metadata) as ModalMetadata;
    const who = await access(meta.teamId, body.user.id);
    if ("refusal" in who) {
      await ack({ response_action: "errors", errors: { campaigns: who.refusal.slice(0, 150) } });
      return;
    }
    const { tenant } = who;
    const t = slackText(tenant.locale);
    const answers = readModal(view.state.values as Parameters<typeof readModal>[0]);
    const errors: Record<string, string> = {};
    if (!answers.from) errors.from = t.pickDate;
    if (!answers.to) errors.to = t.pickDate;
    if (answers.from && answers.to && answers.to < answers.from) errors.to = t.endBeforeStart;
    const request = requestFor(tenant, {
      from: answers.from ?? "",
      to: answers.to ?? "",
      campaigns: answers.campaigns,
      channels: answers.channels,
      agents: [],
      templates: [],
      states: [],
      format: answers.format,
      locale: answers.locale,
    });
    if (Object.keys(errors).length === 0) {
      try {
        await planReport(store, request, deps.reportSettings);
      } catch (error) {
        if (!isReportError(error)) throw error;
        const field =
          error.code === "report_unknown_name"
            ? error.details.kind === "channel"
              ? "channels"
              : "campaigns"
            : error.code === "report_before_data_start"
              ? "to"
              : "from";
        errors[field] = reportErrorText(error, tenant.locale);
      }
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: "errors", errors });
      return;
    }
    await ack();
    await queue(
      tenant,
      { teamId: meta.teamId, channelId: meta.channelId, userId: meta.userId, responseUrl: meta.responseUrl },
      request,
    );
  });

  for (const id of ["campaigns", "channels"] as const) {
    app.options({ action_id: id }, async ({ ack, body }) => {
      const teamId = body.team?.id ?? "";
      const tenant = await tenantForSlackTeam(store, teamId);
      if (!tenant) return void (await ack({ options: [] }));
      const all = (await modalChoices(store, tenant.id))[id];
      const typed = normalizeName(body.value ?? "");
      const matching = typed
        ? [
            ...all.filter((o) => normalizeName(o.label).includes(typed)),
            ...closestNames(
              typed,
              all.map((o) => o.label),
            ).flatMap((label) => all.filter((o) => o.label === label)),
          ]
        : all;
      const unique = [...new Map(matching.map((o) => [o.value, o])).values()].slice(0, STATIC_OPTIONS_MAX);
      // Bolt's ack type here is the union of every options payload; this one is a block_suggestion's.
      await ack({ options: unique.map(toOption) } as never);
    });
  }

  return {
    app,
    handle: receiver ? (req, res) => void receiver.requestListener(req, res) : null,
    async start() {
      if (socketMode) await app.start();
    },
    async stop() {
      if (socketMode) await app.stop();
    },
  };
}
