// Ingest during a database outage: `npm run bench:ingest-outage`. A TCP proxy in front of
// PostgreSQL is cut for 20 s under a steady webhook load; prints what the clients saw, the server's
// peak memory, and whether every event ended up in the store exactly once after re-sends.
//
//   npm run bench:ingest-outage -- [--postgres URL] [--before 5] [--outage 20] [--after 5] [--clients 4]
import { parseArgs } from "node:util";
import { runOutage } from "./outage-scenario.ts";

const { values: args } = parseArgs({
  options: {
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/test" },
    before: { type: "string", default: "5" },
    outage: { type: "string", default: "20" },
    after: { type: "string", default: "5" },
    clients: { type: "string", default: "4" },
  },
});

const r = await runOutage({
  postgresUrl: args.postgres as string,
  beforeS: Number(args.before),
  outageS: Number(args.outage),
  afterS: Number(args.after),
  clients: Number(args.clients),
  eventsPerPost: 20,
  secret: "bench-outage-secret",
});
const mark = (ok: boolean) => (ok ? "ok  " : "MISS");
console.log(
  `PostgreSQL cut for ${args.outage} s under ${args.clients} steady clients: ${r.requests} requests, ${r.ok} × 200, ${r.unavailable} × 503, other ${JSON.stringify(r.other)}`,
);
console.log(`  ${mark(Object.keys(r.other).length === 0)} only 200 or 503`);
console.log(
  `  ${mark(r.p99Ms < 1000)} p99 latency ${r.p99Ms.toFixed(1)} ms   target < 1000 (p50 ${r.p50Ms.toFixed(1)}, max ${r.maxMs.toFixed(0)})`,
);
console.log(`  ${mark(r.peakRssMb < 300)} peak RSS    ${r.peakRssMb.toFixed(0)} MB   target < 300`);
console.log(
  `  ${mark(r.missing === 0 && r.extraApplied === 0 && r.neverStored === 0)} after ${r.resent} re-sends: ${r.appliedOnce} of ${r.events} events applied once, ${r.missing} missing, ${r.extraApplied} applied twice`,
);
