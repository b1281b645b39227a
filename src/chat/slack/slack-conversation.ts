// Slack's view of a ConversationRef: a team, a channel, who asked, and the slash command's
// response_url (a way to answer where the bot cannot post).
import { type ConversationRef, conversationRef } from "../../domain/conversation-ref.ts";

export interface SlackConversation {
  teamId: string;
  channelId: string;
  /** Null for a schedule's post. */
  userId: string | null;
  /** From a slash command: a way to answer even where the bot cannot post. */
  responseUrl?: string | null;
}

export function slackConversation(
  teamId: string,
  channelId: string,
  userId: string | null,
  responseUrl: string | null | undefined,
): ConversationRef {
  return conversationRef("slack", teamId, channelId, {
    requesterId: userId,
    extra: responseUrl ? { responseUrl } : {},
  });
}

export function fromConversationRef(ref: ConversationRef): SlackConversation {
  return {
    teamId: ref.workspaceId,
    channelId: ref.conversationId,
    userId: ref.requesterId,
    responseUrl: ref.extra.responseUrl ?? null,
  };
}
