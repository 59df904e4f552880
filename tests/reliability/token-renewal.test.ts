/**
 * A token Graph refuses before it expires (revoked: a password reset, a disabled app, Continuous
 * Access Evaluation) is replaced by a genuinely new one from the real @azure/identity credential,
 * against the emulator's token endpoint over TLS: through the real dynamic-provider host between
 * two operations, and through the Graph client for token lifetimes. The emulator's journal shows
 * every request: one 401, one sign-in, one retried request, nothing more.
 */
import { decodeJwt } from "jose";
import { startEmulator, type Emulator, type JournalEntry } from "../../emulator";
import { resolveSettings } from "../../provider/config";
import { createGraphClient, ThrottleGate } from "../../provider/graph";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";
import { outcomeOf, RIG_REQUEST_TIMEOUT_SECONDS, RIG_RETRY_BUDGET_SECONDS } from "./rig";

const APP = {
  clientId: "7e40cafe-0000-4000-8000-0000000000a1",
  displayName: "token-renewal-app",
  clientSecret: "RENEWALSECRET~8d2f-token-renewal-only",
};
const urn = urnFor("renewal");
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/;

let emulator: Emulator;
let provider: string;
let programDir: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  emulator.apps.register(APP);
  provider = await serializedProviderText();
  programDir = makeProgramDir();
});
afterAll(async () => {
  await emulator?.close();
});

const clientSecretConfig = () => ({
  "m365-backup:graphEndpoint": emulator.url,
  "m365-backup:authorityHost": emulator.url,
  "m365-backup:tenantId": emulator.tenantId,
  "m365-backup:clientId": APP.clientId,
  "m365-backup:clientSecret": APP.clientSecret,
  "m365-backup:retryBudgetSeconds": RIG_RETRY_BUDGET_SECONDS,
  "m365-backup:requestTimeoutSeconds": RIG_REQUEST_TIMEOUT_SECONDS,
});

const inputs = () => ({
  siteRestoreArtifacts: [{ restorePointId: emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId) }],
  destinationType: "new",
  activate: false,
  __provider: provider,
});

const tokenPath = () => `/${emulator.tenantId}/oauth2/v2.0/token`;
const discoveryPath = () => `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`;
const sessionPath = (id: string) => `/v1.0/solutions/backupRestore/restoreSessions/${id}`;
const artifactsPath = (id: string) => `/v1.0/solutions/backupRestore/sharePointRestoreSessions/${id}/siteRestoreArtifacts`;

/** The journal as method, path and status, in order. */
const requests = (entries: JournalEntry[] = emulator.journal.entries()) => entries.map((e) => [e.method, e.path, e.status]);

/** The access-token claims a token request asked for (MSAL adds id_token hints of its own). */
const claimsOf = (entry: JournalEntry | undefined) =>
  (JSON.parse((entry?.body as Record<string, string>).claims ?? "{}") as { access_token?: unknown }).access_token;

async function withHost<T>(config: Record<string, string>, run: (host: Host) => Promise<T>): Promise<T> {
  const host = await startHost({ cwd: programDir });
  try {
    await host.configure(config, { secretKeys: Object.keys(config).filter((key) => /secret|token/i.test(key)) });
    return await run(host);
  } finally {
    await host.close();
  }
}

describe("through the provider host, with the client secret sign-in", () => {
  test("a token revoked between two operations is replaced: one 401, one sign-in past the cache, one retried request", async () => {
    await withHost(clientSecretConfig(), async (host) => {
      emulator.journal.clear();
      const created = await host.create(urn, inputs());
      const signIn = emulator.journal.entries().filter((e) => e.path === tokenPath());
      // Every token request declares the client CAE-capable, as the Azure SDK does.
      expect(signIn.map(claimsOf)).toEqual([{ xms_cc: { values: ["cp1"] } }]);

      emulator.apps.revokeTokens(APP.clientId);
      emulator.journal.clear();
      const read = await host.read(created.id, urn, created.properties);

      expect(read.id).toBe(created.id);
      expect(requests()).toEqual([
        ["GET", sessionPath(created.id), 401],
        // A new credential: MSAL's cache (holding the revoked token) is left behind, with its metadata.
        ["GET", discoveryPath(), 200],
        ["POST", tokenPath(), 200],
        ["GET", sessionPath(created.id), 200],
        ["GET", artifactsPath(created.id), 200],
      ]);
      expect(claimsOf(emulator.journal.entries()[2])).toEqual({ xms_cc: { values: ["cp1"] } });

      // The new token stays in use: the next operation signs in no more.
      emulator.journal.clear();
      await host.read(created.id, urn, created.properties);
      expect(requests()).toEqual([
        ["GET", sessionPath(created.id), 200],
        ["GET", artifactsPath(created.id), 200],
      ]);
      await host.delete(created.id, urn, created.properties);
    });
  });

  test("a Continuous Access Evaluation challenge is answered with a token carrying its claims, from the same credential", async () => {
    await withHost(clientSecretConfig(), async (host) => {
      const created = await host.create(urn, inputs());
      const before = Math.floor(Date.now() / 1000);
      emulator.apps.revokeTokens(APP.clientId, { claimsChallenge: true });
      const after = Math.floor(Date.now() / 1000);
      emulator.journal.clear();
      const read = await host.read(created.id, urn, created.properties);

      expect(read.id).toBe(created.id);
      expect(requests()).toEqual([
        ["GET", sessionPath(created.id), 401],
        ["POST", tokenPath(), 200],
        ["GET", sessionPath(created.id), 200],
        ["GET", artifactsPath(created.id), 200],
      ]);
      // The challenge's demand (a token issued after the revocation), merged with the CAE capability.
      const claims = claimsOf(emulator.journal.entries()[1]) as { nbf: { value: string } };
      expect(claims).toEqual({ nbf: { essential: true, value: expect.stringMatching(/^\d+$/) }, xms_cc: { values: ["cp1"] } });
      expect(Number(claims.nbf.value)).toBeGreaterThanOrEqual(before);
      expect(Number(claims.nbf.value)).toBeLessThanOrEqual(after);
      await host.delete(created.id, urn, created.properties);
    });
  });

  test("a freshly issued token that is refused too fails the operation with an error naming the sign-in, after one retry", async () => {
    await withHost(clientSecretConfig(), async (host) => {
      const created = await host.create(urn, inputs());
      emulator.faults.add({ method: "GET", path: "/solutions/backupRestore/restoreSessions/{id}", status: 401, times: 2 });
      emulator.journal.clear();
      const outcome = await outcomeOf(() => host.read(created.id, urn, created.properties));

      expect(requests()).toEqual([
        ["GET", sessionPath(created.id), 401],
        ["GET", discoveryPath(), 200],
        ["POST", tokenPath(), 200],
        ["GET", sessionPath(created.id), 401],
      ]);
      expect(outcome.ok).toBe(false);
      const details = outcome.ok ? "" : outcome.error.details;
      expect(details).toContain(
        "Microsoft Graph refused a freshly issued token from the client secret sign-in (m365-backup:clientSecret); " +
          "the sign-in works but Graph does not accept its tokens: check that the tenant (m365-backup:tenantId) and the authority " +
          "(m365-backup:authorityHost) belong to the cloud of m365-backup:graphEndpoint, and that the application is enabled and not " +
          `blocked by Conditional Access. GET ${sessionPath(created.id)} -> 401 InvalidAuthenticationToken: Injected fault: HTTP 401. (request-id ${emulator.journal.entries()[3]?.requestId})`,
      );
      expect(details).not.toMatch(JWT);
      expect(details).not.toContain(APP.clientSecret);
      emulator.faults.clear();
      await host.delete(created.id, urn, created.properties);
    });
  });

  test("a fixed access token that is revoked fails at once, saying it cannot be refreshed and how to fix it", async () => {
    const token = emulator.issueToken(APP.clientId);
    const config = { "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": token };
    await withHost(config, async (host) => {
      const created = await host.create(urn, inputs());
      emulator.apps.revokeTokens(APP.clientId);
      emulator.journal.clear();
      const outcome = await outcomeOf(() => host.read(created.id, urn, created.properties));

      expect(requests()).toEqual([["GET", sessionPath(created.id), 401]]);
      const details = outcome.ok ? "" : outcome.error.details;
      expect(details).toContain(
        "Microsoft Graph refused the token from the m365-backup:accessToken setting (or M365_BACKUP_ACCESS_TOKEN), " +
          "and no other can be had from it: a fixed token cannot be refreshed; set a new one, or remove it and configure a sign-in " +
          "(m365-backup:clientSecret, clientCertificatePath, useOidc, useMsi or useCli) so the provider renews tokens itself. " +
          `GET ${sessionPath(created.id)} -> 401 InvalidAuthenticationToken: Access token is empty, expired or not valid for this tenant. ` +
          `(request-id ${emulator.journal.entries()[0]?.requestId})`,
      );
      expect(details).not.toMatch(JWT);
      emulator.tenant.deleteSession(created.id);
    });
  });
});

describe("token lifetime, through the Graph client and the real credential", () => {
  /** A client signed in with the client secret at `target`'s authority, recording the bearer token of each Graph request. */
  function recordingClient(target: Emulator) {
    const config: Record<string, string> = {
      "m365-backup:graphEndpoint": target.url,
      "m365-backup:authorityHost": target.url,
      "m365-backup:tenantId": target.tenantId,
      "m365-backup:clientId": APP.clientId,
      "m365-backup:clientSecret": APP.clientSecret,
    };
    const bearers: string[] = [];
    const client = createGraphClient(resolveSettings({ get: (key) => config[key] }, {}), {
      throttle: new ThrottleGate(),
      fetch: async (input, init) => {
        bearers.push(new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "") ?? "");
        return fetch(input, init);
      },
    });
    return { client, bearers };
  }

  test("an hour-long token is signed in for once and reused", async () => {
    const { client, bearers } = recordingClient(emulator);
    emulator.journal.clear();
    await client.listRestoreSessions();
    await client.listRestoreSessions();
    expect(requests()).toEqual([
      ["GET", discoveryPath(), 200],
      ["POST", tokenPath(), 200],
      ["GET", "/v1.0/solutions/backupRestore/restoreSessions", 200],
      ["GET", "/v1.0/solutions/backupRestore/restoreSessions", 200],
    ]);
    expect(new Set(bearers).size).toBe(1);
  });

  test("a token within the five-minute refresh margin is replaced before it expires, never refused", async () => {
    // Four and a half minutes: inside the margin from the start, so every request needs a new token while the
    // previous one is still valid; MSAL's own cache must let it through as well.
    const shortLived = await startEmulator({ tls: testCa(), tokenLifetimeSeconds: 270 });
    try {
      shortLived.apps.register(APP);
      const { client, bearers } = recordingClient(shortLived);
      await client.listRestoreSessions();
      await client.listRestoreSessions();

      expect(requests(shortLived.journal.entries())).toEqual([
        ["GET", `/${shortLived.tenantId}/v2.0/.well-known/openid-configuration`, 200],
        ["POST", `/${shortLived.tenantId}/oauth2/v2.0/token`, 200],
        ["GET", "/v1.0/solutions/backupRestore/restoreSessions", 200],
        ["POST", `/${shortLived.tenantId}/oauth2/v2.0/token`, 200],
        ["GET", "/v1.0/solutions/backupRestore/restoreSessions", 200],
      ]);
      const [first, second] = bearers;
      expect(first).not.toBe(second);
      expect((decodeJwt(first!).exp as number) - (decodeJwt(first!).iat as number)).toBe(270);
      // Replaced before it expired: the first token is still accepted after its successor was issued.
      const stillValid = await shortLived.fetch(
        new Request(`${shortLived.url}/v1.0/solutions/backupRestore/restoreSessions`, { headers: { authorization: `Bearer ${first}` } }),
      );
      expect(stillValid.status).toBe(200);
    } finally {
      await shortLived.close();
    }
  });
});
