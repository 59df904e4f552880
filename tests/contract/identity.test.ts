/**
 * Contract: @azure/identity's client-secret credential signs in against the emulator's token
 * endpoint (authorityHost = emulator URL), and the token it gets opens the Graph endpoints. The
 * credential's HTTP goes through `emulator.fetch`, so the test does not depend on NODE_EXTRA_CA_CERTS
 * (the TLS path of the same flows is covered in auth.test.ts).
 */
import { ClientSecretCredential } from "@azure/identity";
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { Emulator } from "../../emulator";
import { RS, call, startFrozen } from "./emulator-helpers";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startFrozen();
});
afterAll(() => emulator.close());

/** An Azure pipeline HTTP client that sends every request to the emulator in process. */
function inProcessHttpClient(target: Emulator): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const body = typeof request.body === "string" ? request.body : undefined;
      const response = await target.fetch(new Request(request.url, { method: request.method, headers: request.headers.toJSON(), body }));
      const headers = createHttpHeaders();
      response.headers.forEach((value, name) => headers.set(name, value));
      return { request, status: response.status, headers, bodyAsText: await response.text() };
    },
  };
}

it("issues a token for the demo app's client secret that Graph accepts, with createdBy from its identity", async () => {
  const credential = new ClientSecretCredential(emulator.tenantId, emulator.demoApp.clientId, emulator.demoApp.clientSecret, {
    authorityHost: emulator.url,
    httpClient: inProcessHttpClient(emulator),
  });
  const token = await credential.getToken("https://graph.microsoft.com/.default");
  const created = await call(emulator, "POST", "/solutions/backupRestore/sharePointRestoreSessions", { token: token.token, body: {} });
  expect(created.body.createdBy).toEqual({ application: { id: emulator.demoApp.clientId, displayName: emulator.demoApp.displayName } });
  expect((await call(emulator, "GET", RS, { token: token.token })).status).toBe(200);
  const tokenCalls = emulator.journal.entries().filter((e) => e.path === `/${emulator.tenantId}/oauth2/v2.0/token`);
  expect(tokenCalls.map((e) => [e.method, e.status, (e.body as Record<string, string>).client_secret])).toEqual([
    ["POST", 200, "[redacted]"],
  ]);
});

it("refuses a wrong secret without repeating it", async () => {
  const credential = new ClientSecretCredential(emulator.tenantId, emulator.demoApp.clientId, "wrong-secret-value", {
    authorityHost: emulator.url,
    httpClient: inProcessHttpClient(emulator),
  });
  const failure = await credential.getToken("https://graph.microsoft.com/.default").catch((e: unknown) => e as Error);
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toMatch(/AADSTS7000215/);
  expect((failure as Error).message).not.toContain("wrong-secret-value");
});

describe("revoked tokens", () => {
  const APP = {
    clientId: "7e40cafe-0000-4000-8000-00000000c0de",
    displayName: "revocation-app",
    clientSecret: "revocation-app-secret-value",
  };
  const PLAIN = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"';

  async function tokenFromEndpoint(claims?: string): Promise<string> {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      scope: "https://graph.microsoft.com/.default",
      ...(claims !== undefined ? { claims } : {}),
    });
    const response = await emulator.fetch(
      new Request(`${emulator.url}/${emulator.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      }),
    );
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it("are refused by Graph with 401, a cp1 token with the insufficient_claims challenge in CAE mode; new tokens work", async () => {
    emulator.apps.register(APP);
    const plain = await tokenFromEndpoint();
    const capable = await tokenFromEndpoint('{"access_token":{"xms_cc":{"values":["cp1"]}}}');
    expect((await call(emulator, "GET", RS, { token: capable })).status).toBe(200);
    emulator.apps.revokeTokens(APP.clientId, { claimsChallenge: true });

    const refusedPlain = await call(emulator, "GET", RS, { token: plain });
    const refusedCapable = await call(emulator, "GET", RS, { token: capable });
    expect([refusedPlain.status, refusedPlain.body.error.code, refusedPlain.headers.get("www-authenticate")]).toEqual([
      401,
      "InvalidAuthenticationToken",
      PLAIN,
    ]);
    expect(refusedCapable.status).toBe(401);
    expect(refusedCapable.headers.get("www-authenticate")).toMatch(
      /^Bearer realm="", authorization_uri="[^"]+", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="[A-Za-z0-9+/=]+"$/,
    );
    expect((await call(emulator, "GET", RS, { token: await tokenFromEndpoint() })).status).toBe(200);
  });
});
