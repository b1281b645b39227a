import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseWebhook } from "../../src/ingest/parse-webhook.ts";
import { isValidMetaSignature, metaSignature } from "../../src/ingest/webhook-signature.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/meta/${name}`, import.meta.url), "utf8");

describe("reading Meta's real payloads", () => {
  it("a sent status with pricing", () => {
    const parsed = parseWebhook(fixture("status-sent.json"));
    expect(parsed).toEqual({
      ok: true,
      events: [
        {
          kind: "status",
          wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
          status: "sent",
          at: new Date(1750030073 * 1000),
          errorCode: null,
          errorTitle: null,
          pricingCategory: "marketing",
          phoneNumberId: "106540352242922",
        },
      ],
    });
  });

  it("a failed status keeps Meta's code and title", () => {
    const parsed = parseWebhook(fixture("status-failed-131049.json"));
    expect(parsed.ok && parsed.events[0]).toMatchObject({
      status: "failed",
      errorCode: 131049,
      errorTitle: "This message was not delivered to maintain healthy ecosystem engagement.",
    });
  });

  it("an inbound reply carries the wamid it answers; a plain inbound message has none", () => {
    const reply = parseWebhook(fixture("inbound-reply-context.json"));
    expect(reply.ok && reply.events[0]).toMatchObject({
      kind: "inbound",
      inboundId: "wamid.xyzxyz",
      contextId: "wamid.xyzxyz==",
      type: "text",
    });
    const plain = parseWebhook(fixture("inbound-text.json"));
    expect(plain.ok && plain.events[0]).toMatchObject({ kind: "inbound", contextId: null });
  });

  it("walks every entry, change, status and message of a body", () => {
    const a = JSON.parse(fixture("status-delivered.json"));
    const b = JSON.parse(fixture("status-read.json"));
    const c = JSON.parse(fixture("inbound-reply-context.json"));
    a.entry.push(b.entry[0]);
    a.entry[1].changes.push(c.entry[0].changes[0]);
    a.entry[0].changes[0].value.statuses.push({ ...a.entry[0].changes[0].value.statuses[0], status: "played" });
    const parsed = parseWebhook(JSON.stringify(a));
    expect(parsed.ok && parsed.events.map((e) => (e.kind === "status" ? e.status : e.kind))).toEqual([
      "delivered",
      "played",
      "read",
      "inbound",
    ]);
  });

  it("changes of other fields are kept as events outside the lifecycle, not refused", () => {
    const parsed = parseWebhook(
      JSON.stringify({
        object: "whatsapp_business_account",
        entry: [{ id: "1", changes: [{ field: "message_template_status_update", value: {} }] }],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      events: [{ kind: "other", what: 'field "message_template_status_update" is not used by hsm-report' }],
    });
  });

  it.each([
    ["[]", "body: Invalid input: expected object, received array"],
    ['{"object":"whatsapp_business_account"}', "entry: Invalid input: expected array, received undefined"],
    [
      '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"w","status":"sent","timestamp":"soon"}]}}]}]}',
      "entry[0].changes[0].value.statuses[0].timestamp: must be Unix seconds",
    ],
  ])("refuses %s with a reason naming the place", (body, reason) => {
    expect(parseWebhook(body)).toEqual({ ok: false, reason });
  });
});

describe("X-Hub-Signature-256", () => {
  const vector = JSON.parse(fixture("signature-vector.json"));
  const body = readFileSync(new URL("../fixtures/meta/signature-vector-body.json", import.meta.url));

  it("matches the published test vector byte for byte", () => {
    expect(body.length).toBe(511);
    expect(metaSignature(body, vector.app_secret)).toBe(vector.expected_header_value);
    expect(isValidMetaSignature(body, vector.expected_header_value, vector.app_secret)).toBe(true);
  });

  it("matches the generic HMAC vector", () => {
    expect(metaSignature("test", "secret")).toBe(`sha256=${vector.second_vector.expected_hex}`);
  });

  it("refuses a wrong secret, a changed byte, a missing or malformed header", () => {
    expect(isValidMetaSignature(body, vector.expected_header_value, "other")).toBe(false);
    const changed = Buffer.from(body);
    changed[10] = changed[10] === 0x61 ? 0x62 : 0x61;
    expect(isValidMetaSignature(changed, vector.expected_header_value, vector.app_secret)).toBe(false);
    expect(isValidMetaSignature(body, undefined, vector.app_secret)).toBe(false);
    expect(isValidMetaSignature(body, "sha1=abc", vector.app_secret)).toBe(false);
    expect(isValidMetaSignature(body, "sha256=zz", vector.app_secret)).toBe(false);
  });
});
