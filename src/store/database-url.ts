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
    // Prisma's own convention: ?schema=name selects the PostgreSQL schema (search_path).
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema");
    parsed.searchParams.delete("schema");
    return { kind: "postgresql", url, connectionString: parsed.toString(), schema };
  }
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got ${url.split(":")[0]}:…)`);
}
