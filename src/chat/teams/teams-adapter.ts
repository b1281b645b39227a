// botbuilder's CloudAdapter with our settings, and a record of whether each request passed
// authentication. botbuilder answers most refused tokens with 401 but some with 500 (a forged token
// whose key id is known fails inside jsonwebtoken, which it does not wrap); knowing, per request,
// that authentication did not pass lets the endpoint answer every refusal with 401.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from "botbuilder";
import type { TeamsSettings } from "../../config.ts";

/**
 * Where Bot Framework tokens come from and go to. botbuilder takes these as a set: given one, it
 * uses all as given (an unset one becomes undefined, and every token is refused). Production uses
 * botbuilder's public-cloud defaults; tests point them at a local OpenID/JWKS server.
 */
export interface BotFrameworkEndpoints {
  toBotFromChannelOpenIdMetadataUrl: string;
  /** https://api.botframework.com for the public cloud. */
  toBotFromChannelTokenIssuer: string;
  toBotFromEmulatorOpenIdMetadataUrl: string;
  toChannelFromBotLoginUrl: string;
  toChannelFromBotOAuthScope: string;
  oAuthUrl: string;
  callerId: string;
  validateAuthority: boolean;
}

/** How outbound calls get their credentials (botbuilder's ServiceClientCredentialsFactory). */
export type TeamsCredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

/** What tests may swap, passed in beside the settings (never read from the environment). */
export interface TeamsConnections {
  endpoints?: BotFrameworkEndpoints;
  /** Replaces the credentials botbuilder would build from the app id and password (MSAL). */
  credentialsFactory?: TeamsCredentialsFactory;
}

/** One request's passage through authentication. */
interface Passage {
  authenticated: boolean;
  refusal: string | null;
}

const passage = new AsyncLocalStorage<Passage>();

/** Our app types, in botbuilder's spelling. */
const APP_TYPES: Record<TeamsSettings["appType"], string> = {
  MultiTenant: "MultiTenant",
  SingleTenant: "SingleTenant",
  UserAssignedMSI: "UserAssignedMsi",
};

type AuthenticateArgs = Parameters<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>;

class CheckedAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(...[activity, authHeader]: AuthenticateArgs) {
    const current = passage.getStore();
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      if (current) current.authenticated = true;
      return result;
    } catch (error) {
      if (current) current.refusal = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }
}

function authOptions(settings: TeamsSettings, endpoints: BotFrameworkEndpoints | undefined) {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId ?? "",
    MicrosoftAppPassword: settings.appPassword ?? undefined,
    MicrosoftAppType: APP_TYPES[settings.appType],
    MicrosoftAppTenantId: settings.appTenantId ?? undefined,
  };
  if (!endpoints) return options;
  return {
    ...options,
    ToBotFromChannelOpenIdMetadataUrl: endpoints.toBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: endpoints.toBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: endpoints.toBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: endpoints.toChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: endpoints.toChannelFromBotOAuthScope,
    OAuthUrl: endpoints.oAuthUrl,
    CallerId: endpoints.callerId,
    ValidateAuthority: endpoints.validateAuthority,
  };
}

export function createCloudAdapter(settings: TeamsSettings, connections: TeamsConnections = {}): CloudAdapter {
  const auth = new CheckedAuthentication(authOptions(settings, connections.endpoints), connections.credentialsFactory);
  return new CloudAdapter(auth);
}

/**
 * Runs `process` (one call of the adapter's `process()`) and says whether the request passed
 * authentication, and if not why.
 */
export async function withPassage(process: () => Promise<void>): Promise<Passage> {
  const state: Passage = { authenticated: false, refusal: null };
  await passage.run(state, process);
  return state;
}
