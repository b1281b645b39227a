// npm run package:teams [-- --app-id GUID] [--public-url URL] [--out FILE]
// Writes the Teams app package (default dist/teams/hsm-report-teams.zip). The app id comes from
// --app-id or MICROSOFT_APP_ID, the public URL from --public-url or PUBLIC_URL.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/package-root.ts";
import { TeamsPackageError, teamsPackage } from "../src/packaging/teams-package.ts";

const USAGE = "usage: npm run package:teams -- [--app-id GUID] [--public-url https://your-host] [--out FILE]";

function main(): number {
  let values: { "app-id"?: string; "public-url"?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        "app-id": { type: "string" },
        "public-url": { type: "string" },
        out: { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = packageRoot();
  const out = values.out ? resolve(values.out) : resolve(root, "dist", "teams", "hsm-report-teams.zip");
  const { version } = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { version: string };
  try {
    const zip = teamsPackage({
      appId: values["app-id"] ?? process.env.MICROSOFT_APP_ID,
      publicUrl: values["public-url"] ?? (process.env.PUBLIC_URL || null),
      version,
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    process.stdout.write(
      `Teams app package written to ${out} (${zip.length} bytes). Upload it in Teams: Apps → Manage your apps → Upload an app.\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

process.exitCode = main();
