// The one HTTP server: every route of the product lives behind it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../log.ts";
import { sendError, sendJson } from "./http-kit.ts";

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface Routes {
  [path: string]: Partial<Record<"GET" | "POST" | "PUT" | "DELETE", Handler>>;
}

export function createHttpServer(routes: Routes, log: Logger): Server {
  return createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = routes[url.pathname];
    const handler = route?.[req.method as keyof typeof route];
    res.on("finish", () => {
      const entry = {
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      };
      if (res.statusCode >= 400) log.info(entry, "request refused");
      else log.debug(entry, "request");
    });
    if (!route) {
      sendError(res, 404, "not_found", `No route ${url.pathname}.`);
      return;
    }
    if (!handler) {
      res.setHeader("allow", Object.keys(route).join(", "));
      sendError(res, 405, "method_not_allowed", `${req.method} is not allowed on ${url.pathname}.`);
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((error: unknown) => {
        log.error({ err: error, path: url.pathname }, "request failed");
        if (!res.headersSent) sendError(res, 500, "internal_error", "Unexpected error; it has been logged.");
        else res.destroy();
      });
  });
}

export function healthHandler(ping: () => Promise<void>): Handler {
  return async (_req, res) => {
    try {
      await ping();
      sendJson(res, 200, { status: "ok", database: "up" });
    } catch {
      sendJson(res, 503, { status: "degraded", database: "down" });
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
