// The `hsm-report` command as a user runs it (the built bin), against SQLite and PostgreSQL.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isChatUserAllowed, tenantForSlackTeam } from "../../src/store/chat-bindings.ts";
import { openStore } from "../../src/store/open-store.ts";
import { addApiKey } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, freshSqlite, type TestDatabase } from "../support/databases.ts";
import { seedEvents, storedBodyCount, storedEvents } from "../support/event-log.ts";
import { sendRecord } from "../support/records.ts";
import { runCli } from "../support/server-process.ts";

const line = (r: Record<string, unknown>) => JSON.stringify(r);
const rec = (id: string, extra: Record<string, unknown> = {}) => sendRecord(id, { body: "Te damos la bienvenida", ...extra });

describe("help", () => {
  it("every command explains itself with --help", () => {
    const top = runCli(["--help"]);
    expect(top.status).toBe(0);
    for (const command of ["serve", "migrate", "tenant", "slack", "schedule", "import", "demo", "events"])
      expect(top.stdout).toContain(command);
    for (const args of [
      ["serve"],
      ["migrate"],
      ["tenant"],
      ["tenant", "add"],
      ["tenant", "list"],
      ["tenant", "key"],
      ["tenant", "key", "rotate"],
      ["tenant", "key", "revoke"],
      ["slack", "bind"],
      ["slack", "unbind"],
      ["slack", "allow"],
      ["slack", "disallow"],
      ["events", "prune"],
      ["schedule", "list"],
      ["schedule", "pause"],
      ["schedule", "resume"],
      ["schedule", "delete"],
      ["import"],
      ["demo"],
    ]) {
      const r = runCli([...args, "--help"]);
      expect(r.status, args.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^Usage: hsm-report /);
    }
  });

  it("a typo in a command is named, with the usage hint", () => {
    const r = runCli(["serv"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("unknown command 'serv'");
    expect(r.stderr).toContain("(Did you mean serve?)");
  });

  it("a malformed setting stops the server before it starts, naming the variable", () => {
    const r = runCli(["serve"], { PORT: "eighty", DATABASE_URL: freshSqlite().url });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("PORT: Invalid input");
  });

  it.each(["serve", "migrate", "tenant list", "events prune"])(
    "a malformed DATABASE_URL stops `%s` naming the variable, never showing the password",
    (command) => {
      const args = command.split(" ");
      const r = runCli(args, { DATABASE_URL: "postgresql://user:s3cret@host:bad-port/db" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("DATABASE_URL: is not a valid URL");
      expect(r.stderr).toContain("postgresql://user:***@host:bad-port/db");
      expect(r.stdout + r.stderr).not.toContain("s3cret");
    },
  );
});

describe.each(DATABASES)("tenant and import on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let dir: string;
  const env = () => ({ DATABASE_URL: db.url });

  beforeAll(() => {
    db = fresh();
    dir = mkdtempSync(join(tmpdir(), "hsm-import-"));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("tenant add prints the API key once and refuses bad input clearly", () => {
    const ok = runCli(["tenant", "add", "acme", "--name", "Acme Perú", "--timezone", "America/Lima"], env());
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(
      /^Tenant acme created \(Acme Perú, America\/Lima, es\)\.\nAPI key \(shown once; keep it secret\): hsm_\S{32}\n$/,
    );

    const again = runCli(["tenant", "add", "acme", "--name", "Acme", "--timezone", "America/Lima"], env());
    expect([again.status, again.stderr]).toEqual([1, 'Tenant "acme" already exists.\n']);
    const zone = runCli(["tenant", "add", "beta", "--name", "Beta", "--timezone", "Lima"], env());
    expect([zone.status, zone.stderr]).toEqual([1, 'Unknown time zone "Lima": use an IANA name such as America/Lima.\n']);
    const locale = runCli(["tenant", "add", "beta", "--name", "Beta", "--timezone", "UTC", "--locale", "fr"], env());
    expect(locale.status).toBe(1);
    expect(locale.stderr).toContain("error: option '--locale <locale>' argument 'fr' is invalid. Allowed choices are es, en.");
    expect(runCli(["tenant", "list"], env()).stdout).toBe("acme\tAcme Perú\tAmerica/Lima\tes\n");
  });

  it("imports NDJSON: valid lines stored, bad lines reported by line number, exit 1", async () => {
    const file = join(dir, "records.ndjson");
    writeFileSync(
      file,
      [line(rec("n1")), "", "{not json", line(rec("n2", { queuedAt: "yesterday" })), line(rec("n3"))].join("\n"),
    );
    const r = runCli(["import", "--tenant", "acme", file], env());
    expect(r.status).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^ {2}line 3: not valid JSON \(.+\)$/);
    expect(lines.slice(1)).toEqual([
      "  line 4: queuedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-10-01T09:30:00-05:00",
      "",
    ]);
    expect(r.stderr).toContain(`Imported ${file}: 2 accepted, 2 rejected.`);
    const store = await openStore(db.url);
    try {
      expect((await store.prisma.message.findMany({ orderBy: { platformId: "asc" } })).map((m) => m.platformId)).toEqual([
        "n1",
        "n3",
      ]);
    } finally {
      await store.close();
    }
  });

  it("imports CSV with hsm.id / hsm.name columns, and a second import of the same file changes nothing", async () => {
    const file = join(dir, "records.csv");
    writeFileSync(
      file,
      "\uFEFFid,waMessageId,campaign,channel,agent,hsm.id,hsm.name,destination,body,header,queuedAt,outboundAt,outboundError\n" +
        'c1,wamid.C1,Cobranza,106540352242922,Carlos,77,recordatorio,51977452931,"Hola, Ana",,2026-10-02T10:00:00Z,2026-10-02T10:00:04Z,\n' +
        "c2,,Cobranza,106540352242922,Carlos,77,recordatorio,51977452931,Hola,,2026-10-02T10:00:00Z,,insufficient_balance\n",
    );
    for (let i = 0; i < 2; i++) {
      const r = runCli(["import", "--tenant", "acme", file], env());
      expect([r.status, r.stdout]).toEqual([0, ""]);
    }
    const store = await openStore(db.url);
    try {
      const rows = await store.prisma.message.findMany({
        where: { platformId: { in: ["c1", "c2"] } },
        orderBy: { platformId: "asc" },
      });
      expect(rows.map((m) => [m.platformId, m.body, m.state, m.comment])).toEqual([
        ["c1", "Hola, Ana", "outbound", "Enviamos el mensaje. A la espera de confirmación por parte de Meta."],
        ["c2", "Hola", "outbound_failed", "Saldo insuficiente. Realiza una carga y vuelve a enviar el mensaje."],
      ]);
    } finally {
      await store.close();
    }
  });

  it("import names an unknown tenant and a missing file", () => {
    const t = runCli(["import", "--tenant", "nope", join(dir, "records.csv")], env());
    expect([t.status, t.stderr]).toEqual([1, 'No tenant "nope". Known tenants: acme.\n']);
    const f = runCli(["import", "--tenant", "acme", join(dir, "missing.csv")], env());
    expect([f.status, f.stderr]).toEqual([1, `File not found: ${join(dir, "missing.csv")}\n`]);
    const fmt = runCli(["import", "--tenant", "acme", join(dir, "records.txt")], env());
    expect(fmt.stderr).toBe(
      `cannot tell the format of ${join(dir, "records.txt")} from its extension; pass --format ndjson or --format csv\n`,
    );
  });
});

describe("demo", () => {
  it("creates tenant demo with 50,000 messages in all seven states, and a second run does not duplicate", async () => {
    const db = freshSqlite();
    try {
      const first = runCli(["demo"], { DATABASE_URL: db.url });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/API key for tenant demo \(shown once\): hsm_/);
      const snapshot = async () => {
        const store = await openStore(db.url);
        try {
          const states = await store.prisma.message.groupBy({ by: ["state"], _count: true });
          return {
            messages: await store.prisma.message.count(),
            states: Object.fromEntries(states.map((s) => [s.state, s._count])),
            campaigns: await store.prisma.campaign.count(),
            channels: await store.prisma.channel.count(),
            agents: await store.prisma.agent.count(),
            templates: await store.prisma.template.count(),
            events: await store.prisma.eventLog.count(),
            replies: await store.prisma.message.count({ where: { repliedAt: { not: null } } }),
            codes: (await store.prisma.message.groupBy({ by: ["metaErrorCode"], where: { state: "meta_failed" } })).map(
              (g) => g.metaErrorCode,
            ),
          };
        } finally {
          await store.close();
        }
      };
      const a = await snapshot();
      expect(a.messages).toBe(50_000);
      expect(Object.keys(a.states).sort()).toEqual([
        "delivered",
        "meta_failed",
        "outbound",
        "outbound_failed",
        "queued",
        "read",
        "sent",
      ]);
      expect(a.states.read).toBeGreaterThan(a.states.delivered as number);
      expect([a.campaigns >= 3, a.channels, a.agents, a.templates]).toEqual([true, 2, 5, 4]);
      expect(a.replies).toBeGreaterThan(1000);
      expect(a.codes).toEqual(expect.arrayContaining([131026, 131049, 131050]));

      const second = runCli(["demo"], { DATABASE_URL: db.url });
      expect(second.status).toBe(0);
      expect(second.stdout).not.toContain("API key");
      const b = await snapshot();
      expect(b.messages).toBe(50_000);
      expect(b.events).toBe(a.events);
      expect([b.campaigns, b.channels, b.agents, b.templates]).toEqual([a.campaigns, a.channels, a.agents, a.templates]);
    } finally {
      await db.drop();
    }
  }, 180_000); // two demo runs of 50,000 messages: CPU-bound, and the suite runs files side by side
});

describe.each(DATABASES)("keys, Slack access and retention on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let app: TestApp;
  const env = () => ({ DATABASE_URL: db.url });
  const keyOf = (stdout: string) => /(hsm_\S{32})/.exec(stdout)?.[1] ?? "";
  const post = async (key: string) => {
    const res = await fetch(`${app.url}/api/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify([rec(`k${Math.random()}`)]),
    });
    return res.status;
  };

  beforeAll(async () => {
    db = fresh();
    app = await startTestApp(db.url);
    expect(runCli(["tenant", "add", "acme", "--name", "Acme", "--timezone", "America/Lima"], env()).status).toBe(0);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("tenant key rotate prints a new key once; from then on the old key gets 401 and the new one 200", async () => {
    const first = keyOf(runCli(["tenant", "key", "rotate", "--tenant", "acme"], env()).stdout);
    expect(await post(first)).toBe(200);

    const r = runCli(["tenant", "key", "rotate", "--tenant", "acme"], env());
    expect(r.status, r.stderr).toBe(0);
    const second = keyOf(r.stdout);
    expect(r.stdout).toBe(
      `New API key for acme (shown once; keep it secret): ${second}\n` +
        `Revoked the previous key ${first.slice(0, 8)}: requests with it now get 401.\n`,
    );
    expect(await post(first)).toBe(401);
    expect(await post(second)).toBe(200);
  });

  it("tenant key revoke --prefix revokes that key only; without --prefix every key goes", async () => {
    const a = keyOf(runCli(["tenant", "key", "rotate", "--tenant", "acme"], env()).stdout);
    // A second live key beside it, as `tenant add` or an older rotation would leave.
    const b = await addApiKey(app.store, (await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id);

    const one = runCli(["tenant", "key", "revoke", "--tenant", "acme", "--prefix", a.slice(0, 8)], env());
    expect([one.status, one.stdout]).toEqual([0, `Revoked 1 API key of acme: ${a.slice(0, 8)}. Requests with it now get 401.\n`]);
    expect([await post(a), await post(b)]).toEqual([401, 200]);

    const all = runCli(["tenant", "key", "revoke", "--tenant", "acme"], env());
    expect(all.status).toBe(0);
    expect(all.stdout).toBe(
      `Revoked 1 API key of acme: ${b.slice(0, 8)}. Requests with it now get 401.\n` +
        "Issue a new key with: hsm-report tenant key rotate --tenant acme\n",
    );
    expect(await post(b)).toBe(401);
    expect(runCli(["tenant", "key", "revoke", "--tenant", "acme"], env()).stdout).toBe(
      "acme has no active API keys: nothing to revoke.\n",
    );
  });

  it("tenant key revoke names what is wrong: an unknown prefix, a malformed one, an unknown tenant", () => {
    const live = keyOf(runCli(["tenant", "key", "rotate", "--tenant", "acme"], env()).stdout);
    const unknown = runCli(["tenant", "key", "revoke", "--tenant", "acme", "--prefix", "hsm_zzzz"], env());
    expect([unknown.status, unknown.stderr]).toEqual([
      1,
      `No active API key of acme starts with hsm_zzzz. Active keys: ${live.slice(0, 8)}.\n`,
    ]);
    const whole = runCli(["tenant", "key", "revoke", "--tenant", "acme", "--prefix", live], env());
    expect([whole.status, whole.stderr]).toEqual([
      1,
      "--prefix must be the first 8 characters of the key only, e.g. hsm_Ab3d.\n",
    ]);
    const tenant = runCli(["tenant", "key", "rotate", "--tenant", "nope"], env());
    expect([tenant.status, tenant.stderr]).toEqual([1, 'No tenant "nope". Known tenants: acme.\n']);
  });

  it("slack unbind removes a workspace's binding; an unknown workspace is an error", async () => {
    expect(runCli(["slack", "bind", "--team", "T0UNBIND", "--tenant", "acme"], env()).status).toBe(0);
    expect((await tenantForSlackTeam(app.store, "T0UNBIND"))?.slug).toBe("acme");

    const r = runCli(["slack", "unbind", "--team", "T0UNBIND"], env());
    expect([r.status, r.stdout]).toEqual([0, "Slack workspace T0UNBIND no longer sees tenant acme (Acme).\n"]);
    expect(await tenantForSlackTeam(app.store, "T0UNBIND")).toBeNull();

    const again = runCli(["slack", "unbind", "--team", "T0UNBIND"], env());
    expect([again.status, again.stderr]).toEqual([
      1,
      "Slack workspace T0UNBIND is not bound to any tenant: nothing to unbind.\n",
    ]);
    expect(runCli(["slack", "unbind", "--team", "acme"], env()).stderr).toBe(
      '"acme" is not a Slack team id (they look like T0123ABCD).\n',
    );
  });

  it("slack disallow takes a user off the allow-list; taking the last one off warns that everyone may ask", async () => {
    const tenantId = (await app.store.prisma.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id;
    for (const user of ["U0ANA", "U0LUIS"])
      expect(runCli(["slack", "allow", "--tenant", "acme", "--user", user], env()).status).toBe(0);

    const one = runCli(["slack", "disallow", "--tenant", "acme", "--user", "U0ANA"], env());
    expect([one.status, one.stdout, one.stderr]).toEqual([0, "Slack user U0ANA is off acme's allow-list (1 left).\n", ""]);
    expect(await isChatUserAllowed(app.store, tenantId, "slack", "U0ANA")).toBe(false);

    const last = runCli(["slack", "disallow", "--tenant", "acme", "--user", "U0LUIS"], env());
    expect([last.status, last.stdout, last.stderr]).toEqual([
      0,
      "Slack user U0LUIS is off acme's allow-list (0 left).\n",
      "Warning: the allow-list is now empty: every member of the bound workspaces may ask.\n",
    ]);
    expect(await isChatUserAllowed(app.store, tenantId, "slack", "U0ANA")).toBe(true);

    const absent = runCli(["slack", "disallow", "--tenant", "acme", "--user", "U0LUIS"], env());
    expect([absent.status, absent.stderr]).toEqual([1, "Slack user U0LUIS is not on acme's allow-list: nothing to remove.\n"]);
  });

  it("events prune removes bodies and payloads older than EVENT_LOG_RETENTION_DAYS and says how many", async () => {
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await seedEvents(app.store, [
      { receivedAt: daysAgo(50), webhookEvents: 3 },
      { receivedAt: daysAgo(45) },
      { receivedAt: daysAgo(44) },
      { receivedAt: daysAgo(5), webhookEvents: 1 },
    ]);
    const before = await storedEvents(app.store);
    const r = runCli(["events", "prune"], { ...env(), EVENT_LOG_RETENTION_DAYS: "30" });
    expect(r.status, r.stderr).toBe(0);
    // (The send records posted by the tests above were received just now: their payloads stay.)
    expect(r.stdout).toMatch(
      /^Removed 1 webhook body and 2 event payloads received before \d{4}-\d\d-\d\dT[\d:.]+Z \(EVENT_LOG_RETENTION_DAYS=30\)\.\n$/,
    );
    expect(await storedBodyCount(app.store)).toBe(1);
    const after = await storedEvents(app.store);
    expect(after.map((e) => [e.id, e.outcome])).toEqual(before.map((e) => [e.id, e.outcome]));
    expect(after.filter((e) => e.payload !== null).length).toBe(before.filter((e) => e.payload !== null).length - 2);
  });
});
