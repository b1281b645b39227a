// Report benchmark: a store of 1,000,000 messages (SQLite, then PostgreSQL); the XLSX and CSV reports
// end to end, beside their floors: exceljs's streaming writer fed the same rows from memory, and the
// database's own CSV export of the same columns. Prints rows/s, peak RSS and ratios beside targets.
//   npm run bench:report -- [--messages 1000000] [--db sqlite|postgresql|both] [--rebuild]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../../src/package-root.ts";
import { parseDatabaseUrl } from "../../src/store/database-url.ts";
import { openStore } from "../../src/store/open-store.ts";
import { BENCH_TENANT, benchDatabaseUrl, buildStore, messageCount } from "./build-store.ts";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    db: { type: "string", default: "both" },
    rebuild: { type: "boolean", default: false },
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/test" },
  },
});
const N = Number(args.messages);
const ROOT = packageRoot(import.meta.url);
const WORK = join(ROOT, ".bench");
mkdirSync(WORK, { recursive: true });
const TARGET = { xlsxRatio: 1.3, rssMb: 300, csvRatio: 2 };

const floorSelect = (
  tenantCondition: string,
) => `SELECT a.name, c.name, t.hsm_id, t.name, m.platform_id, m.body, m.destination, m.state, m.comment,
  m.outbound_stage, m.sent_stage, m.delivered_stage, m.read_stage, m.outbound_at, m.sent_at, m.delivered_at, m.read_at,
  CASE WHEN m.replied_at IS NULL THEN 'No' ELSE 'Sí' END, m.replied_at
  FROM messages m JOIN agents a ON a.id = m.agent_id JOIN campaigns c ON c.id = m.campaign_id JOIN templates t ON t.id = m.template_id
  WHERE ${tenantCondition} ORDER BY m.queued_at, m.id`;

interface Measured {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

function measure(mode: string, databaseUrl: string, out: string): Measured {
  rmSync(out, { force: true });
  if (mode.startsWith("floor-xlsx")) {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench/report/measure.ts"), mode, databaseUrl, out], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`${mode} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
  }
  // The product as users run it: the built CLI, timed from process start to exit.
  const format = mode === "engine-csv" ? "csv" : "xlsx";
  const started = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "maxrss_kb=%M",
      process.execPath,
      join(ROOT, "bin/hsm-report.js"),
      "generate",
      "--tenant",
      BENCH_TENANT,
      "--from",
      "2000-01-01",
      "--to",
      "2100-01-01",
      "--format",
      format,
      "-o",
      out,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: databaseUrl, REPORT_XLSX_MAX_ROWS: "100000000" } },
  );
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${mode} failed:\n${r.stderr}`);
  const rows = Number(/\(\w+, ([\d,]+) rows/.exec(r.stderr)?.[1]?.replace(/,/g, "") ?? 0);
  const maxRssMb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { rows, seconds, maxRssMb };
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mark = (ok: boolean) => (ok ? "ok  " : "MISS");

async function benchOne(kind: "sqlite" | "postgresql") {
  const databaseUrl = benchDatabaseUrl(kind, WORK, args.postgres as string);
  const store = await openStore(databaseUrl);
  const tenantId = async () => (await store.prisma.tenant.findUnique({ where: { slug: BENCH_TENANT } }))?.id;
  if (args.rebuild || (await messageCount(store)) !== N) {
    console.log(`[${kind}] building a store of ${fmt(N)} messages…`);
    await buildStore(store, N, new Date(), (line) => console.log(line));
  }
  const tid = await tenantId();
  await store.close();

  const xlsx = measure("engine-xlsx", databaseUrl, join(WORK, `report-${kind}.xlsx`));
  const xlsxFloor = measure("floor-xlsx", databaseUrl, join(WORK, `floor-${kind}.xlsx`));
  const ownFloor = measure("floor-xlsx-ours", databaseUrl, join(WORK, `floor-ours-${kind}.xlsx`));
  const csv = measure("engine-csv", databaseUrl, join(WORK, `report-${kind}.csv`));
  const floorFile = join(WORK, `floor-${kind}.csv`);
  let csvFloor: number;
  if (kind === "sqlite") {
    const file = (parseDatabaseUrl(databaseUrl) as { file: string }).file;
    csvFloor = timed(() =>
      execFileSync("sh", ["-c", `sqlite3 -csv '${file}' "${floorSelect(`m.tenant_id = ${tid}`)}" > '${floorFile}'`]),
    );
  } else {
    const sql = `\\copy (${floorSelect(`m.tenant_id = ${tid}`).replace(/\n/g, " ")}) TO '${floorFile}' CSV`;
    csvFloor = timed(() =>
      execFileSync("psql", [args.postgres as string, "-q", "-c", "SET search_path = bench_report", "-c", sql], { stdio: "pipe" }),
    );
  }
  const xlsxRatio = xlsx.seconds / xlsxFloor.seconds;
  const csvRatio = csv.seconds / csvFloor;
  console.log(`[${kind}] ${fmt(xlsx.rows)} rows`);
  console.log(
    `  XLSX report      ${xlsx.seconds.toFixed(1).padStart(6)} s  ${fmt(xlsx.rows / xlsx.seconds).padStart(8)} rows/s  peak RSS ${fmt(xlsx.maxRssMb)} MB  (${(statSync(join(WORK, `report-${kind}.xlsx`)).size / 1e6).toFixed(0)} MB file)`,
  );
  console.log(
    `  exceljs floor    ${xlsxFloor.seconds.toFixed(1).padStart(6)} s  ${fmt(xlsx.rows / xlsxFloor.seconds).padStart(8)} rows/s  (plain WorkbookWriter, rows held in memory beforehand)`,
  );
  console.log(
    `  our writer       ${ownFloor.seconds.toFixed(1).padStart(6)} s  ${fmt(xlsx.rows / ownFloor.seconds).padStart(8)} rows/s  (the report's exceljs writer with shared styles, rows in memory)`,
  );
  console.log(
    `  CSV report       ${csv.seconds.toFixed(1).padStart(6)} s  ${fmt(csv.rows / csv.seconds).padStart(8)} rows/s  peak RSS ${fmt(csv.maxRssMb)} MB`,
  );
  console.log(
    `  ${kind === "sqlite" ? "sqlite3 -csv" : "psql \\copy  "}     ${csvFloor.toFixed(1).padStart(6)} s  ${fmt(xlsx.rows / csvFloor).padStart(8)} rows/s`,
  );
  console.log(
    `  ${mark(xlsxRatio <= TARGET.xlsxRatio)} XLSX / exceljs floor  ${xlsxRatio.toFixed(2)}×   target <= ${TARGET.xlsxRatio}×`,
  );
  console.log(
    `       XLSX / our writer fed from memory  ${(xlsx.seconds / ownFloor.seconds).toFixed(2)}×   (what reading the store adds)`,
  );
  console.log(
    `  ${mark(xlsx.maxRssMb <= TARGET.rssMb)} XLSX peak RSS         ${fmt(xlsx.maxRssMb)} MB   target <= ${TARGET.rssMb} MB`,
  );
  console.log(
    `  ${mark(csvRatio <= TARGET.csvRatio)} CSV / database export ${csvRatio.toFixed(2)}×   target <= ${TARGET.csvRatio}×`,
  );
}

const kinds = args.db === "both" ? (["sqlite", "postgresql"] as const) : ([args.db as "sqlite" | "postgresql"] as const);
for (const kind of kinds) await benchOne(kind);
