// The Slack manifest is what an admin pastes into Slack: it must be valid, and it must declare
// what the app really uses (the command, the form's URLs, no scope it does not need). The Teams
// manifest and the app package made from it are what an admin uploads into Teams.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { Ajv } from "ajv";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLASH_COMMAND } from "../../src/chat/slack/slack-app.ts";
import { PLACEHOLDER_APP_ID, TeamsPackageError, teamsPackage } from "../../src/packaging/teams-package.ts";
import { readPng } from "../support/png.ts";
import { zipEntries } from "../support/zip-entry.ts";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("manifests/slack/manifest.yaml", () => {
  const manifest = parse(read("manifests/slack/manifest.yaml"));

  it("validates against Slack's official manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its default export is the plugin itself.
    (formats as unknown as (ajv: Ajv) => void)(ajv);
    const validate = ajv.compile(JSON.parse(read("test/fixtures/schemas/slack-app-manifest.schema.json")));
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("declares the slash command, interactivity with the options URL, Socket Mode, and only the scopes used", () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.slash_commands[0].url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.message_menu_options_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings).toHaveProperty("socket_mode_enabled");
    expect(manifest.oauth_config.scopes.bot).toEqual(["commands", "chat:write", "files:write"]);
  });

  it("a manifest missing required parts is refused by the same check (the check can fail)", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its default export is the plugin itself.
    (formats as unknown as (ajv: Ajv) => void)(ajv);
    const validate = ajv.compile(JSON.parse(read("test/fixtures/schemas/slack-app-manifest.schema.json")));
    expect(
      validate({ ...manifest, display_information: undefined, features: { slash_commands: [{ command: "no-slash" }] } }),
    ).toBe(false);
  });
});

/**
 * The shared Teams schema says draft-04 in `$schema` but uses later keywords (`const`); Ajv 8 has no
 * draft-04 meta-schema, so it is compiled as Ajv's default draft (it has no draft-04-only keyword
 * such as a boolean exclusiveMaximum, whose meaning would differ).
 */
function teamsValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (formats as unknown as (ajv: Ajv) => void)(ajv);
  const { $schema: _draft, ...schema } = JSON.parse(read("test/fixtures/schemas/teams-app-manifest.schema.json"));
  return { validate: ajv.compile(schema), manifestVersion: schema.properties.manifestVersion.const as string };
}

const APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const VERSION = JSON.parse(read("package.json")).version as string;

describe("manifests/teams/manifest.json", () => {
  const manifest = JSON.parse(read("manifests/teams/manifest.json"));
  const { validate, manifestVersion } = teamsValidator();

  it("validates against the shared Teams app manifest schema, at the version it describes", () => {
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(manifest.manifestVersion).toBe(manifestVersion);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it("declares one bot for personal chats, teams and group chats, taking files, with help, history and schedules in each", () => {
    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot.scopes).toEqual(["personal", "team", "groupChat"]);
    expect(bot.supportsFiles).toBe(true);
    expect([manifest.id, bot.botId]).toEqual([PLACEHOLDER_APP_ID, PLACEHOLDER_APP_ID]);
    const lists = bot.commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(["groupChat", "personal", "team"]);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title)).toEqual(["help", "history", "schedules"]);
      for (const c of list.commands) expect(c.description).toMatch(/^[^/]+ \/ [^/]+$/); // "es / en"
    }
    expect(manifest.version).toBe(VERSION);
  });

  it("has a 192×192 colour icon and a 32×32 outline icon, white on transparent", () => {
    const color = readPng(readFileSync(new URL(`../../manifests/teams/${manifest.icons.color}`, import.meta.url)));
    const outline = readPng(readFileSync(new URL(`../../manifests/teams/${manifest.icons.outline}`, import.meta.url)));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect([outline.colorType, outline.bitDepth]).toEqual([6, 8]);
    const pixels = outline.pixels as Buffer;
    const alphas = new Set<number>();
    const colours = new Set<string>();
    for (let i = 0; i < pixels.length; i += 4) {
      alphas.add(pixels[i + 3] as number);
      if ((pixels[i + 3] as number) > 0) colours.add(pixels.toString("hex", i, i + 3));
    }
    expect([...colours]).toEqual(["ffffff"]);
    expect(alphas.has(0) && alphas.has(255)).toBe(true);
  });

  it("a manifest with a misspelt field or a bad id is refused by the same check (the check can fail)", () => {
    expect(validate({ ...manifest, validFromDomains: ["bot.example.com"] })).toBe(false);
    expect(validate({ ...manifest, id: "{{MICROSOFT_APP_ID}}" })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], scopes: ["channel"] }] })).toBe(false);
  });
});

describe("the Teams app package", () => {
  const { validate } = teamsValidator();

  it("holds the manifest with the app id filled in and valid, and both icons, at the zip's root", () => {
    const zip = teamsPackage({ appId: APP_ID.toUpperCase(), publicUrl: "https://bot.example.com/", version: VERSION });
    const entries = zipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual(["manifest.json", "color.png", "outline.png"]);
    for (const e of entries) expect(crc32(e.data)).toBe(e.crc);
    const manifest = JSON.parse((entries[0] as { data: Buffer }).data.toString("utf8"));
    expect([manifest.id, manifest.bots[0].botId]).toEqual([APP_ID, APP_ID]);
    expect(validate(manifest)).toBe(true);
    expect(manifest.validDomains).toEqual(["bot.example.com"]);
    expect(manifest.developer.privacyUrl).toBe("https://bot.example.com/privacy");
    expect(entries[1]?.data.equals(readFileSync(new URL("../../manifests/teams/color.png", import.meta.url)))).toBe(true);
    expect(entries[2]?.data.equals(readFileSync(new URL("../../manifests/teams/outline.png", import.meta.url)))).toBe(true);
    // The same inputs make the same bytes (entries are dated 1980-01-01).
    expect(teamsPackage({ appId: APP_ID, publicUrl: "https://bot.example.com", version: VERSION }).equals(zip)).toBe(true);
  });

  it("refuses an app id that is not a GUID, the placeholder, or none", () => {
    for (const appId of ["not-a-guid", `${APP_ID}0`, "{{MICROSOFT_APP_ID}}", PLACEHOLDER_APP_ID, "", undefined]) {
      expect(() => teamsPackage({ appId, publicUrl: null, version: VERSION })).toThrow(TeamsPackageError);
    }
    expect(() => teamsPackage({ appId: APP_ID, publicUrl: "ftp://bot.example.com", version: VERSION })).toThrow(/PUBLIC_URL/);
  });

  it("`npm run package:teams` writes it where --out says, and refuses a non-GUID without writing anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "hsm-teams-package-"));
    const run = (...args: string[]) =>
      spawnSync("npm", ["run", "--silent", "package:teams", "--", ...args], {
        cwd: new URL("../..", import.meta.url),
        encoding: "utf8",
        env: { ...process.env, MICROSOFT_APP_ID: "", PUBLIC_URL: "" },
      });
    const refused = run("--app-id", "hsm-report-bot", "--out", join(dir, "bad.zip"));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/must be the bot's Microsoft App ID, a GUID/);
    expect(existsSync(join(dir, "bad.zip"))).toBe(false);

    const made = run("--app-id", APP_ID, "--out", join(dir, "teams.zip"));
    expect(made.status).toBe(0);
    expect(readFileSync(join(dir, "teams.zip")).equals(teamsPackage({ appId: APP_ID, publicUrl: null, version: VERSION }))).toBe(
      true,
    );
  });
});
