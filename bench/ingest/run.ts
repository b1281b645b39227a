// Ingest benchmark: the real server (its own process) receives signed, Meta-shaped webhook POSTs
// from a concurrent client; prints events/s, p99 latency and the server's peak RSS beside the targets.
//
//   npm run bench:ingest -- [--messages 300000] [--events 1000000] [--concurrency 32] [--db sqlite|postgresql|both]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { seededRandom } from "../../src/demo/demo-data.ts";
import type { WebhookEvent } from "../../src/domain/webhook-events.ts";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { ingestSendRecords } from "../../src/ingest/send-records.ts";
import { metaSignature } from "../../src/ingest/webhook-signature.ts";
import { packageRoot } from "../../src/package-root.ts";
import { openStore } from "../../src/store/open-store.ts";
import { createTenant } from "../../src/store/tenants.ts";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "300000" },
    events: { type: "string", default: "1000000" },
    concurrency: { type: "string", default: "32" },
    db: { type: "string", default: "both" },
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/test" },
  },
});
const MESSAGES = Number(args.messages);
const EVENTS = Number(args.events);
const CONCURRENCY = Number(args.concurrency);
const SECRET = "bench-app-secret";
const TARGETS = { sqlite: 5000, postgresql: 3000 } as const;
const P99_TARGET_MS = 200;
const RSS_TARGET_MB = 300;
const ROOT = packageRoot(import.meta.url);

const wamid = (m: number) => `wamid.BENCH${m.toString(36).padStart(8, "0")}`;
const T0 = Date.UTC(2026, 9, 1, 12);

/**
 * The stream Meta would send: sent → delivered → read per message, a second delivery for some
 * messages to reach the event count, 10 % of messages with their events out of order, and 5 % of
 * all events re-sent (duplicates).
 */
function eventStream(): WebhookEvent[] {
  const rand = seededRandom(20261125);
  const duplicates = Math.round(EVENTS * 0.05);
  const distinct = EVENTS - duplicates;
  const extra = Math.max(0, distinct - MESSAGES * 3);
  const perMessage: WebhookEvent[][] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const start = T0 + m * 200;
    const statuses: [string, number][] = [
      ["sent", start + 2_000],
      ["delivered", start + 4_000],
      ["read", start + 60_000],
    ];
    if (m < extra) statuses.push(["delivered", start + 9_000]);
    const events = statuses.map(
      ([status, at]): WebhookEvent => ({
        kind: "status",
        wamid: wamid(m),
        status,
        at: new Date(at),
        errorCode: null,
        errorTitle: null,
        pricingCategory: status === "sent" ? "marketing" : null,
        phoneNumberId: "106540352242922",
      }),
    );
    if (rand() < 0.1) events.reverse();
    perMessage.push(events);
  }
  // Interleave: each message's events spread over the next few hundred positions of the stream.
  const stream: WebhookEvent[] = [];
  const window: WebhookEvent[][] = [];
  let next = 0;
  while (next < perMessage.length || window.length > 0) {
    while (window.length < 300 && next < perMessage.length) window.push(perMessage[next++] as WebhookEvent[]);
    const i = Math.floor(rand() * window.length);
    const list = window[i] as WebhookEvent[];
    stream.push(list.shift() as WebhookEvent);
    if (list.length === 0) window.splice(i, 1);
  }
  for (let d = 0; d < duplicates; d++) {
    const original = stream[Math.floor(rand() * stream.length)] as WebhookEvent;
    stream.splice(Math.min(stream.length, Math.floor(rand() * stream.length) + 1), 0, original);
  }
  return stream;
}

function bodies(stream: WebhookEvent[]): { raw: string; events: number }[] {
  const rand = seededRandom(7);
  const out: { raw: string; events: number }[] = [];
  for (let i = 0; i < stream.length; ) {
    const n = 1 + Math.floor(rand() * 50);
    const slice = stream.slice(i, i + n);
    out.push({ raw: metaWebhookBody(slice), events: slice.length });
    i += n;
  }
  return out;
}

async function seedMessages(databaseUrl: string): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const { tenant } = await createTenant(store, { slug: "bench", name: "Bench", timeZone: "America/Lima", locale: "es" });
    for (let start = 0; start < MESSAGES; start += 1000) {
      const inputs = Array.from({ length: Math.min(1000, MESSAGES - start) }, (_, k) => {
        const m = start + k;
        const value = {
          id: `b${m}`,
          waMessageId: wamid(m),
          campaign: `Campaña ${m % 5}`,
          channel: "106540352242922",
          agent: `Agente ${m % 7}`,
          hsm: { id: String(m % 4), name: `plantilla_${m % 4}` },
          destination: "51977452931",
          body: "Hola, te damos la bienvenida",
          queuedAt: new Date(T0 + m * 200).toISOString(),
          outboundAt: new Date(T0 + m * 200 + 1000).toISOString(),
        };
        return { value, raw: JSON.stringify(value), index: k };
      });
      await ingestSendRecords(store, tenant.id, inputs, { source: "import", windowDays: 30, now: new Date() });
    }
  } finally {
    await store.close();
  }
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [join(ROOT, "bin/hsm-report.js"), "serve"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: "x",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    url,
    pid: child.pid as number,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function drive(url: string, list: { raw: string; events: number }[]) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < list.length) {
      const body = list[next++] as { raw: string; events: number };
      const started = performance.now();
      const res = await fetch(`${url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": metaSignature(body.raw, SECRET) },
        body: body.raw,
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      if (res.status !== 200) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { seconds, p50: p(0.5), p99: p(0.99), failures };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mark = (ok: boolean) => (ok ? "ok  " : "MISS");

async function benchOne(kind: "sqlite" | "postgresql", list: { raw: string; events: number }[], totalEvents: number) {
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (kind === "sqlite") {
    const dir = join(ROOT, ".bench");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `ingest-${Date.now()}.db`);
    databaseUrl = `file:${file}`;
    cleanup = async () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    };
  } else {
    const schema = `bench_${randomBytes(4).toString("hex")}`;
    const url = new URL(args.postgres as string);
    url.searchParams.set("schema", schema);
    databaseUrl = url.toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: args.postgres });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    };
  }
  try {
    const seedStart = performance.now();
    await seedMessages(databaseUrl);
    console.log(
      `[${kind}] ${fmt(MESSAGES)} send records stored in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; starting the server`,
    );
    const server = await startServer(databaseUrl);
    const result = await drive(server.url, list);
    const rss = peakRssMb(server.pid);
    await server.stop();
    const rate = totalEvents / result.seconds;
    console.log(
      `[${kind}] ${fmt(totalEvents)} events in ${fmt(list.length)} POSTs, ${CONCURRENCY} concurrent, ${result.seconds.toFixed(1)} s, ${result.failures} non-200`,
    );
    console.log(
      `  ${mark(rate >= TARGETS[kind])} throughput  ${fmt(rate).padStart(8)} events/s   target >= ${fmt(TARGETS[kind])}`,
    );
    console.log(
      `  ${mark(result.p99 < P99_TARGET_MS)} p99 latency ${result.p99.toFixed(1).padStart(8)} ms         target < ${P99_TARGET_MS} (p50 ${result.p50.toFixed(1)} ms)`,
    );
    console.log(`  ${mark(rss < RSS_TARGET_MB)} peak RSS    ${rss.toFixed(0).padStart(8)} MB         target < ${RSS_TARGET_MB}`);
  } finally {
    await cleanup();
  }
}

const stream = eventStream();
const list = bodies(stream);
console.log(
  `Ingest benchmark: ${fmt(MESSAGES)} messages, ${fmt(stream.length)} status events (5 % duplicates, 10 % of messages out of order), ${fmt(list.length)} bodies of 1–50 events`,
);
const kinds = args.db === "both" ? (["sqlite", "postgresql"] as const) : ([args.db as "sqlite" | "postgresql"] as const);
for (const kind of kinds) await benchOne(kind, list, stream.length);
