import { describe, expect, it } from "vitest";
import { detectOutboundError, isPlausiblePhoneNumber, normalizeDestination } from "../../src/domain/send-checks.ts";
import { csvRowToRecord, parseSendRecord } from "../../src/ingest/parse-send-record.ts";

const valid = {
  id: "1795830683",
  campaign: "Campaña chattigo",
  channel: "106540352242922",
  agent: "Diana Huapaya",
  hsm: { id: "1795801177", name: "chattigo_bienvenida" },
  destination: "+51 977 452 931",
  body: "Te damos la bienvenida",
  queuedAt: "2026-10-01T09:00:00-05:00",
};

describe("send record contract", () => {
  it("accepts a record and keeps the destination as digits", () => {
    const parsed = parseSendRecord(valid, 0);
    expect(parsed.ok && parsed.record).toMatchObject({
      id: "1795830683",
      destination: "51977452931",
      queuedAt: new Date("2026-10-01T14:00:00Z"),
    });
  });

  it("accepts numeric ids the way platforms often send them", () => {
    const parsed = parseSendRecord({ ...valid, id: 1795830683, hsm: { id: 1795801177, name: "x" } }, 0);
    expect(parsed.ok && [parsed.record.id, parsed.record.hsm.id]).toEqual(["1795830683", "1795801177"]);
  });

  it("lists every problem of a record by field", () => {
    const parsed = parseSendRecord(
      { ...valid, campaign: "", hsm: { id: "1" }, queuedAt: "2026-10-01 09:00", outboundError: "timeout" },
      4,
    );
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { index: 4, field: "campaign", reason: "is required" },
        { index: 4, field: "hsm.name", reason: "is required" },
        { index: 4, field: "queuedAt", reason: "must be an ISO 8601 date-time with a time zone, e.g. 2026-10-01T09:30:00-05:00" },
        {
          index: 4,
          field: "outboundError",
          reason: "must be one of internal_error, header_too_long, invalid_number, body_too_long, insufficient_balance",
        },
      ],
    });
  });

  it("refuses something that is not an object", () => {
    expect(parseSendRecord("hola", 2)).toEqual({
      ok: false,
      errors: [{ index: 2, field: "record", reason: "must be a JSON object" }],
    });
  });

  it("reads CSV columns hsm.id / hsm.name into the same shape", () => {
    expect(csvRowToRecord({ id: "1", "hsm.id": "9", "hsm.name": "t", hsmLanguage: "es" })).toEqual({
      id: "1",
      hsm: { id: "9", name: "t", language: "es" },
    });
  });
});

describe("our own outbound checks", () => {
  it.each([
    ["51977452931", true],
    ["16505551234", true],
    ["5215512345678", true], // Mexico's WhatsApp form
    ["972987654321", true],
    ["123", false],
    ["0051977452931", false],
    ["999999999999", false], // no such country code
    ["51977abc931", false],
  ])("%s plausible: %s", (digits, plausible) => {
    expect(isPlausiblePhoneNumber(digits)).toBe(plausible);
  });

  it("strips what Meta tolerates in a number", () => {
    expect(normalizeDestination(" +51 (977) 452-931 ")).toBe("51977452931");
  });

  it("header over 60, invalid number, body over 1,024 characters, counting an emoji as one", () => {
    const ok = { destination: "51977452931", body: "🙌".repeat(1024), header: "é".repeat(60) };
    expect(detectOutboundError(ok)).toBeNull();
    expect(detectOutboundError({ ...ok, header: "é".repeat(61) })).toBe("header_too_long");
    expect(detectOutboundError({ ...ok, destination: "12" })).toBe("invalid_number");
    expect(detectOutboundError({ ...ok, body: "🙌".repeat(1025) })).toBe("body_too_long");
  });
});
