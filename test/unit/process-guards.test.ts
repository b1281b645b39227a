// What the serving process does with an error nobody caught (src/process-guards.ts): an uncaught
// exception stops the server cleanly and exits 1 for the supervisor; an unhandled rejection is
// logged and the process keeps going.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const GUARDS = fileURLToPath(new URL("../../src/process-guards.ts", import.meta.url));
const LOG = fileURLToPath(new URL("../../src/log.ts", import.meta.url));

function runScript(body: string) {
  const dir = mkdtempSync(join(tmpdir(), "hsm-guards-"));
  const file = join(dir, "script.ts");
  writeFileSync(
    file,
    `import { guardProcess } from ${JSON.stringify(GUARDS)};
import { createLogger } from ${JSON.stringify(LOG)};
const log = createLogger({ level: "info", pretty: false });
guardProcess(log, async () => { log.info("stopped cleanly"); });
${body}`,
  );
  const result = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 30_000 });
  const lines = result.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: number; msg: string });
  return { status: result.status, lines };
}

describe("errors nobody caught", () => {
  it("an uncaught exception is logged as fatal, the server is stopped cleanly, and the process exits 1", () => {
    const { status, lines } = runScript(`setTimeout(() => { throw new Error("boom in a timer"); }, 10);
setInterval(() => {}, 1000);`);
    expect(status).toBe(1);
    expect(lines.map((l) => l.msg)).toEqual([
      "uncaught exception: stopping cleanly, then exiting 1 for the supervisor to restart",
      "stopped cleanly",
    ]);
    expect(lines[0]?.level).toBe(60);
  });

  it("an unhandled rejection is logged and the process carries on", () => {
    const { status, lines } = runScript(`void Promise.reject(new Error("nobody awaited me"));
setTimeout(() => { log.info("still here"); }, 50);`);
    expect(status).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual(["unhandled promise rejection (ignored; the server keeps serving)", "still here"]);
  });
});
