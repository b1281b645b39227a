// The report's 19 columns (SPEC "The report"), with Spanish and English headers.
import type { Locale } from "./tenant.ts";

export type ColumnKind = "text" | "date";

export interface ReportColumn {
  key: string;
  es: string;
  en: string;
  kind: ColumnKind;
  /** Width in characters in the XLSX sheet. */
  width: number;
}

export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { key: "agent", es: "Nombre del agente", en: "Agent name", kind: "text", width: 22 },
  { key: "campaign", es: "Nombre de campaña", en: "Campaign name", kind: "text", width: 24 },
  { key: "hsmId", es: "ID del HSM", en: "HSM ID", kind: "text", width: 14 },
  { key: "hsmName", es: "Nombre del HSM", en: "HSM name", kind: "text", width: 24 },
  { key: "messageId", es: "ID mensaje", en: "Message ID", kind: "text", width: 16 },
  { key: "body", es: "Contenido del mensaje", en: "Message content", kind: "text", width: 60 },
  { key: "destination", es: "Destino", en: "Destination", kind: "text", width: 16 },
  { key: "state", es: "Estados del mensaje", en: "Message state", kind: "text", width: 24 },
  { key: "comment", es: "Comentario", en: "Comment", kind: "text", width: 60 },
  { key: "outboundStage", es: "Salida", en: "Outbound", kind: "text", width: 11 },
  { key: "sentStage", es: "Envío", en: "Sent", kind: "text", width: 11 },
  { key: "deliveredStage", es: "Entrega", en: "Delivered", kind: "text", width: 11 },
  { key: "readStage", es: "Lectura", en: "Read", kind: "text", width: 11 },
  { key: "outboundAt", es: "Fecha de salida", en: "Outbound date", kind: "date", width: 20 },
  { key: "sentAt", es: "Fecha de envío", en: "Sent date", kind: "date", width: 20 },
  { key: "deliveredAt", es: "Fecha de entrega", en: "Delivered date", kind: "date", width: 20 },
  { key: "readAt", es: "Fecha de lectura", en: "Read date", kind: "date", width: 20 },
  { key: "replied", es: "Respondido", en: "Replied", kind: "text", width: 12 },
  { key: "repliedAt", es: "Fecha de respuesta", en: "Reply date", kind: "date", width: 20 },
];

export function columnHeaders(locale: Locale): string[] {
  return REPORT_COLUMNS.map((c) => c[locale]);
}
