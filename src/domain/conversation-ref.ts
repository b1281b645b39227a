// Where a report is answered: a platform's conversation, named in a form any job can keep and any
// process can post to later (a restarted instance, a schedule's run). Jobs and schedules carry this
// and nothing of a platform's own objects; each chat adapter reads the parts it needs.

export type ChatPlatform = "slack" | "teams";

export interface ConversationRef {
  platform: ChatPlatform;
  /** Slack's team id, or the Microsoft 365 tenant id. */
  workspaceId: string;
  /** Slack's channel (or direct message) id, or Teams' conversation id. */
  conversationId: string;
  /** A thread to answer in, when there is one. */
  threadId: string | null;
  /** Who asked; null for a schedule's post. */
  requesterId: string | null;
  /** What the platform needs besides (Slack: a command's response_url; Teams: its serviceUrl, …). */
  extra: Record<string, string>;
}

export function conversationRef(
  platform: ChatPlatform,
  workspaceId: string,
  conversationId: string,
  more: Partial<Pick<ConversationRef, "threadId" | "requesterId" | "extra">> = {},
): ConversationRef {
  return {
    platform,
    workspaceId,
    conversationId,
    threadId: more.threadId ?? null,
    requesterId: more.requesterId ?? null,
    extra: more.extra ?? {},
  };
}

/**
 * A stored reference back to its type. Jobs queued before references existed kept Slack's own
 * fields (teamId, channelId, userId, responseUrl): they are read as such, so a job queued before an
 * upgrade is still answered after it.
 */
export function readConversationRef(value: unknown, platform: string): ConversationRef {
  const v = (value ?? {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === "string" && x !== "" ? x : null);
  if (typeof v.conversationId === "string") {
    const extra: Record<string, string> = {};
    for (const [k, x] of Object.entries((v.extra ?? {}) as Record<string, unknown>)) if (typeof x === "string") extra[k] = x;
    return {
      platform: (v.platform === "teams" ? "teams" : v.platform === "slack" ? "slack" : platform) as ChatPlatform,
      workspaceId: String(v.workspaceId ?? ""),
      conversationId: v.conversationId,
      threadId: text(v.threadId),
      requesterId: text(v.requesterId),
      extra,
    };
  }
  const responseUrl = text(v.responseUrl);
  return {
    platform: "slack",
    workspaceId: String(v.teamId ?? ""),
    conversationId: String(v.channelId ?? ""),
    threadId: null,
    requesterId: text(v.userId),
    extra: responseUrl ? { responseUrl } : {},
  };
}
