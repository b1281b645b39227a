// POST /api/v1/messages: our platform's send records, up to 1,000 per request, per-record errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ingestSendRecords, MAX_RECORDS_PER_REQUEST } from "../ingest/send-records.ts";
import type { Logger } from "../log.ts";
import { isStoreUnavailable } from "../store/errors.ts";
import type { Store } from "../store/open-store.ts";
import { findTenantByApiKey } from "../store/tenants.ts";
import { PayloadTooLargeError, readRawBody, sendError, sendJson } from "./http-kit.ts";

const MAX_BYTES = 16 * 1024 * 1024;

export interface SendRecordsRouteDeps {
  store: Store;
  windowDays: number;
  now: () => Date;
  log: Logger;
}

export async function receiveSendRecords(deps: SendRecordsRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = req.headers.authorization ?? "";
  const key = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (!key) {
    sendError(
      res,
      401,
      "unauthorized",
      "Send the tenant's API key as `Authorization: Bearer <key>` (hsm-report tenant add prints it).",
    );
    return;
  }
  let tenant: Awaited<ReturnType<typeof findTenantByApiKey>>;
  try {
    tenant = await findTenantByApiKey(deps.store, key);
  } catch (error) {
    storeFailure(deps, res, error);
    return;
  }
  if (!tenant) {
    sendError(res, 401, "unauthorized", "This API key is not valid (unknown or revoked).");
    return;
  }

  let raw: string;
  try {
    raw = (await readRawBody(req, MAX_BYTES)).toString("utf8");
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      sendError(res, 413, "payload_too_large", `At most ${MAX_BYTES} bytes per request; use \`hsm-report import\` for files.`);
      return;
    }
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    sendError(res, 400, "invalid_json", `The body is not valid JSON: ${(error as Error).message}`);
    return;
  }
  if (!Array.isArray(body)) {
    sendError(res, 400, "invalid_body", "The body must be a JSON array of send records.");
    return;
  }
  if (body.length > MAX_RECORDS_PER_REQUEST) {
    sendError(
      res,
      413,
      "too_many_records",
      `At most ${MAX_RECORDS_PER_REQUEST} records per request (got ${body.length}); split the batch or use \`hsm-report import\`.`,
    );
    return;
  }
  try {
    const result = await ingestSendRecords(
      deps.store,
      tenant.id,
      body.map((value, index) => ({ value, index, raw: JSON.stringify(value) })),
      { source: "api", windowDays: deps.windowDays, now: deps.now() },
    );
    const status = result.rejected === 0 ? 200 : result.accepted === 0 ? 422 : 207;
    sendJson(res, status, result);
  } catch (error) {
    storeFailure(deps, res, error);
  }
}

function storeFailure(deps: SendRecordsRouteDeps, res: ServerResponse, error: unknown): void {
  if (isStoreUnavailable(error)) {
    deps.log.error({ err: error }, "send records not stored: database unavailable");
    sendError(res, 503, "store_unavailable", "The database is unavailable; nothing was stored. Retry later.");
    return;
  }
  deps.log.error({ err: error }, "send records not stored: unexpected error");
  sendError(res, 500, "internal_error", "Nothing was stored because of an unexpected error; it has been logged.");
}
