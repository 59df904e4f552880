/**
 * A refused token (401) is replaced by a genuinely new one, exactly once: the auth middleware with a
 * fake transport and fake @azure/identity credentials, request by request and call by call.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { Context } from "@microsoft/microsoft-graph-client";
import type { Settings } from "../../provider/config";
import { createGraphClient, CredentialError, TokenRefusedError } from "../../provider/graph";
import { AuthMiddleware } from "../../provider/graph/auth-middleware";
import { claimsChallengeOf } from "../../provider/graph/claims-challenge";
import { describeCredentialFailure, SIGN_INS } from "../../provider/graph/credentials";
import { SecretRedactor } from "../../provider/graph/redact";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { credentialTokenSource, REFRESH_MARGIN_MS, staticTokenSource, type TokenSource } from "../../provider/graph/token-source";
import { TransportMiddleware } from "../../provider/graph/transport-middleware";
import { graphError, json, scriptedFetch, sessionBody } from "./graph-fake-fetch";

const ENDPOINT = "https://127.0.0.1:8443";
const SESSION_URL = `${ENDPOINT}/v1.0/solutions/backupRestore/restoreSessions/s-1`;
const SCOPE = `${ENDPOINT}/.default`;
const HOUR = 60 * 60_000;
// Graph's documented CAE challenge: claims = base64 of {"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}.
const CLAIMS = '{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}';
const CAE_CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
  `client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString("base64")}"`;
const FRESH_ADVICE =
  "the sign-in works but Graph does not accept its tokens: check that the tenant (m365-backup:tenantId) and the authority " +
  "(m365-backup:authorityHost) belong to the cloud of m365-backup:graphEndpoint, and that the application is enabled and not " +
  "blocked by Conditional Access";

/** Fake credentials that hand out numbered tokens and record every call, by credential instance. */
function fakeCredentials(options: { sameTokenEveryTime?: boolean } = {}) {
  const calls: { credential: number; scope: string; options: GetTokenOptions | undefined }[] = [];
  let issued = 0;
  let built = 0;
  const create = (): TokenCredential => {
    const credential = ++built;
    return {
      getToken: async (scope: string | string[], getTokenOptions?: GetTokenOptions): Promise<AccessToken> => {
        calls.push({ credential, scope: String(scope), options: getTokenOptions });
        if (!options.sameTokenEveryTime) issued++;
        return { token: `eyJ.token-${Math.max(issued, 1)}-0123456789`, expiresOnTimestamp: Date.now() + HOUR };
      },
    };
  };
  return { create, calls, built: () => built };
}

function sourceFrom(create: () => TokenCredential, signIn = SIGN_INS.clientSecret): TokenSource {
  return credentialTokenSource({
    createCredential: create,
    scope: SCOPE,
    redactor: new SecretRedactor(),
    signIn,
    describeFailure: (reason) =>
      describeCredentialFailure({ kind: "clientSecret", tenantId: "t", clientId: "c", clientSecret: "s" }, reason),
  });
}

/** Runs one request through auth -> transport, as the pipeline does, answering from `replies`. */
async function send(tokens: TokenSource, ...replies: Parameters<typeof scriptedFetch>) {
  const transport = scriptedFetch(...replies);
  const auth = new AuthMiddleware(ENDPOINT, tokens);
  auth.setNext(new TransportMiddleware(transport.fetch));
  const context: Context = { request: SESSION_URL, options: { method: "GET", headers: {} } };
  const outcome = await auth.execute(context).then(
    () => ({ status: (context.response as Response).status }),
    (error: unknown) => ({ error }),
  );
  return { ...outcome, authorizations: transport.requests.map((r) => r.headers.authorization) };
}

const cae = { enableCae: true };

describe("a 401 gets a genuinely new token and one retry", () => {
  it("without a challenge: a new credential (empty cache) signs in, the request is sent once more with its token", async () => {
    const credentials = fakeCredentials();
    const result = await send(
      sourceFrom(credentials.create),
      graphError(401, "InvalidAuthenticationToken", "revoked", "r1"),
      json(200, {}),
    );
    expect(result).toEqual({ status: 200, authorizations: ["Bearer eyJ.token-1-0123456789", "Bearer eyJ.token-2-0123456789"] });
    expect(credentials.calls).toEqual([
      { credential: 1, scope: SCOPE, options: cae },
      { credential: 2, scope: SCOPE, options: cae },
    ]);
  });

  it("with an insufficient_claims challenge: the same credential is asked for a token with the decoded claims", async () => {
    const credentials = fakeCredentials();
    const result = await send(
      sourceFrom(credentials.create),
      graphError(401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge", "r1", {
        "WWW-Authenticate": CAE_CHALLENGE,
      }),
      json(200, {}),
    );
    expect(result).toEqual({ status: 200, authorizations: ["Bearer eyJ.token-1-0123456789", "Bearer eyJ.token-2-0123456789"] });
    expect(credentials.calls).toEqual([
      { credential: 1, scope: SCOPE, options: cae },
      { credential: 1, scope: SCOPE, options: { enableCae: true, claims: CLAIMS } },
    ]);
  });

  it("uses the new credential from then on", async () => {
    const credentials = fakeCredentials();
    const source = sourceFrom(credentials.create);
    await send(source, graphError(401, "InvalidAuthenticationToken", "revoked", "r1"), json(200, {}));
    expect(await source.getToken()).toBe("eyJ.token-2-0123456789");
    expect(credentials.built()).toBe(2);
    expect(credentials.calls).toHaveLength(2);
  });

  it("leaves other refusals alone: a 403 is neither renewed nor retried", async () => {
    const credentials = fakeCredentials();
    const result = await send(sourceFrom(credentials.create), graphError(403, "Forbidden", "no role", "r1"));
    expect(result).toEqual({ status: 403, authorizations: ["Bearer eyJ.token-1-0123456789"] });
    expect(credentials.calls).toHaveLength(1);
  });

  it("requests refused at the same time share one renewal", async () => {
    const credentials = fakeCredentials();
    const source = sourceFrom(credentials.create);
    const refused = () => graphError(401, "InvalidAuthenticationToken", "revoked", "r");
    const [a, b] = await Promise.all([send(source, refused(), json(200, {})), send(source, refused(), json(200, {}))]);
    expect([a, b]).toEqual([
      { status: 200, authorizations: ["Bearer eyJ.token-1-0123456789", "Bearer eyJ.token-2-0123456789"] },
      { status: 200, authorizations: ["Bearer eyJ.token-1-0123456789", "Bearer eyJ.token-2-0123456789"] },
    ]);
    expect(credentials.calls.map((call) => call.credential)).toEqual([1, 2]);
  });
});

describe("when no accepted token can be had", () => {
  it("a refused fresh token fails with a TokenRefusedError naming the sign-in, after exactly two requests, without the token", async () => {
    const credentials = fakeCredentials();
    const result = await send(
      sourceFrom(credentials.create),
      graphError(401, "InvalidAuthenticationToken", "revoked", "r1"),
      graphError(401, "InvalidAuthenticationToken", "bad token Bearer eyJ.token-2-0123456789 and eyJ.token-2-0123456789", "r2"),
    );
    expect(result.authorizations).toEqual(["Bearer eyJ.token-1-0123456789", "Bearer eyJ.token-2-0123456789"]);
    const error = (result as { error: TokenRefusedError }).error;
    expect(error).toBeInstanceOf(TokenRefusedError);
    expect(error).toBeInstanceOf(CredentialError);
    expect({
      name: error.name,
      status: error.status,
      code: error.code,
      requestId: error.requestId,
      method: error.method,
      path: error.path,
    }).toEqual({
      name: "TokenRefusedError",
      status: 401,
      code: "InvalidAuthenticationToken",
      requestId: "r2",
      method: "GET",
      path: "/v1.0/solutions/backupRestore/restoreSessions/s-1",
    });
    expect(error.message).toBe(
      `Microsoft Graph refused a freshly issued token from the client secret sign-in (m365-backup:clientSecret); ${FRESH_ADVICE}. ` +
        "GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 401 InvalidAuthenticationToken: bad token Bearer [REDACTED] and [REDACTED] (request-id r2)",
    );
  });

  it("a sign-in that hands back the refused token again fails at once, saying why, without a second request", async () => {
    const credentials = fakeCredentials({ sameTokenEveryTime: true });
    const result = await send(sourceFrom(credentials.create, SIGN_INS.cli), graphError(401, "InvalidAuthenticationToken", "revoked", "r1"));
    expect(result.authorizations).toEqual(["Bearer eyJ.token-1-0123456789"]);
    expect((result as { error: Error }).error.message).toBe(
      "Microsoft Graph refused the token from the Azure CLI sign-in (m365-backup:useCli), and no other can be had from it: " +
        "the Azure CLI keeps handing out its cached token; sign in again with `az login`. " +
        "GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 401 InvalidAuthenticationToken: revoked (request-id r1)",
    );
    expect(credentials.calls.map((call) => call.credential)).toEqual([1, 2]);
  });

  it("a fixed access token is not retried: the error says it cannot be refreshed and how to fix it", async () => {
    const result = await send(
      staticTokenSource("eyJ.fixed-token-0123456789"),
      graphError(401, "InvalidAuthenticationToken", "expired", "r1"),
    );
    expect(result.authorizations).toEqual(["Bearer eyJ.fixed-token-0123456789"]);
    expect((result as { error: Error }).error.message).toBe(
      "Microsoft Graph refused the token from the m365-backup:accessToken setting (or M365_BACKUP_ACCESS_TOKEN), and no other can be had from it: " +
        "a fixed token cannot be refreshed; set a new one, or remove it and configure a sign-in " +
        "(m365-backup:clientSecret, clientCertificatePath, useOidc, useMsi or useCli) so the provider renews tokens itself. " +
        "GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 401 InvalidAuthenticationToken: expired (request-id r1)",
    );
  });

  it("a claims challenge the sign-in cannot meet (Azure CLI) is a CredentialError carrying the CLI's advice, after one request", async () => {
    const cli: TokenCredential = {
      getToken: async (_scope, options) => {
        if (options?.claims) throw new Error("This credential doesn't support claims challenges. Run: az login --claims-challenge ...");
        return { token: "eyJ.cli-token-0123456789", expiresOnTimestamp: Date.now() + HOUR };
      },
    };
    const source = credentialTokenSource({
      createCredential: () => cli,
      scope: SCOPE,
      redactor: new SecretRedactor(),
      signIn: SIGN_INS.cli,
      describeFailure: (reason) => describeCredentialFailure({ kind: "cli" }, reason),
    });
    const result = await send(
      source,
      graphError(401, "InvalidAuthenticationToken", "challenge", "r1", { "WWW-Authenticate": CAE_CHALLENGE }),
    );
    expect(result.authorizations).toHaveLength(1);
    expect((result as { error: Error }).error).toEqual(
      new CredentialError(
        "signing in to Microsoft Entra ID with cli credentials failed: This credential doesn't support claims challenges. Run: az login --claims-challenge ...",
      ),
    );
  });
});

describe("through the whole client", () => {
  const settings: Settings = {
    graphEndpoint: ENDPOINT,
    apiVersion: "v1.0",
    credentials: { kind: "accessToken", token: "eyJ.fixed-token-0123456789" },
  };

  it("a fixed token's 401 is a TokenRefusedError after one request, not retried by the retry loop", async () => {
    const transport = scriptedFetch(graphError(401, "InvalidAuthenticationToken", "expired", "r1"));
    const client = createGraphClient(settings, { throttle: new ThrottleGate(), fetch: transport.fetch });
    await expect(client.getSession("s-1")).rejects.toBeInstanceOf(TokenRefusedError);
    expect(transport.requests).toHaveLength(1);
  });

  it("a getToken callback is asked again after a 401 and the call is sent once more", async () => {
    const transport = scriptedFetch(graphError(401, "InvalidAuthenticationToken", "expired", "r1"), json(200, sessionBody("s-1")));
    const issued = ["eyJ.token-one-0123456789", "eyJ.token-two-0123456789"];
    const client = createGraphClient(settings, {
      throttle: new ThrottleGate(),
      fetch: transport.fetch,
      getToken: async () => issued.shift()!,
    });
    expect((await client.getSession("s-1"))?.id).toBe("s-1");
    expect(transport.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer eyJ.token-one-0123456789",
      "Bearer eyJ.token-two-0123456789",
    ]);
  });
});

describe("credential token source", () => {
  it("caches a token, refreshes it five minutes before expiry, and shares one sign-in between concurrent callers", async () => {
    const now = Date.parse("2026-11-28T21:00:00Z");
    const clock = jest.spyOn(Date, "now").mockReturnValue(now);
    try {
      const expiries = [now + HOUR, now + 2 * HOUR];
      const calls: GetTokenOptions[] = [];
      const credential: TokenCredential = {
        getToken: async (_scope, options) => {
          calls.push(options ?? {});
          return { token: `eyJ.token-${calls.length}-0123456789`, expiresOnTimestamp: expiries[calls.length - 1]! };
        },
      };
      const source = sourceFrom(() => credential);
      expect(await Promise.all([source.getToken(), source.getToken()])).toEqual(["eyJ.token-1-0123456789", "eyJ.token-1-0123456789"]);
      clock.mockReturnValue(now + HOUR - REFRESH_MARGIN_MS - 1);
      expect(await source.getToken()).toBe("eyJ.token-1-0123456789");
      clock.mockReturnValue(now + HOUR - REFRESH_MARGIN_MS);
      expect(await source.getToken()).toBe("eyJ.token-2-0123456789");
      expect(calls).toEqual([cae, cae]);
    } finally {
      clock.mockRestore();
    }
  });

  it("wraps a sign-in failure in a CredentialError with known secrets masked", async () => {
    const redactor = new SecretRedactor();
    redactor.add("client-secret-value-0123456789");
    const source = credentialTokenSource({
      createCredential: () => ({
        getToken: async () => {
          throw new Error("AADSTS7000215: Invalid client secret provided: client-secret-value-0123456789");
        },
      }),
      scope: SCOPE,
      redactor,
      signIn: SIGN_INS.clientSecret,
      describeFailure: (reason) =>
        describeCredentialFailure({ kind: "clientSecret", tenantId: "t", clientId: "c", clientSecret: "x" }, reason),
    });
    await expect(source.getToken()).rejects.toEqual(
      new CredentialError(
        "signing in to Microsoft Entra ID with clientSecret credentials failed: AADSTS7000215: Invalid client secret provided: [REDACTED]",
      ),
    );
  });
});

describe("claimsChallengeOf", () => {
  it.each([
    ["Graph's CAE challenge", CAE_CHALLENGE, CLAIMS],
    ["lower-case scheme, claims first", `bearer claims="${Buffer.from(CLAIMS).toString("base64")}", error="insufficient_claims"`, CLAIMS],
    ["a plain 401 challenge", 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"', undefined],
    ["another error", `Bearer error="invalid_token", claims="${Buffer.from(CLAIMS).toString("base64")}"`, undefined],
    ["claims that are not base64", 'Bearer error="insufficient_claims", claims="not base64!"', undefined],
    ["claims that are not JSON", `Bearer error="insufficient_claims", claims="${Buffer.from("nbf=1").toString("base64")}"`, undefined],
    ["another scheme", `PoP error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString("base64")}"`, undefined],
    ["no header", null, undefined],
  ])("%s -> %j", (_name, header, expected) => {
    expect(claimsChallengeOf(header)).toBe(expected);
  });
});
