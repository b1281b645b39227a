// The webhook batcher (group commit): a lone item is flushed at once, items arriving while a flush
// runs share the next one, the queue refuses past its bounds, a database that is away fails a batch
// whole while a bad item fails alone.
import { describe, expect, it } from "vitest";
import { Batcher, QueueFullError } from "../../src/ingest/batcher.ts";

class Unavailable extends Error {}

function batcher(
  flush: (items: number[]) => Promise<number[]>,
  over: Partial<ConstructorParameters<typeof Batcher<number, number>>[1]> = {},
) {
  return new Batcher<number, number>(flush, {
    maxWeight: 100,
    maxQueuedWeight: 1000,
    maxQueuedBytes: 1_000_000,
    concurrency: 1,
    weigh: () => 1,
    size: () => 10,
    splitOnFailure: (error) => !(error instanceof Unavailable),
    ...over,
  });
}

describe("the webhook batcher", () => {
  it("flushes a lone item on the next turn of the event loop, without waiting on a timer for company", async () => {
    const b = batcher(async (items) => items);
    const flushed = b.submit(7);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    let done = false;
    void flushed.then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it("items arriving while a flush runs share the next one (group commit)", async () => {
    const flushes: number[][] = [];
    let release: () => void = () => {};
    const b = batcher(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
      return items;
    });
    const first = b.submit(1);
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4].map((n) => b.submit(n));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3, 4]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it("refuses at once past its events or bytes (but always lets a lone item in)", async () => {
    let release: () => void = () => {};
    let first = true;
    const b = batcher(
      async (items) => {
        if (first) await new Promise<void>((r) => (release = r));
        first = false;
        return items;
      },
      { maxQueuedWeight: 2 },
    );
    const running = b.submit(1);
    await new Promise((r) => setImmediate(r));
    const queued = [b.submit(2), b.submit(3)];
    await expect(b.submit(4)).rejects.toBeInstanceOf(QueueFullError);
    release();
    expect(await Promise.all([running, ...queued])).toEqual([1, 2, 3]);
  });

  it("refuses past its bytes too", async () => {
    let release: () => void = () => {};
    let first = true;
    const b = batcher(
      async (items) => {
        if (first) await new Promise<void>((r) => (release = r));
        first = false;
        return items;
      },
      { maxQueuedBytes: 25 },
    );
    const running = b.submit(1);
    await new Promise((r) => setImmediate(r));
    const queued = [b.submit(2), b.submit(3)];
    await expect(b.submit(4)).rejects.toThrow("bytes waiting");
    release();
    expect(await Promise.all([running, ...queued])).toEqual([1, 2, 3]);
  });

  it("a database that is away fails the whole batch in one try; a bad item fails alone", async () => {
    let calls = 0;
    const away = batcher(async () => {
      calls++;
      throw new Unavailable("down");
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => away.submit(n)));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(calls).toBeLessThanOrEqual(2);

    const flushed: number[][] = [];
    const picky = batcher(async (items) => {
      flushed.push(items);
      if (items.includes(2)) throw new Error("bad item");
      return items;
    });
    const [a, bad, c] = await Promise.allSettled([1, 2, 3].map((n) => picky.submit(n)));
    expect([a?.status, bad?.status, c?.status]).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });

  it("failQueued tells everyone waiting at once", async () => {
    let release: () => void = () => {};
    const b = batcher(async (items) => {
      await new Promise<void>((r) => (release = r));
      return items;
    });
    const running = b.submit(1);
    await new Promise((r) => setImmediate(r));
    const waiting = b.submit(2);
    b.failQueued(new Unavailable("down"));
    await expect(waiting).rejects.toBeInstanceOf(Unavailable);
    release();
    expect(await running).toBe(1);
  });
});
