/**
 * The provider reads only `m365-backup:*` config, then the environment. Inside the provider host a
 * bare key means the program's own project namespace (`<project>:accessToken`), which holds values
 * meant for something else: here decoys that, if read, would send another application's token or
 * send the requests to another server.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { serveHandler, type ServedHandler } from "../support/serve-handler";
import { testCa } from "../support/test-ca";
import { readFileSync } from "node:fs";

const PROJECT = "restore-drills";
const APP = { clientId: "0be7a1d0-0000-4000-8000-0000000000b1", displayName: "namespace-app", clientSecret: "NAMESPACE~real-secret-value" };
const DECOY_APP = { clientId: "0be7a1d0-0000-4000-8000-0000000000b2", displayName: "the program's other app" };
const urn = urnFor("namespace", undefined, PROJECT);

let emulator: Emulator;
let decoyServer: ServedHandler;
let provider: string;

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  emulator.apps.register(APP);
  emulator.apps.register(DECOY_APP);
  const ca = testCa();
  decoyServer = await serveHandler(async () => new Response("{}", { status: 200 }), {
    cert: readFileSync(ca.certPath, "utf8"),
    key: readFileSync(ca.keyPath, "utf8"),
  });
  provider = await serializedProviderText();
});
afterAll(async () => {
  await decoyServer?.close();
  await emulator?.close();
});

/** The program's own settings, under its project name: what `config.get("accessToken")` would find in the host. */
const decoys = () => ({
  [`${PROJECT}:accessToken`]: emulator.issueToken(DECOY_APP.clientId),
  [`${PROJECT}:graphEndpoint`]: decoyServer.url,
  [`${PROJECT}:clientSecret`]: "the-program's-own-secret-for-something-else",
  [`${PROJECT}:tenantId`]: emulator.tenantId,
});

/** A host for project PROJECT whose environment holds no sign-in variables but `env`. */
function startProjectHost(env: NodeJS.ProcessEnv): Promise<Host> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(ARM_|AZURE_|M365_BACKUP_|IDENTITY_|MSI_)/.test(key)));
  return startHost({ cwd: makeProgramDir(), env: { ...clean, PULUMI_NODEJS_PROJECT: PROJECT, ...env } });
}

const inputs = () => ({
  siteRestoreArtifacts: [{ restorePointId: emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId) }],
  destinationType: "new",
  activate: false,
  __provider: provider,
});

test("the program's own accessToken, graphEndpoint and clientSecret are ignored: the configured endpoint gets the right app's token", async () => {
  // Endpoint, authority and secret from the environment: the keys the decoys shadowed when bare keys were read.
  const host = await startProjectHost({
    M365_BACKUP_GRAPH_ENDPOINT: emulator.url,
    AZURE_AUTHORITY_HOST: emulator.url,
    ARM_CLIENT_SECRET: APP.clientSecret,
  });
  try {
    const config = { ...decoys(), "m365-backup:tenantId": emulator.tenantId, "m365-backup:clientId": APP.clientId };
    await host.configure(config, { secretKeys: [`${PROJECT}:accessToken`, `${PROJECT}:clientSecret`] });
    emulator.journal.clear();
    const created = await host.create(urn, inputs());

    expect(emulator.tenant.sessions().find((s) => s.id === created.id)?.createdBy.id).toBe(APP.clientId);
    const signIns = emulator.journal.entries().filter((e) => e.path === `/${emulator.tenantId}/oauth2/v2.0/token`);
    expect(signIns.map((e) => [e.status, (e.body as Record<string, string>).client_id])).toEqual([[200, APP.clientId]]);
    expect(decoyServer.requests).toEqual([]);
    emulator.tenant.deleteSession(created.id);
  } finally {
    await host.close();
  }
});

test("with no m365-backup: setting at all, check names the missing key instead of taking the program's", async () => {
  const host = await startProjectHost({ ARM_CLIENT_ID: APP.clientId, ARM_CLIENT_SECRET: APP.clientSecret });
  try {
    await host.configure(decoys(), { secretKeys: [`${PROJECT}:accessToken`, `${PROJECT}:clientSecret`] });
    const checked = await host.check(urn, {}, inputs());
    expect(checked.failures).toEqual([
      {
        property: "m365-backup:tenantId",
        reason:
          "m365-backup:tenantId is required when clientSecret is set; set it with `pulumi config set m365-backup:tenantId <value>` " +
          "or ARM_TENANT_ID or AZURE_TENANT_ID",
      },
    ]);
    expect(decoyServer.requests).toEqual([]);
  } finally {
    await host.close();
  }
});
