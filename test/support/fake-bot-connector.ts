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
}

export interface FakeBotConnector {
  /** What to put in an activity's serviceUrl. */
  url: string;
  calls: ConnectorCall[];
  /** Messages the bot posted (new ones and replies), in order. */
  posts(): ConnectorCall[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  let next = 1;
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = ROUTE.exec(url.pathname);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
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
    calls.push({ method: req.method, path: url.pathname, conversationId, activityId, headers: req.headers, activity });
    reply(req.method === "PUT" ? 200 : 201, { id: req.method === "PUT" ? activityId : `1${String(next++).padStart(12, "0")}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    posts: () => calls.filter((c) => c.method === "POST"),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
