// The download link's token and the download's name, on their own: what makes a link unforgeable,
// and what a browser saves the file as.
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { readDownloadToken, signDownloadToken } from "../../src/files/download-token.ts";
import { contentDisposition, FILE_REFUSALS, filesRoute } from "../../src/http/files-route.ts";
import { closeServer, createHttpServer } from "../../src/http/server.ts";
import { silentLogger } from "../../src/log.ts";
import type { SqlStore } from "../../src/store/open-sql.ts";

const SECRET = Buffer.from("0123456789abcdef0123456789abcdef");
const CLAIM = { fileId: 42, jobId: 7, expiresAt: new Date("2026-12-06T15:00:00Z") };
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

describe("download tokens", () => {
  const token = signDownloadToken(CLAIM, SECRET);

  it("read back to the file, job and expiry they were made for, and only with the secret they were made with", () => {
    expect(token).toMatch(/^42\.7\.1796569200\.[A-Za-z0-9_-]{43}$/);
    expect(readDownloadToken(token, SECRET)).toEqual(CLAIM);
    expect(readDownloadToken(token, Buffer.from("another secret of enough length!"))).toBeNull();
    const noJob = signDownloadToken({ ...CLAIM, jobId: null }, SECRET);
    expect(noJob.startsWith("42.0.")).toBe(true);
    expect(readDownloadToken(noJob, SECRET)).toEqual({ ...CLAIM, jobId: null });
  });

  it("any one character changed, anywhere, makes it worthless", () => {
    const accepted: string[] = [];
    for (let i = 0; i < token.length; i++) {
      for (const c of ALPHABET) {
        if (c === token[i]) continue;
        const changed = token.slice(0, i) + c + token.slice(i + 1);
        if (readDownloadToken(changed, SECRET)) accepted.push(changed);
      }
    }
    expect(accepted).toEqual([]);
  });

  it("sub-second expiries are cut to the second they are signed with", () => {
    const t = signDownloadToken({ ...CLAIM, expiresAt: new Date("2026-12-06T15:00:00.999Z") }, SECRET);
    expect(readDownloadToken(t, SECRET)?.expiresAt.toISOString()).toBe("2026-12-06T15:00:00.000Z");
  });
});

describe("the download's name", () => {
  it("is given in UTF-8 and as plain ASCII, with nothing that could break out of the header", () => {
    expect(contentDisposition("hsm-report-Campaña.xlsx")).toBe(
      `attachment; filename="hsm-report-Campa_a.xlsx"; filename*=UTF-8''hsm-report-Campa%C3%B1a.xlsx`,
    );
    expect(contentDisposition('a"b\r\nSet-Cookie: x=1; ../c\\d.csv')).toBe(
      `attachment; filename="a_b__Set-Cookie: x=1; .._c_d.csv"; filename*=UTF-8''a%22b__Set-Cookie%3A%20x%3D1%3B%20.._c_d.csv`,
    );
    expect(contentDisposition("\uD800.csv")).toContain("filename*=UTF-8''%EF%BF%BD.csv");
    expect(contentDisposition("")).toContain(`filename="hsm-report"`);
  });
});

describe("GET /files/TOKEN with the database down", () => {
  it("answers 503 with Retry-After, not 500", async () => {
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const store = { sql: { read: () => Promise.reject(down) } } as unknown as SqlStore;
    const route = filesRoute({
      store,
      reportsDir: "/nonexistent",
      secret: SECRET,
      now: () => new Date("2026-12-03T00:00:00Z"),
      log: silentLogger(),
    });
    const server = createHttpServer({ "/files/*": route }, silentLogger());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/${signDownloadToken(CLAIM, SECRET)}`,
      );
      expect([res.status, res.headers.get("retry-after"), await res.text()]).toEqual([
        503,
        "5",
        `${FILE_REFUSALS.unavailable}\n`,
      ]);
    } finally {
      await closeServer(server);
    }
  });
});
