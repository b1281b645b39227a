// Teams' view of a ConversationRef, both ways: from an inbound activity to what a job or schedule
// keeps, and from that back to the ConversationReference botbuilder needs to post later
// (`continueConversationAsync`, a restarted instance, a schedule's run).
//
// A channel message arrives in a conversation whose id names its thread
// ("19:…@thread.tacv2;messageid=1732…"). The ref keeps the channel ("19:…@thread.tacv2") as its
// conversation, so that "this channel's schedules" is the same set from any thread, and the thread
// root's message id as `threadId`, so that an answer can still go into the thread it was asked in.
import type { Activity, ConversationReference } from "botbuilder";
import { type ConversationRef, conversationRef } from "../../domain/conversation-ref.ts";
import { isGuid, normalizeGuid } from "../../domain/entra-id.ts";

const THREAD_MARK = ";messageid=";

/** The Microsoft 365 tenant the activity comes from (channelData.tenant.id), if it names a valid one. */
export function aadTenantOf(activity: Partial<Activity>): string | null {
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = data?.tenant?.id ?? activity.conversation?.tenantId;
  return isGuid(id) ? normalizeGuid(id) : null;
}

/** Who is asking, as the allow-list knows people: their Entra object id, else their Teams id. */
export function requesterOf(activity: Partial<Activity>): string {
  const aad = activity.from?.aadObjectId;
  return isGuid(aad) ? normalizeGuid(aad) : String(activity.from?.id ?? "");
}

export function splitThread(conversationId: string): { conversationId: string; threadId: string | null } {
  const at = conversationId.indexOf(THREAD_MARK);
  if (at < 0) return { conversationId, threadId: null };
  return { conversationId: conversationId.slice(0, at), threadId: conversationId.slice(at + THREAD_MARK.length) || null };
}

/** Where to answer this activity, later and from any process: everything a proactive post needs. */
export function teamsConversation(activity: Partial<Activity>, aadTenantId: string): ConversationRef {
  const { conversationId, threadId } = splitThread(String(activity.conversation?.id ?? ""));
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const extra: Record<string, string> = {
    serviceUrl: text(activity.serviceUrl),
    channelId: text(activity.channelId) || "msteams",
    conversationType: text(activity.conversation?.conversationType),
    tenantId: aadTenantId,
    botId: text(activity.recipient?.id),
    botName: text(activity.recipient?.name),
    userId: text(activity.from?.id),
    userName: text(activity.from?.name),
    activityId: text(activity.id),
    locale: text(activity.locale),
  };
  return conversationRef("teams", aadTenantId, conversationId, {
    threadId,
    requesterId: requesterOf(activity),
    extra: Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== "")),
  });
}

/**
 * The reference botbuilder posts with. `inThread` false posts a new message in the channel (a
 * schedule's post); true answers in the thread the ref was taken in, if there was one.
 */
export function botReference(ref: ConversationRef, inThread = true): Partial<ConversationReference> {
  const e = ref.extra;
  const id = inThread && ref.threadId ? `${ref.conversationId}${THREAD_MARK}${ref.threadId}` : ref.conversationId;
  const conversationType = e.conversationType || undefined;
  return {
    channelId: e.channelId || "msteams",
    serviceUrl: e.serviceUrl,
    ...(e.locale ? { locale: e.locale } : {}),
    bot: { id: e.botId ?? "", name: e.botName ?? "" },
    ...(e.userId ? { user: { id: e.userId, name: e.userName ?? "", aadObjectId: ref.requesterId ?? undefined } } : {}),
    conversation: {
      id,
      name: "",
      conversationType: conversationType ?? "",
      isGroup: conversationType !== undefined && conversationType !== "personal",
      tenantId: e.tenantId ?? ref.workspaceId,
    },
  };
}
