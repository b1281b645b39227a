// The two stores every integration and end-to-end test runs against: a fresh SQLite file, and a
// fresh schema on the PostgreSQL server of the machine (NOTES.md). PostgreSQL tests never skip:
// if the server is down they fail, which is what CI must see.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  kind: "sqlite" | "postgresql";
  url: string;
  drop(): Promise<void>;
}

export function freshSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "hsm-report-test-"));
  return {
    kind: "sqlite",
    url: `file:${join(dir, "test.db")}`,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freshPostgres(): TestDatabase {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("schema", schema);
  return {
    kind: "postgresql",
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const DATABASES = [
  { kind: "sqlite", fresh: freshSqlite },
  { kind: "postgresql", fresh: freshPostgres },
] as const;
