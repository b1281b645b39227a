// Small helpers for node:http: bounded raw bodies (signatures need the exact bytes) and JSON replies.
import type { IncomingMessage, ServerResponse } from "node:http";

export class PayloadTooLargeError extends Error {
  readonly code = "payload_too_large";
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
  }
}

export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new PayloadTooLargeError(limit));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new PayloadTooLargeError(limit));
        return;
      }
      parts.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The error body every route uses: a stable code to branch on and a sentence to read. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: object = {}): void {
  sendJson(res, status, { error: code, message, ...extra });
}
