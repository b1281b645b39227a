// What the serving process does with an error nobody caught. Every request runs inside the HTTP
// server's error boundary, so reaching here means a bug outside any request (a timer, a driver
// callback): its state can no longer be trusted.
//
// - An uncaught exception is logged (fatal), the server stops the way SIGTERM stops it (in-flight
//   requests finish, nothing acknowledged is lost: the event log is written before every 200), and
//   the process exits 1 so that its supervisor (systemd, Kubernetes, pm2) starts a fresh one.
// - An unhandled promise rejection is logged and the process keeps serving: Node 20 would exit on
//   it, but a rejected promise nobody awaited leaves no shared state half-changed.
import type { Logger } from "./log.ts";

/** How long a graceful stop after a crash may take before the process exits anyway. */
const CRASH_STOP_MS = 10_000;

export function guardProcess(log: Logger, stop: () => Promise<void>): void {
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason }, "unhandled promise rejection (ignored; the server keeps serving)");
  });
  let crashing = false;
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception: stopping cleanly, then exiting 1 for the supervisor to restart");
    if (crashing) return;
    crashing = true;
    setTimeout(() => process.exit(1), CRASH_STOP_MS).unref();
    stop().finally(() => process.exit(1));
  });
}
