// A local stand-in for the Bot Connector service a Teams activity's `serviceUrl` names: it speaks
// the Bot Framework REST API's wire format (JSON activities; `POST /v3/conversations/{id}/activities`
// for a new message, `POST …/activities/{replyToId}` for a reply, `PUT …/activities/{id}` for an
// update; ids URL-encoded) and records every call with its headers, answering `{ id }` as the
// real service does.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** POST …/activities/{replyToId}: the activity answered; PUT …/activities/{id}: the one replaced. */
  activityId: string | null;
  headers: IncomingMessage["headers"];
  activity: Record<string, unknown>;
  /** The id answered: a new activity's, or the replaced one's. */
  id: string;
}

/** A file PUT to an upload URL (the OneDrive upload session of Teams' file consent flow). */
export interface ConsentUpload {
  /** Each PUT's Content-Range, in order. */
  ranges: string[];
  /** The bytes put so far, in place. */
  bytes: Buffer;
  complete: boolean;
}

export interface FakeBotConnector {
  /** What to put in an activity's serviceUrl. */
  url: string;
  calls: ConnectorCall[];
  /** An upload URL as a fileConsent/invoke's uploadInfo names one; what is PUT to it lands in `uploads`. */
  uploadUrl(name: string): string;
  uploads: Map<string, ConsentUpload>;
  /** Conversations the bot was removed from: posts and updates there get Teams' 403 BotNotInConversationRoster. */
  removedFrom: Set<string>;
  /** 1:1 conversations the bot created (POST /v3/conversations), with what it asked for. */
  created: { id: string; parameters: Record<string, unknown> }[];
  /** Messages the bot posted (new ones and replies), in order. */
  posts(): ConnectorCall[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

const UPLOAD = /^\/upload\/([^/]+)$/;
const RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const uploads = new Map<string, ConsentUpload>();
  const removedFrom = new Set<string>();
  const created: { id: string; parameters: Record<string, unknown> }[] = [];
  let next = 1;
  const server: Server = createServer(async (req, res) => {
    const body = await readBytes(req);
    const raw = body.toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const upload = UPLOAD.exec(url.pathname);
    if (upload && req.method === "PUT") {
      // As an upload session answers: 202 while ranges are missing, 201 with the item once complete.
      const name = decodeURIComponent(upload[1] as string);
      const range = RANGE.exec(String(req.headers["content-range"] ?? ""));
      if (!range || Number(range[2]) - Number(range[1]) + 1 !== body.length) {
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { code: "invalidRange" } }));
      }
      const total = Number(range[3]);
      const entry = uploads.get(name) ?? { ranges: [], bytes: Buffer.alloc(total), complete: false };
      entry.ranges.push(String(req.headers["content-range"]));
      body.copy(entry.bytes, Number(range[1]));
      entry.complete = Number(range[2]) + 1 === total;
      uploads.set(name, entry);
      res.writeHead(entry.complete ? 201 : 202, { "content-type": "application/json" });
      return res.end(
        JSON.stringify(
          entry.complete ? { id: `item-${name}`, name, size: total } : { nextExpectedRanges: [`${Number(range[2]) + 1}-`] },
        ),
      );
    }
    const match = ROUTE.exec(url.pathname);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.replace(/\/$/, "") === "/v3/conversations" && req.method === "POST") {
      const id = `a:direct-${created.length + 1}`;
      created.push({ id, parameters: JSON.parse(raw) });
      return reply(201, { id });
    }
    if (!match || (req.method !== "POST" && req.method !== "PUT")) return reply(404, { error: { code: "NotFound" } });
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(raw);
    } catch {
      return reply(400, { error: { code: "BadArgument", message: "body is not JSON" } });
    }
    const conversationId = decodeURIComponent(match[1] as string);
    const activityId = match[2] ? decodeURIComponent(match[2]) : null;
    if (req.method === "PUT" && !activityId) return reply(405, { error: { code: "MethodNotAllowed" } });
    if (removedFrom.has(conversationId.split(";")[0] as string)) {
      return reply(403, {
        error: { code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." },
      });
    }
    const id = req.method === "PUT" ? (activityId as string) : `1${String(next++).padStart(12, "0")}`;
    calls.push({ method: req.method, path: url.pathname, conversationId, activityId, headers: req.headers, activity, id });
    reply(req.method === "PUT" ? 200 : 201, { id });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    uploads,
    removedFrom,
    created,
    uploadUrl: (name) => `http://127.0.0.1:${port}/upload/${encodeURIComponent(name)}`,
    posts: () => calls.filter((c) => c.method === "POST"),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
