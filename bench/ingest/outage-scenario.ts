// The database goes away under a steady webhook load: a TCP proxy in front of PostgreSQL is cut for
// a while and restored, the server process behind it never restarted. Every request must get 200
// or 503 quickly, the server's memory must stay bounded, and once the client has re-sent every
// 503'd body (as Meta does), the store must hold every event exactly once. Shared by
// test/e2e/ingest-outage.test.ts (which asserts) and bench/ingest/outage.ts (which prints).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import pg from "pg";
import type { WebhookEvent } from "../../src/domain/webhook-events.ts";
import { metaWebhookBody } from "../../src/ingest/meta-body.ts";
import { ingestSendRecords } from "../../src/ingest/send-records.ts";
import { metaSignature } from "../../src/ingest/webhook-signature.ts";
import { openStore } from "../../src/store/open-store.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { startServerProcess } from "../../test/support/server-process.ts";
import { startTcpProxy } from "../../test/support/tcp-proxy.ts";

export interface OutageOptions {
  postgresUrl: string;
  /** Load before the cut, during it, and after it, in seconds. */
  beforeS: number;
  outageS: number;
  afterS: number;
  /** Concurrent clients (Meta's connections). */
  clients: number;
  eventsPerPost: number;
  secret: string;
}

export interface OutageResult {
  requests: number;
  ok: number;
  unavailable: number;
  /** Statuses other than 200 and 503, with how many of each. */
  other: Record<number, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssMb: number;
  events: number;
  /** Re-sends needed after the outage, and bodies still refused after them. */
  resent: number;
  neverStored: number;
  /** Events whose message shows them (one `applied` row each in the log), and log rows beyond one. */
  appliedOnce: number;
  missing: number;
  extraApplied: number;
}

const PHONE = "106540352242922";
const T0 = Date.UTC(2026, 9, 1, 12);
const wamid = (m: number) => `wamid.OUTAGE${m.toString(36).padStart(7, "0")}`;

function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function post(agent: Agent, port: number, body: Buffer, signature: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/webhooks/whatsapp",
        headers: { "content-type": "application/json", "content-length": body.length, "x-hub-signature-256": signature },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runOutage(o: OutageOptions): Promise<OutageResult> {
  const schema = `outage_${randomBytes(4).toString("hex")}`;
  const direct = new URL(o.postgresUrl);
  direct.searchParams.set("schema", schema);
  const proxy = await startTcpProxy(Number(direct.port || 5432), direct.hostname);
  const viaProxy = new URL(direct);
  viaProxy.port = String(proxy.port);

  // Enough messages for every event of the run: a sent, a delivered and a read each.
  const totalS = o.beforeS + o.outageS + o.afterS;
  const messages = Math.ceil((totalS * 4000) / 3);
  const seed = await openStore(direct.toString());
  try {
    const { tenant } = await createTenant(seed, { slug: "outage", name: "Outage", timeZone: "America/Lima", locale: "es" });
    for (let start = 0; start < messages; start += 1000) {
      const inputs = Array.from({ length: Math.min(1000, messages - start) }, (_, k) => {
        const m = start + k;
        const value = {
          id: `o${m}`,
          waMessageId: wamid(m),
          campaign: "Caída",
          channel: PHONE,
          agent: "Agente",
          hsm: { id: "1", name: "plantilla" },
          destination: "51977452931",
          body: "Hola",
          queuedAt: new Date(T0 + m * 100).toISOString(),
          outboundAt: new Date(T0 + m * 100 + 1000).toISOString(),
        };
        return { value, raw: JSON.stringify(value), index: k };
      });
      await ingestSendRecords(seed, tenant.id, inputs, { source: "import", windowDays: 30, now: new Date() });
    }
  } finally {
    await seed.close();
  }

  const server = await startServerProcess({
    DATABASE_URL: viaProxy.toString(),
    WHATSAPP_APP_SECRET: o.secret,
    WHATSAPP_VERIFY_TOKEN: "outage",
    LOG_LEVEL: "error",
  });
  const port = Number(new URL(server.url).port);
  const pid = server.child.pid as number;
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });

  let nextEvent = 0;
  const makeBody = () => {
    const events: WebhookEvent[] = [];
    for (let i = 0; i < o.eventsPerPost; i++) {
      const n = nextEvent++;
      const m = Math.floor(n / 3);
      const status = (["sent", "delivered", "read"] as const)[n % 3] as string;
      events.push({
        kind: "status",
        wamid: wamid(m),
        status,
        at: new Date(T0 + m * 100 + 2000 * ((n % 3) + 1)),
        errorCode: null,
        errorTitle: null,
        pricingCategory: null,
        phoneNumberId: PHONE,
      });
    }
    const raw = metaWebhookBody(events);
    return { body: Buffer.from(raw), signature: metaSignature(raw, o.secret) };
  };

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const refused: { body: Buffer; signature: string }[] = [];
  let peakRssMb = rssMb(pid);
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, rssMb(pid));
  }, 250);

  const started = performance.now();
  const endAt = started + totalS * 1000;
  setTimeout(() => proxy.cut(), o.beforeS * 1000);
  setTimeout(() => proxy.restore(), (o.beforeS + o.outageS) * 1000);
  const client = async () => {
    while (performance.now() < endAt && nextEvent + o.eventsPerPost <= messages * 3) {
      const p = makeBody();
      const t = performance.now();
      const status = await post(agent, port, p.body, p.signature);
      latencies.push(performance.now() - t);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== 200) refused.push(p);
      // A steady load, not a flood: Meta paces its deliveries.
      await sleep(20);
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  clearInterval(sampler);
  peakRssMb = Math.max(peakRssMb, rssMb(pid));

  // Meta re-sends what was refused, later; so does this client, until each is taken.
  let resent = 0;
  const pending = [...refused];
  for (let round = 0; round < 20 && pending.length > 0; round++) {
    const still: typeof pending = [];
    for (const p of pending) {
      resent++;
      if ((await post(agent, port, p.body, p.signature)) !== 200) still.push(p);
    }
    pending.splice(0, pending.length, ...still);
    if (pending.length > 0) await sleep(500);
  }
  agent.destroy();
  const exitedEarly = server.child.exitCode;
  server.child.kill("SIGTERM");
  await server.exited;
  if (exitedEarly !== null || (statuses.get(0) ?? 0) > 0) {
    process.stderr.write(`server exited early: ${exitedEarly}\n`);
    (await import("node:fs")).writeFileSync("/tmp/outage-server.log", server.output());
  }
  await proxy.close();

  const check = new pg.Client({ connectionString: o.postgresUrl });
  await check.connect();
  let appliedOnce = 0;
  let extraApplied = 0;
  let missing = 0;
  try {
    const rows = await check.query<{ key: string; applied: string }>(
      `SELECT dedupe_key AS key, count(*) FILTER (WHERE outcome = 'applied') AS applied
       FROM "${schema}".event_log WHERE source = 'webhook' AND dedupe_key IS NOT NULL GROUP BY dedupe_key`,
    );
    const applied = new Map(rows.rows.map((r) => [r.key, Number(r.applied)]));
    for (let n = 0; n < nextEvent; n++) {
      const m = Math.floor(n / 3);
      const status = (["sent", "delivered", "read"] as const)[n % 3] as string;
      const key = `${wamid(m)} ${status}@${Math.floor((T0 + m * 100 + 2000 * ((n % 3) + 1)) / 1000)}`;
      const count = applied.get(key) ?? 0;
      if (count === 0) missing++;
      else appliedOnce++;
      if (count > 1) extraApplied += count - 1;
    }
  } finally {
    await check.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await check.end();
  }

  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const other: Record<number, number> = {};
  for (const [status, n] of statuses) if (status !== 200 && status !== 503) other[status] = n;
  return {
    requests: latencies.length,
    ok: statuses.get(200) ?? 0,
    unavailable: statuses.get(503) ?? 0,
    other,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: latencies.at(-1) ?? 0,
    peakRssMb,
    events: nextEvent,
    resent,
    neverStored: pending.length,
    appliedOnce,
    missing,
    extraApplied,
  };
}
