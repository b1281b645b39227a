import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  deriveLifecycle,
  evidenceOf,
  evidenceOfEvent,
  joinEvidence,
  type Lifecycle,
  lifecycleOf,
  type MetaEvent,
  NO_EVIDENCE,
  type SendFacts,
} from "../../src/domain/lifecycle.ts";
import { OUTBOUND_ERROR_CODES } from "../../src/domain/outbound-errors.ts";

const T0 = new Date("2026-10-01T12:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const WINDOW = 30;

const queued: SendFacts = { queuedAt: T0 };
const left: SendFacts = { queuedAt: T0, outboundAt: at(1), wamid: "wamid.A" };
const sent = (m = 2): MetaEvent => ({ kind: "status", status: "sent", at: at(m) });
const delivered = (m = 3): MetaEvent => ({ kind: "status", status: "delivered", at: at(m) });
const read = (m = 4): MetaEvent => ({ kind: "status", status: "read", at: at(m) });
const reply = (m = 5): MetaEvent => ({ kind: "reply", at: at(m) });
const failed = (m = 3, code = 131026, title = "Message undeliverable"): MetaEvent => ({
  kind: "status",
  status: "failed",
  at: at(m),
  errorCode: code,
  errorTitle: title,
});

function row(send: SendFacts, events: MetaEvent[]) {
  const l: Lifecycle = lifecycleOf(send, events, WINDOW);
  return [l.state, l.comment, l.stages.outbound, l.stages.sent, l.stages.delivered, l.stages.read];
}

describe("the seven states of the seed's glossary", () => {
  it("a message still in our outbox is queued, every stage pending", () => {
    expect(row(queued, [])).toEqual(["queued", "El mensaje será enviado pronto.", "pending", "pending", "pending", "pending"]);
  });

  it("a message that left our platform, with no word from Meta, is outbound", () => {
    expect(row(left, [])).toEqual([
      "outbound",
      "Enviamos el mensaje. A la espera de confirmación por parte de Meta.",
      "success",
      "pending",
      "pending",
      "pending",
    ]);
  });

  it("an outbound time without Meta's id still counts as having left", () => {
    expect(row({ queuedAt: T0, outboundAt: at(1) }, [])[0]).toBe("outbound");
  });

  it("Meta's sent makes it sent", () => {
    expect(row(left, [sent()])).toEqual([
      "sent",
      "Mensaje enviado a su destino. A la espera de confirmación de entrega.",
      "success",
      "success",
      "pending",
      "pending",
    ]);
  });

  it("worked example 1: delivered, not read yet", () => {
    expect(row(left, [sent(), delivered()])).toEqual([
      "delivered",
      "Mensaje entregado. A la espera de confirmación de lectura.",
      "success",
      "success",
      "success",
      "pending",
    ]);
  });

  it("read is read, every stage a success", () => {
    expect(row(left, [sent(), delivered(), read()])).toEqual([
      "read",
      "Mensaje leído.",
      "success",
      "success",
      "success",
      "success",
    ]);
  });

  it("worked example 2: an invalid number fails at the outbound stage and nothing after applies", () => {
    expect(row({ queuedAt: T0, outboundError: "invalid_number" }, [])).toEqual([
      "outbound_failed",
      "Número inválido. Comprueba si lo ingresaste correctamente.",
      "failed",
      "na",
      "na",
      "na",
    ]);
  });

  it.each([
    ["internal_error", "Error interno. Por favor, vuelve a enviar el mensaje."],
    ["header_too_long", "El encabezado del mensaje es muy largo. No debe superar los 60 caracteres."],
    ["invalid_number", "Número inválido. Comprueba si lo ingresaste correctamente."],
    ["body_too_long", "El cuerpo del mensaje es muy largo. No debe superar los 1024 caracteres."],
    ["insufficient_balance", "Saldo insuficiente. Realiza una carga y vuelve a enviar el mensaje."],
  ] as const)("outbound failure %s carries the seed's comment", (code, comment) => {
    expect(row({ queuedAt: T0, outboundError: code }, [])).toEqual(["outbound_failed", comment, "failed", "na", "na", "na"]);
  });

  it("a Meta failure before sent fails the sent stage, as CODE - title", () => {
    expect(row(left, [failed(2, 131049, "This message was not delivered to maintain healthy ecosystem engagement.")])).toEqual([
      "meta_failed",
      "131049 - This message was not delivered to maintain healthy ecosystem engagement.",
      "success",
      "failed",
      "na",
      "na",
    ]);
  });

  it("a Meta failure after sent fails the delivered stage", () => {
    expect(row(left, [sent(), failed(5)])).toEqual([
      "meta_failed",
      "131026 - Message undeliverable",
      "success",
      "success",
      "failed",
      "na",
    ]);
  });

  it("a Meta failure without a title takes the title Meta documents for its code", () => {
    expect(row(left, [failed(2, 131026, "")])[1]).toBe("131026 - Message undeliverable");
  });
});

describe("rule 2: success evidence implies every earlier stage", () => {
  it("read with no delivered means delivered, and the delivered date stays empty", () => {
    const e = evidenceOf(left, [read()], WINDOW);
    expect(row(left, [read()])).toEqual(["read", "Mensaje leído.", "success", "success", "success", "success"]);
    expect(e.deliveredAt).toBeNull();
    expect(e.sentAt).toBeNull();
    expect(e.readAt).toEqual(at(4));
  });

  it("delivered alone means sent too", () => {
    expect(row(left, [delivered()]).slice(2)).toEqual(["success", "success", "success", "pending"]);
  });

  it("Meta's word about a message we never marked as left means it left", () => {
    expect(row(queued, [sent()]).slice(0, 3)).toEqual([
      "sent",
      "Mensaje enviado a su destino. A la espera de confirmación de entrega.",
      "success",
    ]);
  });
});

describe("rule 3: success evidence beats failure", () => {
  it("failed and later delivered is delivered", () => {
    expect(row(left, [sent(), failed(3), delivered(9)])[0]).toBe("delivered");
  });

  it("a failure and a read is read", () => {
    expect(row(left, [failed(3), read(9)])[0]).toBe("read");
  });

  it("a reply beats a failure", () => {
    expect(row(left, [failed(3), reply(9)])[0]).toBe("read");
  });

  it("Meta's word beats our own outbound failure", () => {
    expect(row({ queuedAt: T0, outboundError: "internal_error", wamid: "wamid.B" }, [sent()])[0]).toBe("sent");
  });

  it("an outbound failure with Meta's id is not a failure: the message did leave", () => {
    expect(row({ queuedAt: T0, outboundError: "internal_error", wamid: "wamid.B" }, [])[0]).toBe("outbound");
  });

  it("of two Meta failures the earlier one is shown, whatever their order", () => {
    const a = failed(3, 131000, "Something went wrong");
    const b = failed(7, 131026, "Message undeliverable");
    expect(row(left, [a, b])[1]).toBe("131000 - Something went wrong");
    expect(row(left, [b, a])[1]).toBe("131000 - Something went wrong");
  });
});

describe("rule 4: a reply implies delivered and read", () => {
  it("a reply alone makes the message read and keeps the reply time", () => {
    expect(row(left, [reply()])).toEqual(["read", "Mensaje leído.", "success", "success", "success", "success"]);
    expect(evidenceOf(left, [reply(7)], WINDOW).repliedAt).toEqual(at(7));
  });
});

describe("rule 5: read receipts off", () => {
  it("a delivered message whose reader hides receipts stays delivered, read pending", () => {
    expect(row(left, [sent(), delivered(3)]).slice(2)).toEqual(["success", "success", "success", "pending"]);
  });
});

describe("rule 6: late events", () => {
  it("a status more than 30 days after the message left is not applied", () => {
    const lateRead = read(31 * 24 * 60);
    expect(row(left, [sent(), lateRead])[0]).toBe("sent");
  });

  it("a status exactly at the window's end is still applied", () => {
    const edge: MetaEvent = { kind: "status", status: "read", at: new Date(at(1).getTime() + 30 * 86_400_000) };
    expect(row(left, [edge])[0]).toBe("read");
  });

  it("the window is configurable", () => {
    const twoDaysLater = read(2 * 24 * 60 + 5);
    expect(lifecycleOf(left, [twoDaysLater], 1).state).toBe("outbound");
    expect(lifecycleOf(left, [twoDaysLater], 3).state).toBe("read");
  });
});

describe("rule 1: the row is a function of the set of events", () => {
  const dateArb = fc.integer({ min: -60, max: 60 * 24 * 40 }).map(at);
  const eventArb: fc.Arbitrary<MetaEvent> = fc.oneof(
    fc.record({
      kind: fc.constant("status" as const),
      status: fc.constantFrom("sent" as const, "delivered" as const, "read" as const),
      at: dateArb,
      pricingCategory: fc.option(fc.constantFrom("marketing", "utility", "service"), { nil: null }),
    }),
    fc.record({
      kind: fc.constant("status" as const),
      status: fc.constant("failed" as const),
      at: dateArb,
      errorCode: fc.option(fc.constantFrom(131026, 131049, 131000, 130472), { nil: null }),
      errorTitle: fc.option(fc.constantFrom("Message undeliverable", "x", ""), { nil: null }),
    }),
    fc.record({ kind: fc.constant("reply" as const), at: dateArb }),
  );
  const sendArb: fc.Arbitrary<SendFacts> = fc.record({
    queuedAt: fc.constant(T0),
    outboundAt: fc.option(fc.constant(at(1)), { nil: null }),
    outboundError: fc.option(fc.constantFrom(...OUTBOUND_ERROR_CODES), { nil: null }),
    wamid: fc.option(fc.constant("wamid.X"), { nil: null }),
  });

  // An arbitrary arrival: the same events shuffled, some of them repeated.
  const arrivalArb = fc.array(eventArb, { maxLength: 12 }).chain((events) =>
    fc.tuple(
      fc.constant(events),
      fc
        .array(fc.nat(), { minLength: events.length, maxLength: events.length + 8 })
        .map((picks) => (events.length === 0 ? [] : picks.map((p) => events[p % events.length] as MetaEvent)))
        .chain((dups) => fc.shuffledSubarray([...events, ...dups], { minLength: events.length + dups.length })),
    ),
  );

  it("two failures that differ only by an empty title and none keep the same one in either order", () => {
    const failed = (errorTitle: string | null): MetaEvent => ({
      kind: "status",
      status: "failed",
      at: at(-3),
      errorCode: 131049,
      errorTitle,
    });
    const send: SendFacts = { queuedAt: T0, outboundAt: null, outboundError: null, wamid: null };
    const one = evidenceOf(send, [failed(null), failed("")], WINDOW);
    const other = evidenceOf(send, [failed(""), failed(null)], WINDOW);
    expect(one).toEqual(other);
    expect(one.failure?.title).toBe("");
  });

  it("any permutation of any event set, with any duplicates, gives the same row and evidence", () => {
    fc.assert(
      fc.property(sendArb, arrivalArb, (send, [events, arrival]) => {
        expect(lifecycleOf(send, arrival, WINDOW)).toEqual(lifecycleOf(send, events, WINDOW));
        expect(evidenceOf(send, arrival, WINDOW)).toEqual(evidenceOf(send, events, WINDOW));
      }),
      { numRuns: 2000 },
    );
  });

  it("folding events one at a time into stored evidence equals deriving from the whole set", () => {
    fc.assert(
      fc.property(sendArb, arrivalArb, (send, [events, arrival]) => {
        let stored = NO_EVIDENCE;
        for (const event of arrival) stored = joinEvidence(stored, evidenceOf(send, [event], WINDOW));
        expect(deriveLifecycle(send, stored)).toEqual(lifecycleOf(send, events, WINDOW));
      }),
      { numRuns: 2000 },
    );
  });

  it("na only ever follows a failed stage", () => {
    fc.assert(
      fc.property(sendArb, fc.array(eventArb, { maxLength: 8 }), (send, events) => {
        const stages = Object.values(lifecycleOf(send, events, WINDOW).stages);
        const firstNa = stages.indexOf("na");
        if (firstNa >= 0) expect(stages[firstNa - 1]).toBe("failed");
        expect(stages.filter((s) => s === "failed").length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  it("an event's own evidence is idempotent under join", () => {
    const e = evidenceOfEvent(read());
    expect(joinEvidence(e, e)).toEqual(e);
  });
});
