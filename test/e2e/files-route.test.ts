// Download links (GET /files/TOKEN) through the running server: what a person in a Teams channel
// clicks. The file must come back byte for byte with its name, type and length; any change to the
// link is refused; an expired one says to ask again; and files leave REPORTS_DIR when, and only
// when, their link expires.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../src/clock.ts";
import { signDownloadToken } from "../../src/files/download-token.ts";
import type { PublishedLink } from "../../src/files/published-files.ts";
import { filesSigningSecret, SIGNING_SECRET_SETTING } from "../../src/files/signing-secret.ts";
import { sweepPublishedFiles } from "../../src/housekeeping/sweep-published-files.ts";
import { sweepReportFiles } from "../../src/housekeeping/sweep-report-files.ts";
import { FILE_REFUSALS } from "../../src/http/files-route.ts";
import type { Store } from "../../src/store/open-store.ts";
import { openStore } from "../../src/store/open-store.ts";
import { createTenant } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-12-03T15:00:00.250Z");
const HOUR = 3_600_000;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A clock the test moves; the server's timers stay the system's. */
function movableClock(start: Date): Clock & { set(at: Date): void } {
  let current = start;
  return {
    ...systemClock,
    now: () => current,
    set: (at) => {
      current = at;
    },
  };
}

/** What the job runner leaves in REPORTS_DIR just before delivering: a private report file. */
function reportFile(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes, { mode: 0o600 });
  return path;
}

async function storedSecret(store: Store): Promise<Buffer> {
  const row = await store.prisma.setting.findUnique({ where: { key: SIGNING_SECRET_SETTING } });
  if (!row) throw new Error("no signing secret stored");
  return Buffer.from(row.value, "base64url");
}

const SHM_ELSEWHERE = existsSync("/dev/shm") && statSync("/dev/shm").dev !== statSync(tmpdir()).dev;

const tokenParts = (link: PublishedLink) => link.token.split(".") as [string, string, string, string];

describe.each(DATABASES)("download links on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let reportsDir: string;
  let tenantId: number;
  let app: TestApp;
  const clock = movableClock(NOW);
  const download = (token: string, method = "GET") => fetch(`${app.url}/files/${token}`, { method });

  beforeAll(async () => {
    db = fresh();
    reportsDir = mkdtempSync(join(tmpdir(), "hsm-files-"));
    const store = await openStore(db.url);
    try {
      tenantId = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
    } finally {
      await store.close();
    }
    app = await startTestApp(
      db.url,
      { REPORTS_DIR: reportsDir, PUBLIC_URL: "https://bot.example.com/", DOWNLOAD_LINK_TTL_HOURS: "1.5" },
      { clock, housekeepingIntervalMs: 24 * HOUR },
    );
    // The start-up round sweeps leftover job files by their age on the test's clock, which is ahead
    // of the files' real mtime: let it finish before the tests write report files.
    await app.housekeepingIdle();
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it("a published file downloads byte for byte with its name, type and length, after the job removed its own", async () => {
    const bytes = randomBytes(700_000);
    const source = reportFile(reportsDir, "job-7-acme-2026-11-01_2026-11-30.xlsx", bytes);
    const link = await app.files.publish({
      sourcePath: source,
      fileName: "hsm-report-acme-Campaña 2026-11-01_2026-11-30.xlsx",
      jobId: 7,
      tenantId,
    });
    rmSync(source); // what the job runner does once the job is delivered

    expect(link.url).toBe(`https://bot.example.com/files/${link.token}`);
    expect(link.expiresAt.toISOString()).toBe("2026-12-03T16:30:00.000Z"); // 1.5 h later, whole seconds
    const res = await download(link.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(XLSX);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="hsm-report-acme-Campa_a 2026-11-01_2026-11-30.xlsx"; filename*=UTF-8''hsm-report-acme-Campa%C3%B1a%202026-11-01_2026-11-30.xlsx`,
    );
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    const head = await download(link.token, "HEAD");
    expect([head.status, head.headers.get("content-length"), (await head.arrayBuffer()).byteLength]).toEqual([
      200,
      String(bytes.length),
      0,
    ]);
  });

  it("a CSV comes as text/csv in UTF-8, and the published copy is readable by its owner only", async () => {
    const bytes = Buffer.from("\uFEFFNombre del agente,Destino\nDiana,51977452931\n", "utf8");
    const source = reportFile(reportsDir, "job-8-acme.csv", bytes);
    const link = await app.files.publish({ sourcePath: source, fileName: "hsm-report-acme.csv", jobId: 8, tenantId });
    const res = await download(link.token);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const row = await app.store.prisma.publishedFile.findFirstOrThrow({ where: { jobId: 8 } });
    expect(row.path).toMatch(/^published\/[0-9a-f]{32}\.csv$/);
    expect(statSync(join(reportsDir, row.path)).mode & 0o777).toBe(0o600);
    expect(statSync(join(reportsDir, row.path)).ino).toBe(statSync(source).ino); // a hard link, not a copy
    expect(statSync(join(reportsDir, "published")).mode & 0o077).toBe(0);
  });

  // /dev/shm is a tmpfs on these machines: no hard link can reach REPORTS_DIR from there.
  it.skipIf(!SHM_ELSEWHERE)("a file on another file system is copied, privately, and still served", async () => {
    const dir = mkdtempSync("/dev/shm/hsm-files-");
    try {
      const bytes = randomBytes(50_000);
      const source = reportFile(dir, "job-9-acme.xlsx", bytes);
      const link = await app.files.publish({ sourcePath: source, fileName: "r.xlsx", jobId: 9, tenantId });
      rmSync(source);
      const row = await app.store.prisma.publishedFile.findFirstOrThrow({ where: { jobId: 9 } });
      expect(statSync(join(reportsDir, row.path)).mode & 0o777).toBe(0o600);
      const res = await download(link.token);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a link changed in any way is refused with 403: one character, another job's MAC, another expiry", async () => {
    const publish = (jobId: number) =>
      app.files.publish({
        sourcePath: reportFile(reportsDir, `job-${jobId}-acme.csv`, Buffer.from(`job ${jobId}\n`)),
        fileName: `hsm-report-${jobId}.csv`,
        jobId,
        tenantId,
      });
    const [a, b] = [await publish(11), await publish(12)];
    const [fileId, jobId, expires, mac] = tokenParts(a);
    const bMac = tokenParts(b)[3];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const tampered = [
      // One character changed, in each part (the MAC's last character carries bits base64 decoding drops).
      flip(a.token, 0),
      `${fileId}.${Number(jobId) + 1}.${expires}.${mac}`,
      `${fileId}.${jobId}.${expires}.${flip(mac, 0)}`,
      `${fileId}.${jobId}.${expires}.${flip(mac, mac.length - 1)}`,
      // Another job's MAC on this file, and this MAC on the other file.
      `${fileId}.${jobId}.${expires}.${bMac}`,
      `${tokenParts(b)[0]}.${tokenParts(b)[1]}.${tokenParts(b)[2]}.${mac}`,
      // A later (or earlier) expiry.
      `${fileId}.${jobId}.${Number(expires) + 1}.${mac}`,
      `${fileId}.${jobId}.${Number(expires) + 365 * 86_400}.${mac}`,
      `${fileId}.${jobId}.${Number(expires) - 1}.${mac}`,
      // Not a token at all.
      "x",
      `${fileId}.${jobId}.${expires}`,
      `${a.token}.`,
      `${a.token}%00`,
    ];
    const statuses = await Promise.all(tampered.map(async (t) => (await download(t)).status));
    expect(statuses).toEqual(tampered.map(() => 403));
    const refused = await download(flip(a.token, 0));
    expect(await refused.text()).toBe(`${FILE_REFUSALS.invalid}\n`);
    // …while the untouched links still work.
    expect([(await download(a.token)).status, (await download(b.token)).status]).toEqual([200, 200]);
  });

  it("a removed or unknown file is 404, even with a valid signature", async () => {
    const link = await app.files.publish({
      sourcePath: reportFile(reportsDir, "job-21-acme.csv", Buffer.from("x\n")),
      fileName: "hsm-report.csv",
      jobId: 21,
      tenantId,
    });
    const secret = await storedSecret(app.store);
    const [fileId] = tokenParts(link);
    const unknown = signDownloadToken({ fileId: 999_999, jobId: 21, expiresAt: link.expiresAt }, secret);
    const otherJob = signDownloadToken({ fileId: Number(fileId), jobId: 22, expiresAt: link.expiresAt }, secret);
    expect([(await download(unknown)).status, (await download(otherJob)).status]).toEqual([404, 404]);

    const row = await app.store.prisma.publishedFile.findUniqueOrThrow({ where: { id: Number(fileId) } });
    rmSync(join(reportsDir, row.path));
    const res = await download(link.token);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/pide el reporte de nuevo.*ask for the report again/);
  });

  it("an expired link answers 410 with a sentence saying to ask for the report again", async () => {
    const link = await app.files.publish({
      sourcePath: reportFile(reportsDir, "job-31-acme.csv", Buffer.from("y\n")),
      fileName: "hsm-report.csv",
      jobId: 31,
      tenantId,
    });
    try {
      clock.set(new Date(link.expiresAt.getTime() - 1000));
      expect((await download(link.token)).status).toBe(200);
      clock.set(link.expiresAt);
      const res = await download(link.token);
      expect(res.status).toBe(410);
      const text = await res.text();
      expect(text).toBe(`${FILE_REFUSALS.expired}\n`);
      expect(text).toMatch(/venció: pide el reporte de nuevo/);
      expect(text).toMatch(/expired: please ask for the report again/);
      // Expiry is judged before the signature's owner is looked up: a forged expired link is still 403.
      const [fileId, jobId, expires, mac] = tokenParts(link);
      expect((await download(`${fileId}.${jobId}.${Number(expires) - 7200}.${mac}`)).status).toBe(403);
    } finally {
      clock.set(NOW);
    }
  });

  it("the retention sweep removes only files whose link expired, and the leftover-file sweep none", async () => {
    const publishAt = async (at: Date, jobId: number) => {
      clock.set(at);
      const link = await app.files.publish({
        sourcePath: reportFile(reportsDir, `job-${jobId}-acme.csv`, Buffer.from(`${jobId}\n`)),
        fileName: "hsm-report.csv",
        jobId,
        tenantId,
      });
      const row = await app.store.prisma.publishedFile.findUniqueOrThrow({ where: { id: Number(tokenParts(link)[0]) } });
      return { link, id: row.id, path: join(reportsDir, row.path) };
    };
    try {
      const early = await publishAt(new Date(NOW.getTime() + 10 * HOUR), 41); // expires about +11.5 h
      const late = await publishAt(new Date(NOW.getTime() + 11 * HOUR), 42); // expires about +12.5 h

      // Long after both files were written, but before either link expired: nothing goes.
      expect(await sweepReportFiles(reportsDir, { now: new Date(NOW.getTime() + 100 * HOUR), jobLeaseMs: 30_000 })).toEqual(
        expect.not.arrayContaining([expect.stringContaining("published")]),
      );
      const justBefore = new Date(early.link.expiresAt.getTime() - 1);
      expect((await sweepPublishedFiles(app.store, reportsDir, justBefore)).removed).toEqual(
        expect.not.arrayContaining([early.id, late.id]),
      );
      expect([existsSync(early.path), existsSync(late.path)]).toEqual([true, true]);

      const at = new Date(NOW.getTime() + 12 * HOUR);
      const swept = await sweepPublishedFiles(app.store, reportsDir, at);
      expect(swept.removed).toContain(early.id);
      expect(swept.removed).not.toContain(late.id);
      expect([existsSync(early.path), existsSync(late.path)]).toEqual([false, true]);
      const rows = await app.store.prisma.publishedFile.findMany({
        where: { id: { in: [early.id, late.id] } },
        orderBy: { id: "asc" },
      });
      expect(rows.map((r) => r.deletedAt?.toISOString() ?? null)).toEqual([at.toISOString(), null]);

      // The link that is still valid still works.
      clock.set(at);
      expect((await download(late.link.token)).status).toBe(200);
    } finally {
      clock.set(NOW);
    }
  });
});

describe.each(DATABASES)("the links' signing secret on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let reportsDir: string;
  let tenantId: number;

  beforeAll(async () => {
    db = fresh();
    reportsDir = mkdtempSync(join(tmpdir(), "hsm-files-secret-"));
    const store = await openStore(db.url);
    try {
      tenantId = (await createTenant(store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).tenant.id;
    } finally {
      await store.close();
    }
  });

  afterAll(async () => {
    await db?.drop();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}) => startTestApp(db.url, { REPORTS_DIR: reportsDir, ...env });
  const publish = (app: TestApp, jobId: number) =>
    app.files.publish({
      sourcePath: reportFile(reportsDir, `job-${jobId}-acme.csv`, Buffer.from(`${jobId}\n`)),
      fileName: "hsm-report.csv",
      jobId,
      tenantId,
    });
  const status = async (app: TestApp, link: PublishedLink) => (await fetch(`${app.url}/files/${link.token}`)).status;

  it("two instances starting together make one secret and accept each other's links; it outlives a restart", async () => {
    let [a, b] = await Promise.all([start(), start()]);
    try {
      const [fromA, fromB] = [await publish(a, 1), await publish(b, 2)];
      expect([await status(b, fromA), await status(a, fromB)]).toEqual([200, 200]);
      expect(await a.store.prisma.setting.count()).toBe(1);
      // Links name the instance they were made on when PUBLIC_URL is not set.
      expect(fromA.url.startsWith(`${a.url}/files/`)).toBe(true);
      const secret = (await storedSecret(a.store)).toString("base64url");
      expect(secret).toHaveLength(43); // 32 random bytes
      expect(JSON.stringify([...a.logs, ...b.logs])).not.toContain(secret);

      await Promise.all([a.stop(), b.stop()]);
      a = await start();
      b = a;
      expect(await status(a, fromA)).toBe(200);
      expect((await storedSecret(a.store)).toString("base64url")).toBe(secret);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("instances making the secret at the same instant all end up with the one stored", async () => {
    const stores = await Promise.all(Array.from({ length: 5 }, () => openStore(db.url)));
    try {
      await Promise.all(stores.map((st) => st.prisma.setting.deleteMany()));
      const secrets = await Promise.all(stores.map((st) => filesSigningSecret(st, null, NOW)));
      expect(new Set(secrets.map((x) => x.toString("hex"))).size).toBe(1);
      expect((await storedSecret(stores[0] as Store)).equals(secrets[0] as Buffer)).toBe(true);
    } finally {
      await Promise.all(stores.map((st) => st.close()));
    }
  });

  it("the server's housekeeping removes a published file once its link expired", async () => {
    const app = await start();
    const link = await publish(app, 5);
    const row = await app.store.prisma.publishedFile.findUniqueOrThrow({ where: { id: Number(tokenParts(link)[0]) } });
    await app.stop();
    expect(existsSync(join(reportsDir, row.path))).toBe(true);
    const later = await startTestApp(
      db.url,
      { REPORTS_DIR: reportsDir },
      { clock: { ...systemClock, now: () => new Date(link.expiresAt.getTime() + 1000) } },
    );
    try {
      await later.housekeepingIdle();
      expect(existsSync(join(reportsDir, row.path))).toBe(false);
      expect(later.logs).toContainEqual(
        expect.objectContaining({
          msg: "removed published files whose download link expired",
          files: expect.arrayContaining([row.id]),
        }),
      );
    } finally {
      await later.stop();
    }
  });

  it("FILES_SIGNING_SECRET, when set, is the key: links made with the stored one are refused", async () => {
    const before = await start();
    const link = await publish(before, 3);
    await before.stop();
    const configured = "k".repeat(40);
    const app = await start({ FILES_SIGNING_SECRET: configured });
    try {
      expect(await status(app, link)).toBe(403);
      const own = await publish(app, 4);
      expect(await status(app, own)).toBe(200);
      const [fileId, jobId, expires] = tokenParts(own);
      expect(own.token).toBe(
        signDownloadToken(
          { fileId: Number(fileId), jobId: Number(jobId), expiresAt: new Date(Number(expires) * 1000) },
          Buffer.from(configured),
        ),
      );
    } finally {
      await app.stop();
    }
  });
});
