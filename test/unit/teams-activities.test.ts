// Reading Teams activities: which serviceUrls an unauthenticated bot answers, the command behind a
// mention, the card's submission, and the conversation a job keeps.
import { describe, expect, it } from "vitest";
import { decodeChoice, encodeChoice, readSubmission } from "../../src/chat/teams/report-card.ts";
import { isLoopbackServiceUrl } from "../../src/chat/teams/service-url.ts";
import { botReference, splitThread, teamsConversation } from "../../src/chat/teams/teams-conversation.ts";
import { addressedToBot, commandText } from "../../src/chat/teams/teams-messages.ts";
import { AAD_TENANT, BOT_ID, CHANNEL, CHANNEL_THREAD, channelMention, personalMessage, THREAD_ROOT } from "../support/teams.ts";

const serviceUrl = "http://127.0.0.1:3978/";

describe("loopback serviceUrls", () => {
  it.each([
    "http://127.0.0.1:3978/",
    "http://127.1/",
    "http://0x7f.0.0.1/",
    "http://2130706433/",
    "https://127.254.3.9/teams/",
    "http://localhost:3978/",
    "http://LOCALHOST/",
    "http://[::1]:8080/",
  ])("%s is answered", (url) => {
    expect(isLoopbackServiceUrl(url)).toBe(true);
  });

  it.each([
    "https://smba.trafficmanager.net/amer/",
    "http://10.0.0.7/",
    "http://128.0.0.1/",
    "http://127.0.0.1.nip.io/",
    "http://localhost.example.com/",
    "http://user:pass@127.0.0.1/",
    "file:///etc/passwd",
    "ftp://127.0.0.1/",
    "http://[::ffff:10.0.0.1]/",
    "not a url",
    "",
    null,
    42,
  ])("%s is not", (url) => {
    expect(isLoopbackServiceUrl(url)).toBe(false);
  });
});

describe("the command in a message", () => {
  it("the bot's mention is removed by its entity, wherever and however often it appears", () => {
    const a = channelMention("last 7d format:csv", { serviceUrl });
    expect(commandText(a)).toBe("last 7d format:csv");
    a.text = "hey <at>hsm-report</at>&nbsp;last\u00a0week <at>hsm-report</at>\n";
    expect(commandText(a)).toBe("hey last week");
  });

  it("another person's mention stays (and is then a word the grammar does not know)", () => {
    const a = channelMention("", { serviceUrl });
    a.text = "<at>hsm-report</at> <at>Ana</at> help";
    a.entities = [
      ...(a.entities as object[]),
      { type: "mention", text: "<at>Ana</at>", mentioned: { id: "29:ana", name: "Ana" } },
    ];
    expect(commandText(a)).toBe("<at>Ana</at> help");
  });

  it("malformed entities are ignored rather than failing the turn", () => {
    const a = personalMessage("help", { serviceUrl });
    a.entities = [null, { type: "mention" }, { type: "mention", mentioned: { id: BOT_ID } }, "x"];
    expect(commandText(a)).toBe("help");
  });

  it("a personal chat is always addressed to the bot; a channel only with its mention", () => {
    expect(addressedToBot(personalMessage("help", { serviceUrl }))).toBe(true);
    expect(addressedToBot(channelMention("help", { serviceUrl }))).toBe(true);
    expect(addressedToBot(channelMention("help", { serviceUrl }, { mention: false }))).toBe(false);
  });
});

describe("the card's submission", () => {
  it("multi-select values are split on commas; a value holding a comma travels percent-encoded", () => {
    expect(encodeChoice("Ventas, Lima 100%")).toBe("Ventas%2C Lima 100%25");
    expect(decodeChoice(encodeChoice("Ventas, Lima 100%"))).toBe("Ventas, Lima 100%");
    const { answers } = readSubmission(
      {
        action: "report",
        campaigns: `Campaña chattigo,${encodeChoice("Ventas, Lima")}`,
        channels: "",
        from: "2026-11-01",
        to: "2026-11-30",
      },
      "es",
    );
    expect([answers.campaigns, answers.channels]).toEqual([["Campaña chattigo", "Ventas, Lima"], []]);
  });

  it("dates that are not YYYY-MM-DD are read as missing; format and language fall back to XLSX and the tenant's", () => {
    const { answers } = readSubmission({ action: "report", from: "01/11/2026", to: 5, format: "pdf", lang: "fr" }, "en");
    expect(answers).toMatchObject({ from: null, to: null, format: "xlsx", locale: "en", schedule: null });
  });

  it("the schedule part is read only when a frequency is chosen", () => {
    const { answers } = readSubmission(
      {
        action: "report",
        schedule_frequency: "monthly",
        schedule_day: "last",
        schedule_time: "07:30:00",
        schedule_zone: "America/Bogota",
      },
      "es",
    );
    expect(answers.schedule).toEqual({
      frequency: "monthly",
      weekday: null,
      monthDay: "last",
      time: "07:30",
      zone: "America/Bogota",
    });
    expect(readSubmission({ action: "report", schedule_frequency: "once" }, "es").answers.schedule).toBeNull();
  });
});

describe("the conversation a job keeps", () => {
  it("a channel thread is kept as its channel and thread root, and posted to again in the thread or in the channel", () => {
    expect(splitThread(CHANNEL_THREAD)).toEqual({ conversationId: CHANNEL, threadId: THREAD_ROOT });
    const ref = teamsConversation(channelMention("x", { serviceUrl }), AAD_TENANT);
    expect([ref.conversationId, ref.threadId]).toEqual([CHANNEL, THREAD_ROOT]);
    expect(botReference(ref).conversation).toMatchObject({ id: CHANNEL_THREAD, isGroup: true, tenantId: AAD_TENANT });
    expect(botReference(ref, false).conversation?.id).toBe(CHANNEL);
    expect(botReference(ref)).toMatchObject({ serviceUrl, channelId: "msteams", bot: { id: BOT_ID } });
  });
});
