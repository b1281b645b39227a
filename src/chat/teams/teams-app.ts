// The Teams front door: botbuilder's CloudAdapter with our bot behind POST /api/messages, and the
// seam the report delivery and scheduled posts use to speak in a conversation later (`send`,
// `update`, `continueConversation`), from a stored ConversationRef.
//
// Everything botbuilder-specific lives in src/chat/teams/. Moving to the Teams SDK
// (@microsoft/teams.apps) would replace teams-adapter.ts, express-shim.ts, teams-bot.ts and the
// bodies of the functions here (and the `botbuilder` types these files import), and leave the
// handlers' logic, the card, the endpoint's rules and everything outside this folder as it is.
import type { Activity, CloudAdapter, TurnContext } from "botbuilder";
import type { Clock } from "../../clock.ts";
import type { TeamsSettings } from "../../config.ts";
import type { ConversationRef } from "../../domain/conversation-ref.ts";
import type { FilePublisher } from "../../files/published-files.ts";
import type { Logger } from "../../log.ts";
import type { ReportSettings } from "../../reports/plan.ts";
import type { Store } from "../../store/open-store.ts";
import { ShimResponse, shimRequest } from "./express-shim.ts";
import { answerFileConsent } from "./file-consent.ts";
import { createCloudAdapter, type TeamsConnections, withPassage } from "./teams-adapter.ts";
import { HsmTeamsBot } from "./teams-bot.ts";
import { botReference } from "./teams-conversation.ts";
import type { ActivityProcessor } from "./teams-endpoint.ts";

export type { BotFrameworkEndpoints, TeamsConnections, TeamsCredentialsFactory } from "./teams-adapter.ts";
export { botReference, teamsConversation } from "./teams-conversation.ts";

export interface TeamsAppDeps {
  settings: TeamsSettings;
  /** Test doubles for the Bot Framework's endpoints and outbound credentials. */
  connections?: TeamsConnections;
  store: Store;
  reportSettings: ReportSettings;
  /** Queued-or-running jobs one person may have at once. */
  maxQueuedPerUser: number;
  /** Told when a job was queued, so it starts at once. */
  onJobQueued: () => void;
  log: Logger;
  clock: Clock;
  /** Published report files: what a personal chat's accepted FileConsentCard uploads. */
  files?: FilePublisher;
}

/** Where to post: a new message in the conversation, or an answer in the thread the ref was taken in. */
export interface PostOptions {
  inThread?: boolean;
}

export interface TeamsFrontDoor {
  adapter: CloudAdapter;
  /** The bot's app id ("" without one), as botbuilder's proactive calls want it. */
  appId: string;
  /** What /api/messages hands activities to. */
  processor: ActivityProcessor;
  /** Posts an activity into the conversation; returns the id Teams gave it (for `update`). */
  send(ref: ConversationRef, activity: Partial<Activity>, options?: PostOptions): Promise<string>;
  /** Replaces an activity the bot posted (a progress card, say). */
  update(ref: ConversationRef, activityId: string, activity: Partial<Activity>, options?: PostOptions): Promise<void>;
  /** A turn in the conversation, for anything else botbuilder offers (file consent cards …). */
  continueConversation(
    ref: ConversationRef,
    logic: (context: TurnContext) => Promise<void>,
    options?: PostOptions,
  ): Promise<void>;
  /**
   * Writes to the person the ref names (its `userId`: who made a schedule, say) in a 1:1 chat with
   * the bot, which Teams creates or finds; for when the conversation itself no longer takes posts.
   */
  sendDirect(ref: ConversationRef, activity: Partial<Activity>): Promise<void>;
  /** Resolves once the work started after a turn (file uploads after a consent) has ended. */
  idle(): Promise<void>;
}

/** The connector client botbuilder puts on a turn (botframework-connector's ConnectorClient, in part). */
interface Connector {
  conversations: {
    sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
    updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<unknown>;
  };
}

export function createTeamsApp(deps: TeamsAppDeps): TeamsFrontDoor {
  const { settings, log } = deps;
  const adapter = createCloudAdapter(settings, deps.connections);
  const teamsLog = log.child({ component: "teams" });
  adapter.onTurnError = async (context, error) => {
    teamsLog.error({ err: error, activityType: context.activity.type }, "Teams turn failed");
    throw error;
  };
  // Work a turn starts and does not wait for (an upload after a file consent).
  const background = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const files = deps.files;
  const bot = new HsmTeamsBot({
    store: deps.store,
    reportSettings: deps.reportSettings,
    maxQueuedPerUser: deps.maxQueuedPerUser,
    onJobQueued: deps.onJobQueued,
    log: teamsLog,
    now: () => deps.clock.now(),
    ...(files
      ? {
          fileConsent: (context: TurnContext) =>
            answerFileConsent({ store: deps.store, files, teams: door, log: teamsLog, track }, context),
        }
      : {}),
  });
  const appId = settings.appId ?? "";

  const processor: ActivityProcessor = {
    authenticated: Boolean(settings.appId),
    async process(headers, activity) {
      const res = new ShimResponse();
      const passage = await withPassage(() =>
        adapter.process(shimRequest(headers, activity), res, (context) => bot.run(context)),
      );
      if (!passage.authenticated) return { status: 401, refusal: passage.refusal ?? "not authenticated" };
      return { status: res.statusCode, body: res.body };
    },
  };

  const continueConversation: TeamsFrontDoor["continueConversation"] = (ref, logic, options = {}) =>
    adapter.continueConversationAsync(appId, botReference(ref, options.inThread ?? true), logic);

  // Posts go through the turn's connector rather than context.sendActivity, which would make them
  // replies to the continuation's made-up activity id.
  const connectorOf = (context: TurnContext) => context.turnState.get(adapter.ConnectorClientKey) as Connector;
  const addressed = (context: TurnContext, activity: Partial<Activity>): Partial<Activity> => ({
    type: "message",
    ...activity,
    channelId: context.activity.channelId,
    serviceUrl: context.activity.serviceUrl,
    conversation: context.activity.conversation,
    from: context.activity.recipient,
    ...(context.activity.from ? { recipient: context.activity.from } : {}),
  });

  const door: TeamsFrontDoor = {
    adapter,
    appId,
    processor,
    continueConversation,
    async sendDirect(ref, activity) {
      const e = ref.extra;
      if (!e.userId || !e.serviceUrl) throw new Error("the conversation names no person to write to");
      const tenantId = e.tenantId ?? ref.workspaceId;
      await adapter.createConversationAsync(
        appId,
        e.channelId || "msteams",
        e.serviceUrl,
        undefined as unknown as string, // the connector's default audience, as for any other post
        {
          isGroup: false,
          bot: { id: e.botId ?? "", name: e.botName ?? "" },
          members: [{ id: e.userId, name: e.userName ?? "" }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        } as Parameters<CloudAdapter["createConversationAsync"]>[4],
        async (context) => {
          await connectorOf(context).conversations.sendToConversation(
            context.activity.conversation.id,
            addressed(context, activity),
          );
        },
      );
    },
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
    async send(ref, activity, options) {
      let id = "";
      await continueConversation(
        ref,
        async (context) => {
          const sent = await connectorOf(context).conversations.sendToConversation(
            context.activity.conversation.id,
            addressed(context, activity),
          );
          id = sent.id ?? "";
        },
        options,
      );
      return id;
    },
    async update(ref, activityId, activity, options) {
      await continueConversation(
        ref,
        async (context) => {
          await connectorOf(context).conversations.updateActivity(context.activity.conversation.id, activityId, {
            ...addressed(context, activity),
            id: activityId,
          });
        },
        options,
      );
    },
  };
  return door;
}
