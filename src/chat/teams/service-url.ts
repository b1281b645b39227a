// Where an activity asks to be answered. Without an app id botbuilder checks no token and posts its
// replies to whatever `serviceUrl` the activity names; allowed only for local runs, the bot then
// answers loopback addresses alone, so it can never be made to post to someone else's server.
import { isIPv4 } from "node:net";

export function isLoopbackServiceUrl(serviceUrl: unknown): boolean {
  if (typeof serviceUrl !== "string" || !URL.canParse(serviceUrl)) return false;
  const url = new URL(serviceUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.username || url.password) return false;
  // WHATWG URL has already normalised IPv4 spellings (127.1, 0x7f.1, 2130706433 → 127.0.0.1).
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]") return true;
  return isIPv4(host) && host.startsWith("127.");
}
