// `hsm-report teams …`: which Microsoft 365 organizations see which tenant, and who in them may ask.
import { Command } from "commander";
import { isGuid, normalizeGuid } from "../domain/entra-id.ts";
import { allowChatUser, bindWorkspace, disallowChatUser, unbindWorkspace } from "../store/chat-bindings.ts";
import { CliError, out, tenantBySlug, warn, withStore } from "./cli-kit.ts";

function checkAadTenant(id: string): string {
  if (!isGuid(id))
    throw new CliError(
      `"${id}" is not a Microsoft 365 tenant id: it is a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47 ` +
        "(Microsoft Entra admin center → Overview → Tenant ID, or the message an unbound organization gets).",
    );
  return normalizeGuid(id);
}

function checkUser(id: string): string {
  if (!isGuid(id))
    throw new CliError(
      `"${id}" is not a Microsoft Entra object id: it is a GUID such as 7faf8ab2-3d56-4244-b585-20c8a42ed2b8 ` +
        "(Microsoft Entra admin center → Users → the person → Object ID).",
    );
  return normalizeGuid(id);
}

export function teamsCommand(): Command {
  const teams = new Command("teams").description("Connect Microsoft 365 organizations (Teams) to tenants.");
  teams
    .command("bind")
    .description("Let a Microsoft 365 organization ask the Teams bot for one tenant's reports; rebinding moves it.")
    .requiredOption("--aad-tenant <guid>", "Microsoft 365 (Entra) tenant id, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47")
    .requiredOption("--tenant <slug>", "tenant whose data the organization sees")
    .action(async (opts: { aadTenant: string; tenant: string }) => {
      const aad = checkAadTenant(opts.aadTenant);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        await bindWorkspace(store, "teams", aad, t.id, new Date());
        out(`Microsoft 365 organization ${aad} now sees tenant ${t.slug} (${t.name}).`);
      });
    });
  teams
    .command("unbind")
    .description("Stop a Microsoft 365 organization from asking for reports (the opposite of bind).")
    .requiredOption("--aad-tenant <guid>", "Microsoft 365 (Entra) tenant id")
    .action(async (opts: { aadTenant: string }) => {
      const aad = checkAadTenant(opts.aadTenant);
      await withStore(async (store) => {
        const t = await unbindWorkspace(store, "teams", aad);
        if (!t) throw new CliError(`Microsoft 365 organization ${aad} is not bound to any tenant: nothing to unbind.`);
        out(`Microsoft 365 organization ${aad} no longer sees tenant ${t.slug} (${t.name}).`);
      });
    });
  teams
    .command("allow")
    .description("Only listed Teams users may ask for a tenant's reports once any is listed; adds one.")
    .requiredOption("--tenant <slug>", "tenant")
    .requiredOption("--user <guid>", "the person's Microsoft Entra object id, e.g. 7faf8ab2-3d56-4244-b585-20c8a42ed2b8")
    .action(async (opts: { tenant: string; user: string }) => {
      const user = checkUser(opts.user);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        await allowChatUser(store, t.id, "teams", user);
        out(`Teams user ${user} may ask for ${t.slug}'s reports.`);
      });
    });
  teams
    .command("disallow")
    .description("Take a Teams user off a tenant's allow-list (the opposite of allow). An empty list lets everyone ask.")
    .requiredOption("--tenant <slug>", "tenant")
    .requiredOption("--user <guid>", "the person's Microsoft Entra object id")
    .action(async (opts: { tenant: string; user: string }) => {
      const user = checkUser(opts.user);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        const { removed, remaining } = await disallowChatUser(store, t.id, "teams", user);
        if (!removed) throw new CliError(`Teams user ${user} is not on ${t.slug}'s allow-list: nothing to remove.`);
        out(`Teams user ${user} is off ${t.slug}'s allow-list (${remaining} left).`);
        if (remaining === 0) warn("Warning: the allow-list is now empty: everyone in the bound organizations may ask.");
      });
    });
  return teams;
}
