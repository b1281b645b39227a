// DATABASE_URL picks the store: file:… is an embedded SQLite file, postgresql://… a server.
import { isAbsolute, resolve } from "node:path";

export type DatabaseTarget =
  | { kind: "sqlite"; url: string; file: string }
  | { kind: "postgresql"; url: string; connectionString: string; schema: string | null };

export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).replace(/^\/\//, "");
    return { kind: "sqlite", url, file: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Node's own error would carry the whole URL, password included (error.input).
    if (!URL.canParse(url)) throw new Error(`DATABASE_URL is not a valid URL (got ${redactDatabaseUrl(url)})`);
    // Prisma's own convention: ?schema=name selects the PostgreSQL schema (search_path).
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema");
    parsed.searchParams.delete("schema");
    return { kind: "postgresql", url, connectionString: parsed.toString(), schema };
  }
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${url.split(":")[0]}:…)`);
}

/**
 * The URL with its password replaced by ***, for messages and logs. It must work on text that is
 * not a valid URL (that is when it gets shown), so it does not parse: everything between the first
 * `:` after the user name and the last `@` is hidden, which hides a password holding an unencoded
 * `@`, `/` or `:` whole (an `@` later in the URL only hides more). libpq's `?password=` too.
 */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!scheme) return url;
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf("@");
  let redacted = url;
  if (at !== -1) {
    const userInfo = rest.slice(0, at);
    const colon = userInfo.indexOf(":");
    if (colon !== -1) redacted = `${scheme}${userInfo.slice(0, colon)}:***@${rest.slice(at + 1)}`;
  }
  return redacted.replace(/([?&]password=)[^&#]*/gi, "$1***");
}
