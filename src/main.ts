// Wires config → store → ingest → HTTP, and stops them in the reverse order.
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import type { ReportDelivery } from "./chat/conversation.ts";
import { createSlackApp, type SlackFrontDoor } from "./chat/slack/slack-app.ts";
import { SlackDelivery } from "./chat/slack/slack-delivery.ts";
import type { TeamsConnections, TeamsFrontDoor } from "./chat/teams/teams-app.ts";
import { TeamsDelivery } from "./chat/teams/teams-delivery.ts";
import { messagesRoute } from "./chat/teams/teams-endpoint.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import { type FilePublisher, filePublisher } from "./files/published-files.ts";
import { filesSigningSecret } from "./files/signing-secret.ts";
import { startHousekeeping } from "./housekeeping/housekeeping.ts";
import { FILES_ROUTE, filesRoute } from "./http/files-route.ts";
import { sendRecordsRoute } from "./http/send-records-route.ts";
import { closeServer, createHttpServer, healthHandler } from "./http/server.ts";
import { webhookRoute } from "./http/whatsapp-webhook-route.ts";
import { WebhookIngest } from "./ingest/webhook-ingest.ts";
import { JobRunner } from "./jobs/job-runner.ts";
import { scheduledJobs } from "./scheduler/scheduled-jobs.ts";
import { Scheduler } from "./scheduler/scheduler.ts";

/** What Bolt itself accepts on /slack/events (@slack/bolt 5.1's defaultBodyLimit). */
const SLACK_MAX_BODY_BYTES = 4 * 1024 * 1024;

import type { Logger } from "./log.ts";
import { openStore, type Store } from "./store/open-store.ts";

export interface RunningApp {
  url: string;
  port: number;
  store: Store;
  /** Publishes report files behind signed, expiring download links (PUBLIC_URL/files/TOKEN). */
  files: FilePublisher;
  /** Resolves once the housekeeping round under way (the one started at start-up, say) is over. */
  housekeepingIdle(): Promise<void>;
  /**
   * Looks for due schedules now, as the minute's heartbeat does, and resolves once each is claimed
   * and its job queued. A tick already under way may have read the store before the caller's change,
   * so it is waited for and followed by one that starts after this call.
   */
  schedulerTick(): Promise<void>;
  stop(): Promise<void>;
}

export interface AppDeps {
  log: Logger;
  /** What time it is, and how to wait (the system's, unless a test or a tool says otherwise). */
  clock?: Clock;
  /** How often retention and the report-file sweep run after the first time (default 6 hours). */
  housekeepingIntervalMs?: number;
  /** Stand-ins for the Bot Framework's token endpoints and outbound credentials (tests). */
  teams?: TeamsConnections;
}

export async function startApp(config: Config, deps: AppDeps): Promise<RunningApp> {
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const store = await openStore(config.databaseUrl, { log, busyTimeoutMs: config.databaseBusyTimeoutMs });
  const ingest = new WebhookIngest(store, {
    windowDays: config.statusWindowDays,
    ...config.ingest,
    now,
    log,
  });
  if (!config.whatsapp.appSecret || !config.whatsapp.verifyToken) {
    log.warn("WHATSAPP_APP_SECRET or WHATSAPP_VERIFY_TOKEN is not set: /webhooks/whatsapp will answer 503 until both are");
  }
  const webhook = { ingest, verifyToken: config.whatsapp.verifyToken, appSecret: config.whatsapp.appSecret, log };
  const records = { store, windowDays: config.statusWindowDays, now, log };
  // Download links: the secret is read (or made, at the first start) before anything is served.
  const filesSecret = await filesSigningSecret(store, config.files.signingSecret, now());
  let publicUrl = config.files.publicUrl ?? ""; // the listening URL once known, unless PUBLIC_URL is set
  const files = filePublisher(store, {
    reportsDir: resolve(config.reportsDir),
    ttlMs: config.files.linkTtlMs,
    secret: filesSecret,
    clock,
    publicUrl: () => publicUrl,
  });

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
    clock,
    scheduled: scheduledJobs({ store, settings: config.reports, deliveries, clock, log }),
  });
  const scheduler = new Scheduler({
    store,
    clock,
    log,
    catchUpMs: config.scheduleCatchUpMs,
    onRunQueued: () => runner.wake(),
  });
  if (config.slack) {
    slack = createSlackApp({
      store,
      slack: config.slack,
      reportSettings: config.reports,
      maxQueuedPerUser: config.jobs.maxQueuedPerUser,
      onJobQueued: () => runner.wake(),
      log,
      clock,
    });
    deliveries.slack = new SlackDelivery(slack.app.client, { maxFileBytes: config.slack.maxFileBytes });
  }
  const slackHandle = slack?.handle;
  const teams = config.teams ? await startTeams(config, deps, { store, clock, files, onJobQueued: () => runner.wake() }) : null;
  if (teams) deliveries.teams = new TeamsDelivery(teams, files);

  const server = createHttpServer(
    {
      "/healthz": { methods: { GET: healthHandler(() => store.sql.ping()) } },
      ...(slackHandle
        ? {
            "/slack/events": {
              // Bolt's own limit, applied here so the body is read under our idle timeout too; Bolt
              // then takes the bytes as read (req.rawBody) and checks their signature itself.
              maxBodyBytes: SLACK_MAX_BODY_BYTES,
              methods: {
                POST: ({ req, res, body }) => {
                  (req as typeof req & { rawBody?: Buffer }).rawBody = body;
                  slackHandle(req, res);
                },
              },
            },
          }
        : {}),
      "/api/messages": messagesRoute(teams?.processor ?? null, log),
      "/webhooks/whatsapp": webhookRoute(webhook),
      "/api/v1/messages": sendRecordsRoute(records),
      [FILES_ROUTE]: filesRoute({ store, reportsDir: resolve(config.reportsDir), secret: filesSecret, now, log }),
    },
    log,
    config.http,
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  await slack?.start();
  runner.start();
  scheduler.start();
  ingest.startSettling();
  const housekeeping = startHousekeeping({
    store,
    reportsDir: resolve(config.reportsDir),
    retentionDays: config.eventLogRetentionDays,
    jobLeaseMs: config.jobs.leaseMs,
    now,
    log,
    intervalMs: deps.housekeepingIntervalMs,
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const url = `http://${host}:${port}`;
  publicUrl = config.files.publicUrl ?? url;
  log.info({ url, database: store.dialect }, "hsm-report listening");

  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    files,
    housekeepingIdle: () => housekeeping.idle(),
    async schedulerTick() {
      await scheduler.tick();
      await scheduler.tick();
    },
    stop() {
      stopping ??= (async () => {
        await closeServer(server);
        await slack?.stop();
        await scheduler.stop();
        await runner.stop();
        await teams?.idle();
        await housekeeping.stop();
        await ingest.drain();
        ingest.stop();
        await store.close();
        log.info("hsm-report stopped");
      })();
      return stopping;
    },
  };
}

/** The Teams bot, loaded only when it is on (botbuilder is large). */
async function startTeams(
  config: Config,
  deps: AppDeps,
  parts: { store: Store; clock: Clock; files: FilePublisher; onJobQueued: () => void },
): Promise<TeamsFrontDoor> {
  const settings = config.teams as NonNullable<Config["teams"]>;
  if (!settings.appId)
    deps.log.warn(
      "TEAMS_ALLOW_UNAUTHENTICATED=true and no MICROSOFT_APP_ID: /api/messages accepts unsigned activities and answers only " +
        "those whose serviceUrl is on loopback. For local runs and tests only.",
    );
  const { createTeamsApp } = await import("./chat/teams/teams-app.ts");
  return createTeamsApp({
    settings,
    connections: deps.teams,
    store: parts.store,
    reportSettings: config.reports,
    maxQueuedPerUser: config.jobs.maxQueuedPerUser,
    onJobQueued: parts.onJobQueued,
    log: deps.log,
    clock: parts.clock,
    files: parts.files,
  });
}
