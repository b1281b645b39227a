// Ingest benchmark: the real server (its own process) receives signed, Meta-shaped webhook POSTs
// from a concurrent client; prints events/s, p99 latency and the server's peak RSS beside the targets.
//
//   npm run bench:ingest -- [--messages 100000] [--concurrency 1,4,32] [--order shuffled|nearly-sorted]
//                           [--per-post 50] [--db sqlite|postgresql|both]
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
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
    messages: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "1,4,32" },
    order: { type: "string", default: "shuffled" },
    "per-post": { type: "string", default: "50" },
    db: { type: "string", default: "both" },
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/test" },
  },
});
/** Messages per concurrency level: each level gets messages of its own, so no run meets the last one's events. */
const MESSAGES = Number(args.messages);
const LEVELS = String(args.concurrency)
  .split(",")
  .map((n) => Number(n.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const ORDER = args.order === "nearly-sorted" ? "nearly-sorted" : "shuffled";
if (args.order !== ORDER) throw new Error("--order is shuffled or nearly-sorted");
const PER_POST = Number(args["per-post"]);
const SECRET = "bench-app-secret";
const PHONE_NUMBER_ID = "106540352242922";
/** events/s by database and number of connections (issue 7); other levels print without a target. */
const TARGETS: Record<"sqlite" | "postgresql", Record<number, number>> = {
  sqlite: { 1: 10_000, 4: 20_000 },
  postgresql: { 4: 10_000 },
};
const P99_TARGET_MS = 50;
const RSS_TARGET_MB = 300;
const ROOT = packageRoot(import.meta.url);

const wamid = (m: number) => `wamid.BENCH${m.toString(36).padStart(8, "0")}`;
const T0 = Date.UTC(2026, 9, 1, 12);

function statusEvents(m: number, extraDelivery: boolean): WebhookEvent[] {
  const start = T0 + m * 200;
  const statuses: [string, number][] = [
    ["sent", start + 2_000],
    ["delivered", start + 4_000],
    ["read", start + 60_000],
  ];
  if (extraDelivery) statuses.push(["delivered", start + 9_000]);
  return statuses.map(([status, at]) => ({
    kind: "status",
    wamid: wamid(m),
    status,
    at: new Date(at),
    errorCode: null,
    errorTitle: null,
    pricingCategory: status === "sent" ? "marketing" : null,
    phoneNumberId: PHONE_NUMBER_ID,
  }));
}

/**
 * The events Meta would send about messages [first, first + count): sent → delivered → read, a
 * second delivery for a tenth of them, 5 % of all events re-sent. `shuffled`: every event anywhere
 * in the stream (the worst case: each POST touches as many messages as it has events);
 * `nearly-sorted`: each message's events spread over the next few hundred positions, a tenth of
 * them reversed.
 */
function eventStream(first: number, count: number): WebhookEvent[] {
  const rand = seededRandom(20261125 + first);
  const perMessage = Array.from({ length: count }, (_, k) => {
    const events = statusEvents(first + k, rand() < 0.1);
    if (rand() < 0.1) events.reverse();
    return events;
  });
  let stream: WebhookEvent[];
  if (ORDER === "shuffled") {
    stream = perMessage.flat();
    for (let i = stream.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [stream[i], stream[j]] = [stream[j] as WebhookEvent, stream[i] as WebhookEvent];
    }
  } else {
    stream = [];
    const window: WebhookEvent[][] = [];
    let next = 0;
    while (next < perMessage.length || window.length > 0) {
      while (window.length < 300 && next < perMessage.length) window.push(perMessage[next++] as WebhookEvent[]);
      const i = Math.floor(rand() * window.length);
      const list = window[i] as WebhookEvent[];
      stream.push(list.shift() as WebhookEvent);
      if (list.length === 0) window.splice(i, 1);
    }
  }
  const duplicates = Math.round(stream.length * 0.05);
  for (let d = 0; d < duplicates; d++) {
    const original = stream[Math.floor(rand() * stream.length)] as WebhookEvent;
    stream.splice(Math.min(stream.length, Math.floor(rand() * stream.length) + 1), 0, original);
  }
  return stream;
}

function bodies(stream: WebhookEvent[]): { raw: string; events: number }[] {
  const out: { raw: string; events: number }[] = [];
  for (let i = 0; i < stream.length; i += PER_POST) {
    const slice = stream.slice(i, i + PER_POST);
    out.push({ raw: metaWebhookBody(slice), events: slice.length });
  }
  return out;
}

async function seedMessages(databaseUrl: string, total: number): Promise<void> {
  const store = await openStore(databaseUrl);
  try {
    const { tenant } = await createTenant(store, { slug: "bench", name: "Bench", timeZone: "America/Lima", locale: "es" });
    for (let start = 0; start < total; start += 1000) {
      const inputs = Array.from({ length: Math.min(1000, total - start) }, (_, k) => {
        const m = start + k;
        const value = {
          id: `b${m}`,
          waMessageId: wamid(m),
          campaign: `Campaña ${m % 5}`,
          channel: PHONE_NUMBER_ID,
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
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, "bin/hsm-report.js"), "serve"], {
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

/** CPU time (user + system) a process has used so far, in seconds, all its threads included. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second here).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

interface SignedPost {
  body: Buffer;
  signature: string;
  events: number;
}

/** Bodies and signatures made before the clock starts: Meta's side of the work is not ours to time. */
function signAll(list: { raw: string; events: number }[]): SignedPost[] {
  return list.map((b) => ({ body: Buffer.from(b.raw), signature: metaSignature(b.raw, SECRET), events: b.events }));
}

/** One POST on a kept-alive connection, with node:http (fetch adds a millisecond of its own per request). */
function post(agent: Agent, url: URL, p: SignedPost): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/webhooks/whatsapp",
        headers: { "content-type": "application/json", "content-length": p.body.length, "x-hub-signature-256": p.signature },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(p.body);
  });
}

async function drive(url: string, list: SignedPost[], concurrency: number) {
  const latencies: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < list.length) {
      const p = list[next++] as SignedPost;
      const started = performance.now();
      const status = await post(agent, target, p);
      latencies.push(performance.now() - started);
      if (status !== 200) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { seconds, p50: p(0.5), p99: p(0.99), failures };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mark = (ok: boolean) => (ok ? "ok  " : "MISS");

async function benchOne(kind: "sqlite" | "postgresql") {
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
    await seedMessages(databaseUrl, MESSAGES * LEVELS.length);
    console.log(
      `[${kind}] ${fmt(MESSAGES * LEVELS.length)} send records stored in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; starting the server`,
    );
    const server = await startServer(databaseUrl);
    try {
      for (const [level, concurrency] of LEVELS.entries()) {
        const stream = eventStream(level * MESSAGES, MESSAGES);
        const list = signAll(bodies(stream));
        const serverCpu = cpuSeconds(server.pid);
        const clientCpu = process.cpuUsage();
        const result = await drive(server.url, list, concurrency);
        const serverCpuUsed = cpuSeconds(server.pid) - serverCpu;
        const clientCpuUsed = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(clientCpu));
        const rss = peakRssMb(server.pid);
        const rate = stream.length / result.seconds;
        const target = TARGETS[kind][concurrency];
        console.log(
          `[${kind}] ${String(concurrency).padStart(2)} connection(s): ${fmt(stream.length)} ${ORDER} events in ${fmt(list.length)} POSTs of ${PER_POST}, ${result.seconds.toFixed(1)} s, ${result.failures} non-200`,
        );
        console.log(
          `  ${target === undefined ? "    " : mark(rate >= target)} throughput  ${fmt(rate).padStart(8)} events/s   ${target === undefined ? "(no target)" : `target >= ${fmt(target)}`}`,
        );
        console.log(
          `  ${mark(result.p99 < P99_TARGET_MS)} p99 latency ${result.p99.toFixed(1).padStart(8)} ms         target < ${P99_TARGET_MS} (p50 ${result.p50.toFixed(1)} ms)`,
        );
        console.log(
          `       CPU         server ${((100 * serverCpuUsed) / result.seconds).toFixed(0)} % of a core (${((1e6 * serverCpuUsed) / stream.length).toFixed(0)} µs an event), this client ${((100 * clientCpuUsed) / result.seconds).toFixed(0)} %`,
        );
        console.log(
          `  ${mark(rss < RSS_TARGET_MB)} peak RSS    ${rss.toFixed(0).padStart(8)} MB         target < ${RSS_TARGET_MB}`,
        );
      }
    } finally {
      await server.stop();
    }
  } finally {
    await cleanup();
  }
}

console.log(
  `Ingest benchmark: ${fmt(MESSAGES)} messages per level (about 3.2 status events each, 5 % re-sent), ${ORDER}, ${PER_POST} events per signed POST, connections ${LEVELS.join(", ")}`,
);
const kinds = args.db === "both" ? (["sqlite", "postgresql"] as const) : ([args.db as "sqlite" | "postgresql"] as const);
for (const kind of kinds) await benchOne(kind);
