// pino: pretty on a terminal, JSON lines otherwise; secrets never reach the output.
import type { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

/** Paths pino blanks out wherever they appear in a log entry. */
export const REDACTED_PATHS = [
  "secret",
  "token",
  "apiKey",
  "password",
  "authorization",
  "databaseUrl",
  "connectionString",
  "*.secret",
  "*.token",
  "*.apiKey",
  "*.appSecret",
  "*.verifyToken",
  "*.password",
  "*.appPassword",
  "*.authorization",
  "*.databaseUrl",
  "*.connectionString",
  "req.headers.authorization",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-slack-signature"]',
];

export interface LogOptions {
  level?: string;
  /** Where entries go; defaults to stdout. Tests pass a Writable to read them back. */
  destination?: Writable;
  pretty?: boolean;
}

export function createLogger(options: LogOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const wantPretty = options.pretty ?? (destination === process.stdout && process.stdout.isTTY === true);
  const stream = wantPretty ? pretty({ destination, colorize: true, translateTime: "SYS:HH:MM:ss.l" }) : destination;
  return pino(
    { level: options.level ?? "info", redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { app: "hsm-report" } },
    stream,
  );
}

/** A logger that writes nothing: for library use and tests that do not read the log. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
