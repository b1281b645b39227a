// On SQLite the store holds two connections to one file, Prisma's and the raw runner's; durability
// and locking are per connection, so both must be set up alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { all } from "../../src/store/sql.ts";
import { freshSqlite, type TestDatabase } from "../support/databases.ts";

const PRAGMAS = ["synchronous", "journal_mode", "busy_timeout", "foreign_keys", "wal_autocheckpoint"];

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

  it("Prisma's connection has the runner's WAL, busy timeout, foreign keys and checkpointing too", async () => {
    const prisma = await Promise.all(PRAGMAS.map(prismaPragma));
    const runner = await Promise.all(PRAGMAS.map(runnerPragma));
    // A 1 ms busy timeout on both: the wait for another process's lock happens between turns of the
    // event loop (the store's 4,321 ms in all), and checkpoints on a thread of their own.
    expect(prisma).toEqual([2, "wal", 1, 1, 0]);
    expect(prisma).toEqual(runner);
  });

  it("a lock held by another process is waited for without stopping the event loop", async () => {
    const Database = (await import("better-sqlite3")).default;
    const file = db.url.slice("file:".length);
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    setTimeout(() => other.exec("ROLLBACK"), 300);
    try {
      const [tenant, changed] = await Promise.all([
        store.prisma.tenant.create({ data: { slug: "locked", name: "L", timeZone: "UTC" } }),
        store.sql.transaction(function* () {
          return yield* all("SELECT 1 AS one");
        }),
      ]);
      expect([tenant.slug, changed]).toEqual(["locked", [{ one: 1 }]]);
      // 300 ms at one tick per 5 ms: a loop blocked in SQLite's own busy wait would see almost none.
      expect(ticks).toBeGreaterThan(20);
    } finally {
      clearInterval(ticker);
      other.close();
    }
  });
});
