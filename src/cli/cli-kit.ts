// What every store-using command shares: the error a user can act on, output, and the store.
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { findTenantBySlug, listTenants, type Tenant } from "../store/tenants.ts";

/** A failure the user can act on: printed as is, no stack trace. */
export class CliError extends Error {}

export const out = (line: string) => process.stdout.write(`${line}\n`);

/** A warning beside the result: on stderr, so scripts reading stdout do not get it. */
export const warn = (line: string) => process.stderr.write(`${line}\n`);

export function config() {
  return loadConfig();
}

export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const c = config();
  const store = await openStore(c.databaseUrl, {
    log: createLogger({ level: "warn", destination: process.stderr }),
    busyTimeoutMs: c.databaseBusyTimeoutMs,
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function tenantBySlug(store: Store, slug: string): Promise<Tenant> {
  const tenant = await findTenantBySlug(store, slug);
  if (!tenant) {
    const known = (await listTenants(store)).map((t) => t.slug);
    throw new CliError(
      `No tenant "${slug}". ${known.length ? `Known tenants: ${known.join(", ")}.` : "There are no tenants yet: create one with `hsm-report tenant add`."}`,
    );
  }
  return tenant;
}
