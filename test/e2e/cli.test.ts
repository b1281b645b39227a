// The `hsm-report` command as a user runs it (the built bin), against SQLite and PostgreSQL.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.ts";
import { DATABASES, freshSqlite, type TestDatabase } from "../support/databases.ts";
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
