// Prisma's SQLite adapter opens its own better-sqlite3 connection and offers no option for pragmas,
// and synchronous is per connection: without this, Prisma's writes (tenants, bindings, jobs) would
// commit with SQLite's NORMAL while the raw runner's use FULL.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { SQLITE_CONNECTION_PRAGMAS } from "./sqlite-runner.ts";

// wal_autocheckpoint = 0: checkpoints run on a thread of their own (sqlite-checkpointer.ts); left
// on, a Prisma commit crossing the mark would copy the WAL on the event loop.
const SCRIPT = [...SQLITE_CONNECTION_PRAGMAS, "wal_autocheckpoint = 0"].map((p) => `PRAGMA ${p};`).join("\n");

/** PrismaBetterSQLite3 whose connections get the runner's pragmas before their first query. */
export class PrismaSqliteAdapter extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(SCRIPT);
    return adapter;
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    await adapter.executeScript(SCRIPT);
    return adapter;
  }
}
