import { SHAREPOINT } from "../../provider/workloads";
import { ClientSecretCredential } from "@azure/identity";
import type { Settings } from "../../provider/config";
import { createGraphClient, CredentialError, GraphRequestError, UnsafeUrlError } from "../../provider/graph";
import { createCredential, describeCredentialFailure, gitHubActionsOidcToken } from "../../provider/graph/credentials";
import { graphError, json, recordingSleep, scriptedFetch } from "./graph-fake-fetch";
import { ThrottleGate } from "../../provider/graph/throttle-gate";

const TOKEN = "static-access-token-0123456789";
const settings: Settings = {
  graphEndpoint: "https://127.0.0.1:8443",
  apiVersion: "v1.0",
  credentials: { kind: "accessToken", token: TOKEN },
};
const ARTIFACTS = "https://127.0.0.1:8443/v1.0/solutions/backupRestore/sharePointRestoreSessions/s-1/siteRestoreArtifacts";

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("where tokens may go", () => {
  it.each([
    [
      "another host",
      "https://evil.example.com/v1.0/solutions/backupRestore/x?$skiptoken=1",
      "tokens are only sent to the configured Graph endpoint https://127.0.0.1:8443",
    ],
    ["another port", "https://127.0.0.1:9999/v1.0/x", "tokens are only sent to the configured Graph endpoint https://127.0.0.1:8443"],
    ["plain http", "http://127.0.0.1:8443/v1.0/x", "tokens are only sent over https"],
  ])("refuses an @odata.nextLink to %s without requesting it", async (_what, nextLink, reason) => {
    const transport = scriptedFetch(json(200, { value: [{ id: "a-1" }], "@odata.nextLink": nextLink }));
    const client = createGraphClient(settings, { throttle: new ThrottleGate(), fetch: transport.fetch });
    const error = await rejectionOf(client.listArtifacts(SHAREPOINT, "s-1"));
    expect(error).toBeInstanceOf(UnsafeUrlError);
    expect((error as Error).message).toBe(
      `refused to send a Graph request to ${new URL(nextLink).origin}${new URL(nextLink).pathname}${nextLink.includes("?") ? "?$skiptoken=…" : ""}: ${reason}`,
    );
    expect(transport.requests.map((r) => r.url)).toEqual([ARTIFACTS]);
  });

  it("refuses a plain-http Graph endpoint before any request", () => {
    expect(() => createGraphClient({ ...settings, graphEndpoint: "http://127.0.0.1:8443" })).toThrow(
      new UnsafeUrlError("http://127.0.0.1:8443/", "tokens are only sent over https"),
    );
  });

  it("does not follow redirects: a 302 becomes an error and nothing is sent to its target", async () => {
    const transport = scriptedFetch(new Response(null, { status: 302, headers: { location: "https://elsewhere.example.com/steal" } }));
    const client = createGraphClient(settings, { throttle: new ThrottleGate(), fetch: transport.fetch });
    const error = (await rejectionOf(client.getSession("s-1"))) as GraphRequestError;
    expect(error.message).toBe("GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 302; redirects are not followed");
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0]?.redirect).toBe("manual");
  });
});

describe("secrets stay out of logs and errors", () => {
  it("masks the token and the client secret even when the service echoes them", async () => {
    const secret = "client-secret-value-0123456789";
    const transport = scriptedFetch(
      graphError(400, "InvalidRequest", `bad header Bearer ${TOKEN} and ${secret}`, "r1", { "Retry-After": "1" }),
    );
    const lines: string[] = [];
    const client = createGraphClient(
      { ...settings, credentials: { kind: "clientSecret", tenantId: "t", clientId: "c", clientSecret: secret } },
      {
        throttle: new ThrottleGate(),
        fetch: transport.fetch,
        log: (line) => lines.push(line),
        getToken: async () => TOKEN,
        sleep: recordingSleep().sleep,
      },
    );
    const error = (await rejectionOf(client.getSession("s-1"))) as Error;
    expect(error.message).toBe(
      "GET /v1.0/solutions/backupRestore/restoreSessions/s-1 -> 400 InvalidRequest: bad header Bearer [REDACTED] and [REDACTED] (request-id r1)",
    );
    expect(lines).toEqual([
      expect.stringMatching(
        /^GET https:\/\/127\.0\.0\.1:8443\/v1\.0\/solutions\/backupRestore\/restoreSessions\/s-1 -> 400 in \d+ ms \(client-request-id [0-9a-f-]{36}\)$/,
      ),
    ]);
    expect(transport.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("logs one line per attempt and per retry, with query values masked and no headers", async () => {
    const transport = scriptedFetch(
      json(200, { value: [], "@odata.nextLink": `${ARTIFACTS}?$skiptoken=${TOKEN}` }),
      graphError(429, "TooManyRequests", "slow", "r", { "Retry-After": "1" }),
      json(200, { value: [] }),
    );
    const lines: string[] = [];
    const client = createGraphClient(settings, {
      throttle: new ThrottleGate(),
      fetch: transport.fetch,
      log: (line) => lines.push(line),
      sleep: recordingSleep().sleep,
    });
    await client.listArtifacts(SHAREPOINT, "s-1");
    expect(lines.map((line) => line.replace(/ in \d+ ms \(client-request-id [0-9a-f-]{36}\)/, " in N ms"))).toEqual([
      `GET ${ARTIFACTS} -> 200 in N ms`,
      `GET ${ARTIFACTS}?$skiptoken=… -> 429 in N ms`,
      `retrying GET ${ARTIFACTS}?$skiptoken=… in 1000 ms after HTTP 429 (attempt 2 of 10)`,
      `GET ${ARTIFACTS}?$skiptoken=… -> 200 in N ms`,
    ]);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toMatch(/authorization/i);
  });
});

describe("credentials", () => {
  it("says what was tried when nothing is configured", () => {
    expect(describeCredentialFailure({ kind: "default" }, "EnvironmentCredential is unavailable.")).toBe(
      "no Microsoft Graph credentials are configured and the Azure default credential chain found none. Tried, in order: " +
        "m365-backup:accessToken (M365_BACKUP_ACCESS_TOKEN); m365-backup:useOidc / useMsi / useCli (ARM_USE_OIDC, ARM_USE_MSI, ARM_USE_CLI); " +
        "m365-backup:clientCertificatePath (ARM_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PATH); " +
        "m365-backup:clientSecret (ARM_CLIENT_SECRET, AZURE_CLIENT_SECRET); then DefaultAzureCredential " +
        "(environment, workload identity, managed identity, Azure CLI, Azure Developer CLI, Azure PowerShell), which said: EnvironmentCredential is unavailable.",
    );
  });

  it("builds a client-secret credential for a custom authority host", () => {
    const credential = createCredential(
      { kind: "clientSecret", tenantId: "tenant", clientId: "client", clientSecret: "secret" },
      { authorityHost: "https://127.0.0.1:8443", env: {}, fetch: scriptedFetch().fetch },
    );
    expect(credential).toBeInstanceOf(ClientSecretCredential);
  });
});

describe("GitHub Actions OIDC", () => {
  it("requests the token with the Entra audience and the runner's bearer", async () => {
    const transport = scriptedFetch(json(200, { value: "github-oidc-jwt" }));
    const token = await gitHubActionsOidcToken(
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/oidc?api-version=2.0",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner-request-token",
      },
      transport.fetch,
    );
    expect(token).toBe("github-oidc-jwt");
    expect(transport.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      [
        "GET",
        "https://token.actions.example/oidc?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange",
        "Bearer runner-request-token",
      ],
    ]);
  });

  it("explains what is missing outside GitHub Actions", async () => {
    await expect(gitHubActionsOidcToken({}, scriptedFetch().fetch)).rejects.toThrow(CredentialError);
  });
});
