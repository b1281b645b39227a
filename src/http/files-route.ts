// GET (and HEAD) /files/TOKEN: a published report file, for whoever holds its link until the link
// expires (src/files/published-files.ts). The person clicking is in a browser, not a program, so
// refusals are a short sentence in plain text, in Spanish and English (a link has no locale).
//
// The link is judged before the database is asked: a malformed or tampered token is 403 and an
// expired one 410 without a query. The file is streamed from disk through a handle opened once,
// so its length and bytes are those of one file even if the sweep removes it meanwhile.
import { type FileHandle, open } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { findPublishedByToken } from "../files/published-files.ts";
import type { Logger } from "../log.ts";
import type { SqlStore } from "../store/open-sql.ts";
import type { Handler, Route } from "./server.ts";

/** The route's key: one path segment after /files/ (server.ts matches `…/*` keys so). */
export const FILES_ROUTE = "/files/*";
const PREFIX = "/files/";

export const FILE_REFUSALS = {
  invalid: "Este enlace de descarga no es válido. / This download link is not valid.",
  expired:
    "Este enlace de descarga venció: pide el reporte de nuevo. / This download link has expired: please ask for the report again.",
  gone: "Este archivo ya no está disponible: pide el reporte de nuevo. / This file is no longer available: please ask for the report again.",
  unavailable:
    "No podemos entregar el archivo en este momento; inténtalo en unos minutos. / The file cannot be served right now; please try again in a few minutes.",
} as const;

export interface FilesRouteOptions {
  store: SqlStore;
  reportsDir: string;
  secret: Buffer;
  now: () => Date;
  log: Logger;
}

export function filesRoute(options: FilesRouteOptions): Route {
  const handler = serveFile(options);
  return { methods: { GET: handler, HEAD: handler } };
}

function serveFile({ store, reportsDir, secret, now, log }: FilesRouteOptions): Handler {
  return async ({ req, res, url }) => {
    const found = await findPublishedByToken(store, url.pathname.slice(PREFIX.length), { secret, now: now(), reportsDir });
    if ("refused" in found) {
      const status = { invalid: 403, expired: 410, gone: 404, unavailable: 503 }[found.refused];
      return refuse(res, status, FILE_REFUSALS[found.refused], found.refused === "unavailable" ? { "retry-after": "5" } : {});
    }
    const { file: row, path } = found;
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        log.warn({ err: error, file: row.id }, "cannot open a published file");
      return refuse(res, 404, FILE_REFUSALS.gone);
    }
    let streaming = false;
    try {
      const info = await handle.stat();
      if (!info.isFile()) return refuse(res, 404, FILE_REFUSALS.gone);
      res.writeHead(200, {
        "content-type": row.contentType,
        "content-length": String(info.size),
        "content-disposition": contentDisposition(row.fileName),
        ...PRIVATE,
      });
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      streaming = true; // from here the stream closes the handle, however it ends
      await pipeline(handle.createReadStream(), res).catch((error: unknown) => {
        // The client went away mid-download (or the disk failed): nothing more to say to it.
        log.debug({ err: error, file: row.id }, "download cut short");
      });
    } finally {
      if (!streaming) await handle.close().catch(() => {});
    }
  };
}

/** Links are credentials: no cache keeps the file, no page it opens learns the URL. */
const PRIVATE = {
  "cache-control": "private, no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; sandbox",
};

function refuse(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    ...headers,
    ...PRIVATE,
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `attachment` with the name twice: RFC 6266's UTF-8 form, and a plain-ASCII one for old clients. */
export function contentDisposition(fileName: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const name = fileName.replace(LONE_SURROGATE, "\uFFFD").replace(/[\u0000-\u001f\u007f/\\]/g, "_") || "hsm-report";
  const ascii = name.replace(/[^\x20-\x7e]|["%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
