// Believable, deterministic demo data: send records and the Meta events that follow them.
// Same seed, same `now` → same data; the mix of outcomes follows what a WhatsApp marketing and
// utility operation sees (most messages read, a tail of undeliverable numbers and Meta refusals).
import type { OutboundErrorCode } from "../domain/outbound-errors.ts";
import type { WebhookEvent } from "../domain/webhook-events.ts";

export const DEMO_CAMPAIGNS = ["Campaña chattigo", "Cobranza octubre", "Bienvenida clientes", "Recordatorio de citas"] as const;
export const DEMO_AGENTS = ["Diana Huapaya", "Carlos Rojas", "María Fernández", "Jorge Salazar", "Lucía Paredes"] as const;
export const DEMO_CHANNELS = [
  { phoneNumberId: "106540352242922", displayNumber: "15550783881", name: "Ventas Perú" },
  { phoneNumberId: "277321005464405", displayNumber: "15550953877", name: "Atención al cliente" },
] as const;
export const DEMO_TEMPLATES = [
  {
    id: "1795801177",
    name: "chattigo_bienvenida",
    category: "marketing",
    body: (n: string) => `Hola ${n}, te damos la bienvenida a la demo multicanal de chattigo 🙌`,
  },
  {
    id: "1795801204",
    name: "recordatorio_pago",
    category: "utility",
    body: (n: string) => `Hola ${n}, te recordamos que tu cuota vence el viernes. Responde PAGAR para recibir el enlace.`,
  },
  {
    id: "1795801311",
    name: "confirmacion_cita",
    category: "utility",
    body: (n: string) => `${n}, tu cita está confirmada para mañana a las 10:00. ¿Nos confirmas tu asistencia?`,
  },
  {
    id: "1795801420",
    name: "promo_octubre",
    category: "marketing",
    body: (n: string) => `¡${n}, este octubre tienes 20 % de descuento en tu próxima compra! Válido hasta el 31.`,
  },
] as const;

const FIRST_NAMES = ["Ana", "Luis", "Rosa", "Pedro", "Carmen", "José", "Lucía", "Miguel", "Sofía", "Andrés", "Valeria", "Diego"];

const META_FAILURES = [
  { code: 131026, title: "Message undeliverable", weight: 45 },
  { code: 131049, title: "This message was not delivered to maintain healthy ecosystem engagement.", weight: 25 },
  { code: 131050, title: "User has stopped receiving marketing messages from this business", weight: 12 },
  { code: 130472, title: "User's number is part of an experiment", weight: 8 },
  { code: 131000, title: "Something went wrong", weight: 6 },
  { code: 132015, title: "Template is paused", weight: 4 },
] as const;

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoMessage {
  record: Record<string, unknown>;
  events: WebhookEvent[];
}

type Fate =
  | "queued"
  | "outbound"
  | OutboundErrorCode
  | "meta_failed_before_sent"
  | "meta_failed_after_sent"
  | "failed_then_delivered"
  | "sent"
  | "delivered"
  | "read"
  | "read_without_delivered"
  | "replied";

const FATES: [Fate, number][] = [
  ["queued", 0.3],
  ["outbound", 0.9],
  ["invalid_number", 1.5],
  ["internal_error", 0.4],
  ["insufficient_balance", 0.3],
  ["header_too_long", 0.2],
  ["body_too_long", 0.1],
  ["meta_failed_before_sent", 3.5],
  ["meta_failed_after_sent", 2.5],
  ["failed_then_delivered", 0.3],
  ["sent", 7],
  ["delivered", 27],
  ["read", 40],
  ["read_without_delivered", 4],
  ["replied", 9],
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function weighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function peruvianMobile(rand: () => number): string {
  return `519${String(Math.floor(rand() * 1e8)).padStart(8, "0")}`;
}

export function demoMessage(i: number, now: Date, days: number): DemoMessage {
  const rand = seededRandom(0x5eed + i * 7919);
  const platformId = `demo-${String(i + 1).padStart(8, "0")}`;
  const wamid = `wamid.DEMO${Buffer.from(platformId).toString("base64url")}`;
  const queuedAt = new Date(now.getTime() - Math.floor(rand() * days * DAY));
  const age = now.getTime() - queuedAt.getTime();
  const template = pick(rand, DEMO_TEMPLATES);
  const channel = pick(rand, DEMO_CHANNELS);
  const name = pick(rand, FIRST_NAMES);
  let destination = peruvianMobile(rand);
  let body = template.body(name);
  let header: string | null = rand() < 0.3 ? "Chattigo" : null;

  // Recent messages are still on their way; old ones have met their fate.
  let fate: Fate = weighted(rand, FATES);
  if (age < 10 * MINUTE) fate = rand() < 0.5 ? "queued" : "outbound";
  else if (age < 2 * HOUR && rand() < 0.4) fate = rand() < 0.3 ? "queued" : "outbound";

  const record: Record<string, unknown> = {
    id: platformId,
    campaign: pick(rand, DEMO_CAMPAIGNS),
    channel: channel.phoneNumberId,
    agent: pick(rand, DEMO_AGENTS),
    hsm: { id: template.id, name: template.name, language: "es" },
    queuedAt: queuedAt.toISOString(),
  };
  const events: WebhookEvent[] = [];
  const outboundAt = new Date(queuedAt.getTime() + Math.floor(2 * SECOND + rand() * 40 * SECOND));

  switch (fate) {
    case "queued":
      break;
    case "invalid_number":
      destination = rand() < 0.5 ? destination.slice(0, 6) : `0${destination.slice(3)}`;
      break;
    case "header_too_long":
      header = `${"Aviso importante sobre tu cuenta y tus beneficios de este mes ".repeat(2)}`.trim();
      break;
    case "body_too_long":
      body = `${body} ${"Consulta los términos y condiciones en nuestra web. ".repeat(22)}`.trim();
      break;
    case "internal_error":
    case "insufficient_balance":
      record.outboundError = fate;
      record.outboundAt = outboundAt.toISOString();
      break;
    default: {
      record.outboundAt = outboundAt.toISOString();
      record.waMessageId = wamid;
      const status = (s: string, at: number, extra: Partial<Extract<WebhookEvent, { kind: "status" }>> = {}): WebhookEvent => ({
        kind: "status",
        wamid,
        status: s,
        at: new Date(Math.floor(Math.min(at, now.getTime()) / 1000) * 1000),
        errorCode: null,
        errorTitle: null,
        pricingCategory: s === "sent" ? template.category : null,
        phoneNumberId: channel.phoneNumberId,
        ...extra,
      });
      const sentAt = outboundAt.getTime() + Math.floor(1 * SECOND + rand() * 5 * SECOND);
      const deliveredAt = sentAt + Math.floor(rand() < 0.8 ? rand() * 30 * SECOND : rand() * 6 * HOUR);
      const readAt = deliveredAt + Math.floor(rand() < 0.6 ? rand() * 20 * MINUTE : rand() * 2 * DAY);
      const failure = weighted(
        rand,
        META_FAILURES.map((f) => [f, f.weight] as const),
      );
      const failed = (at: number) => status("failed", at, { errorCode: failure.code, errorTitle: failure.title });
      if (fate === "outbound") break;
      if (fate === "meta_failed_before_sent") {
        events.push(failed(sentAt));
        break;
      }
      events.push(status("sent", sentAt));
      if (fate === "meta_failed_after_sent") events.push(failed(deliveredAt));
      if (fate === "failed_then_delivered")
        events.push(failed(deliveredAt - SECOND), status("delivered", deliveredAt + 5 * MINUTE));
      if (fate === "delivered" || fate === "read" || fate === "replied") events.push(status("delivered", deliveredAt));
      if (fate === "read" || fate === "read_without_delivered" || fate === "replied") events.push(status("read", readAt));
      if (fate === "replied") {
        events.push({
          kind: "inbound",
          inboundId: `wamid.DEMOREPLY${platformId}`,
          contextId: wamid,
          at: new Date(Math.floor(Math.min(readAt + rand() * 30 * MINUTE, now.getTime()) / 1000) * 1000),
          type: rand() < 0.6 ? "button" : "text",
          phoneNumberId: channel.phoneNumberId,
        });
      }
      // Meta re-sends now and then.
      if (rand() < 0.03 && events.length > 0) events.push(pick(rand, events));
    }
  }
  record.destination = destination;
  record.body = body;
  if (header) record.header = header;
  return { record, events: events.filter((e) => e.kind === "other" || e.at.getTime() <= now.getTime()) };
}
