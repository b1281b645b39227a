// Step 2 of Slack's upload: the file's bytes, streamed from disk to the `upload_url` that
// files.getUploadURLExternal returned, as a raw body with its Content-Length (Slack takes raw bytes
// or a multipart form). @slack/web-api's filesUploadV2 reads the whole file into memory first
// (file-upload.js `getFileData`), which a report of hundreds of megabytes must not do.
import { createReadStream } from "node:fs";
import http from "node:http";
import https from "node:https";
import { pipeline } from "node:stream/promises";

/** The upload URL answered something other than 200, or the connection failed. */
export class SlackUploadError extends Error {
  readonly code = "slack_upload_failed";
  constructor(
    message: string,
    /** The HTTP status, or null when the request never got an answer. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = "SlackUploadError";
  }

  /** Worth another attempt: no answer, a server error, a timeout or a rate limit. */
  get transient(): boolean {
    return this.status === null || this.status >= 500 || this.status === 408 || this.status === 429;
  }
}

/** Idle time after which a stalled upload is abandoned (and retried as a transient failure). */
const IDLE_TIMEOUT_MS = 60_000;

export function uploadBytes(uploadUrl: string, path: string, bytes: number): Promise<void> {
  const url = new URL(uploadUrl);
  const client = url.protocol === "https:" ? https : http;
  return new Promise<void>((resolve, reject) => {
    const request = client.request(url, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "content-length": bytes },
      timeout: IDLE_TIMEOUT_MS,
    });
    request.on("timeout", () => request.destroy(new SlackUploadError("the upload stalled", null)));
    request.on("response", (response) => {
      // The answer's body is a short text ("OK - 1234"); read it so the socket is freed.
      response.resume();
      response.on("end", () => {
        if (response.statusCode === 200) resolve();
        else reject(new SlackUploadError(`the upload URL answered ${response.statusCode}`, response.statusCode ?? null));
      });
    });
    pipeline(createReadStream(path), request).catch((error: unknown) => {
      reject(
        error instanceof SlackUploadError
          ? error
          : new SlackUploadError(`the upload failed: ${(error as Error)?.message ?? error}`, null),
      );
    });
  });
}
