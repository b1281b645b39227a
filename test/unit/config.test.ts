import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { parseDatabaseUrl, redactDatabaseUrl } from "../../src/store/database-url.ts";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

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
    expect(() => loadConfig({ DATABASE_URL: "mysql://root:hunter2@db" })).toThrow(
      'DATABASE_URL: must start with file: (embedded SQLite) or postgresql:// (PostgreSQL server) (got "mysql://root:***@db")',
    );
    expect(() => loadConfig({ WHATSAPP_APP_SECRET: "x", PORT: "-5" })).not.toThrow(/\bx\b.*secret/i);
  });

  it("a malformed PostgreSQL URL is named, shown without its password", () => {
    const message = configError({ DATABASE_URL: "postgresql://user:s3cret@host:bad-port/db" });
    expect(message).toContain("DATABASE_URL: is not a valid URL");
    expect(message).toContain('(got "postgresql://user:***@host:bad-port/db")');
    expect(message).not.toContain("s3cret");
  });

  it("a URL that slips past the check (a report worker's, say) still fails without the password", () => {
    expect(() => parseDatabaseUrl("postgresql://user:s3cret@host:bad-port/db")).toThrow(
      "DATABASE_URL is not a valid URL (got postgresql://user:***@host:bad-port/db)",
    );
  });

  it.each([
    ["postgresql://user:s3cret@host:5432/db", "postgresql://user:***@host:5432/db"],
    ["postgresql://user:p@ss:w/rd@host/db?schema=x", "postgresql://user:***@host/db?schema=x"],
    ["postgres://user@host/db?sslmode=require&password=s3cret", "postgres://user@host/db?sslmode=require&password=***"],
    ["postgresql://host/db", "postgresql://host/db"],
    ["file:./data/hsm-report.db", "file:./data/hsm-report.db"],
  ])("a database URL is shown without its password: %s", (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });

  it("keeps event data 90 days unless EVENT_LOG_RETENTION_DAYS says otherwise", () => {
    expect(loadConfig({}).eventLogRetentionDays).toBe(90);
    expect(loadConfig({ EVENT_LOG_RETENTION_DAYS: "30" }).eventLogRetentionDays).toBe(30);
  });

  it.each(["0", "-7", "1.5", "ninety"])("EVENT_LOG_RETENTION_DAYS=%s is refused, naming the variable", (value) => {
    expect(configError({ EVENT_LOG_RETENTION_DAYS: value })).toMatch(/^Invalid configuration:\n {2}EVENT_LOG_RETENTION_DAYS: /);
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
    log.error({ databaseUrl: "postgresql://u:pw2@h/db", target: { connectionString: "postgresql://u:pw3@h/db" } }, "z");
    const text = lines.join("");
    for (const secret of ["s3cr3t", "tok3n", "pw@h", "hsm_abc", "sha256=aa", "pw2", "pw3"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
  });

  it("download links: 72 hours by default, decimals allowed; PUBLIC_URL without its trailing slash", () => {
    expect(loadConfig({}).files).toEqual({ signingSecret: null, linkTtlMs: 72 * 3_600_000, publicUrl: null });
    const c = loadConfig({
      DOWNLOAD_LINK_TTL_HOURS: "0.5",
      PUBLIC_URL: "https://bot.example.com/hsm/",
      FILES_SIGNING_SECRET: "s".repeat(32),
    });
    expect(c.files).toEqual({ signingSecret: "s".repeat(32), linkTtlMs: 1_800_000, publicUrl: "https://bot.example.com/hsm" });
  });

  it("refuses a short signing secret without showing it, a PUBLIC_URL that is not http(s), and a lifetime of 0", () => {
    expect(() => loadConfig({ FILES_SIGNING_SECRET: "tooshort-s3cr3t" })).toThrow(/FILES_SIGNING_SECRET: must be at least 32/);
    expect(() => loadConfig({ FILES_SIGNING_SECRET: "tooshort-s3cr3t" })).not.toThrow(/s3cr3t/);
    expect(() => loadConfig({ PUBLIC_URL: "ftp://bot.example.com" })).toThrow("PUBLIC_URL");
    expect(() => loadConfig({ PUBLIC_URL: "https://bot.example.com/?x=1" })).toThrow("PUBLIC_URL");
    expect(() => loadConfig({ DOWNLOAD_LINK_TTL_HOURS: "0" })).toThrow("DOWNLOAD_LINK_TTL_HOURS");
  });
});
