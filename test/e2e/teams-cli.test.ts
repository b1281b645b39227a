// `hsm-report teams …` as an operator runs it (the built bin), against SQLite and PostgreSQL:
// binding a Microsoft 365 organization to a tenant, and the tenant's allow-list of Teams users.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isChatUserAllowed, tenantForWorkspace } from "../../src/store/chat-bindings.ts";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { runCli } from "../support/server-process.ts";

const AAD = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const ANA = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8";
const LUIS = "3c2b1a09-8765-4321-abcd-ef0123456789";

describe("teams --help", () => {
  it("every teams command explains itself", () => {
    expect(runCli(["--help"]).stdout).toContain("teams");
    for (const command of ["bind", "unbind", "allow", "disallow"]) {
      const r = runCli(["teams", command, "--help"]);
      expect(r.status, command).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: hsm-report teams ${command} `));
    }
  });
});

describe.each(DATABASES)("teams bind and allow on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;
  const env = () => ({ DATABASE_URL: db.url });

  beforeAll(async () => {
    db = fresh();
    expect(runCli(["tenant", "add", "acme", "--name", "Acme", "--timezone", "America/Lima"], env()).status).toBe(0);
    expect(runCli(["tenant", "add", "beta", "--name", "Beta", "--timezone", "UTC"], env()).status).toBe(0);
    store = await openStore(db.url);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it("bind links a Microsoft 365 organization to a tenant (any case of its GUID); binding again moves it; unbind removes it", async () => {
    const bound = runCli(["teams", "bind", "--aad-tenant", AAD.toUpperCase(), "--tenant", "acme"], env());
    expect([bound.status, bound.stdout]).toEqual([0, `Microsoft 365 organization ${AAD} now sees tenant acme (Acme).\n`]);
    expect((await tenantForWorkspace(store, "teams", AAD))?.slug).toBe("acme");

    expect(runCli(["teams", "bind", "--aad-tenant", AAD, "--tenant", "beta"], env()).status).toBe(0);
    expect((await tenantForWorkspace(store, "teams", AAD))?.slug).toBe("beta");

    const unbound = runCli(["teams", "unbind", "--aad-tenant", AAD], env());
    expect([unbound.status, unbound.stdout]).toEqual([
      0,
      `Microsoft 365 organization ${AAD} no longer sees tenant beta (Beta).\n`,
    ]);
    expect(await tenantForWorkspace(store, "teams", AAD)).toBeNull();
    const again = runCli(["teams", "unbind", "--aad-tenant", AAD], env());
    expect([again.status, again.stderr]).toEqual([
      1,
      `Microsoft 365 organization ${AAD} is not bound to any tenant: nothing to unbind.\n`,
    ]);
  });

  it("ids that are not GUIDs, and unknown tenants, are refused with what to use instead", () => {
    const team = runCli(["teams", "bind", "--aad-tenant", "contoso.onmicrosoft.com", "--tenant", "acme"], env());
    expect([team.status, team.stderr]).toEqual([
      1,
      '"contoso.onmicrosoft.com" is not a Microsoft 365 tenant id: it is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 ' +
        "(Microsoft Entra admin center → Overview → Tenant ID, or the message an unbound organization gets).\n",
    ]);
    const user = runCli(["teams", "allow", "--tenant", "acme", "--user", "29:1XJKJMvc5GBtc2JwZq0oj8"], env());
    expect(user.status).toBe(1);
    expect(user.stderr).toMatch(/^"29:1XJKJMvc5GBtc2JwZq0oj8" is not a Microsoft Entra object id: it is a GUID/);
    const tenant = runCli(["teams", "bind", "--aad-tenant", AAD, "--tenant", "nope"], env());
    expect([tenant.status, tenant.stderr]).toEqual([1, 'No tenant "nope". Known tenants: acme, beta.\n']);
  });

  it("allow restricts a tenant to listed people; disallow takes them off, and the last one off warns that everyone may ask", async () => {
    const acme = (await store.prisma.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).id;
    for (const user of [ANA, LUIS.toUpperCase()]) {
      const r = runCli(["teams", "allow", "--tenant", "acme", "--user", user], env());
      expect([r.status, r.stdout]).toEqual([0, `Teams user ${user.toLowerCase()} may ask for acme's reports.\n`]);
    }
    expect(await isChatUserAllowed(store, acme, "teams", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")).toBe(false);
    expect(await isChatUserAllowed(store, acme, "slack", "U0ANYONE")).toBe(true);

    const one = runCli(["teams", "disallow", "--tenant", "acme", "--user", ANA], env());
    expect([one.status, one.stdout, one.stderr]).toEqual([0, `Teams user ${ANA} is off acme's allow-list (1 left).\n`, ""]);
    expect(await isChatUserAllowed(store, acme, "teams", ANA)).toBe(false);
    const lastOne = runCli(["teams", "disallow", "--tenant", "acme", "--user", LUIS], env());
    expect([lastOne.status, lastOne.stderr]).toEqual([
      0,
      "Warning: the allow-list is now empty: everyone in the bound organizations may ask.\n",
    ]);
    expect(await isChatUserAllowed(store, acme, "teams", ANA)).toBe(true);
    const absent = runCli(["teams", "disallow", "--tenant", "acme", "--user", LUIS], env());
    expect([absent.status, absent.stderr]).toEqual([1, `Teams user ${LUIS} is not on acme's allow-list: nothing to remove.\n`]);
  });
});
