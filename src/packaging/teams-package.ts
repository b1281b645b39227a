// The Teams app package: manifests/teams/manifest.json with this installation's app id (and public
// host) filled in, and its two icons, zipped at the root (what Teams' "Upload a custom app", the
// Developer Portal and the admin center take).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.ts";
import { type ZipEntry, zipArchive } from "./zip.ts";

export const TEAMS_MANIFEST_DIR = join(packageRoot(), "manifests", "teams");

/** The committed manifest's id and botId: a valid GUID, so the file validates, but nobody's app. */
export const PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000";
/** The committed manifest's developer URLs start so; a public URL, when given, takes their place. */
const PLACEHOLDER_ORIGIN = "https://your-host.example.com";
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export class TeamsPackageError extends Error {
  readonly code = "teams_package_invalid";
}

export interface TeamsPackageOptions {
  /** The bot's Microsoft App ID (MICROSOFT_APP_ID): the Azure Bot / Entra application's client id. */
  appId: string | undefined;
  /** PUBLIC_URL: its host becomes the app's valid domain, and the developer links' base. */
  publicUrl: string | null;
  /** The app's version (package.json's): Teams wants a higher one for each update. */
  version: string;
  manifestDir?: string;
}

type Manifest = Record<string, unknown> & {
  bots: { botId: string }[];
  developer: Record<string, string>;
};

/** The manifest to package; throws TeamsPackageError, saying what to fix, on a bad app id or URL. */
export function teamsManifest(template: Manifest, options: TeamsPackageOptions): Manifest {
  const appId = options.appId?.trim() ?? "";
  if (!appId) throw new TeamsPackageError("No app id: set MICROSOFT_APP_ID or pass --app-id (the Azure Bot's Microsoft App ID).");
  if (!GUID.test(appId) || appId === PLACEHOLDER_APP_ID) {
    throw new TeamsPackageError(
      `The app id must be the bot's Microsoft App ID, a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301 (got ${JSON.stringify(appId)}).`,
    );
  }
  const manifest: Manifest = structuredClone(template);
  manifest.id = appId.toLowerCase();
  for (const bot of manifest.bots) bot.botId = appId.toLowerCase();
  manifest.version = options.version;
  if (options.publicUrl) {
    let url: URL;
    try {
      url = new URL(options.publicUrl);
    } catch {
      throw new TeamsPackageError(`PUBLIC_URL is not a URL: ${JSON.stringify(options.publicUrl)}.`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TeamsPackageError(
        `PUBLIC_URL must be an http(s) URL such as https://bot.example.com (got ${options.publicUrl}).`,
      );
    }
    // The bot's own links (download links among them) are on this host.
    manifest.validDomains = [url.hostname];
    const base = url.href.replace(/\/+$/, "");
    for (const [key, value] of Object.entries(manifest.developer)) {
      if (value.startsWith(PLACEHOLDER_ORIGIN)) manifest.developer[key] = base + value.slice(PLACEHOLDER_ORIGIN.length);
    }
  }
  return manifest;
}

/** The app package's bytes. */
export function teamsPackage(options: TeamsPackageOptions): Buffer {
  const dir = options.manifestDir ?? TEAMS_MANIFEST_DIR;
  const template = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  const manifest = teamsManifest(template, options);
  const icons = template.icons as { color: string; outline: string };
  const entries: ZipEntry[] = [
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: icons.color, data: readFileSync(join(dir, icons.color)) },
    { name: icons.outline, data: readFileSync(join(dir, icons.outline)) },
  ];
  return zipArchive(entries);
}
