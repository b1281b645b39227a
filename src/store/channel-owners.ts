// Which companies own which WhatsApp lines. A webhook event names its line (metadata.phone_number_id)
// and may only touch a message of a company that owns that line: a wamid alone is not proof, since
// any tenant can send a record claiming one.
import { all, chunks, type Dialect, placeholders, type SqlOp } from "./sql.ts";

export type LineOwners = Map<string, Set<number>>;

export function* lineOwners(dialect: Dialect, phoneNumberIds: Iterable<string>): Generator<SqlOp, LineOwners, unknown> {
  const owners: LineOwners = new Map();
  for (const part of chunks([...new Set(phoneNumberIds)], 500)) {
    const rows =
      dialect === "postgresql"
        ? yield* all<{ tenant_id: number; phone_number_id: string }>(
            "SELECT tenant_id, phone_number_id FROM channels WHERE phone_number_id = ANY(?::text[])",
            [part],
          )
        : yield* all<{ tenant_id: number; phone_number_id: string }>(
            `SELECT tenant_id, phone_number_id FROM channels WHERE phone_number_id IN (${placeholders(part.length)})`,
            part,
          );
    for (const r of rows) {
      const set = owners.get(r.phone_number_id) ?? new Set<number>();
      set.add(Number(r.tenant_id));
      owners.set(r.phone_number_id, set);
    }
  }
  return owners;
}

/**
 * Why an event from `phoneNumberId` may not touch a message of `tenantId`, or null when it may.
 * Events logged before lines were recorded (null) are matched by wamid alone, as they were then.
 */
export function lineMismatch(owners: LineOwners, tenantId: number, phoneNumberId: string | null, legacy: boolean): string | null {
  if (phoneNumberId === null) return legacy ? null : "no metadata.phone_number_id: the event names no WhatsApp line";
  if (owners.get(phoneNumberId)?.has(tenantId)) return null;
  return `metadata.phone_number_id ${phoneNumberId} is not a channel of the company this message belongs to`;
}
