#!/usr/bin/env node
// The built CLI (dist/) is made by `npm install` / `npm ci` (the prepare script).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("hsm-report is not built yet: run `npm install` (or `npm run build`) in the project folder.\n");
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
