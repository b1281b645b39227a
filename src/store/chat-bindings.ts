// Which tenant a chat workspace belongs to, and (optionally) which of its people may ask for reports.
import type { Store } from "./open-store.ts";
import type { Tenant } from "./tenants.ts";
import { findTenantBySlug } from "./tenants.ts";

export async function bindSlackWorkspace(store: Store, teamId: string, tenantId: number, now: Date): Promise<void> {
  await store.prisma.slackWorkspace.upsert({
    where: { teamId },
    create: { teamId, tenantId, boundAt: now },
    update: { tenantId, boundAt: now },
  });
}

export async function tenantForSlackTeam(store: Store, teamId: string): Promise<Tenant | null> {
  const row = await store.prisma.slackWorkspace.findUnique({ where: { teamId }, include: { tenant: true } });
  return row ? findTenantBySlug(store, row.tenant.slug) : null;
}

export async function allowChatUser(store: Store, tenantId: number, platform: string, userId: string): Promise<void> {
  await store.prisma.chatAllowedUser.upsert({
    where: { tenantId_platform_userId: { tenantId, platform, userId } },
    create: { tenantId, platform, userId },
    update: {},
  });
}

/** Everyone in a bound workspace may ask, unless the tenant keeps a list; then only those listed. */
export async function isChatUserAllowed(store: Store, tenantId: number, platform: string, userId: string): Promise<boolean> {
  const listed = await store.prisma.chatAllowedUser.count({ where: { tenantId, platform } });
  if (listed === 0) return true;
  return (await store.prisma.chatAllowedUser.count({ where: { tenantId, platform, userId } })) > 0;
}
