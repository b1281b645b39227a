// POST /api/v1/messages: our platform's send records, up to 1,000 per request, per-record errors.
import type { IncomingMessage } from "node:http";
import { decodeUtf8, parseJsonBounded } from "../ingest/safe-json.ts";
import { ingestSendRecords, MAX_RECORDS_PER_REQUEST } from "../ingest/send-records.ts";
import type { Logger } from "../log.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import type { Store } from "../store/open-store.ts";
import { findTenantByApiKey, type Tenant } from "../store/tenants.ts";
import { sendError, sendJson, sendUnavailable } from "./http-kit.ts";
import type { GuardResult, RequestContext, Route } from "./server.ts";

export const SEND_RECORDS_MAX_BYTES = 16 * 1024 * 1024;

export interface SendRecordsRouteDeps {
  store: Store;
  windowDays: number;
  now: () => Date;
  log: Logger;
}

const UNAVAILABLE = {
  status: 503,
  code: "store_unavailable",
  message: "The database is unavailable; nothing was stored. Retry later.",
  headers: { "retry-after": "5" },
};

/** The API key is checked before the body is read: a stranger's 16 MB upload is never read. */
async function authenticate(deps: SendRecordsRouteDeps, req: IncomingMessage): Promise<GuardResult> {
  const key = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!key) {
    return {
      refuse: {
        status: 401,
        code: "unauthorized",
        message: "Send the tenant's API key as `Authorization: Bearer <key>` (hsm-report tenant add prints it).",
      },
    };
  }
  let tenant: Tenant | null;
  try {
    tenant = await findTenantByApiKey(deps.store, key);
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    deps.log.error({ err: error }, "send records not stored: database unavailable");
    return { refuse: UNAVAILABLE };
  }
  if (!tenant)
    return { refuse: { status: 401, code: "unauthorized", message: "This API key is not valid (unknown or revoked)." } };
  return { pass: tenant };
}

async function receive(deps: SendRecordsRouteDeps, { res, body, guarded }: RequestContext): Promise<void> {
  const tenant = guarded as Tenant;
  const text = decodeUtf8(body);
  if (text === null) {
    sendError(res, 400, "invalid_body", "The body is not valid UTF-8.");
    return;
  }
  const json = parseJsonBounded(text);
  if (!json.ok) {
    sendError(res, 400, "invalid_json", `The body is not usable JSON: ${json.reason}.`);
    return;
  }
  const records = json.value;
  if (!Array.isArray(records)) {
    sendError(res, 400, "invalid_body", "The body must be a JSON array of send records.");
    return;
  }
  if (records.length > MAX_RECORDS_PER_REQUEST) {
    sendError(
      res,
      413,
      "too_many_records",
      `At most ${MAX_RECORDS_PER_REQUEST} records per request (got ${records.length}); split the batch or use \`hsm-report import\`.`,
    );
    return;
  }
  try {
    const result = await ingestSendRecords(
      deps.store,
      tenant.id,
      records.map((value, index) => ({ value, index, raw: JSON.stringify(value) })),
      { source: "api", windowDays: deps.windowDays, now: deps.now() },
    );
    const status = result.rejected === 0 ? 200 : result.accepted === 0 ? 422 : 207;
    sendJson(res, status, result);
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
    deps.log.error({ err: error }, "send records not stored: database unavailable");
    sendUnavailable(res, UNAVAILABLE.code, UNAVAILABLE.message, 5);
  }
}

export function sendRecordsRoute(deps: SendRecordsRouteDeps): Route {
  return {
    maxBodyBytes: SEND_RECORDS_MAX_BYTES,
    tooLarge: {
      code: "payload_too_large",
      message: `At most ${SEND_RECORDS_MAX_BYTES} bytes per request; use \`hsm-report import\` for files.`,
    },
    guard: (req) => authenticate(deps, req),
    methods: { POST: (ctx) => receive(deps, ctx) },
  };
}
