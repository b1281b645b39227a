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
/** How long the checkpointer keeps looking for that gap; the ingest's transactions last a few milliseconds. */
const RESTART_WAIT_MS = 100;
/** Frames the restart may have left to copy (1 MB): more, and PASSIVE passes catch up first. */
const RESTART_TAIL_FRAMES = 256;

// Plain CommonJS evaluated in the worker: no build step, and nothing of ours to load.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
db.pragma("synchronous = FULL");
const pause = new Int32Array(new SharedArrayBuffer(4));
const timer = setInterval(() => {
  try {
    let [state] = db.pragma("wal_checkpoint(PASSIVE)");
    if (state && state.log > workerData.restartFrames) {
      // Catch up first: the restart copies what is left while it holds the write lock.
      for (let i = 0; i < 4 && state && state.log - state.checkpointed > workerData.restartTailFrames; i++) {
        [state] = db.pragma("wal_checkpoint(PASSIVE)");
      }
      // Then take the write lock only at an instant it is free (busy_timeout stays 0): a restart
      // that waited for it in SQLite's busy handler kept the ingest's writer waiting behind it.
      const deadline = Date.now() + workerData.restartWaitMs;
      for (;;) {
        const [restart] = db.pragma("wal_checkpoint(RESTART)");
        if (!restart || restart.busy === 0 || Date.now() >= deadline) break;
        Atomics.wait(pause, 0, 0, 1);
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
    workerData: {
      file,
      driver,
      intervalMs,
      restartFrames: RESTART_FRAMES,
      restartWaitMs: RESTART_WAIT_MS,
      restartTailFrames: RESTART_TAIL_FRAMES,
    },
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
