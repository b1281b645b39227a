// Retention of the event log on SQLite and PostgreSQL: raw bodies and payloads past the cutoff go,
// every event and its outcome stays; big sweeps go in chunks and leave the event loop free.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/open-store.ts";
import { pruneOldEventData } from "../../src/store/prune-event-data.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { seedEvents, storedBodyCount, storedEvents } from "../support/event-log.ts";

const day = (n: number) => new Date(Date.UTC(2026, 7, 1) + n * 86_400_000);

describe.each(DATABASES)("event data past retention on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let store: Store;

  beforeAll(() => {
    db = fresh();
  });
  afterEach(async () => {
    await store?.close();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const freshStore = async () => {
    store = await openStore(db.url);
    await store.sql.transaction(function* () {
      yield { kind: "run", sql: "DELETE FROM event_log", params: [] };
      yield { kind: "run", sql: "DELETE FROM raw_bodies", params: [] };
    });
    return store;
  };

  it("removes webhook bodies and send-record payloads received before the cutoff; every event keeps its outcome", async () => {
    await freshStore();
    await seedEvents(store, [
      { receivedAt: day(1), webhookEvents: 2 },
      { receivedAt: day(2) },
      { receivedAt: day(3), webhookEvents: 1, outcome: "rejected" },
      { receivedAt: day(4), outcome: "rejected" },
      { receivedAt: day(10), webhookEvents: 1, outcome: "waiting" },
      { receivedAt: day(11) },
    ]);
    const before = await storedEvents(store);

    const result = await pruneOldEventData(store, { before: day(5) });

    expect([result.bodies, result.payloads]).toEqual([2, 2]);
    const after = await storedEvents(store);
    expect(after.map((e) => [e.id, e.outcome])).toEqual(before.map((e) => [e.id, e.outcome]));
    const old = after.slice(0, 5);
    expect(old.every((e) => e.bodyId === null && e.payload === null)).toBe(true);
    expect(after.slice(5)).toEqual(before.slice(5));
    expect(after[5]?.bodyId).not.toBeNull();
    expect(after[6]?.payload).toContain("Hola Ana");
    expect(await storedBodyCount(store)).toBe(1);

    expect(await pruneOldEventData(store, { before: day(5) })).toMatchObject({ bodies: 0, payloads: 0 });
  });

  it("a sweep larger than a chunk removes everything in chunks, and timers run between them", async () => {
    await freshStore();
    await seedEvents(
      store,
      Array.from({ length: 60 }, (_, i) => ({ receivedAt: day(1), ...(i % 2 ? { webhookEvents: 1 } : {}) })),
    );
    let ticks = 0;
    let sweeping = true;
    const tick = () => {
      ticks++;
      if (sweeping) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await pruneOldEventData(store, { before: day(5), chunkRows: 7 });
    sweeping = false;

    expect([result.bodies, result.payloads]).toEqual([30, 30]);
    expect(await storedBodyCount(store)).toBe(0);
    expect((await storedEvents(store)).filter((e) => e.payload !== null || e.bodyId !== null)).toEqual([]);
    // SQLite runs each chunk synchronously: only the pauses between chunks let anything else run.
    expect(ticks).toBeGreaterThanOrEqual(8);
  });

  it("a sweep that starts where the last one ended still removes what has grown old since", async () => {
    await freshStore();
    await seedEvents(
      store,
      Array.from({ length: 20 }, (_, i) => ({ receivedAt: day(i) })),
    );
    const first = await pruneOldEventData(store, { before: day(6), chunkRows: 3 });
    expect(first.payloads).toBe(6);
    const second = await pruneOldEventData(store, {
      before: day(15),
      chunkRows: 3,
      eventLogDoneThrough: first.eventLogDoneThrough,
    });
    expect(second.payloads).toBe(9);
    expect((await storedEvents(store)).map((e) => e.payload !== null)).toEqual(Array.from({ length: 20 }, (_, i) => i >= 15));
  });
});
