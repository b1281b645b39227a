// Telling "the database is not there right now" (answer 503, the caller retries) from a bug (500).

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|READONLY|FULL|PROTOCOL|NOTADB|CORRUPT)/;
// Connection lost or refused, too many connections, no such database; and a deadlock or
// serialization failure between instances, which a retry resolves.
const PG_UNAVAILABLE_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "53400",
  "3D000",
  "28000",
  "28P01",
  "55006",
  "40P01",
  "40001",
]);
const NODE_NET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN"]);
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end|not currently accepting connections|the database system is (starting up|shutting down)/i;

export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    const code = typeof e.code === "string" ? e.code : "";
    if (SQLITE_UNAVAILABLE.test(code)) return true;
    if (PG_UNAVAILABLE_CODES.has(code) || code.startsWith("08")) return true;
    if (NODE_NET_CODES.has(code)) return true;
    if (typeof e.message === "string" && PG_CONNECTION_MESSAGES.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
