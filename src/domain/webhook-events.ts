// What one webhook body says, one event at a time, before any of it touches the store.
import { LIFECYCLE_STATUSES, type LifecycleStatus, type MetaEvent } from "./lifecycle.ts";

export type WebhookEvent =
  | {
      kind: "status";
      /** The wamid of our message. */
      wamid: string;
      /** As Meta sent it; statuses outside the lifecycle (e.g. `played`) are logged and ignored. */
      status: string;
      at: Date;
      errorCode: number | null;
      errorTitle: string | null;
      pricingCategory: string | null;
      phoneNumberId: string | null;
    }
  | {
      kind: "inbound";
      /** Meta's id of the inbound message itself. */
      inboundId: string;
      /** `context.id`: the wamid of the message it replies to, when it is a reply. */
      contextId: string | null;
      at: Date;
      type: string;
      phoneNumberId: string | null;
    }
  | { kind: "other"; what: string };

export type EventOutcome = "applied" | "duplicate" | "waiting" | "late" | "ignored" | "rejected";

export function isLifecycleStatus(status: string): status is LifecycleStatus {
  return (LIFECYCLE_STATUSES as readonly string[]).includes(status);
}

/**
 * Meta re-sends events; the same event always has the same key. This key names the event among the
 * events of its message (a message row keeps the keys it has seen, so spotting a re-send costs no
 * extra query); `dedupeKey` adds the wamid to make it unique in the whole log.
 */
export function messageEventKey(event: WebhookEvent): string | null {
  switch (event.kind) {
    case "status":
      return statusKey(event.status, event.at, event.errorCode);
    case "inbound":
      return `in:${event.inboundId}`;
    case "other":
      return null;
  }
}

export function statusKey(status: string, at: Date, errorCode: number | null): string {
  return `${status}@${Math.floor(at.getTime() / 1000)}${errorCode === null ? "" : `#${errorCode}`}`;
}

export function dedupeKey(event: WebhookEvent): string | null {
  const key = messageEventKey(event);
  if (key === null) return null;
  return event.kind === "status" ? `${event.wamid} ${key}` : key;
}

/** The wamid of our message the event is about, if it is about one. */
export function targetWamid(event: WebhookEvent): string | null {
  if (event.kind === "status") return event.wamid;
  if (event.kind === "inbound") return event.contextId;
  return null;
}

/** The lifecycle's view of the event, or why it has none. */
export function toMetaEvent(event: WebhookEvent): { event: MetaEvent } | { ignored: string } {
  if (event.kind === "other") return { ignored: event.what };
  if (event.kind === "inbound") {
    if (!event.contextId) return { ignored: "inbound message without context.id: not a reply to one of our messages" };
    return { event: { kind: "reply", at: event.at } };
  }
  if (!isLifecycleStatus(event.status)) {
    return { ignored: `status "${event.status}" is not part of the HSM lifecycle` };
  }
  if (event.status === "failed") {
    return {
      event: { kind: "status", status: "failed", at: event.at, errorCode: event.errorCode, errorTitle: event.errorTitle },
    };
  }
  return { event: { kind: "status", status: event.status, at: event.at, pricingCategory: event.pricingCategory } };
}
