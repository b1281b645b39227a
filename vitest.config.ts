import { configDefaults, defineConfig } from "vitest/config";

// Files that measure latency or memory of a real server: they run last, alone, so that no other
// test file competes with them for the machine's cores.
const TIMED = ["test/e2e/hostile-http.test.ts", "test/e2e/ingest-outage.test.ts", "test/integration/sqlite-connections.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...TIMED],
          // Most files wait on servers, child processes and PostgreSQL rather than compute: more
          // files at once than cores (vitest's default on 2 cores is one at a time).
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "timed", include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
