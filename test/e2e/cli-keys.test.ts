// `hsm-report tenant key …`, `slack unbind|disallow` and `events prune` as a user runs them (the
// built bin), against SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isChatUserAllowed, tenantForSlackTeam } from "../../src/store/chat-bindings.ts";
import { addApiKey } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { seedEvents, storedBodyCount, storedEvents } from "../support/event-log.ts";
import { sendRecord } from "../support/records.ts";
import { runCli } from "../support/server-process.ts";

const rec = (id: string, extra: Record<string, unknown> = {}) => sendRecord(id, { body: "Te damos la bienvenida", ...extra });

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
