import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";

describe("configuration", () => {
  it("defaults to the embedded SQLite file and port 3000", () => {
    const c = loadConfig({});
    expect([c.databaseUrl, c.port, c.statusWindowDays]).toEqual(["file:./data/hsm-report.db", 3000, 30]);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT: Invalid input: expected number, received NaN"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL: must start with file: (embedded SQLite) or postgresql:// (PostgreSQL server)"],
    [{ STATUS_WINDOW_DAYS: "-1" }, "STATUS_WINDOW_DAYS"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("a malformed setting stops start-up naming the variable: %o", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("never echoes a secret's value in the error", () => {
    try {
      loadConfig({ DATABASE_URL: "mysql://root:hunter2@db" });
    } catch (error) {
      expect((error as Error).message).toContain("DATABASE_URL");
    }
    expect(() => loadConfig({ WHATSAPP_APP_SECRET: "x", PORT: "-5" })).not.toThrow(/\bx\b.*secret/i);
  });

  it("report jobs: three attempts, three waiting per person, Slack files up to 1 GiB", () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" });
    expect([c.jobs.maxAttempts, c.jobs.maxQueuedPerUser, c.slack?.maxFileBytes]).toEqual([3, 3, 1024 ** 3]);
    expect(() => loadConfig({ JOB_MAX_ATTEMPTS: "0" })).toThrow("JOB_MAX_ATTEMPTS");
  });

  it("an empty variable counts as unset", () => {
    expect(loadConfig({ PORT: "" }).port).toBe(3000);
  });
});

describe("logging", () => {
  it("secrets are redacted wherever they sit in an entry", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ destination, pretty: false });
    log.info(
      { config: { appSecret: "s3cr3t", verifyToken: "tok3n", databaseUrl: "postgresql://u:pw@h/db" }, apiKey: "hsm_abc" },
      "x",
    );
    log.info({ req: { headers: { authorization: "Bearer hsm_abc", "x-hub-signature-256": "sha256=aa" } } }, "y");
    const text = lines.join("");
    for (const secret of ["s3cr3t", "tok3n", "pw@h", "hsm_abc", "sha256=aa"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });
});
