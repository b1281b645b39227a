// PostgreSQL unavailable for 20 s under a steady webhook load (a TCP proxy in front of it is cut;
// the machine's server keeps running for the other tests): every request is answered 200 or 503
// quickly, the server's memory stays bounded, and after the client re-sends what was refused the
// store holds every event exactly once. The scenario lives in bench/ingest/outage-scenario.ts,
// whose benchmark prints the same figures.
import { describe, expect, it } from "vitest";
import { runOutage } from "../../bench/ingest/outage-scenario.ts";
import { POSTGRES_URL } from "../support/databases.ts";

describe("ingest while PostgreSQL is away", () => {
  it("answers 200 or 503 within a second (p99), stays under 300 MB, and loses nothing once re-sent", async () => {
    const r = await runOutage({
      postgresUrl: POSTGRES_URL,
      beforeS: 4,
      outageS: 20,
      afterS: 4,
      clients: 4,
      eventsPerPost: 20,
      secret: "outage-test-secret",
    });
    expect(r.other).toEqual({});
    expect(r.ok).toBeGreaterThan(0);
    expect(r.unavailable).toBeGreaterThan(0);
    expect(r.p99Ms).toBeLessThan(1000);
    expect(r.peakRssMb).toBeLessThan(300);
    expect(r.neverStored).toBe(0);
    expect({ missing: r.missing, extraApplied: r.extraApplied, appliedOnce: r.appliedOnce }).toEqual({
      missing: 0,
      extraApplied: 0,
      appliedOnce: r.events,
    });
  }, 180_000);
});
