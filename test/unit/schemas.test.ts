import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (p: string) => readFileSync(new URL(`../../prisma/${p}`, import.meta.url), "utf8");
const models = (schema: string) => schema.slice(schema.indexOf("// ---- models"));

describe("the two Prisma schemas", () => {
  it("declare identical models; only the datasource and generator output differ", () => {
    expect(models(read("postgresql/schema.prisma"))).toBe(models(read("sqlite/schema.prisma")));
  });

  it("have a migration for each provider with the same names", () => {
    const names = (p: string) => readdirSync(new URL(`../../prisma/${p}/migrations`, import.meta.url)).sort();
    expect(names("postgresql")).toEqual(names("sqlite"));
  });
});
