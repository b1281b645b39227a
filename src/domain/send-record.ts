// A send record from our platform: the public contract of POST /api/v1/messages and `import`.
import type { OutboundErrorCode } from "./outbound-errors.ts";

export interface SendRecord {
  /** Our platform's id for the message ("ID mensaje"). */
  id: string;
  /** Meta's wamid, once the message left. */
  waMessageId: string | null;
  campaign: string;
  /** The WhatsApp channel's phone_number_id. */
  channel: string;
  agent: string;
  hsm: { id: string; name: string; language: string | null };
  destination: string;
  body: string;
  header: string | null;
  queuedAt: Date;
  outboundAt: Date | null;
  outboundError: OutboundErrorCode | null;
}

export interface RecordError {
  /** Position of the record in the batch (or line in the file), from 0. */
  index: number;
  field: string;
  reason: string;
}
