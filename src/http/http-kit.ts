// Small helpers for node:http: bounded raw bodies (signatures need the exact bytes) and JSON replies.
import type { IncomingMessage, ServerResponse } from "node:http";

export class PayloadTooLargeError extends Error {
  readonly code = "payload_too_large";
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
  }
}

export class BodyTimeoutError extends Error {
  readonly code = "body_timeout";
  constructor(readonly idleMs: number) {
    super(`no body bytes for ${idleMs} ms`);
  }
}

/** Whether the request says it carries a body (a length above zero, or chunks). */
export function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  if (length !== undefined && length !== "0") return true;
  return req.headers["transfer-encoding"] !== undefined;
}

/**
 * Reads the whole body, at most `limit` bytes, failing when no byte arrives for `idleMs`. On
 * failure the stream is paused, not drained: the caller answers and closes the connection, so an
 * attacker's endless or stalled upload costs nothing more.
 */
export function readRawBody(req: IncomingMessage, limit: number, idleMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new PayloadTooLargeError(limit));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | null = null;
    const stop = (error: Error | null) => {
      if (timer) clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(parts, size));
    };
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => stop(new BodyTimeoutError(idleMs)), idleMs);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop(new PayloadTooLargeError(limit));
        return;
      }
      parts.push(chunk);
      arm();
    };
    const onEnd = () => stop(null);
    const onError = (error: Error) => stop(error);
    const onAborted = () => stop(new Error("request aborted"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
    arm();
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The error body every route uses: a stable code to branch on and a sentence to read. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: object = {},
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: code, message, ...extra }, headers);
}

/** How long a refused upload is still read (and thrown away) after the answer, before hanging up. */
export const LINGER_MS = 1_000;

/**
 * Answers and hangs up: for a request whose body was not (or not wholly) read. Node would
 * otherwise read the rest to keep the connection alive, which is what an endless body wants.
 *
 * The answer says `Connection: close`, so no client sends another request on this connection. The
 * hang-up is a lingering close, as Apache and nginx do it: closing a socket while the client's
 * upload still sits unread in our receive buffer makes the kernel send a reset, and a reset can
 * reach the client before it has read our answer, so it would see the connection die with no 413
 * at all. Instead our side is shut for writing once the answer is out (the client sees its end),
 * whatever still arrives is discarded, and the socket is destroyed LINGER_MS later: bounded time,
 * nothing buffered.
 */
export function sendErrorAndClose(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.shouldKeepAlive = false;
  const req = res.req as IncomingMessage | undefined;
  if (req && !req.complete) {
    const socket = req.socket;
    // Node ends a `Connection: close` answer with socket.destroySoon(), which destroys the socket as
    // soon as the answer is written: on this socket it only shuts the writing side.
    socket.destroySoon = () => {
      socket.end();
      req.resume();
    };
    res.once("finish", () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
  }
  sendError(res, status, code, message, {}, { ...headers, connection: "close" });
}

/** 503 with Retry-After: the caller (Meta, our platform) should come back, and will be served then. */
export function sendUnavailable(res: ServerResponse, code: string, message: string, retryAfterSeconds: number): void {
  sendError(res, 503, code, message, {}, { "retry-after": String(retryAfterSeconds) });
}
