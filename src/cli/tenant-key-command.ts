// `hsm-report tenant key …`: a tenant's API keys for POST /api/v1/messages.
import { Command } from "commander";
import { API_KEY_PREFIX_LENGTH, activeApiKeyPrefixes, revokeApiKeys, rotateApiKey } from "../store/tenants.ts";
import { CliError, out, tenantBySlug, withStore } from "./cli-kit.ts";

const list = (prefixes: string[]) => prefixes.join(", ");

export function tenantKeyCommand(): Command {
  const key = new Command("key").description("Manage a tenant's API keys (for POST /api/v1/messages).");
  key
    .command("rotate")
    .description("Issue a new API key (printed once) and revoke the tenant's previous keys at once.")
    .requiredOption("--tenant <slug>", "tenant")
    .action(async (opts: { tenant: string }) => {
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        const { apiKey, revokedPrefixes } = await rotateApiKey(store, t.id, new Date());
        out(`New API key for ${t.slug} (shown once; keep it secret): ${apiKey}`);
        out(
          revokedPrefixes.length
            ? `Revoked the previous key${revokedPrefixes.length > 1 ? "s" : ""} ${list(revokedPrefixes)}: requests with ${revokedPrefixes.length > 1 ? "them" : "it"} now get 401.`
            : "There was no previous key to revoke.",
        );
      });
    });
  key
    .command("revoke")
    .description("Revoke all of a tenant's API keys, or the one whose first characters are --prefix.")
    .requiredOption("--tenant <slug>", "tenant")
    .option("--prefix <prefix>", `the key's first ${API_KEY_PREFIX_LENGTH} characters, e.g. hsm_Ab3d`)
    .action(async (opts: { tenant: string; prefix?: string }) => {
      const { prefix } = opts;
      if (prefix !== undefined && !new RegExp(`^hsm_[A-Za-z0-9_-]{${API_KEY_PREFIX_LENGTH - 4}}$`).test(prefix))
        // Not echoed: it may be a whole key pasted by mistake, and terminals end up in logs.
        throw new CliError(`--prefix must be the first ${API_KEY_PREFIX_LENGTH} characters of the key only, e.g. hsm_Ab3d.`);
      await withStore(async (store) => {
        const t = await tenantBySlug(store, opts.tenant);
        const revoked = await revokeApiKeys(store, t.id, new Date(), prefix);
        if (revoked.length === 0 && prefix !== undefined) {
          const active = await activeApiKeyPrefixes(store, t.id);
          throw new CliError(
            `No active API key of ${t.slug} starts with ${prefix}. ${active.length ? `Active keys: ${list(active)}.` : `${t.slug} has no active keys.`}`,
          );
        }
        if (revoked.length === 0) {
          out(`${t.slug} has no active API keys: nothing to revoke.`);
          return;
        }
        out(
          `Revoked ${revoked.length} API key${revoked.length > 1 ? "s" : ""} of ${t.slug}: ${list(revoked)}. Requests with ${revoked.length > 1 ? "them" : "it"} now get 401.`,
        );
        if (prefix === undefined) out(`Issue a new key with: hsm-report tenant key rotate --tenant ${t.slug}`);
      });
    });
  return key;
}
