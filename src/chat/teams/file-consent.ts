// The answer to a FileConsentCard (`fileConsent/invoke`). Teams waits for the invoke's HTTP answer,
// and botbuilder's own handler would hold it until the upload ended: this one answers at once and
// does the rest afterwards, in the background:
// - accepted: the published file is PUT to the upload URL Teams gave (a OneDrive upload session),
//   in Content-Range chunks read from disk, then a file info card shows it in the chat;
// - declined, or the upload failed: the download link instead.
// The card's context carries the published file's signed token: the answer can only name a file
// this chat was offered, and only while its link is valid.
import { open } from "node:fs/promises";
import type { InvokeResponse, TurnContext } from "botbuilder";
import type { ConversationRef } from "../../domain/conversation-ref.ts";
import type { Locale } from "../../domain/tenant.ts";
import { statedExpiry } from "../../files/download-token.ts";
import type { FilePublisher } from "../../files/published-files.ts";
import { failureRef } from "../../jobs/failure-text.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/open-store.ts";
import type { ConsentContext } from "./delivery-cards.ts";
import { fileInfoCard, textCard } from "./delivery-cards.ts";
import { teamsAccess } from "./teams-access.ts";
import { teamsConversation } from "./teams-conversation.ts";
import type { TeamsPoster } from "./teams-delivery.ts";
import { teamsText, utcMinute } from "./teams-text.ts";

export const FILE_CONSENT_INVOKE = "fileConsent/invoke";
/** Bytes per PUT: an upload session takes chunks in multiples of 320 KiB, each under 60 MiB. */
export const UPLOAD_CHUNK_BYTES = 16 * 320 * 1024;
/** One chunk's PUT gives up after this long (the file is then offered as a link). */
const CHUNK_TIMEOUT_MS = 120_000;

interface UploadInfo {
  name: string;
  uploadUrl: string;
  contentUrl: string;
  uniqueId: string;
  fileType: string;
}

export interface FileConsentDeps {
  store: Store;
  files: FilePublisher;
  teams: TeamsPoster;
  log: Logger;
  /** Keeps the background work, so a stopping server can wait for it. */
  track(work: Promise<void>): void;
  fetchFn?: typeof fetch;
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

function readUploadInfo(value: unknown): UploadInfo | null {
  const u = value as Record<string, unknown> | null;
  if (!u || typeof u !== "object") return null;
  const info = {
    name: text(u.name),
    uploadUrl: text(u.uploadUrl),
    contentUrl: text(u.contentUrl),
    uniqueId: text(u.uniqueId),
    fileType: text(u.fileType),
  };
  return /^https?:\/\//.test(info.uploadUrl) && info.name ? info : null;
}

/** Answers the invoke at once (200, or 400 for an answer that is not one of ours); the rest runs after. */
export function answerFileConsent(deps: FileConsentDeps, context: TurnContext): InvokeResponse {
  const { activity } = context;
  const value = (activity.value ?? {}) as { action?: unknown; context?: Partial<ConsentContext>; uploadInfo?: unknown };
  const token = text(value.context?.token);
  const action = value.action;
  const upload = action === "accept" ? readUploadInfo(value.uploadInfo) : null;
  if (!token || (action !== "decline" && !upload)) {
    return { status: 400, body: { error: "not_a_file_consent_answer" } };
  }
  const locale: Locale = value.context?.lang === "en" ? "en" : "es";
  const answered = { activity: { ...activity }, replyToId: activity.replyToId ?? null };
  deps.track(
    settle(deps, answered.activity, answered.replyToId, token, locale, upload).catch((error: unknown) =>
      deps.log.error({ err: error }, "answering a file consent failed"),
    ),
  );
  return { status: 200 };
}

async function settle(
  deps: FileConsentDeps,
  activity: TurnContext["activity"],
  consentCardId: string | null,
  token: string,
  locale: Locale,
  upload: UploadInfo | null,
): Promise<void> {
  const t = teamsText(locale);
  const who = await teamsAccess(deps.store, activity);
  if ("refusal" in who) return;
  const ref: ConversationRef = teamsConversation(activity, who.aadTenantId);
  // The consent card's buttons are spent either way: it is replaced by what happened.
  const say = async (message: string) => {
    if (consentCardId) await deps.teams.update(ref, consentCardId, textCard([message]));
    else await deps.teams.send(ref, textCard([message]));
  };
  const found = await deps.files.find(token);
  if ("refused" in found || found.file.tenantId !== who.tenant.id) return say(t.fileUnavailable);
  const link = deps.files.linkFor(token);
  const until = utcMinute(statedExpiry(token) ?? found.file.expiresAt);
  if (!upload) return say(t.declined(link, until));
  try {
    await putInChunks(found.path, upload.uploadUrl, deps.fetchFn ?? fetch);
  } catch (error) {
    const ref = failureRef();
    deps.log.warn({ err: error, file: found.file.id, ref }, "uploading a report file to Teams failed; offering its link");
    return say(t.uploadFailed(link, until, ref));
  }
  await deps.teams.send(ref, fileInfoCard(upload));
  await say(t.fileSent(upload.name));
  deps.log.info({ file: found.file.id, bytes: found.file.bytes }, "report file sent to a Teams personal chat");
}

export class ConsentUploadError extends Error {
  constructor(readonly status: number) {
    super(`the upload URL answered ${status}`);
    this.name = "ConsentUploadError";
  }
}

/** PUTs the file to an upload session, one bounded chunk at a time, each with its Content-Range. */
export async function putInChunks(path: string, uploadUrl: string, fetchFn: typeof fetch): Promise<void> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(UPLOAD_CHUNK_BYTES, Math.max(size, 1)));
    let offset = 0;
    do {
      const length = Math.min(buffer.length, size - offset);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) throw new Error(`${path} ended early`);
        filled += bytesRead;
      }
      const range = size === 0 ? "bytes */0" : `bytes ${offset}-${offset + length - 1}/${size}`;
      const res = await fetchFn(uploadUrl, {
        method: "PUT",
        headers: { "content-range": range, "content-length": String(length) },
        body: buffer.subarray(0, length),
        signal: AbortSignal.timeout(CHUNK_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new ConsentUploadError(res.status);
      offset += length;
    } while (offset < size);
  } finally {
    await handle.close();
  }
}
