/**
 * The emulator's authority against the real @azure/identity credentials over HTTPS, plus the
 * token endpoint's refusals and bearer verification.
 *
 * Run with NODE_EXTRA_CA_CERTS pointing at .test-ca/cert.pem (npm test does this).
 */
import { generateKeyPairSync, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuthenticationRequiredError,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  WorkloadIdentityCredential,
} from "@azure/identity";
import { SignJWT, decodeJwt } from "jose";
import { generate } from "selfsigned";
import { ALL_BACKUP_ROLES, Authority } from "../../emulator/auth";
import { serveHandler, type ServedHandler } from "../support/serve-handler";

const TENANT = "7d3c8f2e-5b1a-4c9d-8e6f-0a1b2c3d4e5f";
const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const SECRET_APP = {
  clientId: "a1b2c3d4-0000-4000-8000-1234567890ab",
  displayName: "pulumi-backup-controller",
  clientSecret: "Zq8~not-a-real-secret-9f3K",
};
const CERT_APP_ID = "b2c3d4e5-0000-4000-8000-1234567890ab";
const FEDERATED_APP_ID = "c3d4e5f6-0000-4000-8000-1234567890ab";
const FEDERATION = { issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/restore-drills:ref:refs/heads/main" };
const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`;
const DISCOVERY_PATH = `/${TENANT}/v2.0/.well-known/openid-configuration`;

const caDir = join(__dirname, "../../.test-ca");
const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const federatedKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
let workDir: string;
let certPemWithKey: string;
let server: ServedHandler;
let authority: Authority;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "auth-test-"));
  const appCert = await generate([{ name: "commonName", value: "restore-drills" }], { keySize: 2048, algorithm: "sha256" });
  certPemWithKey = `${appCert.cert}\n${appCert.private}`;
  authority = new Authority({ tenantId: TENANT, baseUrl: () => server.url, signingKey });
  authority.register(SECRET_APP);
  authority.register({
    clientId: CERT_APP_ID,
    displayName: "cert-app",
    certificatePem: appCert.cert,
    roles: ["BackupRestore-Restore.Read.All"],
  });
  authority.register({
    clientId: FEDERATED_APP_ID,
    displayName: "federated-app",
    federated: [{ ...FEDERATION, publicKeyPem: federatedKeys.publicKey.export({ type: "spki", format: "pem" }).toString() }],
  });
  server = await serveHandler((request) => authority.handle(request), {
    cert: readFileSync(join(caDir, "cert.pem"), "utf8"),
    key: readFileSync(join(caDir, "key.pem"), "utf8"),
  });
});

afterAll(async () => {
  await server.close();
  rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  server.requests.length = 0;
});

const options = () => ({ authorityHost: server.url, disableInstanceDiscovery: true });

/** Request lines without MSAL's random client-request-id query. */
const requestLines = () => server.requests.map((line) => line.replace(/\?client-request-id=[0-9a-f-]+$/, ""));

function federatedAssertion(claims: { iss?: string; sub?: string; aud?: string }, key: KeyObject = federatedKeys.privateKey) {
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(claims.iss ?? FEDERATION.issuer)
    .setSubject(claims.sub ?? FEDERATION.subject)
    .setAudience(claims.aud ?? "api://AzureADTokenExchange")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(key);
}

function postToken(fields: Record<string, string>): Promise<Response> {
  return authority.handle(
    new Request(`${server.url}${TOKEN_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "client-request-id": "00000000-1111-4222-8333-444444444444" },
      body: new URLSearchParams(fields).toString(),
    }),
  ) as Promise<Response>;
}

const secretForm = (overrides: Record<string, string> = {}) => ({
  grant_type: "client_credentials",
  client_id: SECRET_APP.clientId,
  client_secret: SECRET_APP.clientSecret,
  scope: GRAPH_SCOPE,
  ...overrides,
});

/** Sends a form to the token endpoint and returns status and the error fields that identify the refusal. */
async function refusal(fields: Record<string, string>) {
  const response = await postToken(fields);
  const text = await response.text();
  const body = JSON.parse(text) as Record<string, unknown>;
  return {
    status: response.status,
    error: body.error,
    error_codes: body.error_codes,
    descriptionStart: String(body.error_description).split(":")[0],
    correlation_id: body.correlation_id,
    keys: Object.keys(body).sort(),
    text,
  };
}

/** Signs claims with a key, as a token the authority did not issue but with its header. */
function forge(claims: Record<string, unknown>, like: string, key: KeyObject = signingKey): string {
  const header = like.split(".")[0];
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

describe("@azure/identity credentials against the emulator authority", () => {
  test("ClientSecretCredential gets a Graph token carrying the app identity and all backup roles", async () => {
    const credential = new ClientSecretCredential(TENANT, SECRET_APP.clientId, SECRET_APP.clientSecret, options());
    const token = await credential.getToken(GRAPH_SCOPE);

    expect(requestLines()).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`]);
    const claims = decodeJwt(token.token);
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${TENANT}/`,
      tid: TENANT,
      appid: SECRET_APP.clientId,
      app_displayname: "pulumi-backup-controller",
      roles: ALL_BACKUP_ROLES,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(authority.verifyBearer(`Bearer ${token.token}`)).toEqual({
      appId: SECRET_APP.clientId,
      displayName: "pulumi-backup-controller",
      tenantId: TENANT,
      roles: ALL_BACKUP_ROLES,
    });
  });

  test("ClientCertificateCredential signs an assertion the authority verifies with the registered certificate", async () => {
    const pemPath = join(workDir, "app.pem");
    writeFileSync(pemPath, certPemWithKey);
    const credential = new ClientCertificateCredential(TENANT, CERT_APP_ID, { certificatePath: pemPath }, options());
    const token = await credential.getToken(GRAPH_SCOPE);

    expect(requestLines()).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`]);
    expect(authority.verifyBearer(`Bearer ${token.token}`)).toEqual({
      appId: CERT_APP_ID,
      displayName: "cert-app",
      tenantId: TENANT,
      roles: ["BackupRestore-Restore.Read.All"],
    });
  });

  test("ClientAssertionCredential exchanges a federated token for a Graph token", async () => {
    const credential = new ClientAssertionCredential(TENANT, FEDERATED_APP_ID, () => federatedAssertion({}), options());
    const token = await credential.getToken(GRAPH_SCOPE);

    expect(requestLines()).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`]);
    expect(authority.verifyBearer(`Bearer ${token.token}`)).toEqual({
      appId: FEDERATED_APP_ID,
      displayName: "federated-app",
      tenantId: TENANT,
      roles: ALL_BACKUP_ROLES,
    });
  });

  test("WorkloadIdentityCredential reads the federated token file and gets a Graph token", async () => {
    const tokenFilePath = join(workDir, "federated-token");
    writeFileSync(tokenFilePath, await federatedAssertion({}));
    const credential = new WorkloadIdentityCredential({ tenantId: TENANT, clientId: FEDERATED_APP_ID, tokenFilePath, ...options() });
    const token = await credential.getToken(GRAPH_SCOPE);

    expect(requestLines()).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`]);
    expect(authority.verifyBearer(`Bearer ${token.token}`)?.appId).toBe(FEDERATED_APP_ID);
  });

  test("a wrong client secret fails with invalid_client and the secret is not in the error", async () => {
    const wrongSecret = "Wr0ng~secret-value-that-must-not-leak";
    const credential = new ClientSecretCredential(TENANT, SECRET_APP.clientId, wrongSecret, options());
    const failure = await credential.getToken(GRAPH_SCOPE).catch((error: unknown) => error);

    // @azure/identity wraps MSAL's server error; its message carries Entra's error and code.
    expect(failure).toBeInstanceOf(AuthenticationRequiredError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^invalid_client: Error\(s\): 7000215 - .* - Description: AADSTS7000215: Invalid client secret provided\./);
    expect(message).not.toContain(wrongSecret);
  });

  test("a scope other than Graph's /.default is refused by the credential", async () => {
    const credential = new ClientSecretCredential(TENANT, SECRET_APP.clientId, SECRET_APP.clientSecret, options());
    const failure = await credential.getToken("https://management.azure.com/.default").catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AuthenticationRequiredError);
    expect((failure as Error).message).toMatch(/^invalid_scope: Error\(s\): 1002012 - /);
  });
});

describe("token endpoint refusals", () => {
  test("wrong secret: 401 invalid_client in Entra's error shape, secret not echoed", async () => {
    const result = await refusal(secretForm({ client_secret: "guessed-secret-123" }));
    expect(result).toMatchObject({ status: 401, error: "invalid_client", error_codes: [7000215], descriptionStart: "AADSTS7000215" });
    expect(result.keys).toEqual(["correlation_id", "error", "error_codes", "error_description", "timestamp", "trace_id"]);
    expect(result.correlation_id).toBe("00000000-1111-4222-8333-444444444444");
    expect(result.text).not.toContain("guessed-secret-123");
  });

  test.each([
    ["another resource", "https://management.azure.com/.default", 400, "invalid_scope", 1002012],
    ["a delegated Graph scope", "https://graph.microsoft.com/User.Read", 400, "invalid_scope", 1002012],
    ["two resources", `${GRAPH_SCOPE} https://vault.azure.net/.default`, 400, "invalid_scope", 1002012],
  ])("scope for %s is refused: %s -> %i %s", async (_name, scope, status, error, code) => {
    expect(await refusal(secretForm({ scope }))).toMatchObject({ status, error, error_codes: [code] });
  });

  test.each([
    ["Graph by app id", "00000003-0000-0000-c000-000000000000/.default"],
    ["Graph with a double slash", "https://graph.microsoft.com//.default"],
  ])("scope for %s is accepted", async (_name, scope) => {
    expect((await postToken(secretForm({ scope }))).status).toBe(200);
  });

  test("the emulator's own host as the Graph resource is accepted", async () => {
    expect((await postToken(secretForm({ scope: `${server.url}/.default` }))).status).toBe(200);
  });

  test("success body has exactly Bearer type, lifetimes and the access token", async () => {
    const response = await postToken(secretForm());
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "ext_expires_in", "token_type"]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600 });
  });

  test("unsupported grant type: 400 unsupported_grant_type", async () => {
    expect(await refusal(secretForm({ grant_type: "password" }))).toMatchObject({
      status: 400,
      error: "unsupported_grant_type",
      error_codes: [70003],
    });
  });

  test("unknown client id: 400 unauthorized_client", async () => {
    expect(await refusal(secretForm({ client_id: "99999999-0000-4000-8000-000000000000" }))).toMatchObject({
      status: 400,
      error: "unauthorized_client",
      error_codes: [700016],
    });
  });

  test("no secret and no assertion: 401 invalid_client", async () => {
    const { client_secret: _omitted, ...withoutSecret } = secretForm();
    expect(await refusal(withoutSecret)).toMatchObject({ status: 401, error: "invalid_client", error_codes: [7000218] });
  });

  test("unknown tenant: 400 invalid_request", async () => {
    const response = (await authority.handle(
      new Request(`${server.url}/00000000-0000-4000-8000-000000000000/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams(secretForm()).toString(),
      }),
    )) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request", error_codes: [90002] });
  });

  test("certificate assertion signed by another key: 401 invalid_client 700027, assertion not echoed", async () => {
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(CERT_APP_ID)
      .setSubject(CERT_APP_ID)
      .setAudience(`${server.url}${TOKEN_PATH}`)
      .setExpirationTime("10m")
      .sign(otherKey);
    const result = await refusal({
      grant_type: "client_credentials",
      client_id: CERT_APP_ID,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      scope: GRAPH_SCOPE,
    });
    expect(result).toMatchObject({ status: 401, error: "invalid_client", error_codes: [700027] });
    expect(result.text).not.toContain(assertion.split(".")[2]);
  });

  test.each([
    ["audience", { aud: "api://SomethingElse" }, 401, 700212],
    ["subject", { sub: "repo:contoso/other:ref:refs/heads/main" }, 400, 70021],
    ["issuer", { iss: "https://issuer.example" }, 400, 70021],
  ])("federated assertion with a foreign %s is refused", async (_name, claims, status, code) => {
    const result = await refusal({
      grant_type: "client_credentials",
      client_id: FEDERATED_APP_ID,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await federatedAssertion(claims),
      scope: GRAPH_SCOPE,
    });
    expect(result).toMatchObject({ status, error: "invalid_client", error_codes: [code] });
  });

  test("federated assertion signed by an unregistered key: 401 invalid_client 700027", async () => {
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const result = await refusal({
      grant_type: "client_credentials",
      client_id: FEDERATED_APP_ID,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await federatedAssertion({}, stranger),
      scope: GRAPH_SCOPE,
    });
    expect(result).toMatchObject({ status: 401, error: "invalid_client", error_codes: [700027] });
  });
});

describe("discovery", () => {
  test("openid-configuration names this authority's endpoints", async () => {
    const response = (await authority.handle(new Request(`${server.url}${DISCOVERY_PATH}`))) as Response;
    expect(await response.json()).toMatchObject({
      token_endpoint: `${server.url}${TOKEN_PATH}`,
      authorization_endpoint: `${server.url}/${TENANT}/oauth2/v2.0/authorize`,
      issuer: `${server.url}/${TENANT}/v2.0`,
      jwks_uri: `${server.url}/${TENANT}/discovery/v2.0/keys`,
    });
  });

  test("instance discovery points at the tenant's openid-configuration and lists this host", async () => {
    const host = new URL(server.url).host;
    const query = `api-version=1.1&authorization_endpoint=${encodeURIComponent(`${server.url}/${TENANT}/oauth2/v2.0/authorize`)}`;
    const response = (await authority.handle(new Request(`${server.url}/common/discovery/instance?${query}`))) as Response;
    expect(await response.json()).toEqual({
      tenant_discovery_endpoint: `${server.url}${DISCOVERY_PATH}`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  test("the JWKS holds the key that signs access tokens", async () => {
    const response = (await authority.handle(new Request(`${server.url}/${TENANT}/discovery/v2.0/keys`))) as Response;
    const { keys } = (await response.json()) as { keys: { kid: string; n: string }[] };
    const header = JSON.parse(Buffer.from(authority.issueToken(SECRET_APP.clientId).split(".")[0], "base64url").toString()) as {
      kid: string;
    };
    expect(keys.map((k) => k.kid)).toEqual([header.kid]);
    expect(keys[0].n).toBe(signingKey.export({ format: "jwk" }).n);
  });

  test("other paths are not the authority's", async () => {
    expect(await authority.handle(new Request(`${server.url}/v1.0/solutions/backupRestore/restoreSessions`))).toBeUndefined();
    expect(await authority.handle(new Request(`${server.url}/`))).toBeUndefined();
  });
});

describe("verifyBearer", () => {
  const claimsLike = (token: string) => decodeJwt(token) as Record<string, unknown>;

  test("issueToken with explicit roles yields exactly those roles", () => {
    const token = authority.issueToken(SECRET_APP.clientId, ["BackupRestore-Restore.Read.All"]);
    expect(authority.verifyBearer(`Bearer ${token}`)?.roles).toEqual(["BackupRestore-Restore.Read.All"]);
    expect(authority.verifyBearer(`bearer ${token}`)?.appId).toBe(SECRET_APP.clientId);
  });

  test("an expired token is rejected", () => {
    expect(authority.verifyBearer(`Bearer ${authority.issueToken(SECRET_APP.clientId, undefined, -60)}`)).toBeUndefined();
  });

  test("a token for another audience is rejected even with a valid signature", () => {
    const token = authority.issueToken(SECRET_APP.clientId);
    const forged = forge({ ...claimsLike(token), aud: "https://management.azure.com" }, token);
    expect(authority.verifyBearer(`Bearer ${forge(claimsLike(token), token)}`)?.appId).toBe(SECRET_APP.clientId);
    expect(authority.verifyBearer(`Bearer ${forged}`)).toBeUndefined();
  });

  test("a token of another tenant is rejected even with a valid signature", () => {
    const token = authority.issueToken(SECRET_APP.clientId);
    const otherTenant = "11111111-2222-4333-8444-555555555555";
    const forged = forge({ ...claimsLike(token), tid: otherTenant, iss: `https://sts.windows.net/${otherTenant}/` }, token);
    expect(authority.verifyBearer(`Bearer ${forged}`)).toBeUndefined();
  });

  test("a token signed by another key is rejected", () => {
    const token = authority.issueToken(SECRET_APP.clientId);
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(authority.verifyBearer(`Bearer ${forge(claimsLike(token), token, stranger)}`)).toBeUndefined();
  });

  test.each([[null], [""], ["Basic abc"], ["Bearer not-a-jwt"], ["Bearer a.b.c"]])("malformed header %p is rejected", (header) => {
    expect(authority.verifyBearer(header)).toBeUndefined();
  });

  test("issueToken refuses an unregistered client", () => {
    expect(() => authority.issueToken("99999999-0000-4000-8000-000000000000")).toThrow(
      "Authority.issueToken: no application registered with client id '99999999-0000-4000-8000-000000000000'",
    );
  });
});

describe("distinct tokens, caches and claims", () => {
  const utiOf = (token: string) => decodeJwt(token).uti;

  test("every token request gets a distinct token", async () => {
    const tokens = await Promise.all(
      [1, 2].map(async () => ((await (await postToken(secretForm())).json()) as { access_token: string }).access_token),
    );
    expect(new Set(tokens).size).toBe(2);
    expect(utiOf(tokens[0]!)).not.toBe(utiOf(tokens[1]!));
  });

  // What the provider's renewal after a 401 relies on: MSAL's cache, and the two ways past it.
  test("@azure/identity hands back its cached token; a new credential or a claims request gets a new one", async () => {
    const credential = new ClientSecretCredential(TENANT, SECRET_APP.clientId, SECRET_APP.clientSecret, options());
    const first = await credential.getToken(GRAPH_SCOPE, { enableCae: true });
    const again = await credential.getToken(GRAPH_SCOPE, { enableCae: true });
    expect(again.token).toBe(first.token);
    expect(requestLines()).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`]);

    const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });
    const challenged = await credential.getToken(GRAPH_SCOPE, { enableCae: true, claims });
    expect(challenged.token).not.toBe(first.token);
    expect(requestLines()).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`, `POST ${TOKEN_PATH}`]);
    expect(decodeJwt(challenged.token).xms_cc).toEqual(["cp1"]);

    const fresh = await new ClientSecretCredential(TENANT, SECRET_APP.clientId, SECRET_APP.clientSecret, options()).getToken(GRAPH_SCOPE, {
      enableCae: true,
    });
    expect([fresh.token === first.token, fresh.token === challenged.token]).toEqual([false, false]);
    expect(requestLines().slice(3)).toEqual([`GET ${DISCOVERY_PATH}`, `POST ${TOKEN_PATH}`]);
  });

  test("the claims parameter's client capabilities go into the token; a claims value that is not JSON is refused", async () => {
    const response = await postToken(secretForm({ claims: JSON.stringify({ access_token: { xms_cc: { values: ["CP1"] } } }) }));
    const token = ((await response.json()) as { access_token: string }).access_token;
    expect(decodeJwt(token).xms_cc).toEqual(["cp1"]);
    expect(decodeJwt(((await (await postToken(secretForm())).json()) as { access_token: string }).access_token).xms_cc).toBeUndefined();
    expect(await refusal(secretForm({ claims: "nbf=now" }))).toMatchObject({ status: 400, error: "invalid_request", error_codes: [90100] });
  });

  test("tokenLifetimeSeconds sets expires_in and exp", async () => {
    const shortLived = new Authority({ tenantId: TENANT, baseUrl: () => server.url, signingKey, tokenLifetimeSeconds: 90 });
    shortLived.register(SECRET_APP);
    const response = (await shortLived.handle(
      new Request(`${server.url}${TOKEN_PATH}`, { method: "POST", body: new URLSearchParams(secretForm()).toString() }),
    )) as Response;
    const body = (await response.json()) as { access_token: string; expires_in: number; ext_expires_in: number };
    const claims = decodeJwt(body.access_token);
    expect([body.expires_in, body.ext_expires_in, (claims.exp as number) - (claims.iat as number)]).toEqual([90, 90, 90]);
    expect(() => new Authority({ tenantId: TENANT, baseUrl: () => server.url, tokenLifetimeSeconds: 0 })).toThrow(RangeError);
  });
});

describe("revocation and claims challenges", () => {
  const PLAIN = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"';
  const caeToken = async () =>
    ((await (await postToken(secretForm({ claims: '{"access_token":{"xms_cc":{"values":["cp1"]}}}' }))).json()) as { access_token: string })
      .access_token;

  test("revokeTokens refuses the tokens issued before it, not those issued after", async () => {
    const before = [authority.issueToken(SECRET_APP.clientId), await caeToken()];
    const otherApp = authority.issueToken(CERT_APP_ID);
    authority.revokeTokens(SECRET_APP.clientId);
    const after = authority.issueToken(SECRET_APP.clientId);
    expect(before.map((token) => authority.verifyBearer(`Bearer ${token}`))).toEqual([undefined, undefined]);
    expect(authority.verifyBearer(`Bearer ${after}`)?.appId).toBe(SECRET_APP.clientId);
    expect(authority.verifyBearer(`Bearer ${otherApp}`)?.appId).toBe(CERT_APP_ID);
    // A plain revocation is a plain 401, even for a client that declared cp1.
    expect(before.map((token) => authority.challenge(`Bearer ${token}`))).toEqual([PLAIN, PLAIN]);
  });

  test("with claimsChallenge a cp1 token gets Graph's insufficient_claims challenge asking for a token issued after the revocation", async () => {
    const capable = await caeToken();
    const incapable = authority.issueToken(SECRET_APP.clientId);
    const revokedAt = Math.floor(Date.now() / 1000);
    authority.revokeTokens(SECRET_APP.clientId, { claimsChallenge: true });

    const header = authority.challenge(`Bearer ${capable}`);
    const match = /^(.*), client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="([A-Za-z0-9+/=]+)"$/.exec(
      header,
    );
    expect(match?.[1]).toBe(PLAIN);
    const demand = JSON.parse(Buffer.from(match![2]!, "base64").toString()) as {
      access_token: { nbf: { essential: boolean; value: string } };
    };
    expect(demand.access_token.nbf.essential).toBe(true);
    expect(Number(demand.access_token.nbf.value)).toBeGreaterThanOrEqual(revokedAt);
    expect(authority.challenge(`Bearer ${incapable}`)).toBe(PLAIN);
    expect(authority.challenge(`Bearer ${authority.issueToken(SECRET_APP.clientId)}`)).toBe(PLAIN);
    expect(authority.challenge(null)).toBe(PLAIN);
  });

  test("revokeTokens refuses an unregistered client", () => {
    expect(() => authority.revokeTokens("99999999-0000-4000-8000-000000000000")).toThrow(
      "Authority.revokeTokens: no application registered with client id '99999999-0000-4000-8000-000000000000'",
    );
  });
});
