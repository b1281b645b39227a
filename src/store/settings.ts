// Installation-wide values made once and shared by every instance on the database (the settings
// table). Several instances may start at once: whichever inserts first wins, and the others read
// its value, so they all agree without a lock.
import type { SqlStore } from "./open-sql.ts";
import { first, run } from "./sql.ts";

/** The value stored under `key`, or `make()`'s, stored now if nobody stored one before. */
export async function settingOrCreate(store: SqlStore, key: string, make: () => string, now: Date): Promise<string> {
  const value = make();
  return store.sql.transaction(function* () {
    yield* run(`INSERT INTO settings (key, value, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`, [key, value, now]);
    const row = yield* first<{ value: string }>(`SELECT value FROM settings WHERE key = ?`, [key]);
    if (!row) throw new Error(`setting ${key} was neither inserted nor found`);
    return row.value;
  });
}
