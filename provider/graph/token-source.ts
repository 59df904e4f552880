import type { AccessToken, TokenCredential } from "@azure/identity";
import { CredentialError } from "./credential-error";
import type { SecretRedactor } from "./redact";

/** Where the auth middleware gets bearer tokens. */
export interface TokenSource {
  getToken(options: { forceRefresh: boolean }): Promise<string>;
  /** False for a fixed token: asking again after a 401 would give the same one. */
  readonly refreshable: boolean;
}

/** Refresh this long before expiry, so a token never expires in flight. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** A fixed bearer token (the `accessToken` setting). */
export function staticTokenSource(token: string): TokenSource {
  return { refreshable: false, getToken: async () => token };
}

/** Tokens from a caller-supplied function (tests, or an embedding program). */
export function callbackTokenSource(getToken: () => Promise<string>, redactor: SecretRedactor): TokenSource {
  return {
    refreshable: true,
    getToken: async () => {
      const token = await getToken();
      redactor.add(token);
      return token;
    },
  };
}

/**
 * Tokens from an @azure/identity credential, cached and refreshed before they expire. Concurrent
 * callers share one sign-in; failures become a `CredentialError` whose text is redacted.
 */
export function credentialTokenSource(
  createCredential: () => TokenCredential,
  scope: string,
  redactor: SecretRedactor,
  describeFailure: (message: string) => string,
): TokenSource {
  let credential: TokenCredential | undefined;
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;

  const fetchToken = async (): Promise<AccessToken> => {
    credential ??= createCredential();
    let token: AccessToken | null;
    try {
      token = await credential.getToken(scope);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CredentialError(redactor.redact(describeFailure(message)));
    }
    if (token === null) throw new CredentialError(describeFailure("the credential returned no token"));
    redactor.add(token.token);
    return token;
  };

  return {
    refreshable: true,
    async getToken({ forceRefresh }) {
      const now = Date.now();
      if (!forceRefresh && cached !== undefined && now < (cached.refreshAfterTimestamp ?? cached.expiresOnTimestamp - REFRESH_MARGIN_MS)) {
        return cached.token;
      }
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      cached = await pending;
      return cached.token;
    },
  };
}
