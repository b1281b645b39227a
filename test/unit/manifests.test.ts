// The Slack manifest is what an admin pastes into Slack: it must be valid, and it must declare
// what the app really uses (the command, the form's URLs, no scope it does not need).
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLASH_COMMAND } from "../../src/chat/slack/slack-app.ts";

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
