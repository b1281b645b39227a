// HTTP spoken by hand over a TCP socket: what an attacker sends, byte by byte and at any pace, and
// what came back (the status line of each answer, and whether and when the server hung up).
import { connect, type Socket } from "node:net";

export interface RawExchange {
  /** Status of every answer, in order (pipelined requests get several). */
  statuses: number[];
  /** The first status, or 0 when the server answered nothing. */
  status: number;
  text: string;
  /** The server closed the connection (rather than the client giving up waiting). */
  closedByServer: boolean;
  ms: number;
}

export interface RawOptions {
  /** Pieces to send, one after the other. */
  send: (string | Buffer)[];
  /** Pause between pieces. */
  pauseMs?: number;
  /** Keep sending this forever (after `send`), until the server stops reading or hangs up. */
  flood?: Buffer;
  /** Stop waiting after this long. */
  waitMs?: number;
  /** Give up as soon as this many answers arrived (the connection may stay open: keep-alive). */
  answers?: number;
}

const STATUS_LINE = /HTTP\/1\.[01] (\d{3}) /g;

export function rawExchange(port: number, options: RawOptions): Promise<RawExchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let text = "";
    let done = false;
    let closedByServer = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const statuses = [...text.matchAll(STATUS_LINE)].map((m) => Number(m[1]));
      resolve({ statuses, status: statuses[0] ?? 0, text, closedByServer, ms: performance.now() - started });
    };
    const timer = setTimeout(finish, options.waitMs ?? 10_000);
    socket.on("data", (d) => {
      text += d.toString("latin1");
      if (options.answers && [...text.matchAll(STATUS_LINE)].length >= options.answers) finish();
    });
    socket.on("end", () => {
      closedByServer = true;
      finish();
    });
    socket.on("close", () => {
      closedByServer = true;
      finish();
    });
    socket.on("error", () => {
      closedByServer = true;
      finish();
    });
    socket.on("connect", async () => {
      for (const piece of options.send) {
        if (done) return;
        socket.write(piece);
        if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
      }
      const flood = options.flood;
      if (!flood) return;
      const pump = () => {
        while (!done && socket.write(flood)) {
          // keep writing while the kernel takes it
        }
      };
      socket.on("drain", pump);
      pump();
    });
  });
}

/** A request head: `POST /x HTTP/1.1`, Host and the given headers, and the blank line. */
export function head(requestLine: string, headers: Record<string, string | number> = {}): string {
  const lines = [requestLine, "Host: localhost", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join("\r\n")}\r\n\r\n`;
}
