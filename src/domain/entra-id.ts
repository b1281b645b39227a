// Microsoft Entra ids (a Microsoft 365 tenant, a user's object id, an app): GUIDs.

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: unknown): text is string {
  return typeof text === "string" && GUID_PATTERN.test(text);
}

/** Entra ids are compared case-insensitively; they are stored in lower case. */
export const normalizeGuid = (guid: string) => guid.toLowerCase();
