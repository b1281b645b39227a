// The HSM lifecycle (SPEC "The message lifecycle", rules 1–7) as pure functions.
//
// A message's row is a function of the SET of events known for it (rule 1). The set is summarised
// as Evidence: for each kind of event, the earliest time seen. Joining evidence takes minimums, so it
// is commutative, associative and idempotent: any order, any duplicates, give the same evidence,
// and the same row.

import { commentFor } from "./labels.ts";
import type { MetaFailure } from "./meta-errors.ts";
import type { OutboundErrorCode } from "./outbound-errors.ts";

export const STAGES = ["outbound", "sent", "delivered", "read"] as const;
export type Stage = (typeof STAGES)[number];
export type StageValue = "pending" | "success" | "failed" | "na";

export const STATES = ["queued", "outbound", "sent", "delivered", "read", "outbound_failed", "meta_failed"] as const;
export type MessageState = (typeof STATES)[number];

export function isMessageState(value: string): value is MessageState {
  return (STATES as readonly string[]).includes(value);
}

/** What our own platform knows of the message (its send record). */
export interface SendFacts {
  queuedAt: Date;
  outboundAt?: Date | null;
  outboundError?: OutboundErrorCode | null;
  /** Meta's id; present once Meta accepted the message. */
  wamid?: string | null;
}

/** Statuses that move the lifecycle. Meta also sends others (e.g. `played`); those are not events here. */
export const LIFECYCLE_STATUSES = ["sent", "delivered", "read", "failed"] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

export type MetaEvent =
  | { kind: "status"; status: "sent" | "delivered" | "read"; at: Date; pricingCategory?: string | null }
  | { kind: "status"; status: "failed"; at: Date; errorCode: number | null; errorTitle: string | null }
  | { kind: "reply"; at: Date };

export interface Evidence {
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  repliedAt: Date | null;
  failure: MetaFailure | null;
  /** Meta's pricing category (marketing, utility, …); should two events disagree, the first in alphabetical order. */
  pricing: string | null;
}

export interface Lifecycle {
  state: MessageState;
  stages: Record<Stage, StageValue>;
  comment: string;
}

export const NO_EVIDENCE: Evidence = Object.freeze({
  sentAt: null,
  deliveredAt: null,
  readAt: null,
  repliedAt: null,
  failure: null,
  pricing: null,
});

const DAY_MS = 86_400_000;

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.getTime() < a.getTime() ? b : a;
}

/** Total order on failures so that the kept one never depends on arrival order. */
function firstFailure(a: MetaFailure | null, b: MetaFailure | null): MetaFailure | null {
  if (a === null) return b;
  if (b === null) return a;
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime < 0 ? a : b;
  const byCode = (a.code ?? Number.MAX_SAFE_INTEGER) - (b.code ?? Number.MAX_SAFE_INTEGER);
  if (byCode !== 0) return byCode < 0 ? a : b;
  // A title beats no title, even an empty one: null and "" must not tie, or order would decide.
  if (a.title === null || b.title === null) return a.title === null ? b : a;
  return a.title <= b.title ? a : b;
}

function firstPricing(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/** The join of two evidence summaries. */
export function joinEvidence(a: Evidence, b: Evidence): Evidence {
  return {
    sentAt: earliest(a.sentAt, b.sentAt),
    deliveredAt: earliest(a.deliveredAt, b.deliveredAt),
    readAt: earliest(a.readAt, b.readAt),
    repliedAt: earliest(a.repliedAt, b.repliedAt),
    failure: firstFailure(a.failure, b.failure),
    pricing: firstPricing(a.pricing, b.pricing),
  };
}

export function evidenceOfEvent(event: MetaEvent): Evidence {
  if (event.kind === "reply") return { ...NO_EVIDENCE, repliedAt: event.at };
  switch (event.status) {
    case "failed":
      return {
        ...NO_EVIDENCE,
        failure: { at: event.at, code: event.errorCode, title: event.errorTitle },
      };
    case "sent":
    case "delivered":
    case "read": {
      return { ...NO_EVIDENCE, [`${event.status}At`]: event.at, pricing: event.pricingCategory || null };
    }
  }
}

/**
 * Rule 6: events more than `windowDays` after the message left (or was queued, when we never
 * learned when it left) are not applied; the event log keeps them, marked late.
 */
export function isLate(event: MetaEvent, send: SendFacts, windowDays: number): boolean {
  const leftAt = send.outboundAt ?? send.queuedAt;
  return event.at.getTime() - leftAt.getTime() > windowDays * DAY_MS;
}

export function evidenceOf(send: SendFacts, events: readonly MetaEvent[], windowDays: number): Evidence {
  let evidence = NO_EVIDENCE;
  for (const event of events) {
    if (!isLate(event, send, windowDays)) evidence = joinEvidence(evidence, evidenceOfEvent(event));
  }
  return evidence;
}

const STAGE_INDEX: Record<Stage, number> = { outbound: 1, sent: 2, delivered: 3, read: 4 };

/**
 * The last stage with success evidence, as an index (0 = none). Rule 2: evidence for a stage is
 * evidence for every earlier one; rule 4: a reply means delivered and read; any word from Meta
 * about the message (even a failure) means it left our platform.
 */
function lastSuccessfulStage(send: SendFacts, e: Evidence): number {
  if (e.readAt || e.repliedAt) return STAGE_INDEX.read;
  if (e.deliveredAt) return STAGE_INDEX.delivered;
  if (e.sentAt) return STAGE_INDEX.sent;
  const left = Boolean(send.wamid) || (send.outboundAt != null && !send.outboundError) || e.failure !== null;
  return left ? STAGE_INDEX.outbound : 0;
}

const SUCCESS_STATE: Record<number, MessageState> = {
  0: "queued",
  1: "outbound",
  2: "sent",
  3: "delivered",
  4: "read",
};

function stagesFor(lastSuccess: number, failedAt: number | null): Record<Stage, StageValue> {
  const value = (index: number): StageValue => {
    if (index <= lastSuccess) return "success";
    if (failedAt === null) return "pending";
    if (index === failedAt) return "failed";
    return index > failedAt ? "na" : "pending";
  };
  return { outbound: value(1), sent: value(2), delivered: value(3), read: value(4) };
}

/**
 * Rule 3: a failure stands at the first stage after the last one with success evidence, and is
 * beaten by success evidence at its stage or by the message being known delivered.
 */
export function deriveLifecycle(send: SendFacts, evidence: Evidence): Lifecycle {
  const lastSuccess = lastSuccessfulStage(send, evidence);
  if (evidence.failure && lastSuccess < STAGE_INDEX.delivered) {
    const failedAt = lastSuccess >= STAGE_INDEX.sent ? STAGE_INDEX.delivered : STAGE_INDEX.sent;
    return {
      state: "meta_failed",
      stages: stagesFor(lastSuccess, failedAt),
      comment: commentFor("es", "meta_failed", null, evidence.failure.code, evidence.failure.title),
    };
  }
  if (send.outboundError && lastSuccess === 0) {
    return {
      state: "outbound_failed",
      stages: stagesFor(0, STAGE_INDEX.outbound),
      comment: commentFor("es", "outbound_failed", send.outboundError, null, null),
    };
  }
  const state = SUCCESS_STATE[lastSuccess] as MessageState;
  return { state, stages: stagesFor(lastSuccess, null), comment: commentFor("es", state, null, null, null) };
}

/** The whole rule set in one call: a message's row from its send facts and any set of events. */
export function lifecycleOf(send: SendFacts, events: readonly MetaEvent[], windowDays: number): Lifecycle {
  return deriveLifecycle(send, evidenceOf(send, events, windowDays));
}
