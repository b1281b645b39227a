// `hsm-report slack …`: which Slack workspaces see which tenant, and who in them may ask.
import { Command } from "commander";
import { allowChatUser, bindSlackWorkspace, disallowChatUser, unbindSlackWorkspace } from "../store/chat-bindings.ts";
import { CliError, out, tenantBySlug, warn, withStore } from "./cli-kit.ts";

function checkTeamId(team: string): void {
  if (!/^[TE][A-Z0-9]{2,}$/.test(team)) throw new CliError(`"${team}" is not a Slack team id (they look like T0123ABCD).`);
}

function checkUserId(user: string): void {
  if (!/^[UW][A-Z0-9]{2,}$/.test(user)) throw new CliError(`"${user}" is not a Slack user id (they look like U0123ABCD).`);
}

export function slackCommand(): Command {
  const slack = new Command("slack").description("Connect Slack workspaces to tenants.");
  slack
    .command("bind")
    .description("Let a Slack workspace (team id T…) ask for one tenant's reports; rebinding moves it.")
    .requiredOption("--team <id>", "Slack team id, e.g. T0123ABCD (Slack: workspace settings, or the URL of the web client)")
    .requiredOption("--tenant <slug>", "tenant whose data the workspace sees")
    .action(async (opts: { team: string; tenant: string }) => {
      checkTeamId(opts.team);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        await bindSlackWorkspace(store, opts.team, t.id, new Date());
        out(`Slack workspace ${opts.team} now sees tenant ${t.slug} (${t.name}).`);
      });
    });
  slack
    .command("unbind")
    .description("Stop a Slack workspace from asking for reports (the opposite of bind).")
    .requiredOption("--team <id>", "Slack team id, e.g. T0123ABCD")
    .action(async (opts: { team: string }) => {
      checkTeamId(opts.team);
      await withStore(async (store) => {
        const t = await unbindSlackWorkspace(store, opts.team);
        if (!t) throw new CliError(`Slack workspace ${opts.team} is not bound to any tenant: nothing to unbind.`);
        out(`Slack workspace ${opts.team} no longer sees tenant ${t.slug} (${t.name}).`);
      });
    });
  slack
    .command("allow")
    .description("Only listed Slack users may ask for a tenant's reports once any is listed; adds one.")
    .requiredOption("--tenant <slug>", "tenant")
    .requiredOption("--user <id>", "Slack user id, e.g. U0123ABCD")
    .action(async (opts: { tenant: string; user: string }) => {
      checkUserId(opts.user);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        await allowChatUser(store, t.id, "slack", opts.user);
        out(`Slack user ${opts.user} may ask for ${t.slug}'s reports.`);
      });
    });
  slack
    .command("disallow")
    .description("Take a Slack user off a tenant's allow-list (the opposite of allow). An empty list lets everyone ask.")
    .requiredOption("--tenant <slug>", "tenant")
    .requiredOption("--user <id>", "Slack user id, e.g. U0123ABCD")
    .action(async (opts: { tenant: string; user: string }) => {
      checkUserId(opts.user);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        const { removed, remaining } = await disallowChatUser(store, t.id, "slack", opts.user);
        if (!removed) throw new CliError(`Slack user ${opts.user} is not on ${t.slug}'s allow-list: nothing to remove.`);
        out(`Slack user ${opts.user} is off ${t.slug}'s allow-list (${remaining} left).`);
        // Once nobody is listed, the list no longer restricts anyone (isChatUserAllowed): say so.
        if (remaining === 0) warn("Warning: the allow-list is now empty: every member of the bound workspaces may ask.");
      });
    });
  return slack;
}
