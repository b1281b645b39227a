// The server faces the internet: anyone can send it anything, at any pace. A battery of hostile
// requests over raw sockets against the real server process; each gets its documented answer
// (or a hang-up where Node itself refuses to parse), and afterwards the same process still answers
// /healthz with its memory about where it started.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metaSignature } from "../../src/ingest/webhook-signature.ts";
import { openStore } from "../../src/store/open-store.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { APP_SECRET, VERIFY_TOKEN } from "../support/meta.ts";
import { head, type RawOptions, rawExchange } from "../support/raw-http.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { SIGNING_SECRET, slackSignature } from "../support/slack.ts";

const IDLE_S = 1;
const HEADERS_S = 2;
const REQUEST_S = 4;

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return kb / 1024;
}

const MB = 1024 * 1024;
const floodChunk = Buffer.alloc(64 * 1024, "a");

function signedWebhook(body: string | Buffer): string[] | Buffer[] {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return [
    Buffer.from(
      head("POST /webhooks/whatsapp HTTP/1.1", {
        "Content-Type": "application/json",
        "Content-Length": bytes.length,
        "X-Hub-Signature-256": metaSignature(bytes, APP_SECRET),
        Connection: "close",
      }),
    ),
    bytes,
  ];
}

const status = (s: Record<string, unknown>) =>
  JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              metadata: { phone_number_id: "106540352242922" },
              statuses: [{ id: "wamid.HOSTILE", status: "sent", ...s }],
            },
          },
        ],
      },
    ],
  });

interface Case {
  name: string;
  request: (key: string) => RawOptions;
  /** The answer the README documents for it. */
  expect: number;
  /** The server must hang up (it stopped reading the request). */
  closes?: boolean;
  /** ... and do so within this long. */
  withinMs?: number;
}

const json = (key: string, body: string | Buffer, extra: Record<string, string> = {}): RawOptions => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    send: [
      head("POST /api/v1/messages HTTP/1.1", {
        Authorization: `Bearer ${key}`,
        "Content-Type": "application/json",
        "Content-Length": bytes.length,
        Connection: "close",
        ...extra,
      }),
      bytes,
    ],
  };
};

const record = (over: Record<string, unknown>) =>
  JSON.stringify([
    {
      id: "h1",
      campaign: "C",
      channel: "106540352242922",
      agent: "A",
      hsm: { id: "1", name: "t" },
      destination: "51977452931",
      body: "hola",
      queuedAt: "2026-10-01T09:00:00-05:00",
      ...over,
    },
  ]);

const slackBody = "payload=%7Bnot%20json";
const slackTs = () => Math.floor(Date.now() / 1000);

const CASES: Case[] = [
  // Malformed request targets.
  { name: "GET // (killed the process before)", request: () => ({ send: [head("GET // HTTP/1.1")] }), expect: 400 },
  { name: "GET //?x", request: () => ({ send: [head("GET //?x HTTP/1.1")] }), expect: 400 },
  { name: "GET //@", request: () => ({ send: [head("GET //@ HTTP/1.1")] }), expect: 400 },
  { name: "absolute-form target", request: () => ({ send: [head("GET http://evil.example/healthz HTTP/1.1")] }), expect: 400 },
  { name: "asterisk-form target", request: () => ({ send: [head("OPTIONS * HTTP/1.1")] }), expect: 400 },
  { name: "backslash target", request: () => ({ send: [head("GET /\\evil.example HTTP/1.1")] }), expect: 400 },
  { name: "bad percent-encoding", request: () => ({ send: [head("GET /%zz%00 HTTP/1.1")] }), expect: 404 },
  {
    name: "raw non-ASCII bytes in the target",
    request: () => ({ send: [Buffer.from("GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", "latin1")] }),
    expect: 400,
    closes: true,
  },
  {
    name: "a 20 KB request line",
    request: () => ({ send: [head(`GET /${"a".repeat(20_000)} HTTP/1.1`)] }),
    expect: 431,
    closes: true,
  },
  { name: "a bare HTTP/0.9 request (Node reads it as GET /)", request: () => ({ send: ["GET /\r\n\r\n"] }), expect: 404 },
  {
    name: "a TLS hello on the plain port",
    request: () => ({ send: [Buffer.from("160301020001000100", "hex")] }),
    expect: 400,
    closes: true,
  },
  { name: "an HTTP/2 preface", request: () => ({ send: ["PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"] }), expect: 400, closes: true },
  { name: "an unknown method", request: () => ({ send: [head("BREW /healthz HTTP/1.1")] }), expect: 400, closes: true },
  { name: "a method the route does not take", request: () => ({ send: [head("DELETE /healthz HTTP/1.1")] }), expect: 405 },
  { name: "an unknown path", request: () => ({ send: [head("GET /admin HTTP/1.1")] }), expect: 404 },

  // Headers.
  {
    name: "one 20 KB header",
    request: () => ({ send: [head("GET /healthz HTTP/1.1", { "X-Big": "b".repeat(20_000) })] }),
    expect: 431,
    closes: true,
  },
  {
    name: "300 small headers",
    request: () => ({
      send: [head("GET /healthz HTTP/1.1", Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`X-H${i}`, "1"])))],
      answers: 1,
    }),
    expect: 200,
  },
  {
    name: "headers that never end (slowloris)",
    request: () => ({
      send: ["GET /healthz HTTP/1.1\r\nHost: x\r\n", ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: 1\r\n`)],
      pauseMs: 200,
      waitMs: 12_000,
    }),
    expect: 408,
    closes: true,
    withinMs: (HEADERS_S + 3) * 1000,
  },
  { name: "no Host header", request: () => ({ send: ["GET /healthz HTTP/1.1\r\n\r\n"] }), expect: 400, closes: true },
  {
    name: "two different Content-Lengths",
    request: () => ({ send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": 5, "content-length": 6 }), "hello"] }),
    expect: 400,
    closes: true,
  },
  {
    name: "Content-Length and chunked together (smuggling)",
    request: () => ({
      send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": 5, "Transfer-Encoding": "chunked" }), "0\r\n\r\n"],
    }),
    expect: 400,
    closes: true,
  },
  {
    name: "a Content-Length that is not a number",
    request: () => ({ send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": "abc" })] }),
    expect: 400,
    closes: true,
  },
  {
    name: "a negative Content-Length",
    request: () => ({ send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": "-1" })] }),
    expect: 400,
    closes: true,
  },

  // Oversized bodies, on every route: answered without reading them.
  {
    name: "100 MB announced on the webhook",
    request: () => ({ send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": 100 * MB })], flood: floodChunk }),
    expect: 413,
    closes: true,
    withinMs: 3000,
  },
  {
    name: "an endless chunked body on the webhook",
    request: () => ({
      send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Transfer-Encoding": "chunked" })],
      flood: Buffer.from(`10000\r\n${"a".repeat(0x10000)}\r\n`),
    }),
    expect: 413,
    closes: true,
    withinMs: 5000,
  },
  {
    name: "100 MB to the records API without a key",
    request: () => ({ send: [head("POST /api/v1/messages HTTP/1.1", { "Content-Length": 100 * MB })], flood: floodChunk }),
    expect: 401,
    closes: true,
    withinMs: 3000,
  },
  {
    name: "100 MB to the records API with a key",
    request: (key) => ({
      send: [head("POST /api/v1/messages HTTP/1.1", { Authorization: `Bearer ${key}`, "Content-Length": 100 * MB })],
      flood: floodChunk,
    }),
    expect: 413,
    closes: true,
    withinMs: 3000,
  },
  {
    name: "an endless chunked body to the records API with a key",
    request: (key) => ({
      send: [head("POST /api/v1/messages HTTP/1.1", { Authorization: `Bearer ${key}`, "Transfer-Encoding": "chunked" })],
      flood: Buffer.from(`10000\r\n${"a".repeat(0x10000)}\r\n`),
    }),
    expect: 413,
    closes: true,
    withinMs: 8000,
  },
  {
    name: "5 MB to Slack (Bolt's 4 MiB limit)",
    request: () => ({ send: [head("POST /slack/events HTTP/1.1", { "Content-Length": 5 * MB })], flood: floodChunk }),
    expect: 413,
    closes: true,
    withinMs: 3000,
  },
  {
    name: "an endless chunked body to Slack",
    request: () => ({
      send: [head("POST /slack/events HTTP/1.1", { "Transfer-Encoding": "chunked" })],
      flood: Buffer.from(`10000\r\n${"a".repeat(0x10000)}\r\n`),
    }),
    expect: 413,
    closes: true,
    withinMs: 5000,
  },
  {
    name: "a body on /healthz",
    request: () => ({ send: [head("GET /healthz HTTP/1.1", { "Content-Length": 10 }), "0123456789"] }),
    expect: 413,
    closes: true,
  },
  {
    name: "a 100 MB body on an unknown path",
    request: () => ({ send: [head("POST /nowhere HTTP/1.1", { "Content-Length": 100 * MB })], flood: floodChunk }),
    expect: 404,
    closes: true,
    withinMs: 3000,
  },
  {
    name: "Expect: 100-continue with 100 MB",
    request: () => ({ send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": 100 * MB, Expect: "100-continue" })] }),
    expect: 413,
    closes: true,
    withinMs: 3000,
  },

  // Bodies that stop arriving: cut after the idle timeout, signed or not.
  {
    name: "a webhook body that stalls after 10 bytes",
    request: () => ({
      send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": 1000 }), '{"object":'],
      waitMs: 10_000,
    }),
    expect: 408,
    closes: true,
    withinMs: (IDLE_S + 2) * 1000,
  },
  {
    name: "a records body that stalls (with a key)",
    request: (key) => ({
      send: [head("POST /api/v1/messages HTTP/1.1", { Authorization: `Bearer ${key}`, "Content-Length": 1000 }), "[{"],
      waitMs: 10_000,
    }),
    expect: 408,
    closes: true,
    withinMs: (IDLE_S + 2) * 1000,
  },
  {
    name: "a Slack body that stalls",
    request: () => ({ send: [head("POST /slack/events HTTP/1.1", { "Content-Length": 1000 }), "payload="], waitMs: 10_000 }),
    expect: 408,
    closes: true,
    withinMs: (IDLE_S + 2) * 1000,
  },
  {
    name: "a body trickling one byte a half-second (never idle, never done)",
    request: () => ({
      send: [head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Length": 1000 }), ...Array.from({ length: 40 }, () => "a")],
      pauseMs: 500,
      waitMs: 15_000,
    }),
    expect: 408,
    closes: true,
    withinMs: (REQUEST_S + 3) * 1000,
  },

  // Wrong content types, invalid UTF-8, deep JSON, numbers out of range.
  {
    name: "an unsigned webhook as text/plain",
    request: () => ({
      send: [
        head("POST /webhooks/whatsapp HTTP/1.1", { "Content-Type": "text/plain", "Content-Length": 5, Connection: "close" }),
        "hello",
      ],
    }),
    expect: 401,
  },
  {
    name: "XML to the records API",
    request: (key) => json(key, "<records/>", { "Content-Type": "application/xml" }),
    expect: 400,
  },
  { name: "invalid UTF-8 to the records API", request: (key) => json(key, Buffer.from([0x5b, 0xff, 0xfe, 0x5d])), expect: 400 },
  {
    name: "JSON nested 100,000 deep to the records API",
    request: (key) => json(key, `${"[".repeat(100_000)}${"]".repeat(100_000)}`),
    expect: 400,
  },
  { name: "an object instead of an array", request: (key) => json(key, '{"id":"1"}'), expect: 400 },
  {
    name: "a record dated in the year 9999",
    request: (key) => json(key, record({ queuedAt: "9999-01-01T00:00:00Z" })),
    expect: 422,
  },
  { name: "a record with a NUL in its campaign", request: (key) => json(key, record({ campaign: "a\u0000b" })), expect: 422 },
  {
    name: "a signed webhook with timestamp 9e15",
    request: () => ({ send: signedWebhook(status({ timestamp: 9e15 })) }),
    expect: 400,
  },
  {
    name: "a signed webhook with a 20-digit timestamp",
    request: () => ({ send: signedWebhook(status({ timestamp: "99999999999999999999" })) }),
    expect: 400,
  },
  {
    name: "a signed webhook with error code 1e20",
    request: () => ({
      send: signedWebhook(status({ timestamp: "1790000000", status: "failed", errors: [{ code: 1e20, title: "x" }] })),
    }),
    expect: 400,
  },
  {
    name: "a signed webhook with a NUL in the wamid",
    request: () => ({ send: signedWebhook(status({ timestamp: "1790000000", id: "wamid.\u0000" })) }),
    expect: 400,
  },
  {
    name: "a signed webhook that is not UTF-8",
    request: () => ({ send: signedWebhook(Buffer.from([0x7b, 0xff, 0x7d])) }),
    expect: 400,
  },
  {
    name: "a signed webhook nested 100,000 deep",
    request: () => ({ send: signedWebhook(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) }),
    expect: 400,
  },
  {
    name: "an unsigned Slack request",
    request: () => ({
      send: [head("POST /slack/events HTTP/1.1", { "Content-Length": slackBody.length, Connection: "close" }), slackBody],
    }),
    expect: 401,
  },
  {
    name: "a signed Slack request that is not JSON",
    request: () => {
      const ts = slackTs();
      return {
        send: [
          head("POST /slack/events HTTP/1.1", {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": slackBody.length,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": slackSignature(slackBody, ts, SIGNING_SECRET),
            Connection: "close",
          }),
          slackBody,
        ],
      };
    },
    expect: 400,
  },
  {
    name: "a verification with the wrong token",
    request: () => ({
      send: [
        head(`GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1 HTTP/1.1`, { Connection: "close" }),
      ],
    }),
    expect: 403,
  },
  // Download links (GET /files/TOKEN): anything but a link this installation signed is 403, never a 5xx.
  ...[
    ["not a token", "GET /files/not-a-token", 403],
    ["a forged signature", `GET /files/1.1.4102444800.${"A".repeat(43)}`, 403],
    ["an expired forged signature", `GET /files/1.1.1.${"A".repeat(43)}`, 403],
    ["a file id past any integer", `GET /files/${"9".repeat(40)}.1.4102444800.${"A".repeat(43)}`, 403],
    ["a climb out of its folder", "GET /files/..%2f..%2fetc%2fpasswd", 403],
    ["NUL and non-UTF-8 escapes", "GET /files/%00%ff%c3%b1", 403],
    ["a 10 KB token", `GET /files/${"1".repeat(10_000)}`, 403],
    ["HEAD with a forged token", `HEAD /files/1.0.4102444800.${"_".repeat(43)}`, 403],
    ["two segments", "GET /files/a/b", 404],
    ["no token", "GET /files/", 404],
  ].map(
    ([what, line, status]): Case => ({
      name: `a download link: ${what}`,
      request: () => ({ send: [head(`${line} HTTP/1.1`, { Connection: "close" })] }),
      expect: status as number,
    }),
  ),
  {
    name: "a body sent to a download link",
    request: () => ({
      send: [head("POST /files/1.1.1.x HTTP/1.1", { "Content-Length": 1000, Connection: "close" }), "a".repeat(100)],
    }),
    expect: 405,
    closes: true,
  },
  {
    name: "100 pipelined requests in one write",
    request: () => ({ send: [head("GET /healthz HTTP/1.1").repeat(100)], answers: 100 }),
    expect: 200,
  },
];

/** Signed bodies above that must be kept as rejected (SPEC: nothing dropped silently). */
const SIGNED_MALFORMED = CASES.filter((c) => c.name.startsWith("a signed webhook")).length;

describe.each(DATABASES)("hostile requests on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let key: string;
  let port: number;
  let rssBefore: number;

  beforeAll(async () => {
    db = fresh();
    const store = await openStore(db.url);
    try {
      key = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).apiKey;
    } finally {
      await store.close();
    }
    server = await startServerProcess({
      DATABASE_URL: db.url,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      SLACK_BOT_TOKEN: "xoxb-hostile",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      HTTP_BODY_IDLE_TIMEOUT_SECONDS: String(IDLE_S),
      HTTP_HEADERS_TIMEOUT_SECONDS: String(HEADERS_S),
      HTTP_REQUEST_TIMEOUT_SECONDS: String(REQUEST_S),
      LOG_LEVEL: "warn",
    });
    port = Number(new URL(server.url).port);
    await fetch(`${server.url}/healthz`);
    rssBefore = rssMb(server.child.pid as number);
  });

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    await db?.drop();
  });

  it("a client that keeps its connections alive gets every refusal of a body, never a reset", async () => {
    // fetch pools its connections: a refusal must say it closes its connection, or the next request
    // is sent on a socket being torn down and fails with ECONNRESET.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/api/v1/messages`, {
        method: "POST",
        headers: { authorization: "Bearer hsm_not-a-key", "content-type": "application/json" },
        body: JSON.stringify({ records: [] }),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(20).fill(401));
  });

  it(`answers each of ${CASES.length} hostile requests as documented, and keeps serving`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const results = await Promise.all(CASES.map(async (c) => ({ c, r: await rawExchange(port, c.request(key)) })));
    const wrong = results.flatMap(({ c, r }) => {
      const problems: string[] = [];
      const statuses = c.name.startsWith("100 pipelined") ? r.statuses : [r.status];
      if (statuses.length === 0 || statuses.some((s) => s !== c.expect))
        problems.push(`answered ${statuses.join(",") || "nothing"}, expected ${c.expect}`);
      if (statuses.some((s) => s >= 500 && s !== 503)) problems.push("a 5xx");
      if (c.closes && !r.closedByServer) problems.push("the server kept the connection open");
      // A client that keeps connections alive must learn this one is closing, or it reuses it.
      if (c.closes && r.status !== 0 && !/\r\nconnection: close\r\n/i.test(r.text))
        problems.push("the answer did not say Connection: close");
      if (c.withinMs && r.ms > c.withinMs) problems.push(`took ${Math.round(r.ms)} ms (limit ${c.withinMs})`);
      return problems.length ? [`${c.name}: ${problems.join("; ")}`] : [];
    });
    expect(wrong).toEqual([]);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect(rssMb(server.child.pid as number) - rssBefore).toBeLessThan(100);
  });

  it("keeps every signed body it refused, marked rejected with the reason", async () => {
    const store = await openStore(db.url, { migrate: false });
    try {
      const rejected = await store.prisma.eventLog.findMany({ where: { source: "webhook", outcome: "rejected" } });
      expect(rejected).toHaveLength(SIGNED_MALFORMED);
      expect(rejected.every((e) => e.bodyId !== null && (e.reason ?? "").length > 0)).toBe(true);
      expect(rejected.map((e) => e.reason).join("\n")).toMatch(/between 2000 and 2100/);
    } finally {
      await store.close();
    }
  });
});
