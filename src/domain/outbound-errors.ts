// Outbound failures: our own platform could not hand the message to Meta. Reported at once,
// never waiting for Meta. Codes are stable (they are part of the send-record contract); the
// Spanish comments are the seed article's, verbatim.

export const OUTBOUND_ERROR_CODES = [
  "internal_error",
  "header_too_long",
  "invalid_number",
  "body_too_long",
  "insufficient_balance",
] as const;
export type OutboundErrorCode = (typeof OUTBOUND_ERROR_CODES)[number];

export const OUTBOUND_ERROR_COMMENTS: Record<OutboundErrorCode, { es: string; en: string }> = {
  internal_error: {
    es: "Error interno. Por favor, vuelve a enviar el mensaje.",
    en: "Internal error. Please send the message again.",
  },
  header_too_long: {
    es: "El encabezado del mensaje es muy largo. No debe superar los 60 caracteres.",
    en: "The message header is too long. It must not exceed 60 characters.",
  },
  invalid_number: {
    es: "Número inválido. Comprueba si lo ingresaste correctamente.",
    en: "Invalid number. Check that it was entered correctly.",
  },
  body_too_long: {
    es: "El cuerpo del mensaje es muy largo. No debe superar los 1024 caracteres.",
    en: "The message body is too long. It must not exceed 1024 characters.",
  },
  insufficient_balance: {
    es: "Saldo insuficiente. Realiza una carga y vuelve a enviar el mensaje.",
    en: "Insufficient balance. Top up and send the message again.",
  },
};

export function isOutboundErrorCode(value: unknown): value is OutboundErrorCode {
  return typeof value === "string" && (OUTBOUND_ERROR_CODES as readonly string[]).includes(value);
}

export function outboundErrorComment(code: OutboundErrorCode, locale: "es" | "en" = "es"): string {
  return OUTBOUND_ERROR_COMMENTS[code][locale];
}
