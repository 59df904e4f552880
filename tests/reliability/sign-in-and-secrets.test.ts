/**
 * Sign-in end to end through the real host, against the emulator's token endpoint over TLS with
 * @azure/identity: client secret, password-protected certificate, OIDC token file (workload
 * identity) and a static access token; the authority host from config or AZURE_AUTHORITY_HOST.
 * Each flow runs the whole lifecycle, failures included, and signs in once (the token is cached);
 * each signing flow replaces a revoked token with a new one (plain 401 and CAE challenge). Then secret hygiene: none of the distinctive secrets appears in the serialized provider, any
 * output or state, the host's logs or any error message. Last, nothing configured fails fast
 * with an error that lists what was tried.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { generate } from "selfsigned";
import { startEmulator, type Emulator } from "../../emulator";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";
import { outcomeOf, RIG_REQUEST_TIMEOUT_SECONDS, RIG_RETRY_BUDGET_SECONDS } from "./rig";

const CLIENT_SECRET = "CLIENTSECRET~q7Zx-9f3K-hygiene-only";
const CERTIFICATE_PASSWORD = "CERTPASSWORD~4b8e-2d1c-hygiene-only";
const SECRET_APP = { clientId: "5ec7e7a1-0000-4000-8000-00000000a001", displayName: "hygiene-secret-app", clientSecret: CLIENT_SECRET };
const CERT_APP = { clientId: "5ec7e7a1-0000-4000-8000-00000000a002", displayName: "hygiene-cert-app" };
const OIDC_APP = { clientId: "5ec7e7a1-0000-4000-8000-00000000a003", displayName: "hygiene-oidc-app" };
const FEDERATION = { issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/restore-drills:ref:refs/heads/main" };

let emulator: Emulator;
let programDir: string;
let provider: string;
let workDir: string;
let oidcToken: string;
let accessToken: string;
const collected: string[] = [];
const urn = urnFor("signin");

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  provider = await serializedProviderText();
  collected.push(provider);
  workDir = mkdtempSync(join(tmpdir(), "m365-signin-"));

  emulator.apps.register(SECRET_APP);
  const certificate = await generate([{ name: "commonName", value: "hygiene-cert-app" }], { keySize: 2048, algorithm: "sha256" });
  const encryptedKey = createPrivateKey(certificate.private).export({
    type: "pkcs8",
    format: "pem",
    cipher: "aes-256-cbc",
    passphrase: CERTIFICATE_PASSWORD,
  });
  writeFileSync(join(workDir, "app.pem"), `${certificate.cert}\n${encryptedKey.toString()}`);
  emulator.apps.register({ ...CERT_APP, certificatePem: certificate.cert });

  const federated = generateKeyPairSync("rsa", { modulusLength: 2048 });
  emulator.apps.register({
    ...OIDC_APP,
    federated: [{ ...FEDERATION, publicKeyPem: federated.publicKey.export({ type: "spki", format: "pem" }).toString() }],
  });
  oidcToken = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(FEDERATION.issuer)
    .setSubject(FEDERATION.subject)
    .setAudience("api://AzureADTokenExchange")
    .setIssuedAt()
    .setExpirationTime("30m")
    .sign(federated.privateKey);
  writeFileSync(join(workDir, "oidc-token"), `${oidcToken}\n`);
  accessToken = emulator.issueToken(emulator.demoApp.clientId);

  programDir = makeProgramDir();
});
afterAll(async () => {
  await emulator?.close();
});

/** A fresh host per flow, as Pulumi starts one per stack operation and configures it once. */
function startFlowHost(): Promise<Host> {
  // AZURE_AUTHORITY_HOST is the fallback when a stack sets no authorityHost; every request is logged.
  return startHost({ cwd: programDir, env: { ...process.env, AZURE_AUTHORITY_HOST: emulator.url, M365_BACKUP_DEBUG: "1" } });
}

const base = () => ({
  "m365-backup:graphEndpoint": emulator.url,
  "m365-backup:tenantId": emulator.tenantId,
  "m365-backup:retryBudgetSeconds": RIG_RETRY_BUDGET_SECONDS,
  "m365-backup:requestTimeoutSeconds": RIG_REQUEST_TIMEOUT_SECONDS,
});
const FLOWS: Record<string, { appId: () => string; signsIn: boolean; config: () => Record<string, string> }> = {
  "client secret (authorityHost from config)": {
    appId: () => SECRET_APP.clientId,
    signsIn: true,
    config: () => ({
      ...base(),
      "m365-backup:authorityHost": emulator.url,
      "m365-backup:clientId": SECRET_APP.clientId,
      "m365-backup:clientSecret": CLIENT_SECRET,
    }),
  },
  "password-protected certificate (authority from AZURE_AUTHORITY_HOST)": {
    appId: () => CERT_APP.clientId,
    signsIn: true,
    config: () => ({
      ...base(),
      "m365-backup:clientId": CERT_APP.clientId,
      "m365-backup:clientCertificatePath": join(workDir, "app.pem"),
      "m365-backup:clientCertificatePassword": CERTIFICATE_PASSWORD,
    }),
  },
  "OIDC token file (workload identity)": {
    appId: () => OIDC_APP.clientId,
    signsIn: true,
    config: () => ({
      ...base(),
      "m365-backup:authorityHost": emulator.url,
      "m365-backup:clientId": OIDC_APP.clientId,
      "m365-backup:useOidc": "true",
      "m365-backup:oidcTokenFilePath": join(workDir, "oidc-token"),
    }),
  },
  "static access token": {
    appId: () => emulator.demoApp.clientId,
    signsIn: false,
    config: () => ({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": accessToken }),
  },
};

const TOKEN_PATH = () => `/${emulator.tenantId}/oauth2/v2.0/token`;
const inputs = (restorePoints: string[]) => ({
  siteRestoreArtifacts: restorePoints.map((restorePointId) => ({ restorePointId })),
  destinationType: "new",
  activate: false,
  __provider: provider,
});

describe.each(Object.keys(FLOWS))("%s", (name) => {
  const flow = FLOWS[name]!;

  test("runs create, read, update, a refused create, a failed read and delete, signing in once", async () => {
    emulator.journal.clear();
    emulator.faults.clear();
    const host = await startFlowHost();
    try {
      await runLifecycle(host, flow);
    } finally {
      collected.push(host.stderr());
      await host.close();
    }
  });
});

async function runLifecycle(host: Host, flow: (typeof FLOWS)[string]): Promise<void> {
  const config = flow.config();
  await host.configure(config, { secretKeys: Object.keys(config).filter((key) => /secret|token|password/i.test(key)) });
  const [rp1, rp2] = emulator.tenant
    .sites()
    .filter((s) => s.protectionUnitId)
    .slice(0, 2)
    .map((s) => emulator.tenant.latestRestorePointId(s.siteId));

  const created = await host.create(urn, inputs([rp1!]));
  collected.push(JSON.stringify(created));
  expect(emulator.tenant.sessions().find((s) => s.id === created.id)?.createdBy.id).toBe(flow.appId());
  const read = await host.read(created.id, urn, created.properties);
  collected.push(JSON.stringify(read));
  const updated = await host.update(created.id, urn, read.properties, inputs([rp1!, rp2!]), inputs([rp1!]));
  collected.push(JSON.stringify(updated));

  const refused = await outcomeOf(() => host.create(urn, inputs(["no-such-restore-point"])));
  expect(refused.ok).toBe(false);
  emulator.faults.add({ method: "GET", path: "/solutions/backupRestore/restoreSessions/{id}", status: 500, times: 1 });
  const failedRead = await outcomeOf(() => host.read(created.id, urn, updated.properties));
  expect(failedRead.ok).toBe(false);
  for (const failure of [refused, failedRead])
    if (!failure.ok) collected.push(failure.error.message, failure.error.details, JSON.stringify(failure.error.initFailure ?? {}));

  await host.delete(created.id, urn, updated.properties);
  expect(emulator.tenant.sessions().find((s) => s.id === created.id)).toBeUndefined();

  const tokenRequests = emulator.journal.entries().filter((e) => e.path === TOKEN_PATH());
  expect(tokenRequests.map((e) => [e.method, e.status])).toEqual(flow.signsIn ? [["POST", 200]] : []);
  expect(emulator.journal.entries().filter((e) => e.path.startsWith("/v1.0/") && e.status === 401)).toEqual([]);
}

const SIGNING_FLOWS = Object.keys(FLOWS).filter((name) => FLOWS[name]!.signsIn);
const REVOCATIONS: [string, boolean][] = [
  ["a plain 401: a new credential signs in", false],
  ["a CAE claims challenge: the same credential asks with the claims", true],
];

describe.each(SIGNING_FLOWS)("%s, token revoked between two operations", (name) => {
  const flow = FLOWS[name]!;

  test.each(REVOCATIONS)("%s, and the request is sent once more", async (_what, claimsChallenge) => {
    const host = await startFlowHost();
    try {
      const config = flow.config();
      await host.configure(config, { secretKeys: Object.keys(config).filter((key) => /secret|token|password/i.test(key)) });
      const restorePoint = emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId);
      const created = await host.create(urn, inputs([restorePoint]));
      emulator.apps.revokeTokens(flow.appId(), { claimsChallenge });
      emulator.journal.clear();
      const read = await host.read(created.id, urn, created.properties);
      collected.push(JSON.stringify(read));

      const session = `/v1.0/solutions/backupRestore/restoreSessions/${created.id}`;
      const signIn = claimsChallenge
        ? [["POST", TOKEN_PATH(), 200]]
        : [
            ["GET", `/${emulator.tenantId}/v2.0/.well-known/openid-configuration`, 200],
            ["POST", TOKEN_PATH(), 200],
          ];
      expect(emulator.journal.entries().map((e) => [e.method, e.path, e.status])).toEqual([
        ["GET", session, 401],
        ...signIn,
        ["GET", session, 200],
        ["GET", `/v1.0/solutions/backupRestore/sharePointRestoreSessions/${created.id}/siteRestoreArtifacts`, 200],
      ]);
      await host.delete(created.id, urn, created.properties);
    } finally {
      collected.push(host.stderr());
      await host.close();
    }
  });
});

test("nothing configured: a clear error that lists what was tried, quickly", async () => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(ARM_|AZURE_|M365_BACKUP_|IDENTITY_|MSI_|AWS_)/.test(key)),
  );
  // No Azure CLI, azd or PowerShell on PATH; the managed identity probe is what bounds the wait.
  const bare = await startHost({ cwd: makeProgramDir(), env: { ...clean, PATH: "/nonexistent" } });
  try {
    await bare.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:retryBudgetSeconds": "5" });
    const outcome = await outcomeOf(() =>
      bare.create(urn, inputs([emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId)])),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      collected.push(outcome.error.details);
      expect(outcome.error.details).toContain(
        "no Microsoft Graph credentials are configured and the Azure default credential chain found none. Tried, in order: " +
          "m365-backup:accessToken (M365_BACKUP_ACCESS_TOKEN); m365-backup:useOidc / useMsi / useCli (ARM_USE_OIDC, ARM_USE_MSI, ARM_USE_CLI); " +
          "m365-backup:clientCertificatePath (ARM_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PATH); " +
          "m365-backup:clientSecret (ARM_CLIENT_SECRET, AZURE_CLIENT_SECRET); then DefaultAzureCredential",
      );
    }
    collected.push(bare.stderr());
  } finally {
    await bare.close();
  }
});

test("secret hygiene: no secret in the provider text, outputs, state, host logs or errors", () => {
  const everything = collected.join("\n");
  // Sanity: the scan covers real material (the provider text, outputs, logged requests).
  expect(everything).toContain('require("pulumi-m365-backup/engine")');
  expect(everything).toContain("GET https://127.0.0.1");
  for (const [what, value] of Object.entries({ CLIENT_SECRET, CERTIFICATE_PASSWORD, oidcToken, accessToken })) {
    expect({ what, found: everything.includes(value) }).toEqual({ what, found: false });
  }
  // Nor any other bearer token (the ones the token endpoint issued): no JWT at all.
  expect(everything.match(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/g)).toBeNull();
});
