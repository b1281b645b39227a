// Labels and sentences of the product, in Spanish (SPEC's, verbatim) and English. Spanish stage
// labels agree in gender with their stage: la Salida/Entrega/Lectura es Exitosa/Fallida, el Envío
// Exitoso/Fallido.
import type { MessageState, Stage, StageValue } from "./lifecycle.ts";
import { metaErrorTitle } from "./meta-errors.ts";
import { type OutboundErrorCode, outboundErrorComment } from "./outbound-errors.ts";
import type { Locale } from "./tenant.ts";

export const STATE_LABELS: Record<Locale, Record<MessageState, string>> = {
  es: {
    queued: "En bandeja de salida",
    outbound: "Salió",
    sent: "Enviado",
    delivered: "Entregado",
    read: "Leído",
    outbound_failed: "Salida fallida",
    meta_failed: "Envío o entrega fallida",
  },
  en: {
    queued: "In outbox",
    outbound: "Left the platform",
    sent: "Sent",
    delivered: "Delivered",
    read: "Read",
    outbound_failed: "Outbound failed",
    meta_failed: "Sending or delivery failed",
  },
};

const FEMININE: Record<StageValue, string> = { success: "Exitosa", failed: "Fallida", pending: "Pendiente", na: "N/A" };
const MASCULINE: Record<StageValue, string> = { success: "Exitoso", failed: "Fallido", pending: "Pendiente", na: "N/A" };
const ENGLISH: Record<StageValue, string> = { success: "Success", failed: "Failed", pending: "Pending", na: "N/A" };

export const STAGE_LABELS: Record<Locale, Record<Stage, Record<StageValue, string>>> = {
  es: { outbound: FEMININE, sent: MASCULINE, delivered: FEMININE, read: FEMININE },
  en: { outbound: ENGLISH, sent: ENGLISH, delivered: ENGLISH, read: ENGLISH },
};

export const PROGRESS_COMMENTS: Record<Locale, Partial<Record<MessageState, string>>> = {
  es: {
    queued: "El mensaje será enviado pronto.",
    outbound: "Enviamos el mensaje. A la espera de confirmación por parte de Meta.",
    sent: "Mensaje enviado a su destino. A la espera de confirmación de entrega.",
    delivered: "Mensaje entregado. A la espera de confirmación de lectura.",
    read: "Mensaje leído.",
  },
  en: {
    queued: "The message will be sent soon.",
    outbound: "We sent the message. Waiting for Meta's confirmation.",
    sent: "Message sent to its destination. Waiting for delivery confirmation.",
    delivered: "Message delivered. Waiting for read confirmation.",
    read: "Message read.",
  },
};

export const META_FAILURE_WITHOUT_CAUSE: Record<Locale, string> = {
  es: "Meta no informó la causa del fallo.",
  en: "Meta did not report the cause of the failure.",
};

export const REPLIED_LABELS: Record<Locale, { yes: string; no: string }> = {
  es: { yes: "Sí", no: "No" },
  en: { yes: "Yes", no: "No" },
};

/** The comment column: the state's sentence, our outbound cause, or Meta's "CODE - title". */
export function commentFor(
  locale: Locale,
  state: MessageState,
  outboundError: OutboundErrorCode | null,
  metaCode: number | null,
  metaTitle: string | null,
): string {
  if (state === "outbound_failed" && outboundError) return outboundErrorComment(outboundError, locale);
  if (state === "meta_failed") {
    const title = metaErrorTitle(metaCode, metaTitle);
    if (metaCode === null) return title ?? META_FAILURE_WITHOUT_CAUSE[locale];
    return title ? `${metaCode} - ${title}` : String(metaCode);
  }
  return PROGRESS_COMMENTS[locale][state] ?? "";
}
