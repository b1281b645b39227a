// The Teams settings: an app type botbuilder would silently misread is refused here, and the
// combinations botbuilder would only fail on at the first message are refused at start-up.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const APP = "5d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("Teams settings", () => {
  it("without an app id nor TEAMS_ALLOW_UNAUTHENTICATED the Teams side is off", () => {
    expect(loadConfig({}).teams).toBeNull();
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: "false" }).teams).toBeNull();
  });

  it("TEAMS_ALLOW_UNAUTHENTICATED=true turns it on without an app id", () => {
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: "true" }).teams).toEqual({
      appId: null,
      appPassword: null,
      appType: "MultiTenant",
      appTenantId: null,
      allowUnauthenticated: true,
    });
  });

  it("an app id with its password is a MultiTenant bot; the type is read in any case", () => {
    expect(loadConfig({ MICROSOFT_APP_ID: APP, MICROSOFT_APP_PASSWORD: "s3cret" }).teams).toEqual({
      appId: APP,
      appPassword: "s3cret",
      appType: "MultiTenant",
      appTenantId: null,
      allowUnauthenticated: false,
    });
    const single = loadConfig({
      MICROSOFT_APP_ID: APP,
      MICROSOFT_APP_PASSWORD: "s3cret",
      MICROSOFT_APP_TYPE: "singletenant",
      MICROSOFT_APP_TENANT_ID: TENANT,
    }).teams;
    expect([single?.appType, single?.appTenantId]).toEqual(["SingleTenant", TENANT]);
    const managed = loadConfig({ MICROSOFT_APP_ID: APP, MICROSOFT_APP_TYPE: "UserAssignedMSI", MICROSOFT_APP_TENANT_ID: TENANT });
    expect(managed.teams?.appType).toBe("UserAssignedMSI");
  });

  it.each([
    [{ MICROSOFT_APP_TYPE: "MultiTennant" }, "MICROSOFT_APP_TYPE: must be MultiTenant, SingleTenant, UserAssignedMSI"],
    [{ MICROSOFT_APP_ID: "my-bot" }, "MICROSOFT_APP_ID: must be a GUID"],
    [{ MICROSOFT_APP_ID: APP }, "MICROSOFT_APP_PASSWORD: is required with MICROSOFT_APP_ID (MICROSOFT_APP_TYPE=MultiTenant)"],
    [
      { MICROSOFT_APP_PASSWORD: "x" },
      "MICROSOFT_APP_ID: is required when MICROSOFT_APP_PASSWORD or MICROSOFT_APP_TENANT_ID is set",
    ],
    [
      { MICROSOFT_APP_ID: APP, MICROSOFT_APP_PASSWORD: "x", MICROSOFT_APP_TYPE: "SingleTenant" },
      "MICROSOFT_APP_TENANT_ID: is required with MICROSOFT_APP_TYPE=SingleTenant",
    ],
    [
      {
        MICROSOFT_APP_ID: APP,
        MICROSOFT_APP_PASSWORD: "x",
        MICROSOFT_APP_TYPE: "UserAssignedMSI",
        MICROSOFT_APP_TENANT_ID: TENANT,
      },
      "MICROSOFT_APP_PASSWORD: must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI",
    ],
    [
      { MICROSOFT_APP_ID: APP, MICROSOFT_APP_PASSWORD: "x", TEAMS_ALLOW_UNAUTHENTICATED: "true" },
      "TEAMS_ALLOW_UNAUTHENTICATED: must not be true with MICROSOFT_APP_ID",
    ],
    [{ TEAMS_ALLOW_UNAUTHENTICATED: "yes" }, "TEAMS_ALLOW_UNAUTHENTICATED: must be true or false"],
  ])("%o stops start-up naming the variable", (env, message) => {
    expect(refusal(env)).toContain(message);
  });

  it("never echoes the app password", () => {
    expect(refusal({ MICROSOFT_APP_PASSWORD: "hunter2-s3cret" })).not.toContain("hunter2");
    expect(refusal({ MICROSOFT_APP_PASSWORD: "hunter2-s3cret", MICROSOFT_APP_TYPE: "typo" })).not.toContain("hunter2");
  });
});
