// What reaches a chat: other people's words as data (never mentions or links), and lists cut to
// fit Slack's limits with "y N más" / "and N more".
import { describe, expect, it } from "vitest";
import { describeRequest } from "../../src/chat/describe-request.ts";
import { clip, escapeMarkup, fitList } from "../../src/chat/safe-text.ts";
import { historyBlocks, SECTION_TEXT_MAX, summaryBlocks } from "../../src/chat/slack/slack-blocks.ts";
import type { ReportSummary } from "../../src/domain/report-summary.ts";
import type { ReportJob } from "../../src/store/report-jobs.ts";
import { reportRequest } from "../support/report-fixture.ts";

const longNames = (n: number) =>
  Array.from({ length: n }, (_, i) => `Campaña de reactivación de clientes inactivos del segmento ${String(i).padStart(3, "0")}`);

function summary(over: Partial<ReportSummary["filters"]> = {}): ReportSummary {
  return {
    tenant: { slug: "acme", name: "Acme", timeZone: "America/Lima" },
    locale: "es",
    requestedFormat: "csv",
    format: "csv",
    switchedToCsv: false,
    requested: { from: "2026-10-01", to: "2026-10-31" },
    applied: { from: "2026-10-01", to: "2026-10-31" },
    clamped: false,
    dataStartDate: null,
    filters: { campaigns: [], channels: [], agents: [], templates: [], states: [], ...over },
    generatedAt: "2026-11-01T00:00:00.000Z",
    totals: {
      total: 1,
      byState: { queued: 0, outbound: 0, sent: 0, delivered: 0, read: 1, outbound_failed: 0, meta_failed: 0 },
      funnel: { sent: 1, delivered: 1, read: 1, replied: 0, stepRates: { delivered: 1, read: 1, replied: 0 } },
      invalidNumbers: 0,
    } as unknown as ReportSummary["totals"],
    topErrors: [],
    byCampaign: [],
  };
}

const sectionTexts = (blocks: unknown[]) =>
  (blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === "section").map((b) => b.text?.text ?? "");

describe("escaping", () => {
  it("turns Slack's control characters into the entities it asks for, and nothing else", () => {
    expect(escapeMarkup("Promo <!channel> & <https://evil.example|click> ¡ñ'\"")).toBe(
      "Promo &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; ¡ñ'\"",
    );
  });

  it("a cut never splits an entity", () => {
    expect(clip("ab&amp;cd", 5)).toBe("ab…");
    expect(clip("abcdef", 4)).toBe("abc…");
  });

  it("every name in the summary and in a request's description is escaped", () => {
    const evil = "Promo <!channel> <https://evil.example|click>";
    const text = sectionTexts(summaryBlocks(summary({ campaigns: [evil], agents: ["A&B"] }))).join("\n");
    expect(text).toContain("Promo &lt;!channel&gt; &lt;https://evil.example|click&gt;");
    expect(text).toContain("A&amp;B");
    expect(text).not.toContain("<!channel>");
    expect(describeRequest({ request: reportRequest({ campaigns: [evil] }) })).not.toMatch(/<[!h]/);
  });
});

describe("fitting lists", () => {
  it("keeps whole items and says how many more there are", () => {
    expect(fitList(["uno", "dos", "tres", "cuatro"], 100, { locale: "es" })).toBe("uno, dos, tres, cuatro");
    expect(fitList(["uno", "dos", "tres", "cuatro"], 16, { locale: "es" })).toBe("uno, dos y 2 más");
    expect(fitList(["one", "two", "three", "four"], 19, { locale: "en" })).toBe("one, two and 2 more");
    expect(fitList(["una campaña larguísima"], 10, { locale: "es" })).toBe("y 1 más");
  });

  it("500 long campaign names: every section of the summary stays within Slack's 3,000 characters", () => {
    const blocks = summaryBlocks(summary({ campaigns: longNames(500), channels: longNames(300) }));
    const texts = sectionTexts(blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
    const campaigns = /Campañas: (.*?) y (\d+) más ·/.exec(texts[0] ?? "");
    expect(campaigns).not.toBeNull();
    const shown = (campaigns?.[1] ?? "").split(", ").length;
    expect(shown + Number(campaigns?.[2])).toBe(500);
    expect(texts[0]).toMatch(/Canales: .* y \d+ más/);
  });

  it("a request with hundreds of names is described in a bounded sentence; history stays within a section", () => {
    const request = reportRequest({ campaigns: longNames(500), locale: "en" });
    const described = describeRequest({ request }, 400);
    expect(described.length).toBeLessThanOrEqual(400);
    expect(described).toMatch(/ and \d+ more, XLSX$/);
    const jobs = Array.from(
      { length: 10 },
      (_, i) =>
        ({
          request,
          createdAt: new Date(`2026-11-0${(i % 9) + 1}T10:00:00Z`),
          status: "done",
          rows: 10,
          fileBytes: 2048,
          fileName: "hsm-report-acme-2026-10-01_2026-10-31.xlsx",
          permalink: "https://fake.slack.com/files/UBOT/F1",
        }) as ReportJob,
    );
    for (const text of sectionTexts(historyBlocks(jobs, "en"))) expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
  });
});
