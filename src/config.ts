// The one place that reads the environment. Everything else receives a Config.
import { z } from "zod";
import { GUID_PATTERN } from "./domain/entra-id.ts";
import type { HttpLimits } from "./http/server.ts";
import { redactDatabaseUrl } from "./store/database-url.ts";

const DEFAULT_DATABASE_URL = "file:./data/hsm-report.db";

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^file:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
    message: "must start with file: (embedded SQLite) or postgresql:// (PostgreSQL server)",
  })
  .refine((v) => !/^postgres/.test(v) || URL.canParse(v), {
    message: "is not a valid URL: use postgresql://user:password@host:5432/database (percent-encode @ : / in the password)",
  });

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
/** Seconds, decimals allowed ("0.5"), at most a day. */
const seconds = z.coerce.number().positive().max(86_400);

/** A Microsoft Entra id (app, tenant, object): a GUID. */
const guid = z.string().trim().regex(GUID_PATTERN, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");

export const TEAMS_APP_TYPES = ["MultiTenant", "SingleTenant", "UserAssignedMSI"] as const;

/**
 * The Teams bot's identity. Without an app id, requests cannot be authenticated: the bot is off
 * unless `allowUnauthenticated` (local runs and tests), and then answers loopback connectors only.
 */
export interface TeamsSettings {
  appId: string | null;
  appPassword: string | null;
  appType: (typeof TEAMS_APP_TYPES)[number];
  appTenantId: string | null;
  allowUnauthenticated: boolean;
}

const schema = z.object({
  DATABASE_URL: databaseUrl.default(DEFAULT_DATABASE_URL),
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  STATUS_WINDOW_DAYS: positiveInt.default(30),
  INGEST_BATCH_MAX_EVENTS: positiveInt.default(2000),
  INGEST_QUEUE_MAX_EVENTS: positiveInt.default(20_000),
  INGEST_QUEUE_MAX_BYTES: positiveInt.default(64 * 1024 * 1024),
  INGEST_STORE_TIMEOUT_MS: positiveInt.default(1000),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds.default(10),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds.default(30),
  HTTP_BODY_IDLE_TIMEOUT_SECONDS: seconds.default(5),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: seconds.default(5),
  HTTP_MAX_CONNECTIONS: positiveInt.default(1000),
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  DATA_START_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .refine((v) => !Number.isNaN(Date.parse(v)), "must be a real calendar date")
    .optional(),
  REPORT_XLSX_SHEET_MAX_ROWS: z.coerce.number().int().min(2).max(1_048_576).default(1_048_576),
  REPORT_XLSX_MAX_ROWS: positiveInt.default(1_800_000),
  REPORTS_DIR: z.string().trim().min(1).default("./reports"),
  SLACK_BOT_TOKEN: z.string().trim().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  SLACK_SIGNING_SECRET: z.string().trim().min(1).optional(),
  SLACK_APP_TOKEN: z.string().trim().startsWith("xapp-", "must be an app-level token (xapp-…)").optional(),
  SLACK_API_URL: z.url().default("https://slack.com/api/"),
  JOB_CONCURRENCY: z.coerce.number().int().min(0).default(2),
  JOB_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  JOB_PROGRESS_INTERVAL_MS: z.coerce.number().int().min(0).default(3000),
  JOB_POLL_MS: z.coerce.number().int().min(10).default(1000),
  EVENT_LOG_RETENTION_DAYS: positiveInt.default(90),
  SCHEDULE_CATCH_UP_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 366)
    .default(24),
  JOB_MAX_ATTEMPTS: positiveInt.default(3),
  JOB_MAX_QUEUED_PER_USER: positiveInt.default(3),
  SLACK_MAX_FILE_BYTES: positiveInt.default(1024 ** 3),
  // Download links (PUBLIC_URL/files/TOKEN), for chats where a bot cannot attach a file.
  FILES_SIGNING_SECRET: z.string().trim().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  DOWNLOAD_LINK_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(72),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://bot.example.com" })
    .refine((v) => !/[?#]/.test(v), "must not have a query or a fragment")
    .optional(),
  MICROSOFT_APP_ID: guid.optional(),
  MICROSOFT_APP_PASSWORD: z.string().trim().min(1).optional(),
  // Checked here because botbuilder reads any other spelling as MultiTenant without a word.
  MICROSOFT_APP_TYPE: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const type = TEAMS_APP_TYPES.find((t) => t.toLowerCase() === v.toLowerCase());
      if (!type) ctx.addIssue({ code: "custom", message: `must be ${TEAMS_APP_TYPES.join(", ")}` });
      return type ?? "MultiTenant";
    })
    .default("MultiTenant"),
  MICROSOFT_APP_TENANT_ID: guid.optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: z.enum(["true", "false"], { message: "must be true or false" }).default("false"),
});

export interface Config {
  databaseUrl: string;
  /** How long to wait for a locked SQLite file or a PostgreSQL connection before answering 503. */
  databaseBusyTimeoutMs: number;
  port: number;
  host: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  whatsapp: { verifyToken: string | null; appSecret: string | null };
  /** SPEC rule 6: status events later than this after the message left are not applied. */
  statusWindowDays: number;
  ingest: { batchMaxEvents: number; queueMaxEvents: number; queueMaxBytes: number; storeTimeoutMs: number };
  http: HttpLimits;
  /** Where report files are written before they are posted (and removed once posted). */
  reportsDir: string;
  /** Null when the Slack app is not configured. */
  slack: {
    botToken: string;
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string;
    /** Larger files are refused before uploading (Slack's documented per-file maximum: 1 GiB). */
    maxFileBytes: number;
  } | null;
  /** Null when the Teams bot is off (no app id, and unauthenticated requests not allowed). */
  teams: TeamsSettings | null;
  jobs: {
    concurrency: number;
    leaseMs: number;
    progressIntervalMs: number;
    pollMs: number;
    /** Claims a job gets (crashed runs included) before it is failed for good. */
    maxAttempts: number;
    /** Queued-or-running jobs one person may have at once. */
    maxQueuedPerUser: number;
  };
  /** Webhook bodies and event payloads older than this are removed; the events and outcomes stay. */
  eventLogRetentionDays: number;
  /** A scheduled fire missed while no instance ran is still run, late, within this long. */
  scheduleCatchUpMs: number;
  reports: {
    /** SPEC rule 8: reports cover nothing before this local date (YYYY-MM-DD). */
    dataStartDate: string | null;
    /** Rows per XLSX sheet, header included (Excel's limit). Lower only to test the split. */
    sheetMaxRows: number;
    /** Above this many rows a report is CSV only. */
    xlsxMaxRows: number;
  };
  /** Download links to published report files (src/files/). */
  files: {
    /** Null: the one generated at first start and kept in the database (settings table). */
    signingSecret: string | null;
    linkTtlMs: number;
    /** The server's public base URL, no trailing slash; null: the listening URL. */
    publicUrl: string | null;
  };
}

export class ConfigError extends Error {
  readonly code = "config_invalid";
}

type Env = Record<string, string | undefined>;

/** Reads and checks the settings; a missing or malformed one stops start-up with its name. */
export function loadConfig(env: Env = process.env, overrides: Partial<Env> = {}): Config {
  const merged: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = overrides[key] ?? env[key];
    // An empty variable is the same as an unset one (`FOO= cmd` is a common way to clear it).
    if (value !== undefined && value !== "") merged[key] = value;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const got = merged[name];
      return `${name}: ${issue.message}${got === undefined ? "" : ` (got ${JSON.stringify(redactIfSecret(name, got))})`}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const s = parsed.data;
  if (!s.SLACK_BOT_TOKEN && (s.SLACK_SIGNING_SECRET || s.SLACK_APP_TOKEN)) {
    throw new ConfigError(
      "Invalid configuration:\n  SLACK_BOT_TOKEN: is required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set",
    );
  }
  if (s.SLACK_BOT_TOKEN && !s.SLACK_SIGNING_SECRET && !s.SLACK_APP_TOKEN) {
    throw new ConfigError(
      "Invalid configuration:\n  SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN to use Socket Mode)",
    );
  }
  const teams = teamsSettings(s);
  return {
    databaseUrl: s.DATABASE_URL,
    databaseBusyTimeoutMs: s.DATABASE_BUSY_TIMEOUT_MS,
    port: s.PORT,
    host: s.HOST,
    logLevel: s.LOG_LEVEL,
    whatsapp: { verifyToken: s.WHATSAPP_VERIFY_TOKEN ?? null, appSecret: s.WHATSAPP_APP_SECRET ?? null },
    statusWindowDays: s.STATUS_WINDOW_DAYS,
    ingest: {
      batchMaxEvents: s.INGEST_BATCH_MAX_EVENTS,
      queueMaxEvents: s.INGEST_QUEUE_MAX_EVENTS,
      queueMaxBytes: s.INGEST_QUEUE_MAX_BYTES,
      storeTimeoutMs: s.INGEST_STORE_TIMEOUT_MS,
    },
    http: {
      headersTimeoutMs: Math.round(s.HTTP_HEADERS_TIMEOUT_SECONDS * 1000),
      // Node requires the whole-request timeout to be at least the headers timeout.
      requestTimeoutMs: Math.round(Math.max(s.HTTP_REQUEST_TIMEOUT_SECONDS, s.HTTP_HEADERS_TIMEOUT_SECONDS) * 1000),
      bodyIdleTimeoutMs: Math.round(s.HTTP_BODY_IDLE_TIMEOUT_SECONDS * 1000),
      keepAliveTimeoutMs: Math.round(s.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000),
      maxConnections: s.HTTP_MAX_CONNECTIONS,
    },
    reportsDir: s.REPORTS_DIR,
    slack: s.SLACK_BOT_TOKEN
      ? {
          botToken: s.SLACK_BOT_TOKEN,
          signingSecret: s.SLACK_SIGNING_SECRET ?? null,
          appToken: s.SLACK_APP_TOKEN ?? null,
          apiUrl: s.SLACK_API_URL.endsWith("/") ? s.SLACK_API_URL : `${s.SLACK_API_URL}/`,
          maxFileBytes: s.SLACK_MAX_FILE_BYTES,
        }
      : null,
    teams,
    jobs: {
      concurrency: s.JOB_CONCURRENCY,
      leaseMs: s.JOB_LEASE_MS,
      progressIntervalMs: s.JOB_PROGRESS_INTERVAL_MS,
      pollMs: s.JOB_POLL_MS,
      maxAttempts: s.JOB_MAX_ATTEMPTS,
      maxQueuedPerUser: s.JOB_MAX_QUEUED_PER_USER,
    },
    eventLogRetentionDays: s.EVENT_LOG_RETENTION_DAYS,
    scheduleCatchUpMs: Math.round(s.SCHEDULE_CATCH_UP_HOURS * 3_600_000),
    reports: {
      dataStartDate: s.DATA_START_DATE ?? null,
      sheetMaxRows: s.REPORT_XLSX_SHEET_MAX_ROWS,
      xlsxMaxRows: s.REPORT_XLSX_MAX_ROWS,
    },
    files: {
      signingSecret: s.FILES_SIGNING_SECRET ?? null,
      linkTtlMs: Math.round(s.DOWNLOAD_LINK_TTL_HOURS * 3_600_000),
      publicUrl: s.PUBLIC_URL ? s.PUBLIC_URL.replace(/\/+$/, "") : null,
    },
  };
}

function teamsSettings(s: z.infer<typeof schema>): TeamsSettings | null {
  const fail = (problem: string) => {
    throw new ConfigError(`Invalid configuration:\n  ${problem}`);
  };
  const appId = s.MICROSOFT_APP_ID ?? null;
  const allowUnauthenticated = s.TEAMS_ALLOW_UNAUTHENTICATED === "true";
  if (!appId) {
    if (s.MICROSOFT_APP_PASSWORD || s.MICROSOFT_APP_TENANT_ID)
      fail("MICROSOFT_APP_ID: is required when MICROSOFT_APP_PASSWORD or MICROSOFT_APP_TENANT_ID is set");
    return allowUnauthenticated
      ? { appId: null, appPassword: null, appType: s.MICROSOFT_APP_TYPE, appTenantId: null, allowUnauthenticated }
      : null;
  }
  if (allowUnauthenticated)
    fail("TEAMS_ALLOW_UNAUTHENTICATED: must not be true with MICROSOFT_APP_ID (every request is then authenticated)");
  const managed = s.MICROSOFT_APP_TYPE === "UserAssignedMSI";
  if (managed && s.MICROSOFT_APP_PASSWORD)
    fail("MICROSOFT_APP_PASSWORD: must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI (the managed identity signs in)");
  if (!managed && !s.MICROSOFT_APP_PASSWORD)
    fail(`MICROSOFT_APP_PASSWORD: is required with MICROSOFT_APP_ID (MICROSOFT_APP_TYPE=${s.MICROSOFT_APP_TYPE})`);
  if (s.MICROSOFT_APP_TYPE !== "MultiTenant" && !s.MICROSOFT_APP_TENANT_ID)
    fail(`MICROSOFT_APP_TENANT_ID: is required with MICROSOFT_APP_TYPE=${s.MICROSOFT_APP_TYPE}`);
  return {
    appId,
    appPassword: s.MICROSOFT_APP_PASSWORD ?? null,
    appType: s.MICROSOFT_APP_TYPE,
    appTenantId: s.MICROSOFT_APP_TENANT_ID ?? null,
    allowUnauthenticated: false,
  };
}

function redactIfSecret(name: string, value: string): string {
  if (name === "DATABASE_URL") return redactDatabaseUrl(value);
  return /SECRET|TOKEN|PASSWORD|KEY/.test(name) ? "[redacted]" : value;
}
