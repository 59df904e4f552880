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
