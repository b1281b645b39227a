// `hsm-report generate` as a user runs it.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { FROM, IN_RANGE, seedReportFixture, TO } from "../support/report-fixture.ts";
import { runCli } from "../support/server-process.ts";

describe.each(DATABASES)("hsm-report generate on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCli(["generate", "--tenant", "acme", ...args], { DATABASE_URL: db.url, ...env });

  beforeAll(async () => {
    db = fresh();
    const store = await openStore(db.url);
    await seedReportFixture(store);
    await store.close();
    dir = mkdtempSync(join(tmpdir(), "hsm-generate-"));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("writes the file and prints where, how big, and the summary", () => {
    const out = join(dir, "octubre.xlsx");
    const r = run(["--from", FROM, "--to", TO, "-o", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`Wrote ${out} \\(XLSX, ${IN_RANGE.length} rows, \\d+ KiB\\)\\.`));
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      `Período del reporte: ${FROM} – ${TO} (America/Santiago)`,
      `Total de mensajes: ${IN_RANGE.length}`,
    ]);
    expect(r.stdout).toContain("Números inválidos: 1");
  });

  it.each(["xlsx", "csv"])(
    "a %s report is readable by its owner only, also when it replaces a file anyone could read",
    (format) => {
      const fresh = join(dir, `private-new.${format}`);
      const replaced = join(dir, `private-old.${format}`);
      writeFileSync(replaced, "an older report");
      chmodSync(replaced, 0o644);
      for (const out of [fresh, replaced]) {
        const r = run(["--from", FROM, "--to", TO, "--format", format, "-o", out]);
        expect(r.status, r.stderr).toBe(0);
        expect((statSync(out).mode & 0o777).toString(8), out).toBe("600");
      }
    },
  );

  it("shows progress as plain lines when not on a terminal", () => {
    const r = run(["--from", FROM, "--to", TO, "--format", "csv", "--locale", "en", "-o", join(dir, "p.csv")]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Generating report \[#+\.*\]\s+\d+% /m);
    expect(r.stdout).toContain("Total messages:");
    expect(readFileSync(join(dir, "p.csv"), "utf8").split("\n")[0]).toBe(
      "\uFEFFAgent name,Campaign name,HSM ID,HSM name,Message ID,Message content,Destination,Message state,Comment,Outbound,Sent,Delivered,Read,Outbound date,Sent date,Delivered date,Read date,Replied,Reply date",
    );
  });

  it("names an unknown campaign and suggests the closest one; writes nothing", () => {
    const before = readdirSync(dir).length;
    const r = run([
      "--from",
      FROM,
      "--to",
      TO,
      "--campaign",
      "campana nandú",
      "--campaign",
      "Campaña chatigo",
      "-o",
      join(dir, "x.xlsx"),
    ]);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'No campaign "Campaña chatigo". Did you mean "Campaña chattigo"?']);
    expect(readdirSync(dir).length).toBe(before);
  });

  it("refuses reversed or malformed dates with a clear message", () => {
    expect(run(["--from", "2026-10-10", "--to", "2026-10-01"]).stderr.trim()).toBe(
      "The range is reversed: it ends (2026-10-01) before it starts (2026-10-10).",
    );
    expect(run(["--from", "2026-02-30", "--to", "2026-03-01"]).stderr.trim()).toBe(
      'The start date "2026-02-30" is not a date in the form YYYY-MM-DD.',
    );
  });

  it("refuses XLSX above the row limit, saying CSV is available, and switches with --allow-csv", () => {
    const env = { REPORT_XLSX_MAX_ROWS: "5" };
    const refused = run(["--from", FROM, "--to", TO, "-o", join(dir, "big.xlsx")], env);
    expect([refused.status, refused.stderr.trim()]).toEqual([
      1,
      `This report has ${IN_RANGE.length} rows; XLSX reports are limited to 5. Ask for CSV (format:csv) instead, or narrow the filters.`,
    ]);
    const switched = run(["--from", FROM, "--to", TO, "--allow-csv", "-o", join(dir, "big.xlsx")], env);
    expect(switched.status).toBe(0);
    expect(switched.stdout).toContain("Formato: CSV (el reporte supera el máximo de filas de XLSX)");
    expect(existsSync(join(dir, "big.xlsx.csv"))).toBe(true);
  });

  it("says when the start was moved to the data start date", () => {
    const r = run(["--from", FROM, "--to", TO, "-o", join(dir, "c.xlsx")], { DATA_START_DATE: "2026-10-05" });
    expect(r.stdout).toContain("Los datos comienzan el 2026-10-05: el período empieza ese día.");
  });
});
