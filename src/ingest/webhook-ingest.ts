// Webhook bodies → the store, through one batcher so that many concurrent POSTs share transactions.
import type { Logger } from "../log.ts";
import type { ReceivedBody } from "../store/apply-webhook.ts";
import { applyWebhookBodies, type BodyResult, emptyCounts, type OutcomeCounts } from "../store/apply-webhook.ts";
import { recordRejectedBody } from "../store/event-log.ts";
import type { Store } from "../store/open-store.ts";
import { Batcher } from "./batcher.ts";
import { parseWebhook } from "./parse-webhook.ts";

export interface WebhookIngestOptions {
  windowDays: number;
  batchMaxEvents: number;
  batchMaxWaitMs: number;
  now?: () => Date;
  log: Logger;
}

export type WebhookReceipt = { ok: true; events: number; outcomes: OutcomeCounts } | { ok: false; reason: string };

export class WebhookIngest {
  readonly #store: Store;
  readonly #options: WebhookIngestOptions;
  readonly #now: () => Date;
  readonly #batcher: Batcher<ReceivedBody, BodyResult>;

  constructor(store: Store, options: WebhookIngestOptions) {
    this.#store = store;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#batcher = new Batcher((bodies) => this.#apply(bodies), {
      maxWeight: options.batchMaxEvents,
      maxWaitMs: options.batchMaxWaitMs,
      concurrency: store.dialect === "sqlite" ? 1 : 2,
      weigh: (body) => Math.max(1, body.events.length),
    });
  }

  #apply(bodies: ReceivedBody[]): Promise<BodyResult[]> {
    return this.#store.sql.transaction(applyWebhookBodies(bodies, { windowDays: this.#options.windowDays, now: this.#now() }));
  }

  /** Stores a body whose signature was already checked; resolves once it is durable. */
  async receive(raw: string): Promise<WebhookReceipt> {
    const receivedAt = this.#now();
    const parsed = parseWebhook(raw);
    if (!parsed.ok) {
      // Kept for the record (no event is dropped silently), but nothing in it is applied.
      await this.#store.sql
        .transaction(recordRejectedBody(raw, receivedAt, parsed.reason))
        .catch((error) => this.#options.log.warn({ err: error }, "could not keep a rejected webhook body"));
      return { ok: false, reason: parsed.reason };
    }
    const result = await this.#batcher.submit({ raw, receivedAt, events: parsed.events });
    const outcomes = result?.outcomes ?? emptyCounts();
    if (outcomes.ignored > 0)
      this.#options.log.info(
        { bodyId: result.bodyId, ignored: outcomes.ignored },
        "webhook events outside the lifecycle ignored",
      );
    return { ok: true, events: parsed.events.length, outcomes };
  }

  drain(): Promise<void> {
    return this.#batcher.drain();
  }
}
