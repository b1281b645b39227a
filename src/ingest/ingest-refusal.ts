// Why the ingest turned a request away, as the 503 it becomes: Meta (and our platform) retry, so
// the answer only has to be quick and say when to come back.
import { isStoreUnavailable } from "../store/errors.ts";
import { QueueFullError } from "./batcher.ts";
import { StoreDownError } from "./store-gate.ts";

export interface IngestRefusal {
  code: "ingest_overloaded" | "store_unavailable";
  message: string;
  retryAfterSeconds: number;
}

export function ingestRefusal(error: unknown): IngestRefusal | null {
  if (error instanceof QueueFullError) {
    return {
      code: "ingest_overloaded",
      message: "Too many webhooks are waiting to be stored; nothing of this one was stored. Retry later.",
      retryAfterSeconds: 1,
    };
  }
  if (error instanceof StoreDownError || isStoreUnavailable(error)) {
    return {
      code: "store_unavailable",
      message: "The database is unavailable; the webhook was not stored. Meta will retry.",
      retryAfterSeconds: 5,
    };
  }
  return null;
}
