// botbuilder's `CloudAdapter.process()` takes an express- or restify-style request (a parsed
// `body`, `headers`, `method`) and response (`status()`, `send()`, `header()`, `end()`). Rather than
// hand it node:http's response, it gets this recorder: the endpoint reads what botbuilder decided
// and writes the answer itself, so that nothing botbuilder says reaches a client unchecked.
import type { IncomingHttpHeaders } from "node:http";

export interface ShimRequest {
  method: "POST";
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export function shimRequest(headers: IncomingHttpHeaders, body: Record<string, unknown>): ShimRequest {
  return { method: "POST", headers: { ...headers }, body };
}

/** What botbuilder answered, recorded rather than sent. */
export class ShimResponse {
  /** botbuilder's type check wants the property; it is never used for HTTP. */
  readonly socket = null;
  statusCode = 200;
  body: unknown = undefined;
  readonly headers: Record<string, string> = {};
  ended = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  send(body: unknown): this {
    this.body = body;
    return this;
  }

  end(): this {
    this.ended = true;
    return this;
  }
}
