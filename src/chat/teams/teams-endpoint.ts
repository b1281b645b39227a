// POST /api/messages, the Bot Framework's messaging endpoint, on the one HTTP server. The rules
// here hold whatever botbuilder does:
// - the Teams side off (no app id, no local flag): 401 before the body is read, nothing happens;
// - with an app id: no bearer token is a 401 before the body is read; botbuilder checks the rest,
//   and any refusal is a 401 (also those botbuilder would answer 500);
// - without one (TEAMS_ALLOW_UNAUTHENTICATED, local runs): only activities whose serviceUrl is on
//   loopback are processed, so the bot never posts to a server a stranger names;
// - a turn that fails is a 503 (Teams may retry), never another 5xx.
// This file does not load botbuilder, so the server can route here with the Teams side off.
import type { IncomingHttpHeaders } from "node:http";
import { sendError, sendJson, sendText, sendUnavailable } from "../../http/http-kit.ts";
import type { Route } from "../../http/server.ts";
import { decodeUtf8, parseJsonBounded } from "../../ingest/safe-json.ts";
import type { Logger } from "../../log.ts";
import { isLoopbackServiceUrl } from "./service-url.ts";

/** Bot Framework activities are small; Teams caps messages near 28 KB, cards and all. */
export const TEAMS_MAX_BODY_BYTES = 1024 * 1024;

export interface TurnOutcome {
  status: number;
  body?: unknown;
  /** Why authentication refused the request (for the log). */
  refusal?: string;
}

/** What processes an activity: botbuilder, behind teams-app.ts. */
export interface ActivityProcessor {
  /** True with an app id (every request's token is checked); false when only loopback is answered. */
  authenticated: boolean;
  process(headers: IncomingHttpHeaders, activity: Record<string, unknown>): Promise<TurnOutcome>;
}

const UNAUTHORIZED = { "www-authenticate": "Bearer" };

function readActivity(body: Buffer): { activity: Record<string, unknown> } | { problem: string } {
  const text = decodeUtf8(body);
  if (text === null) return { problem: "body is not valid UTF-8" };
  const parsed = parseJsonBounded(text);
  if (!parsed.ok) return { problem: parsed.reason };
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: "an activity is a JSON object" };
  if (typeof (value as { type?: unknown }).type !== "string") return { problem: "the activity has no type" };
  return { activity: value as Record<string, unknown> };
}

export function messagesRoute(processor: ActivityProcessor | null, log: Logger): Route {
  return {
    maxBodyBytes: TEAMS_MAX_BODY_BYTES,
    guard: async (req) => {
      if (!processor)
        return {
          refuse: {
            status: 401,
            code: "teams_off",
            message: "The Teams bot is off: set MICROSOFT_APP_ID (or TEAMS_ALLOW_UNAUTHENTICATED=true for a local run).",
            headers: UNAUTHORIZED,
          },
        };
      if (processor.authenticated && !/^Bearer \S+$/.test(req.headers.authorization ?? ""))
        return {
          refuse: {
            status: 401,
            code: "teams_unauthorized",
            message: "A Bot Framework token is required.",
            headers: UNAUTHORIZED,
          },
        };
      return { pass: null };
    },
    methods: {
      POST: async ({ req, res, body }) => {
        if (!processor) return sendError(res, 401, "teams_off", "The Teams bot is off.", {}, UNAUTHORIZED);
        const read = readActivity(body);
        if ("problem" in read) return sendError(res, 400, "teams_bad_activity", `Not a Bot Framework activity: ${read.problem}.`);
        const { activity } = read;
        if (!processor.authenticated && !isLoopbackServiceUrl(activity.serviceUrl)) {
          log.warn(
            { serviceUrl: String(activity.serviceUrl).slice(0, 200) },
            "Teams activity refused: serviceUrl not on loopback",
          );
          return sendError(
            res,
            403,
            "teams_service_url_refused",
            "Without MICROSOFT_APP_ID only activities whose serviceUrl is on loopback are answered.",
          );
        }
        // expectReplies would put the bot's answers in this HTTP response instead of posting them to
        // the conversation: Teams never asks for it, and nobody else should get them.
        if (activity.deliveryMode === "expectReplies")
          return sendError(res, 400, "teams_bad_activity", "deliveryMode expectReplies is not supported.");
        let outcome: TurnOutcome;
        try {
          outcome = await processor.process(req.headers, activity);
        } catch (error) {
          log.error({ err: error }, "Teams activity failed");
          return sendUnavailable(res, "teams_turn_failed", "The activity could not be processed; try again.", 5);
        }
        if (outcome.status === 401) {
          log.info({ reason: outcome.refusal }, "Teams request refused: Bot Framework token not accepted");
          return sendError(res, 401, "teams_unauthorized", "The Bot Framework token was not accepted.", {}, UNAUTHORIZED);
        }
        if (outcome.status >= 500) {
          log.error({ status: outcome.status, body: outcome.body }, "Teams turn failed");
          return sendUnavailable(res, "teams_turn_failed", "The activity could not be processed; try again.", 5);
        }
        if (outcome.body === undefined || outcome.body === null) {
          res.writeHead(outcome.status, { "content-length": "0" });
          return void res.end();
        }
        if (typeof outcome.body === "string") return sendText(res, outcome.status, outcome.body);
        sendJson(res, outcome.status, outcome.body);
      },
    },
  };
}
