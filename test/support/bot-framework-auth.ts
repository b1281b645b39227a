// The Bot Framework's token side, locally: an RSA key made here (node:crypto), the OpenID metadata
// and JWKS documents botbuilder fetches, served over http on loopback, and tokens minted the way
// the Bot Connector service signs its calls to a bot (RS256, issuer https://api.botframework.com,
// audience = the bot's app id, a `serviceurl` claim). Plus the forgeries a test refuses.
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PasswordServiceClientCredentialFactory, TokenCredentials } from "botframework-connector";
import type { BotFrameworkEndpoints } from "../../src/chat/teams/teams-app.ts";

export const ISSUER = "https://api.botframework.com";
export const KEY_ID = "hsm-test-key";

const b64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

export interface TokenServer {
  /** A distinct metadata URL for each set of endpoints: botbuilder caches keys per URL for 24 h. */
  endpoints(): BotFrameworkEndpoints;
  /** A token as the Bot Connector would send it, with `claims` changed or added. */
  token(claims?: Record<string, unknown>, options?: { key?: KeyObject; kid?: string }): string;
  /** The same payload with `alg: none` and no signature. */
  unsigned(claims?: Record<string, unknown>): string;
  /** HS256 keyed with the public key's PEM: the algorithm-confusion forgery. */
  hs256(claims?: Record<string, unknown>): string;
  /** A key botbuilder does not know. */
  otherKey: KeyObject;
  requests: string[];
  close(): Promise<void>;
}

export async function startTokenServer(defaults: { appId: string; serviceUrl: string }): Promise<TokenServer> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const requests: string[] = [];
  let base = "";
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    requests.push(path);
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const metadata = /^\/(\w+)\/\.well-known\/openidconfiguration$/.exec(path);
    if (metadata)
      return json({
        issuer: ISSUER,
        authorization_endpoint: "https://invalid.botframework.com",
        jwks_uri: `${base}/${metadata[1]}/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
    if (/^\/\w+\/keys$/.test(path))
      return json({ keys: [{ kty: "RSA", use: "sig", kid: KEY_ID, n: jwk.n, e: jwk.e, endorsements: ["msteams"] }] });
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const payload = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: ISSUER,
      aud: defaults.appId,
      serviceurl: defaults.serviceUrl,
      nbf: now - 60,
      exp: now + 3600,
      ...claims,
    };
  };
  const signed = (header: Record<string, unknown>, claims: Record<string, unknown>, signer: (data: string) => Buffer) => {
    const data = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload(claims)))}`;
    return `${data}.${b64url(signer(data))}`;
  };
  return {
    endpoints() {
      const id = randomBytes(6).toString("hex");
      return {
        toBotFromChannelOpenIdMetadataUrl: `${base}/${id}/.well-known/openidconfiguration`,
        toBotFromChannelTokenIssuer: ISSUER,
        toBotFromEmulatorOpenIdMetadataUrl: `${base}/${id}emulator/.well-known/openidconfiguration`,
        toChannelFromBotLoginUrl: `${base}/login/botframework.com`,
        toChannelFromBotOAuthScope: ISSUER,
        oAuthUrl: `${base}/oauth`,
        callerId: "urn:botframework:azure",
        validateAuthority: true,
      };
    },
    token: (claims = {}, options = {}) =>
      signed({ alg: "RS256", typ: "JWT", kid: options.kid ?? KEY_ID }, claims, (data) =>
        sign("sha256", Buffer.from(data), options.key ?? privateKey),
      ),
    unsigned: (claims = {}) => signed({ alg: "none", typ: "JWT", kid: KEY_ID }, claims, () => Buffer.alloc(0)),
    hs256: (claims = {}) =>
      signed({ alg: "HS256", typ: "JWT", kid: KEY_ID }, claims, (data) =>
        createHmac("sha256", publicKey.export({ format: "pem", type: "spki" }))
          .update(data)
          .digest(),
      ),
    otherKey: other.privateKey,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Outbound credentials without MSAL (which refuses a plain-http authority): the bot's calls to the
 * connector carry `Bearer outbound:<appId>`. Only createCredentials is replaced; which app ids are
 * valid (also for the inbound audience check) is still botbuilder's.
 */
export class LocalCredentialsFactory extends PasswordServiceClientCredentialFactory {
  override async createCredentials(appId: string, audience: string, loginEndpoint: string, validateAuthority: boolean) {
    if (await this.isAuthenticationDisabled()) return super.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    if (!(await this.isValidAppId(appId))) throw new Error("Invalid appId.");
    return new TokenCredentials(`outbound:${appId}`);
  }
}
