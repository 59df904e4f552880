import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { Settings } from "../config";
import { CredentialError } from "./credential-error";
import { createCredential, describeCredentialFailure, SIGN_INS, type SignInDescription } from "./credentials";
import type { SecretRedactor } from "./redact";

/** Where the auth middleware gets bearer tokens, and new ones when Graph refuses one. */
export interface TokenSource {
  /** The sign-in the tokens come from, for error messages. */
  readonly signIn: SignInDescription;
  /** A token for the next request; a cached one until shortly before it expires. */
  getToken(): Promise<string>;
  /**
   * A token to replace `refused`, which Graph answered with 401: one carrying `claims` (a decoded
   * claims challenge) when given, else one from outside every cache. Returns `refused` itself when
   * this sign-in can give no other.
   */
  renewToken(refused: string, claims?: string): Promise<string>;
}

/** Refresh this long before expiry, so a token never expires in flight. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Every token request declares the client able to answer claims challenges (`cp1`), as the Azure
 * SDK's bearer-token policy does: Graph then revokes through challenges instead of plain refusals.
 */
const CAE: GetTokenOptions = { enableCae: true };

/** The token source for the configured sign-in, or for `getToken` when the caller supplies tokens. */
export function tokenSourceFor(
  settings: Settings,
  options: { getToken?: () => Promise<string>; fetch: typeof fetch; redactor: SecretRedactor; env?: NodeJS.ProcessEnv },
): TokenSource {
  if (options.getToken !== undefined) return callbackTokenSource(options.getToken, options.redactor);
  const credentials = settings.credentials;
  if (credentials.kind === "accessToken") return staticTokenSource(credentials.token);
  return credentialTokenSource({
    createCredential: () =>
      createCredential(credentials, { authorityHost: settings.authorityHost, env: options.env ?? process.env, fetch: options.fetch }),
    scope: `${settings.graphEndpoint}/.default`,
    redactor: options.redactor,
    signIn: SIGN_INS[credentials.kind],
    describeFailure: (reason) => describeCredentialFailure(credentials, reason),
  });
}

/** A fixed bearer token (the `accessToken` setting): renewing it gives the same token. */
export function staticTokenSource(token: string): TokenSource {
  return { signIn: SIGN_INS.accessToken, getToken: async () => token, renewToken: async () => token };
}

/** Tokens from a caller-supplied function (tests, or an embedding program), asked anew for every request. */
export function callbackTokenSource(getToken: () => Promise<string>, redactor: SecretRedactor): TokenSource {
  const next = async (): Promise<string> => {
    const token = await getToken();
    redactor.add(token);
    return token;
  };
  return { signIn: SIGN_INS.callback, getToken: next, renewToken: next };
}

/** What `credentialTokenSource` is built from. */
export interface CredentialTokenSourceOptions {
  /** Builds a new @azure/identity credential; called again to get past its token cache. */
  createCredential: () => TokenCredential;
  scope: string;
  redactor: SecretRedactor;
  signIn: SignInDescription;
  /** The sentence a sign-in failure becomes (before redaction). */
  describeFailure: (reason: string) => string;
}

/**
 * Tokens from an @azure/identity credential, cached and refreshed before they expire. Concurrent
 * callers share one sign-in, renewals included. A renewal after a claims challenge asks the same
 * credential with the claims (MSAL skips its cache for them); any other renewal builds a new
 * credential, whose cache is empty, and keeps it. Failures become a redacted `CredentialError`.
 */
export function credentialTokenSource(options: CredentialTokenSourceOptions): TokenSource {
  const { scope, redactor } = options;
  let credential: TokenCredential | undefined;
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;

  const ask = async (from: TokenCredential, claims: string | undefined): Promise<AccessToken> => {
    let token: AccessToken | null;
    try {
      token = await from.getToken(scope, claims === undefined ? CAE : { ...CAE, claims });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CredentialError(redactor.redact(options.describeFailure(message)));
    }
    if (token === null) throw new CredentialError(options.describeFailure("the credential returned no token"));
    redactor.add(token.token);
    return token;
  };
  const shared = async (fetchToken: () => Promise<AccessToken>): Promise<string> => {
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached.token;
  };

  return {
    signIn: options.signIn,
    async getToken() {
      if (pending === undefined && cached !== undefined && Date.now() < refreshAt(cached)) return cached.token;
      return shared(() => ask((credential ??= options.createCredential()), undefined));
    },
    async renewToken(refused, claims) {
      await pending?.catch(() => undefined);
      // Another request that was refused at the same time has already renewed it.
      if (cached !== undefined && cached.token !== refused) return cached.token;
      const current = credential;
      if (claims !== undefined && current !== undefined) return shared(() => ask(current, claims));
      return shared(() => ask((credential = options.createCredential()), claims));
    },
  };
}

/** When to stop using a token: the service's refresh hint, else five minutes before it expires. */
function refreshAt(token: AccessToken): number {
  return token.refreshAfterTimestamp ?? token.expiresOnTimestamp - REFRESH_MARGIN_MS;
}
