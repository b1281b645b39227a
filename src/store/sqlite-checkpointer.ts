// WAL checkpoints on a thread of their own. Left to SQLite, the commit that crosses the
// autocheckpoint mark copies the whole WAL into the database file and fsyncs it, inside whatever
// request made that commit: a pause of tens of milliseconds on the event loop every few dozen
// webhooks. A PASSIVE checkpoint never blocks writers, so running it from here costs the ingest
// nothing but the other core's time.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const INTERVAL_MS = 100;
/**
 * Past this many frames (64 MB) the checkpointer also waits for a gap between writers (RESTART),
 * so that the next commit writes the WAL from its start again. PASSIVE alone never gets there
 * while webhooks keep coming: the WAL grew by 45 MB a second under load, every commit appended to
 * it, and every read searched an ever larger index.
 */
const RESTART_FRAMES = 16384;
/** How long a RESTART may wait for that gap; the ingest's transactions last a few milliseconds. */
const RESTART_WAIT_MS = 100;

// Plain CommonJS evaluated in the worker: no build step, and nothing of ours to load.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma("synchronous = FULL");
const timer = setInterval(() => {
  try {
    const [state] = db.pragma("wal_checkpoint(PASSIVE)");
    if (state && state.log > workerData.restartFrames) {
      db.pragma("busy_timeout = " + workerData.restartWaitMs);
      try {
        db.pragma("wal_checkpoint(RESTART)");
      } finally {
        db.pragma("busy_timeout = 0");
      }
    }
  } catch {
    // Another checkpoint or a locked file: the next tick tries again.
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {}
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `file` in the background; the returned function stops it. */
export function startCheckpointer(file: string, intervalMs = INTERVAL_MS): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs, restartFrames: RESTART_FRAMES, restartWaitMs: RESTART_WAIT_MS },
  });
  worker.unref();
  // A failing checkpointer must not take the process down; SQLite checkpoints on close anyway.
  worker.on("error", () => {});
  let stopped: Promise<void> | null = null;
  return () => {
    stopped ??= new Promise<void>((resolve) => {
      // Held again while it finishes: an unref'd worker would let the process end mid-stop.
      worker.ref();
      worker.once("exit", () => resolve());
      worker.postMessage("stop");
      setTimeout(() => void worker.terminate(), 2_000).unref();
    });
    return stopped;
  };
}
