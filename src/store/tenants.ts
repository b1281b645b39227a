import { createHash, randomBytes } from "node:crypto";
import { isLocale, type Locale } from "../domain/tenant.ts";
import type { Store } from "./open-store.ts";

export interface Tenant {
  id: number;
  slug: string;
  name: string;
  timeZone: string;
  locale: Locale;
}

const API_KEY_PREFIX = "hsm_";
/** The part of a key that is kept in clear, to tell keys apart (`tenant key revoke --prefix`). */
export const API_KEY_PREFIX_LENGTH = 8;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString("base64url");
}

export function toTenant(row: { id: number; slug: string; name: string; timeZone: string; locale: string }): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, timeZone: row.timeZone, locale: isLocale(row.locale) ? row.locale : "es" };
}

export async function findTenantBySlug(store: Store, slug: string): Promise<Tenant | null> {
  const row = await store.prisma.tenant.findUnique({ where: { slug } });
  return row ? toTenant(row) : null;
}

export async function findTenantByApiKey(store: Store, key: string): Promise<Tenant | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const row = await store.prisma.apiKey.findUnique({ where: { hash: hashApiKey(key) }, include: { tenant: true } });
  return row && row.revokedAt === null ? toTenant(row.tenant) : null;
}

export async function listTenants(store: Store): Promise<Tenant[]> {
  return (await store.prisma.tenant.findMany({ orderBy: { slug: "asc" } })).map(toTenant);
}

/** Creates the tenant and its first API key; the key is returned once and only its hash is kept. */
export async function createTenant(
  store: Store,
  input: { slug: string; name: string; timeZone: string; locale: Locale },
): Promise<{ tenant: Tenant; apiKey: string }> {
  const row = await store.prisma.tenant.create({ data: input });
  const apiKey = await addApiKey(store, row.id);
  return { tenant: toTenant(row), apiKey };
}

export async function addApiKey(store: Store, tenantId: number): Promise<string> {
  const apiKey = newApiKey();
  await store.prisma.apiKey.create({
    data: { tenantId, prefix: apiKey.slice(0, API_KEY_PREFIX_LENGTH), hash: hashApiKey(apiKey) },
  });
  return apiKey;
}

/**
 * A new key for the tenant, and every other key of the tenant revoked at once (no grace period:
 * a rotation usually follows a leak). One transaction, so a failure leaves the old keys working.
 */
export async function rotateApiKey(
  store: Store,
  tenantId: number,
  now: Date,
): Promise<{ apiKey: string; revokedPrefixes: string[] }> {
  const apiKey = newApiKey();
  const active = await store.prisma.apiKey.findMany({ where: { tenantId, revokedAt: null }, orderBy: { id: "asc" } });
  await store.prisma.$transaction([
    store.prisma.apiKey.updateMany({ where: { tenantId, revokedAt: null }, data: { revokedAt: now } }),
    store.prisma.apiKey.create({
      data: { tenantId, prefix: apiKey.slice(0, API_KEY_PREFIX_LENGTH), hash: hashApiKey(apiKey), createdAt: now },
    }),
  ]);
  return { apiKey, revokedPrefixes: active.map((k) => k.prefix) };
}

/** Revokes the tenant's active keys (only those with this prefix, if given); returns their prefixes. */
export async function revokeApiKeys(store: Store, tenantId: number, now: Date, prefix?: string): Promise<string[]> {
  const where = { tenantId, revokedAt: null, ...(prefix === undefined ? {} : { prefix }) };
  const keys = await store.prisma.apiKey.findMany({ where, orderBy: { id: "asc" } });
  await store.prisma.apiKey.updateMany({ where: { id: { in: keys.map((k) => k.id) } }, data: { revokedAt: now } });
  return keys.map((k) => k.prefix);
}

/** Prefixes of the tenant's keys that still work, oldest first. */
export async function activeApiKeyPrefixes(store: Store, tenantId: number): Promise<string[]> {
  const keys = await store.prisma.apiKey.findMany({ where: { tenantId, revokedAt: null }, orderBy: { id: "asc" } });
  return keys.map((k) => k.prefix);
}
