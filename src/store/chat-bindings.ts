// Which tenant a chat workspace belongs to, and (optionally) which of its people may ask for reports.
import type { Store } from "./open-store.ts";
import type { Tenant } from "./tenants.ts";
import { findTenantBySlug, toTenant } from "./tenants.ts";

export type ChatPlatform = "slack" | "teams";

/** Binds a chat workspace (a Slack team, a Microsoft 365 tenant) to a tenant; binding again moves it. */
export async function bindWorkspace(
  store: Store,
  platform: ChatPlatform,
  externalId: string,
  tenantId: number,
  now: Date,
): Promise<void> {
  await store.prisma.chatWorkspace.upsert({
    where: { platform_externalId: { platform, externalId } },
    create: { platform, externalId, tenantId, boundAt: now },
    update: { tenantId, boundAt: now },
  });
}

/** Unbinds a workspace; returns the tenant it was bound to, or null if it was not bound. */
export async function unbindWorkspace(store: Store, platform: ChatPlatform, externalId: string): Promise<Tenant | null> {
  const row = await store.prisma.chatWorkspace.findUnique({
    where: { platform_externalId: { platform, externalId } },
    include: { tenant: true },
  });
  if (!row) return null;
  await store.prisma.chatWorkspace.deleteMany({ where: { platform, externalId } });
  return toTenant(row.tenant);
}

export async function tenantForWorkspace(store: Store, platform: ChatPlatform, externalId: string): Promise<Tenant | null> {
  const row = await store.prisma.chatWorkspace.findUnique({
    where: { platform_externalId: { platform, externalId } },
    include: { tenant: true },
  });
  return row ? findTenantBySlug(store, row.tenant.slug) : null;
}

export const bindSlackWorkspace = (store: Store, teamId: string, tenantId: number, now: Date) =>
  bindWorkspace(store, "slack", teamId, tenantId, now);
export const unbindSlackWorkspace = (store: Store, teamId: string) => unbindWorkspace(store, "slack", teamId);
export const tenantForSlackTeam = (store: Store, teamId: string) => tenantForWorkspace(store, "slack", teamId);

export async function allowChatUser(store: Store, tenantId: number, platform: string, userId: string): Promise<void> {
  await store.prisma.chatAllowedUser.upsert({
    where: { tenantId_platform_userId: { tenantId, platform, userId } },
    create: { tenantId, platform, userId },
    update: {},
  });
}

/** Takes a user off the tenant's list; `remaining` is how many stay listed (none: everyone may ask). */
export async function disallowChatUser(
  store: Store,
  tenantId: number,
  platform: string,
  userId: string,
): Promise<{ removed: boolean; remaining: number }> {
  const { count } = await store.prisma.chatAllowedUser.deleteMany({ where: { tenantId, platform, userId } });
  const remaining = await store.prisma.chatAllowedUser.count({ where: { tenantId, platform } });
  return { removed: count > 0, remaining };
}

/** Everyone in a bound workspace may ask, unless the tenant keeps a list; then only those listed. */
export async function isChatUserAllowed(store: Store, tenantId: number, platform: string, userId: string): Promise<boolean> {
  const listed = await store.prisma.chatAllowedUser.count({ where: { tenantId, platform } });
  if (listed === 0) return true;
  return (await store.prisma.chatAllowedUser.count({ where: { tenantId, platform, userId } })) > 0;
}
