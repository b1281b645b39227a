// Wires config → store → ingest → HTTP, and stops them in the reverse order.
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { ReportDelivery } from "./chat/conversation.ts";
import { createSlackApp, type SlackFrontDoor } from "./chat/slack/slack-app.ts";
import { SlackDelivery } from "./chat/slack/slack-delivery.ts";
import type { Config } from "./config.ts";
import { receiveSendRecords } from "./http/send-records-route.ts";
import { closeServer, createHttpServer, healthHandler } from "./http/server.ts";
import { receiveWebhook, verifyWebhook } from "./http/whatsapp-webhook-route.ts";
import { WebhookIngest } from "./ingest/webhook-ingest.ts";
import { JobRunner } from "./jobs/job-runner.ts";
import type { Logger } from "./log.ts";
import { openStore, type Store } from "./store/open-store.ts";

export interface RunningApp {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
}

export interface AppDeps {
  log: Logger;
  now?: () => Date;
}

export async function startApp(config: Config, deps: AppDeps): Promise<RunningApp> {
  const { log } = deps;
  const now = deps.now ?? (() => new Date());
  const store = await openStore(config.databaseUrl, { log, busyTimeoutMs: config.databaseBusyTimeoutMs });
  const ingest = new WebhookIngest(store, {
    windowDays: config.statusWindowDays,
    batchMaxEvents: config.ingest.batchMaxEvents,
    batchMaxWaitMs: config.ingest.batchMaxWaitMs,
    now,
    log,
  });
  if (!config.whatsapp.appSecret || !config.whatsapp.verifyToken) {
    log.warn("WHATSAPP_APP_SECRET or WHATSAPP_VERIFY_TOKEN is not set: /webhooks/whatsapp will answer 503 until both are");
  }
  const webhook = { ingest, verifyToken: config.whatsapp.verifyToken, appSecret: config.whatsapp.appSecret, log };
  const records = { store, windowDays: config.statusWindowDays, now, log };

  const deliveries: Record<string, ReportDelivery> = {};
  let slack: SlackFrontDoor | null = null;
  const runner = new JobRunner({
    store,
    databaseUrl: config.databaseUrl,
    busyTimeoutMs: config.databaseBusyTimeoutMs,
    settings: config.reports,
    reportsDir: resolve(config.reportsDir),
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.leaseMs,
    progressIntervalMs: config.jobs.progressIntervalMs,
    pollMs: config.jobs.pollMs,
    maxAttempts: config.jobs.maxAttempts,
    deliveries,
    log,
    now,
  });
  if (config.slack) {
    slack = createSlackApp({
      store,
      slack: config.slack,
      reportSettings: config.reports,
      maxQueuedPerUser: config.jobs.maxQueuedPerUser,
      onJobQueued: () => runner.wake(),
      log,
      now,
    });
    deliveries.slack = new SlackDelivery(slack.app.client, { maxFileBytes: config.slack.maxFileBytes });
  }
  const slackHandle = slack?.handle;

  const server = createHttpServer(
    {
      "/healthz": { GET: healthHandler(() => store.sql.ping()) },
      ...(slackHandle ? { "/slack/events": { POST: (req, res) => slackHandle(req, res) } } : {}),
      "/webhooks/whatsapp": {
        GET: (_req, res, url) => verifyWebhook(webhook, url, res),
        POST: (req, res) => receiveWebhook(webhook, req, res),
      },
      "/api/v1/messages": { POST: (req, res) => receiveSendRecords(records, req, res) },
    },
    log,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  await slack?.start();
  runner.start();
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const url = `http://${host}:${port}`;
  log.info({ url, database: store.dialect }, "hsm-report listening");

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    stop() {
      stopping ??= (async () => {
        await closeServer(server);
        await slack?.stop();
        await runner.stop();
        await ingest.drain();
        await store.close();
        log.info("hsm-report stopped");
      })();
      return stopping;
    },
  };
}
