// The Slack front door: /hsm-report (text or form), the form's submission and its option search.
// Bolt verifies every request's signature; every path acknowledges within Slack's 3 seconds, and
// the report itself becomes a job that answers later in the same conversation.
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from "@slack/bolt";
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { ReportSettings } from "../../reports/plan.ts";
import type { Store } from "../../store/open-store.ts";
import { handleSlashCommand } from "./slack-command.ts";
import { handleFormSubmission } from "./slack-form.ts";
import { handleOptionLoads } from "./slack-options.ts";
import { handleScheduleActions } from "./slack-schedule-actions.ts";

export { SLASH_COMMAND } from "./slack-command.ts";

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
  /** Queued-or-running jobs one person may have at once. */
  maxQueuedPerUser: number;
  /** Told when a job was queued, so it starts at once. */
  onJobQueued: () => void;
  log: Logger;
  clock: Clock;
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

export function createSlackApp(deps: SlackAppDeps): SlackFrontDoor {
  const socketMode = Boolean(deps.slack.appToken);
  const clientOptions = { slackApiUrl: deps.slack.apiUrl, retryConfig: { retries: 2 } };
  const logger = boltLogger(deps.log);
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
    receiver = new HTTPReceiver({
      signingSecret: deps.slack.signingSecret as string,
      endpoints: "/slack/events",
      logger,
      // Bolt answers 500 when a listener throws after the signature check; every listener answers
      // its own failures, so this is the last line: a logged 503 (documented), never a 500.
      processEventErrorHandler: async ({ error, response }) => {
        deps.log.error({ err: error }, "Slack event failed before it was answered");
        if (response.headersSent) return false;
        response.writeHead(503, { "retry-after": "5" });
        response.end();
        return false;
      },
    });
    app = new App({ token: deps.slack.botToken, receiver, clientOptions, logger, tokenVerificationEnabled: false });
  }

  const handlerDeps = { ...deps, now: () => deps.clock.now() };
  handleSlashCommand(app, handlerDeps);
  handleFormSubmission(app, handlerDeps);
  handleOptionLoads(app, handlerDeps);
  handleScheduleActions(app, handlerDeps);

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
