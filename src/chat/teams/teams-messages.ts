// A message to the bot: in a personal chat, or with the bot @mentioned in a channel or group chat.
// Its text (the mention removed) is read by the shared grammar with the Teams prefix; nothing
// text: the form card. Every answer is sent within the turn, which awaits nothing slow: a report
// is checked and queued, and the job answers later.
import type { Activity, Mention, TurnContext } from "botbuilder";
import { localDate } from "../../domain/local-time.ts";
import { resolveRange } from "../../domain/relative-range.ts";
import { isReportError } from "../../domain/report-errors.ts";
import { recentJobs } from "../../store/report-jobs.ts";
import { type Command, parseCommand, TEAMS_PREFIX } from "../commands.ts";
import { describeRequest } from "../describe-request.ts";
import { formChoices } from "../form-choices.ts";
import { checkRequest, queueReport, requestFromCommand } from "../intake.ts";
import { chatText, helpText, reportErrorText } from "../messages.ts";
import { escapeMarkup } from "../safe-text.ts";
import { runScheduleCommand, type ScheduleAsker } from "../schedule-commands.ts";
import { initialValues, reportCard } from "./report-card.ts";
import type { TeamsAsker, TeamsHandlerDeps } from "./teams-access.ts";
import { teamsConversation } from "./teams-conversation.ts";
import { historyText } from "./teams-history.ts";
import { teamsText } from "./teams-text.ts";

/** Words that ask for the form, like an empty message. */
const FORM_WORDS = new Set(["report", "reporte"]);

const isGroup = (activity: Partial<Activity>) => {
  const type = activity.conversation?.conversationType;
  return type === "channel" || type === "groupChat";
};

const mentionsOfBot = (activity: Partial<Activity>) =>
  (activity.entities ?? []).filter(
    (e): e is Mention =>
      typeof e === "object" &&
      e !== null &&
      String(e.type).toLowerCase() === "mention" &&
      (e as Partial<Mention>).mentioned?.id === activity.recipient?.id &&
      typeof (e as Partial<Mention>).text === "string",
  );

/** A personal chat is always addressed to the bot; a channel or group chat only when it is mentioned. */
export function addressedToBot(activity: Partial<Activity>): boolean {
  return !isGroup(activity) || mentionsOfBot(activity).length > 0;
}

/** The command: the text without the bot's mention (by entity, every occurrence), spaces tidied. */
export function commandText(activity: Partial<Activity>): string {
  let text = typeof activity.text === "string" ? activity.text : "";
  for (const mention of mentionsOfBot(activity)) if (mention.text) text = text.split(mention.text).join(" ");
  return text
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A message in Teams' markdown; a mention of someone in the text needs its entity beside it. */
export function textMessage(text: string, mentions: Mention[] = []): Partial<Activity> {
  const used = mentions.filter((m) => text.includes(m.text));
  return { type: "message", text, textFormat: "markdown", ...(used.length ? { entities: used } : {}) };
}

/** How the person is named in an announcement: a real mention when Teams gave their name. */
function mentionOf(activity: Partial<Activity>, requesterId: string): { render: (userId: string) => string; entity: Mention[] } {
  const name = activity.from?.name;
  if (!name || !activity.from?.id) return { render: (u) => escapeMarkup(u), entity: [] };
  const text = `<at>${escapeMarkup(name)}</at>`;
  return {
    render: (u) => (u === requesterId ? text : escapeMarkup(u)),
    entity: [{ type: "mention", text, mentioned: { id: activity.from.id, name } } as Mention],
  };
}

export async function sendForm(deps: TeamsHandlerDeps, context: TurnContext, who: TeamsAsker): Promise<void> {
  const { tenant } = who;
  const today = localDate(deps.now().getTime(), tenant.timeZone);
  const range = resolveRange({ kind: "lastDays", days: 7 }, today);
  const card = reportCard({
    locale: tenant.locale,
    choices: await formChoices(deps.store, tenant.id),
    values: initialValues(range, tenant.locale, tenant.timeZone),
  });
  await context.sendActivity({ type: "message", attachments: [card] });
}

export async function handleText(deps: TeamsHandlerDeps, context: TurnContext, who: TeamsAsker): Promise<void> {
  const activity = context.activity;
  const text = commandText(activity);
  if (!text || FORM_WORDS.has(text.toLowerCase())) return sendForm(deps, context, who);
  const { tenant } = who;
  const parsed = parseCommand(text, tenant.locale, TEAMS_PREFIX);
  const reply = (message: string) => context.sendActivity(textMessage(message));
  switch (parsed.kind) {
    case "error":
      return void (await reply(parsed.message));
    case "help":
      return void (await reply(helpText(tenant.locale, TEAMS_PREFIX, (title) => `**${title}**`)));
    case "history":
      return void (await reply(historyText(await recentJobs(deps.store, tenant.id, "teams", who.requesterId), tenant.locale)));
    case "report":
      return queueFromText(deps, context, who, parsed);
    default:
      return scheduleFromText(deps, context, who, parsed);
  }
}

async function queueFromText(
  deps: TeamsHandlerDeps,
  context: TurnContext,
  who: TeamsAsker,
  parsed: Extract<Command, { kind: "report" }>,
): Promise<void> {
  const { tenant } = who;
  const reply = (message: string) => context.sendActivity(textMessage(message));
  const request = requestFromCommand(tenant, parsed, deps.now());
  try {
    await checkRequest(deps.store, request, deps.reportSettings);
  } catch (error) {
    if (!isReportError(error)) throw error;
    const text = reportErrorText(error, tenant.locale);
    // The usage line helps with a typo, not with a report that is too large.
    return void (await reply(
      error.code === "report_too_large" ? text : `${text}\n${chatText(tenant.locale).usage(TEAMS_PREFIX)}`,
    ));
  }
  const queued = await queueReport(deps, {
    tenant,
    platform: "teams",
    requesterId: who.requesterId,
    conversation: teamsConversation(context.activity, who.aadTenantId),
    request,
  });
  if ("full" in queued) return void (await reply(chatText(tenant.locale).queueFull(queued.full)));
  await reply(teamsText(tenant.locale).queued(describeRequest({ request })));
}

/** What a schedule command needs to know of the person and the conversation. */
export function scheduleAsker(context: TurnContext, who: TeamsAsker): { asker: ScheduleAsker; mentions: Mention[] } {
  const mention = mentionOf(context.activity, who.requesterId);
  return {
    asker: {
      tenant: who.tenant,
      conversation: teamsConversation(context.activity, who.aadTenantId),
      userId: who.requesterId,
      prefix: TEAMS_PREFIX,
      mention: mention.render,
    },
    mentions: mention.entity,
  };
}

/**
 * The answer to the person, then (in a channel or group chat, when something changed) the
 * announcement of who did what. A personal chat has nobody else to tell.
 */
export async function answerSchedule(
  context: TurnContext,
  reply: { text: string; announce: string | null },
  mentions: Mention[],
): Promise<void> {
  const activities = [textMessage(reply.text)];
  if (reply.announce && isGroup(context.activity)) activities.push(textMessage(reply.announce, mentions));
  await context.sendActivities(activities);
}

async function scheduleFromText(
  deps: TeamsHandlerDeps,
  context: TurnContext,
  who: TeamsAsker,
  parsed: Extract<Command, { kind: "schedule" | "scheduleAction" | "schedules" }>,
): Promise<void> {
  const { asker, mentions } = scheduleAsker(context, who);
  await answerSchedule(context, await runScheduleCommand(deps, asker, parsed), mentions);
}
