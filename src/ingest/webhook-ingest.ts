// Webhook bodies → the store, through one group-commit batcher so that concurrent POSTs share
// transactions. Bounded: a full queue or an unavailable database is refused at once (the route
// answers 503 with Retry-After; Meta retries for days).
import type { Logger } from "../log.ts";
import {
  applyWebhookBodies,
  type BodyResult,
  emptyCounts,
  type OutcomeCounts,
  type ReceivedBody,
} from "../store/apply-webhook.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import type { Store } from "../store/open-store.ts";
import { settleWaitingEvents } from "../store/settle-waiting.ts";
import { SqliteRunner } from "../store/sqlite-runner.ts";
import { Batcher } from "./batcher.ts";
import { parseWebhook } from "./parse-webhook.ts";
import { StoreGate } from "./store-gate.ts";

export interface WebhookIngestOptions {
  windowDays: number;
  /** Most events per transaction. */
  batchMaxEvents: number;
  /** Most events waiting for a transaction; beyond, 503. */
  queueMaxEvents: number;
  /** Most bytes of bodies waiting for a transaction; beyond, 503. */
  queueMaxBytes: number;
  /** A transaction that takes longer than this (lock or connection waits included) fails as unavailable. */
  storeTimeoutMs: number;
  now: () => Date;
  log: Logger;
}

export type WebhookReceipt = { ok: true; events: number; outcomes: OutcomeCounts } | { ok: false; reason: string };

const PROBE_EVERY_MS = 500;
/** A trial (one request let through while the database is known to be down) waits no longer than this. */
const TRIAL_TIMEOUT_MS = 250;
const SETTLE_EVERY_MS = 60_000;
const SETTLE_BATCH = 500;

export class WebhookIngest {
  readonly #store: Store;
  readonly #options: WebhookIngestOptions;
  readonly #now: () => Date;
  readonly #batcher: Batcher<ReceivedBody, BodyResult>;
  readonly #gate: StoreGate;
  #settleTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(store: Store, options: WebhookIngestOptions) {
    this.#store = store;
    this.#options = options;
    this.#now = options.now;
    this.#batcher = new Batcher((bodies) => this.#apply(bodies), {
      maxWeight: options.batchMaxEvents,
      maxQueuedWeight: options.queueMaxEvents,
      maxQueuedBytes: options.queueMaxBytes,
      concurrency: store.dialect === "sqlite" ? 1 : 2,
      weigh: (body) => Math.max(1, body.events.length),
      size: (body) => body.raw.length,
      splitOnFailure: (error) => !isStoreUnavailable(error),
    });
    const sql = store.sql;
    this.#gate = new StoreGate({
      probe: () =>
        sql instanceof SqliteRunner ? sql.canWrite() : sql.transaction(function* () {}, { timeoutMs: options.storeTimeoutMs }),
      probeEveryMs: PROBE_EVERY_MS,
      log: options.log,
    });
  }

  get storeDown(): boolean {
    return this.#gate.isDown;
  }

  async #apply(bodies: ReceivedBody[]): Promise<BodyResult[]> {
    const timeoutMs = this.#gate.isDown ? Math.min(TRIAL_TIMEOUT_MS, this.#options.storeTimeoutMs) : this.#options.storeTimeoutMs;
    try {
      const results = await this.#store.sql.transaction(
        applyWebhookBodies(bodies, { windowDays: this.#options.windowDays, now: this.#now() }),
        { timeoutMs },
      );
      this.#gate.open();
      return results;
    } catch (error) {
      if (isStoreUnavailable(error)) {
        this.#gate.shut(error);
        // Everyone queued behind this batch would meet the same database: tell them now.
        this.#batcher.failQueued(error);
      }
      throw error;
    }
  }

  /**
   * Stores a body whose signature was already checked; resolves once it is durable. A body that
   * cannot be read (`unreadable`, or malformed JSON or shape) is kept whole as rejected.
   */
  async receive(raw: string, unreadable: string | null = null): Promise<WebhookReceipt> {
    const trial = this.#gate.admit();
    try {
      return await this.#receive(raw, unreadable);
    } finally {
      if (trial) this.#gate.endTrial();
    }
  }

  async #receive(raw: string, unreadable: string | null): Promise<WebhookReceipt> {
    const receivedAt = this.#now();
    const parsed = unreadable === null ? parseWebhook(raw) : ({ ok: false, reason: unreadable } as const);
    if (!parsed.ok) {
      await this.#batcher.submit({ raw, receivedAt, events: [], rejected: parsed.reason });
      return { ok: false, reason: parsed.reason };
    }
    const result = await this.#batcher.submit({ raw, receivedAt, events: parsed.events });
    const outcomes = result?.outcomes ?? emptyCounts();
    if (outcomes.ignored > 0)
      this.#options.log.debug(
        { bodyId: result.bodyId, ignored: outcomes.ignored },
        "webhook events outside the lifecycle ignored",
      );
    if (outcomes.rejected > 0)
      this.#options.log.warn(
        { bodyId: result.bodyId, rejected: outcomes.rejected },
        "webhook events refused: see the event log's reasons",
      );
    return { ok: true, events: parsed.events.length, outcomes };
  }

  /**
   * Applies events left waiting although their message exists (see settle-waiting.ts): now, and
   * every minute while the server runs.
   */
  startSettling(): void {
    const pass = async () => {
      this.#settleTimer = null;
      try {
        let settled = 0;
        for (let n = -1; n !== 0 && !this.#gate.isDown; ) {
          n = await this.#store.sql.transaction(
            settleWaitingEvents({ windowDays: this.#options.windowDays, now: this.#now(), limit: SETTLE_BATCH }),
            { timeoutMs: this.#options.storeTimeoutMs },
          );
          settled += n;
        }
        if (settled > 0) this.#options.log.info({ settled }, "waiting webhook events applied to their messages");
      } catch (error) {
        this.#options.log.warn({ err: error }, "could not settle waiting webhook events; will try again");
      }
      if (!this.#stopped) {
        this.#settleTimer = setTimeout(() => void pass(), SETTLE_EVERY_MS);
        this.#settleTimer.unref();
      }
    };
    void pass();
  }

  drain(): Promise<void> {
    return this.#batcher.drain();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#gate.stop();
  }
}
