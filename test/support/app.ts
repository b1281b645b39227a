// The real server, in process, on a free port, against a test database.
import { Writable } from "node:stream";
import { loadConfig } from "../../src/config.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import { type AppDeps, type RunningApp, startApp } from "../../src/main.ts";
import { APP_SECRET, VERIFY_TOKEN } from "./meta.ts";

export interface TestApp extends RunningApp {
  logs: Record<string, unknown>[];
  log: Logger;
}

export async function startTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  deps: Omit<AppDeps, "log"> = {},
): Promise<TestApp> {
  const config = loadConfig(
    {},
    {
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      // Tests run the CLI with spawnSync, which stops this process, in-process server included, for
      // seconds: a pooled connection whose keep-alive timeout fell due meanwhile is closed by the
      // server right as the client reuses it (ECONNRESET). Idle connections outlive any CLI run here.
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: "120",
      ...env,
    },
  );
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger({ level: "debug", destination, pretty: false });
  const app = await startApp(config, { ...deps, log });
  return Object.assign(app, { logs, log });
}
