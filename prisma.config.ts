// Prisma CLI configuration (driver-adapter mode: no native engine download, so it works offline).
// The schema follows DATABASE_URL: postgresql://… uses prisma/postgresql, anything else prisma/sqlite.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { PrismaSqliteAdapter } from "./src/store/sqlite-prisma-adapter.ts";

const url = process.env.DATABASE_URL ?? "file:./data/hsm-report.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/sqlite/schema.prisma",
  adapter: async () => (postgres ? new PrismaPg({ connectionString: url }) : new PrismaSqliteAdapter({ url })),
});
