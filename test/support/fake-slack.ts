// A local stand-in for Slack's Web API (the client's slackApiUrl points here): it speaks Slack's
// wire format (form-encoded arguments, JSON strings for objects, { ok, … } answers, the three-step
// files upload) and records every call so a test can assert what a user would have seen. It
// enforces the limits Slack enforces (a section's text ≤ 3,000 characters, ≤ 50 blocks, a message's
// text ≤ 40,000) and can be told to fail or to hold calls, as Slack does when it is busy.
//
// Not documented by Slack, and modelled here as the cautious guess: completing an upload that was
// already completed answers ok and shares nothing again; completing one whose bytes never arrived
// answers file_not_found.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

export interface Upload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  channel: string | null;
  blocks: unknown[] | null;
  /** The Content-Length the upload was sent with (null when it came chunked). */
  contentLength: number | null;
}

/** Makes the next matching calls fail: with an HTTP status, or with `{ ok: false, error }`. */
export interface Failure {
  method: string;
  times: number;
  status?: number;
  error?: string;
  when?: (args: Record<string, unknown>) => boolean;
}

export interface FakeSlack {
  apiUrl: string;
  url: string;
  calls: SlackCall[];
  uploads: Upload[];
  /** What response_url received, by path. */
  responses: { path: string; body: Record<string, unknown> }[];
  /** Channels the bot is not a member of. */
  notInChannel: Set<string>;
  /** Files larger than this are refused with file_upload_size_restricted. */
  maxFileBytes: number;
  failures: Failure[];
  /** Calls to `method` wait until the returned function is called. */
  hold(method: string): () => void;
  callsTo(method: string): SlackCall[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

const OBJECT_ARGS = new Set(["blocks", "view", "files", "attachments"]);

function parseArgs(contentType: string, raw: Buffer): Record<string, unknown> {
  if (contentType.includes("application/json")) return JSON.parse(raw.toString("utf8"));
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw.toString("utf8"))) {
    args[k] = OBJECT_ARGS.has(k) ? JSON.parse(v) : v;
  }
  return args;
}

/** Slack's Block Kit and message limits: the error it answers when one is broken, or null. */
function invalidMessage(args: Record<string, unknown>): string | null {
  if (typeof args.text === "string" && args.text.length > 40_000) return "msg_too_long";
  const blocks = args.blocks as { type?: string; text?: { text?: string } }[] | undefined;
  if (!blocks) return null;
  if (blocks.length > 50) return "invalid_blocks";
  for (const block of blocks) {
    if (block.type === "section" && (block.text?.text?.length ?? 0) > 3000) return "invalid_blocks";
  }
  return null;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const uploads: Upload[] = [];
  const responses: FakeSlack["responses"] = [];
  const pending = new Map<string, { filename: string; length: number }>();
  const held = new Map<string, Promise<void>>();
  let ts = 1_700_000_000;
  let fileCounter = 0;
  let base = "";
  const fake: FakeSlack = {
    apiUrl: "",
    url: "",
    calls,
    uploads,
    responses,
    notInChannel: new Set(),
    maxFileBytes: Number.POSITIVE_INFINITY,
    failures: [],
    hold(method) {
      let release = () => {};
      held.set(
        method,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        held.delete(method);
        release();
      };
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", base);
    const reply = (body: Record<string, unknown>, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith("/upload/")) {
      // Slack takes the bytes raw or as a multipart form with one part named "body".
      const fileId = url.pathname.slice("/upload/".length);
      const contentType = String(req.headers["content-type"] ?? "");
      let bytes = raw;
      if (contentType.startsWith("multipart/form-data")) {
        const form = await new Request(`${base}/x`, {
          method: "POST",
          headers: { "content-type": contentType },
          body: raw,
        }).formData();
        const part = form.get("body");
        bytes = part instanceof Blob ? Buffer.from(await part.arrayBuffer()) : Buffer.from(String(part));
      }
      const announced = pending.get(fileId);
      if (!announced) {
        res.writeHead(404, { "content-type": "text/plain" });
        return void res.end("unknown upload");
      }
      if (!contentType.startsWith("multipart/form-data") && bytes.length !== announced.length) {
        res.writeHead(400, { "content-type": "text/plain" });
        return void res.end(`expected ${announced.length} bytes, got ${bytes.length}`);
      }
      const contentLength = req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);
      uploads.push({ fileId, filename: announced.filename, bytes, channel: null, blocks: null, contentLength });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`OK - ${bytes.length}`);
      return;
    }
    if (url.pathname.startsWith("/response/")) {
      responses.push({ path: url.pathname, body: JSON.parse(raw.toString("utf8")) });
      return reply({ ok: true });
    }
    const method = url.pathname.replace(/^\/api\//, "");
    const args = parseArgs(String(req.headers["content-type"] ?? ""), raw);
    calls.push({ method, args });
    await held.get(method);
    const failure = fake.failures.find((f) => f.method === method && f.times > 0 && (f.when?.(args) ?? true));
    if (failure) {
      failure.times--;
      if (failure.status) return reply({ ok: false, error: "fake_http_error" }, failure.status);
      return reply({ ok: false, error: failure.error ?? "internal_error" });
    }
    const invalid = invalidMessage(args);
    if (invalid && ["chat.postMessage", "chat.update", "files.completeUploadExternal"].includes(method)) {
      return reply({ ok: false, error: invalid });
    }
    const channel = String(args.channel ?? args.channel_id ?? "");
    switch (method) {
      case "auth.test":
        return reply({
          ok: true,
          url: "https://fake.slack.com/",
          team: "Fake",
          user: "hsm-report",
          team_id: "T0FAKE",
          user_id: "UBOT",
          bot_id: "BBOT",
        });
      case "chat.postMessage":
        if (fake.notInChannel.has(channel)) return reply({ ok: false, error: "not_in_channel" });
        return reply({ ok: true, channel, ts: `${ts++}.000100`, message: { text: args.text } });
      case "chat.update":
        return reply({ ok: true, channel, ts: args.ts, text: args.text });
      case "chat.postEphemeral":
        return reply({ ok: true, message_ts: `${ts++}.000200` });
      case "views.open":
        return reply({ ok: true, view: { id: "V0FAKE", ...(args.view as object) } });
      case "files.getUploadURLExternal": {
        const length = Number(args.length);
        if (length > fake.maxFileBytes) return reply({ ok: false, error: "file_upload_size_restricted" });
        const fileId = `F${String(++fileCounter).padStart(6, "0")}`;
        pending.set(fileId, { filename: String(args.filename), length });
        return reply({ ok: true, upload_url: `${base}/upload/${fileId}`, file_id: fileId });
      }
      case "files.completeUploadExternal": {
        if (fake.notInChannel.has(channel)) return reply({ ok: false, error: "not_in_channel" });
        const files = args.files as { id: string; title?: string }[];
        if (files.some((f) => !uploads.some((u) => u.fileId === f.id))) return reply({ ok: false, error: "file_not_found" });
        for (const f of files) {
          const upload = uploads.find((u) => u.fileId === f.id);
          if (upload && upload.channel === null) Object.assign(upload, { channel, blocks: (args.blocks as unknown[]) ?? null });
        }
        return reply({
          ok: true,
          files: files.map((f) => ({ id: f.id, title: f.title, permalink: `https://fake.slack.com/files/UBOT/${f.id}` })),
        });
      }
      default:
        return reply({ ok: false, error: "unknown_method" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  fake.url = base;
  fake.apiUrl = `${base}/api/`;
  return fake;
}
