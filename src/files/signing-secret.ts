// The key download links are signed with: FILES_SIGNING_SECRET when set, otherwise 32 random bytes
// made at the first start and kept in the database's settings table.
//
// Why the database and not a file under the data directory: every instance serving one
// installation shares its database (several on one PostgreSQL server, possibly on other machines),
// and each must accept the links the others made; a file would be per machine. The insert is
// "first writer wins" (src/store/settings.ts), so instances starting together still agree. Anyone
// who can read the database can read the reports' data anyway; the secret adds no exposure there.
import { randomBytes } from "node:crypto";
import type { SqlStore } from "../store/open-sql.ts";
import { settingOrCreate } from "../store/settings.ts";

export const SIGNING_SECRET_SETTING = "files_signing_secret";

/** The signing key; never logged. */
export async function filesSigningSecret(store: SqlStore, configured: string | null, now: Date): Promise<Buffer> {
  if (configured !== null) return Buffer.from(configured, "utf8");
  const stored = await settingOrCreate(store, SIGNING_SECRET_SETTING, () => randomBytes(32).toString("base64url"), now);
  return Buffer.from(stored, "base64url");
}
