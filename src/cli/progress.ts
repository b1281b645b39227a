// Progress for long commands: one redrawn line on a terminal, a plain line now and then otherwise
// (so CI logs and pipes stay readable).
import type { Writable } from "node:stream";

export interface ProgressLine {
  update(done: number, total: number | null, detail?: string): void;
  finish(message: string): void;
}

const fmt = new Intl.NumberFormat("en-US");

export function progressLine(
  label: string,
  out: Writable & { isTTY?: boolean } = process.stderr,
  now = () => Date.now(),
): ProgressLine {
  const started = now();
  let lastDraw = 0;
  let lastPlainPercent = -10;
  let lastPlainAt = started;
  const tty = out.isTTY === true;

  const text = (done: number, total: number | null, detail?: string) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const percent = total ? Math.min(100, Math.floor((done / total) * 100)) : null;
    const bar =
      percent === null ? "" : `[${"#".repeat(Math.round(percent / 5)).padEnd(20, ".")}] ${String(percent).padStart(3)}% `;
    return `${label} ${bar}${fmt.format(done)}${total ? ` / ${fmt.format(total)}` : ""} (${fmt.format(Math.round(done / seconds))}/s)${detail ? ` ${detail}` : ""}`;
  };

  return {
    update(done, total, detail) {
      const t = now();
      if (tty) {
        if (t - lastDraw < 100) return;
        lastDraw = t;
        out.write(`\r${text(done, total, detail)}\x1b[K`);
        return;
      }
      const percent = total ? Math.floor((done / total) * 100) : 0;
      if (percent >= lastPlainPercent + 10 || t - lastPlainAt >= 5000) {
        lastPlainPercent = percent - (percent % 10);
        lastPlainAt = t;
        out.write(`${text(done, total, detail)}\n`);
      }
    },
    finish(message) {
      out.write(tty ? `\r${message}\x1b[K\n` : `${message}\n`);
    },
  };
}
