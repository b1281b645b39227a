// A valid send record (the public contract of POST /api/v1/messages), with fields to override.
export function sendRecord(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    campaign: "Campaña chattigo",
    channel: "106540352242922",
    agent: "Diana Huapaya",
    hsm: { id: "1795801177", name: "chattigo_bienvenida" },
    destination: "51977452931",
    body: "Te damos la bienvenida a la demo multicanal de chattigo 🙌",
    queuedAt: "2026-10-01T09:00:00-05:00",
    ...extra,
  };
}
