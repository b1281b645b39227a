// On SQLite the store holds two connections to one file, Prisma's and the raw runner's; durability
// and locking are per connection, so both must be set up alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { all } from "../../src/store/sql.ts";
import { freshSqlite, type TestDatabase } from "../support/databases.ts";

const PRAGMAS = ["synchronous", "journal_mode", "busy_timeout", "foreign_keys"];

describe("the SQLite store's connections", () => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    db = freshSqlite();
    store = await openStore(db.url, { busyTimeoutMs: 4321 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const prismaPragma = async (name: string) => {
    const [row] = await store.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`);
    return Object.values(row ?? {}).map((v) => (typeof v === "bigint" ? Number(v) : v))[0];
  };
  const runnerPragma = async (name: string) => {
    const [row] = await store.sql.read(function* () {
      return yield* all(`PRAGMA ${name}`);
    });
    return Object.values(row ?? {})[0];
  };

  it("Prisma's commits survive a power cut like the runner's: synchronous=FULL", async () => {
    expect(await prismaPragma("synchronous")).toBe(2);
  });

  it("Prisma's connection has the runner's WAL, busy timeout and foreign keys too", async () => {
    const prisma = await Promise.all(PRAGMAS.map(prismaPragma));
    const runner = await Promise.all(PRAGMAS.map(runnerPragma));
    expect(prisma).toEqual([2, "wal", 4321, 1]);
    expect(prisma).toEqual(runner);
  });
});
