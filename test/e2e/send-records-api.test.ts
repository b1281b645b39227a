// POST /api/v1/messages over HTTP: auth, batch limits, per-record errors, idempotent re-sends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../../src/store/tenants.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { DATABASES, type TestDatabase } from "../support/databases.ts";
import { sendRecord } from "../support/records.ts";

const rec = sendRecord;

describe.each(DATABASES)("send records API on $kind", ({ fresh }) => {
  let db: TestDatabase;
  let app: TestApp;
  let keys: { acme: string; beta: string };

  const post = async (body: unknown, key: string | null = keys.acme) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetch(`${app.url}/api/v1/messages`, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = fresh();
    app = await startTestApp(db.url);
    keys = {
      acme: (await createTenant(app.store, { slug: "acme", name: "Acme", timeZone: "America/Lima", locale: "es" })).apiKey,
      beta: (await createTenant(app.store, { slug: "beta", name: "Beta", timeZone: "America/Santiago", locale: "es" })).apiKey,
    };
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("refuses a missing or unknown API key with 401 and stores nothing", async () => {
    expect(await post([rec("a")], null)).toEqual({
      status: 401,
      body: {
        error: "unauthorized",
        message: "Send the tenant's API key as `Authorization: Bearer <key>` (hsm-report tenant add prints it).",
      },
    });
    expect(await post([rec("a")], "hsm_not-a-real-key")).toEqual({
      status: 401,
      body: { error: "unauthorized", message: "This API key is not valid (unknown or revoked)." },
    });
    expect(await app.store.prisma.message.count()).toBe(0);
  });

  it("refuses a body that is not a JSON array, or more than 1,000 records", async () => {
    expect((await post("{oops")).body.error).toBe("invalid_json");
    expect(await post({ id: "x" })).toEqual({
      status: 400,
      body: { error: "invalid_body", message: "The body must be a JSON array of send records." },
    });
    const many = await post(Array.from({ length: 1001 }, (_, i) => rec(`m${i}`)));
    expect(many.status).toBe(413);
    expect(many.body.message).toBe("At most 1000 records per request (got 1001); split the batch or use `hsm-report import`.");
    expect(await app.store.prisma.message.count()).toBe(0);
  });

  it("accepts 1,000 records at once", async () => {
    const res = await post(Array.from({ length: 1000 }, (_, i) => rec(`bulk${i}`)));
    expect(res).toEqual({ status: 200, body: { accepted: 1000, rejected: 0, errors: [] } });
  });

  it("keeps the valid records of a mixed batch and says why the others were refused (207)", async () => {
    const res = await post([
      rec("ok"),
      rec("no-date", { queuedAt: undefined }),
      "text",
      rec("bad-error", { outboundError: "boom" }),
    ]);
    expect(res.status).toBe(207);
    expect(res.body).toEqual({
      accepted: 1,
      rejected: 3,
      errors: [
        { index: 1, field: "queuedAt", reason: "is required" },
        { index: 2, field: "record", reason: "must be a JSON object" },
        {
          index: 3,
          field: "outboundError",
          reason: "must be one of internal_error, header_too_long, invalid_number, body_too_long, insufficient_balance",
        },
      ],
    });
    expect((await post([rec("nope", { body: "" })])).status).toBe(422);
  });

  it("our own checks fail a message at once: invalid number, header over 60, body over 1,024", async () => {
    await post([
      rec("inv", { destination: "+51 97" }),
      rec("hdr", { header: "x".repeat(61) }),
      rec("long", { body: "y".repeat(1025) }),
    ]);
    const rows = await app.store.prisma.message.findMany({
      where: { platformId: { in: ["inv", "hdr", "long"] } },
      orderBy: { platformId: "asc" },
    });
    expect(rows.map((r) => [r.platformId, r.state, r.outboundError, r.destination])).toEqual([
      ["hdr", "outbound_failed", "header_too_long", "51977452931"],
      ["inv", "outbound_failed", "invalid_number", "5197"],
      ["long", "outbound_failed", "body_too_long", "51977452931"],
    ]);
  });

  it("the same ids in two tenants are two messages; a tenant's key only writes its own", async () => {
    await post([rec("shared", { campaign: "Beta campaign" })], keys.beta);
    await post([rec("shared")], keys.acme);
    const rows = await app.store.prisma.message.findMany({
      where: { platformId: "shared" },
      include: { tenant: true, campaign: true },
    });
    expect(rows.map((r) => [r.tenant.slug, r.campaign.name]).sort()).toEqual([
      ["acme", "Campaña chattigo"],
      ["beta", "Beta campaign"],
    ]);
  });
});
