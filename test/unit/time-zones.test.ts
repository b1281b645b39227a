// The zone a schedule runs in: IANA names in any case, answered with their canonical spelling; a
// name that is not a zone is refused, with the zones it most likely meant.
import { describe, expect, it } from "vitest";
import { isTimeZone, suggestTimeZones } from "../../src/domain/time-zones.ts";

describe("a time zone is an IANA name, in any case", () => {
  it.each([
    ["America/Lima", "America/Lima"],
    ["america/lima", "America/Lima"],
    ["AMERICA/LIMA", "America/Lima"],
    [" Europe/Madrid ", "Europe/Madrid"],
    ["america/mexico_city", "America/Mexico_City"],
    ["Asia/Tokyo", "Asia/Tokyo"],
    ["UTC", "UTC"],
    ["utc", "UTC"],
    ["Etc/UTC", "UTC"],
  ])("%j is %j", (given, canonical) => {
    expect(isTimeZone(given)).toBe(canonical);
  });

  it("an old name for a zone is answered with the name the runtime uses", () => {
    expect(isTimeZone("US/Eastern")).toBe("America/New_York");
  });

  it.each([
    "Mars/Olympus",
    "UTC+5",
    "+05:00",
    "GMT-3",
    "EST", // ICU reads it as Panama's clock: a trap for someone in New York
    "Lima",
    "America/",
    "",
    "   ",
  ])("%j is not", (given) => {
    expect(isTimeZone(given)).toBeNull();
  });
});

describe("suggestions for a name that is not a zone", () => {
  it("a city alone", () => {
    expect(suggestTimeZones("Lima")).toEqual(["America/Lima"]);
    expect(suggestTimeZones("bogota")).toEqual(["America/Bogota"]);
    expect(suggestTimeZones("Mexico City")[0]).toBe("America/Mexico_City");
  });

  it("a misspelt city, swapped letters included", () => {
    expect(suggestTimeZones("Madird")[0]).toBe("Europe/Madrid");
    expect(suggestTimeZones("Santaigo")[0]).toBe("America/Santiago");
  });

  it("a whole name with a typo", () => {
    expect(suggestTimeZones("Amrica/Lima")[0]).toBe("America/Lima");
    expect(suggestTimeZones("Europe/Madird")[0]).toBe("Europe/Madrid");
  });

  it("at most `max`, three by default", () => {
    expect(suggestTimeZones("Europe/Madird").length).toBeLessThanOrEqual(3);
    expect(suggestTimeZones("Madird", 1)).toEqual(["Europe/Madrid"]);
  });

  it("nothing for what is nowhere near a zone", () => {
    expect(suggestTimeZones("Mars/Olympus")).toEqual([]);
    expect(suggestTimeZones("")).toEqual([]);
  });

  it("every suggestion is itself a zone", () => {
    for (const name of ["Lima", "Madird", "Amrica/Lima", "Buenos Aires", "UTC+5"]) {
      for (const zone of suggestTimeZones(name)) expect(isTimeZone(zone)).toBe(zone);
    }
  });
});
