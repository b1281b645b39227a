// The one HTTP server: every route of the product lives behind it, and it faces the internet.
//
// Everything a client controls is bounded here, before any route runs: the request target is
// parsed defensively (a malformed one is a 400, never a throw), the body is read by this module
// with a per-route size cap and an idle timeout (a route sees a Buffer, never the stream), and a
// route that throws becomes a logged 500 with a reference instead of a crash.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../log.ts";
import {
  announcesBody,
  BodyTimeoutError,
  PayloadTooLargeError,
  readRawBody,
  sendError,
  sendErrorAndClose,
  sendJson,
} from "./http-kit.ts";
import { parseRequestTarget } from "./request-target.ts";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The whole body, already read within the route's limits (empty for routes that take none). */
  body: Buffer;
  /** What the route's guard handed on (undefined without a guard). */
  guarded: unknown;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export type Method = "GET" | "HEAD" | "POST" | "PUT" | "DELETE";

export interface Route {
  /** The largest body this route accepts; 0 (the default) for routes that take none. */
  maxBodyBytes?: number;
  /** The 413 this route gives past maxBodyBytes, when it has its own words for it. */
  tooLarge?: { code: string; message: string };
  /** Runs before the body is read (e.g. an API key check), so a stranger's upload is never read. */
  guard?: (req: IncomingMessage) => Promise<GuardResult>;
  methods: Partial<Record<Method, Handler>>;
}

/**
 * Routes by exact path, or by a key ending in `/*` (e.g. `/files/*`) for one further path segment,
 * which the route reads from `url.pathname` itself.
 */
export type Routes = Record<string, Route>;

/** A guard either lets the request through (handing a value to the handler) or answers for it. */
export type GuardResult =
  | { pass: unknown }
  | { refuse: { status: number; code: string; message: string; headers?: Record<string, string> } };

export interface HttpLimits {
  /** All headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** A body that stops arriving for this long is cut, signed or not. */
  bodyIdleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are closed at once by Node. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyIdleTimeoutMs: 5_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

/** Headers beyond this size get 431 from Node itself; beyond this count are ignored. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_HEADERS_COUNT = 100;

const METHODS = new Set<string>(["GET", "HEAD", "POST", "PUT", "DELETE"]);

export function createHttpServer(routes: Routes, log: Logger, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node only looks for expired headers/requests this often (30 s by default): a timeout is
      // only as sharp as this interval.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      maxHeaderSize: MAX_HEADER_BYTES,
      requireHostHeader: true,
    },
    (req, res) => serve(req, res, false),
  );
  // `Expect: 100-continue`: the client waits for our go-ahead before uploading, so a body we would
  // refuse (too large, no API key) is refused without a byte of it being sent.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => serve(req, res, true));
  server.maxHeadersCount = MAX_HEADERS_COUNT;
  server.maxConnections = limits.maxConnections;

  function serve(req: IncomingMessage, res: ServerResponse, continueFirst: boolean): void {
    void handle(req, res, continueFirst).catch((error: unknown) => {
      // handle() catches everything itself; this is the last line, for a bug in the boundary.
      log.error({ err: error }, "request boundary failed");
      if (!res.headersSent) sendErrorAndClose(res, 500, "internal_error", "Unexpected error; it has been logged.");
      else res.destroy();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, continueFirst: boolean): Promise<void> {
    const started = performance.now();
    const url = parseRequestTarget(req.url);
    const found = url ? findRoute(routes, url.pathname) : null;
    // A `/*` route's segment is a parameter, possibly a credential (a download token): the log
    // names the route, never the segment.
    const path = found?.key ?? url?.pathname ?? "(malformed)";
    res.on("finish", () => {
      const entry = { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) };
      if (res.statusCode >= 500 && res.statusCode !== 503) log.error(entry, "request failed");
      else if (res.statusCode >= 400) log.info(entry, "request refused");
      else log.debug(entry, "request");
    });
    if (!url) {
      sendErrorAndClose(res, 400, "bad_request_target", "The request target is not a path such as /healthz.");
      return;
    }
    if (!found) {
      refuse(req, res, 404, "not_found", `No route ${url.pathname}.`);
      return;
    }
    const { route } = found;
    const method = req.method ?? "";
    const handler = METHODS.has(method) ? route.methods[method as Method] : undefined;
    if (!handler) {
      res.setHeader("allow", Object.keys(route.methods).join(", "));
      refuse(req, res, 405, "method_not_allowed", `${method} is not allowed on ${url.pathname}.`);
      return;
    }
    let guarded: unknown;
    if (route.guard) {
      const verdict = await route.guard(req);
      if ("refuse" in verdict) {
        const { status, code, message, headers } = verdict.refuse;
        if (announcesBody(req)) sendErrorAndClose(res, status, code, message, headers);
        else sendError(res, status, code, message, {}, headers);
        return;
      }
      guarded = verdict.pass;
    }
    const maxBodyBytes = route.maxBodyBytes ?? 0;
    let body: Buffer = EMPTY;
    if (announcesBody(req)) {
      if (maxBodyBytes === 0) {
        sendErrorAndClose(res, 413, "payload_too_large", `${method} ${url.pathname} takes no body.`);
        return;
      }
      try {
        if (continueFirst) {
          if (Number(req.headers["content-length"]) > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
          res.writeContinue();
        }
        body = await readRawBody(req, maxBodyBytes, limits.bodyIdleTimeoutMs);
      } catch (error) {
        if (error instanceof PayloadTooLargeError) {
          const { code, message } = route.tooLarge ?? {
            code: "payload_too_large",
            message: `Bodies on ${url.pathname} are at most ${maxBodyBytes} bytes.`,
          };
          sendErrorAndClose(res, 413, code, message);
        } else if (error instanceof BodyTimeoutError) {
          sendErrorAndClose(res, 408, "body_timeout", `The body stopped arriving for ${limits.bodyIdleTimeoutMs} ms.`);
        } else {
          res.destroy();
        }
        return;
      }
    }
    try {
      await handler({ req, res, url, body, guarded });
    } catch (error) {
      const ref = randomBytes(4).toString("hex");
      log.error({ err: error, path, ref }, "route failed");
      if (!res.headersSent) sendError(res, 500, "internal_error", `Unexpected error; it has been logged as ${ref}.`, { ref });
      else res.destroy();
    }
  }

  return server;
}

const EMPTY: Buffer = Buffer.alloc(0);

function findRoute(routes: Routes, pathname: string): { route: Route; key: string } | null {
  if (Object.hasOwn(routes, pathname)) return { route: routes[pathname] as Route, key: pathname };
  const slash = pathname.lastIndexOf("/");
  if (slash <= 0 || slash === pathname.length - 1) return null;
  const key = `${pathname.slice(0, slash + 1)}*`;
  return Object.hasOwn(routes, key) ? { route: routes[key] as Route, key } : null;
}

/** An answer that does not depend on the body: hang up if one is still coming, so it is never read. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  if (announcesBody(req)) sendErrorAndClose(res, status, code, message);
  else sendError(res, status, code, message);
}

export function healthHandler(ping: () => Promise<void>, extra: () => Record<string, unknown> = () => ({})): Handler {
  return async ({ res }) => {
    try {
      await ping();
      sendJson(res, 200, { status: "ok", database: "up", ...extra() });
    } catch {
      sendJson(res, 503, { status: "degraded", database: "down", ...extra() }, { "retry-after": "5" });
    }
  };
}

/** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes what is left. */
export function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
