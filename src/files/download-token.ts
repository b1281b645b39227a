// The token of a download link: `<fileId>.<jobId>.<expires>.<mac>`, all URL-safe.
//
// It carries what the server needs to find the file (its id) and to judge the link without the
// database (the expiry, in Unix seconds), and an HMAC-SHA256 over both and the job the file came
// from (0 for none), keyed by the installation's signing secret. Changing any character of it, or
// pairing one file's MAC with another's fields, gives a different MAC; only the secret's holder can
// make one.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface DownloadClaim {
  fileId: number;
  /** The report job the file came from; null for none. */
  jobId: number | null;
  /** Whole seconds. */
  expiresAt: Date;
}

/** Versioned, so that a MAC made with the same secret for any other purpose never passes here. */
const CONTEXT = "hsm-report/download/v1";

/** Ids are positive safe integers, the expiry at most 12 digits of seconds; the MAC 32 bytes of base64url. */
const TOKEN = /^([1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.([1-9]\d{0,11})\.([A-Za-z0-9_-]{43})$/;

function mac(secret: Buffer, fileId: number, jobId: number, expiresSeconds: number): Buffer {
  return createHmac("sha256", secret).update(`${CONTEXT}:${fileId}.${jobId}.${expiresSeconds}`).digest();
}

export function signDownloadToken(claim: DownloadClaim, secret: Buffer): string {
  const expires = Math.floor(claim.expiresAt.getTime() / 1000);
  const job = claim.jobId ?? 0;
  return `${claim.fileId}.${job}.${expires}.${mac(secret, claim.fileId, job, expires).toString("base64url")}`;
}

/** The claim a token makes, if its MAC is right; null for anything malformed or tampered with. */
export function readDownloadToken(token: string, secret: Buffer): DownloadClaim | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const [fileId, jobId, expires] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Compared as text, not as decoded bytes: the last of 43 base64url characters carries 2 bits
  // that decoding ignores, so two spellings of one MAC exist, and a changed character must fail.
  const given = Buffer.from(m[4] as string, "ascii");
  const expected = Buffer.from(mac(secret, fileId, jobId, expires).toString("base64url"), "ascii");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { fileId, jobId: jobId === 0 ? null : jobId, expiresAt: new Date(expires * 1000) };
}

/** The expiry a token states, unverified: only to tell a person until when their link works. */
export function statedExpiry(token: string): Date | null {
  const m = TOKEN.exec(token);
  return m ? new Date(Number(m[3]) * 1000) : null;
}
