// A local stand-in for Slack's Web API (the client's slackApiUrl points here): it speaks Slack's
// wire format (form-encoded arguments, JSON strings for objects, { ok, … } answers, the three-step
// files upload) and records every call so a test can assert what a user would have seen.
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

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const uploads: Upload[] = [];
  const responses: FakeSlack["responses"] = [];
  const pending = new Map<string, { filename: string; length: number }>();
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
      const fileId = url.pathname.slice("/upload/".length);
      const form = await new Request(`${base}/x`, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"]) },
        body: raw,
      }).formData();
      const part = form.get("body");
      const bytes = part instanceof Blob ? Buffer.from(await part.arrayBuffer()) : Buffer.from(String(part));
      uploads.push({ fileId, filename: pending.get(fileId)?.filename ?? "", bytes, channel: null, blocks: null });
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
        for (const f of files) {
          const upload = uploads.find((u) => u.fileId === f.id);
          if (upload) Object.assign(upload, { channel, blocks: (args.blocks as unknown[]) ?? null });
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
