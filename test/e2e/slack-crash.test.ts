// The server dies (SIGKILL) while a Slack report job runs; started again, it finishes the job once:
// one file posted, not two, in the same progress message.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/run-demo.ts";
import { bindSlackWorkspace } from "../../src/store/chat-bindings.ts";
import { openStore } from "../../src/store/open-store.ts";
import { DATABASES } from "../support/databases.ts";
import { startFakeSlack } from "../support/fake-slack.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { postSigned, SIGNING_SECRET, slashCommandBody, TEAM } from "../support/slack.ts";

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(DATABASES)("a Slack job across a crash on $kind", ({ fresh }) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it("is finished once after a restart: one upload, the same progress message", async () => {
    const db = fresh();
    cleanups.push(() => db.drop());
    const store = await openStore(db.url);
    await runDemo(store, { messages: 30_000, windowDays: 30, now: new Date() });
    const demo = await store.prisma.tenant.findUniqueOrThrow({ where: { slug: "demo" } });
    await bindSlackWorkspace(store, TEAM, demo.id, new Date());
    await store.close();

    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      REPORTS_DIR: mkdtempSync(join(tmpdir(), "hsm-crash-reports-")),
      JOB_LEASE_MS: "1500",
      JOB_POLL_MS: "100",
      JOB_PROGRESS_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
    };
    let server: ServerProcess = await startServerProcess(env);
    cleanups.push(async () => server.child.kill("SIGKILL"));

    const ack = await postSigned(server.url, slashCommandBody("last 30d format:xlsx", { channel_id: "C0CRASH" }));
    expect(ack.status).toBe(200);
    // The job has started (its progress message is out) and is still writing the file: kill it.
    await until("the progress message", () => slack.callsTo("chat.postMessage").find((c) => c.args.channel === "C0CRASH"));
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill("SIGKILL");
    await server.exited;
    expect(slack.uploads).toEqual([]);

    server = await startServerProcess(env);
    const [upload] = await until("the upload after restart", () => (slack.uploads.length ? slack.uploads : null));
    // Give a second run, if there were one, time to post again.
    await new Promise((r) => setTimeout(r, 3000));
    expect(slack.uploads.map((u) => u.channel)).toEqual(["C0CRASH"]);
    expect(upload?.filename).toMatch(/\.xlsx$/);
    expect(slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0CRASH")).toHaveLength(1);
    const last = slack
      .callsTo("chat.update")
      .filter((c) => c.args.channel === "C0CRASH")
      .at(-1);
    expect(String(last?.args.text)).toMatch(/^Reporte listo: /);

    const check = await openStore(db.url);
    try {
      const job = await check.prisma.reportJob.findFirstOrThrow({ where: { conversation: { contains: "C0CRASH" } } });
      expect([job.status, job.attempts]).toEqual(["done", 2]);
    } finally {
      await check.close();
    }
  }, 180_000);
});
