/**
 * The package as published: `npm pack`, install the tarball into a fresh project (no links to this
 * repository), then load its entries, type-check a consumer against its declarations, and run a
 * draft's check, create, read and delete through the real dynamic-provider host started from there.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { startHost, urnFor, type Host } from "../support/host";
import { installTarball, installedProviderText, packPackage, runInProject, typeCheckInProject, type PackedPackage } from "../support/pack";
import { repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

// Packing and installing from the npm cache take seconds here; the margin is for a loaded machine.
jest.setTimeout(240_000);

const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const RESTORE_SESSIONS = "/v1.0/solutions/backupRestore/restoreSessions";
const urn = urnFor("packed-drill");

let workDir: string;
let project: string;
let packed: PackedPackage;
let emulator: Emulator | undefined;
let host: Host | undefined;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-pack-"));
  project = path.join(workDir, "consumer");
  packed = packPackage(workDir);
  installTarball(packed.tarball, project);
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds the compiled package, every exports and bin target, and graph-spec", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      exports: Record<string, string | Record<string, string>>;
      bin: Record<string, string>;
    };
    const targets = Object.values(manifest.exports).flatMap((entry) => (typeof entry === "string" ? [entry] : Object.values(entry)));
    const expected = [...targets, ...Object.values(manifest.bin)].map((target) => path.posix.normalize(target));
    expect(expected).toContain("dist/provider/engine/index.js");
    expect(packed.files).toEqual(expect.arrayContaining(expected));
    expect(packed.files.filter((file) => file.startsWith("graph-spec/") && file.endsWith(".yml")).sort()).toEqual([
      "graph-spec/BackupRestore.beta.sharepoint-restore.yml",
      "graph-spec/BackupRestore.v1.0.full.yml",
      "graph-spec/BackupRestore.v1.0.sharepoint-restore.yml",
    ]);
  });

  it("holds no tests, bench, demo, TypeScript sources or key material", () => {
    const unwanted = packed.files.filter(
      (file) =>
        /^(dist\/)?(tests|bench|demo|examples)\//.test(file) ||
        (file.endsWith(".ts") && !file.endsWith(".d.ts")) ||
        /(^|\/)\.test-ca\//.test(file) ||
        file.endsWith(".pem"),
    );
    expect(unwanted).toEqual([]);
  });
});

describe("the installed package", () => {
  const ENTRIES_SCRIPT = `
const fs = require("node:fs");
const [certPath, keyPath] = process.argv.slice(1);
const root = require("pulumi-m365-backup");
const engine = require("pulumi-m365-backup/engine");
const { startEmulator } = require("pulumi-m365-backup/emulator");
(async () => {
  // A body the OpenAPI document rejects proves the installed emulator found its graph-spec/.
  const emulator = await startEmulator({ tls: { certPath, keyPath } });
  const response = await emulator.fetch(new Request(emulator.url + "/v1.0/solutions/backupRestore/sharePointRestoreSessions", {
    method: "POST",
    headers: { authorization: "Bearer " + emulator.accessToken, "content-type": "application/json" },
    body: JSON.stringify({ bogus: 1 }),
  }));
  const body = await response.json();
  await emulator.close();
  process.stdout.write(JSON.stringify({
    packageFile: fs.realpathSync(require.resolve("pulumi-m365-backup")),
    pulumiFile: fs.realpathSync(require.resolve("@pulumi/pulumi")),
    resourceClass: typeof root.SharePointRestoreSession,
    engineFunctions: Object.keys(engine).filter((key) => typeof engine[key] === "function").sort(),
    startEmulator: typeof startEmulator,
    invalidBody: { status: response.status, code: body.error.code, message: body.error.message },
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

  it("resolves from the project's own node_modules: the resource, the engine and an emulator that loads graph-spec", () => {
    const { certPath, keyPath } = testCa();
    const entries = JSON.parse(runInProject(project, ENTRIES_SCRIPT, [certPath, keyPath]));
    expect(entries).toEqual({
      packageFile: path.join(fs.realpathSync(project), "node_modules", "pulumi-m365-backup", "dist", "provider", "index.js"),
      pulumiFile: path.join(fs.realpathSync(project), "node_modules", "@pulumi", "pulumi", "index.js"),
      resourceClass: "function",
      engineFunctions: ["check", "configure", "create", "diff", "read", "remove", "update"],
      startEmulator: "function",
      invalidBody: {
        status: 400,
        code: "BadRequest",
        message: "Invalid request body: bogus: is not a property of sharePointRestoreSession",
      },
    });
  });

  it("links the m365-backup-emulator bin", () => {
    const help = execFileSync(path.join(project, "node_modules", ".bin", "m365-backup-emulator"), ["--help"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(help).toMatch(/^Usage: m365-backup-emulator /);
  });

  it("links the m365-backup finder bin, which runs from the installed dependencies", () => {
    const help = execFileSync(path.join(project, "node_modules", ".bin", "m365-backup"), ["restore-points", "--help"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(help).toMatch(/^Usage: m365-backup restore-points \[options\]\n/);
  });

  it.each([
    ["node16 resolution", { module: "node16", moduleResolution: "node16" }],
    // What `pulumi new typescript` generates: classic node resolution, no esModuleInterop, no skipLibCheck.
    ["Pulumi's default tsconfig", { module: "commonjs", moduleResolution: "node", target: "es2020", noImplicitReturns: true }],
  ])("type-checks a strict consumer of the package and its emulator entry (%s, no skipLibCheck)", (_name, options) => {
    const consumer = `
import {
  getRestorePoints,
  getSiteProtectionUnitsOutput,
  SharePointRestoreSession,
  type GetRestorePointsResult,
  type SharePointRestoreSessionArgs,
} from "pulumi-m365-backup";
import { startEmulator, type Emulator } from "pulumi-m365-backup/emulator";

const args: SharePointRestoreSessionArgs = { siteRestoreArtifacts: [{ restorePointId: "rp" }], destinationType: "inPlace" };
export const session = new SharePointRestoreSession("drill", args);
export const status: import("@pulumi/pulumi").Output<string> = session.status;
export const start: () => Promise<Emulator> = () => startEmulator({ port: 0 });
export const points: Promise<GetRestorePointsResult> = getRestorePoints({ protectionUnitIds: ["unit"], restorePointPreference: "oldest" });
export const siteIds = getSiteProtectionUnitsOutput({ status: "protected" }).protectionUnits.apply((units) => units.map((u) => u.siteId));
// @ts-expect-error destinationType is a closed set
export const wrong: SharePointRestoreSessionArgs = { siteRestoreArtifacts: [], destinationType: "elsewhere" };
`;
    const result = typeCheckInProject(project, { "index.ts": consumer }, { strict: true, target: "ES2022", types: ["node"], ...options });
    expect(result).toEqual({ status: 0, output: "" });
  });

  it("runs check, create, read and delete of a draft through the real host started in the project", async () => {
    const provider = installedProviderText(project);
    expect(provider).toContain('require("pulumi-m365-backup/engine").create(');
    expect(provider).not.toContain(repoRoot);

    emulator = await startEmulator({ tls: testCa() });
    host = await startHost({ cwd: project });
    await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
    const [site] = emulator.tenant.sites().filter((s) => s.protectionUnitId);
    const restorePointId = emulator.tenant.latestRestorePointId(site.siteId);
    const graphRequests = () => emulator!.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);

    const checked = await host.check(urn, {}, { siteRestoreArtifacts: [{ restorePointId }], __provider: provider });
    expect(checked).toEqual({
      inputs: { siteRestoreArtifacts: [{ restorePointId }], destinationType: "new", activate: false, __provider: provider },
      failures: [],
    });
    expect(graphRequests()).toEqual([]);

    const created = await host.create(urn, checked.inputs);
    expect(graphRequests()).toEqual([`POST ${SESSIONS} 201`]);
    expect(created.properties).toMatchObject({ status: "draft", destinationType: "new", activate: false });
    expect(emulator.tenant.sessions().map((s) => s.id)).toEqual([created.id]);
    emulator.journal.clear();

    const read = await host.read(created.id, urn, created.properties);
    expect(graphRequests()).toEqual([
      `GET ${RESTORE_SESSIONS}/${created.id} 200`,
      `GET ${SESSIONS}/${created.id}/siteRestoreArtifacts 200`,
    ]);
    expect(read.id).toBe(created.id);
    expect(read.properties.siteRestoreArtifacts).toEqual([expect.objectContaining({ restorePointId, status: "added" })]);
    emulator.journal.clear();

    await host.delete(created.id, urn, read.properties);
    expect(graphRequests()).toEqual([`DELETE ${RESTORE_SESSIONS}/${created.id} 204`]);
    expect(emulator.tenant.sessions()).toEqual([]);
  });
});

describe("the examples against the installed package", () => {
  // Each example's own tsconfig compiles it inside the consumer project, whose node_modules hold
  // only the tarball and its dependencies; the program then runs under Pulumi's mocks there.
  const RUN_UNDER_MOCKS = `
const pulumi = require("@pulumi/pulumi");
const registrations = [];
pulumi.runtime.setMocks({
  newResource(args) {
    const { __provider, ...inputs } = args.inputs;
    registrations.push({ type: args.type, provider: typeof __provider, inputs });
    return { id: "session-1", state: { ...inputs, status: "draft" } };
  },
  call() { return {}; },
}, "example", "stack", false);
pulumi.runtime.setAllConfig({
  "example:restorePointIds": JSON.stringify(["rp-a", "rp-b"]),
  "example:siteWebUrls": JSON.stringify(["https://contoso.sharepoint.com/sites/a"]),
  "example:userEmails": JSON.stringify(["adele@contoso.com"]),
  "example:mailboxEmails": JSON.stringify(["adele@contoso.com"]),
  "example:drillId": "2026-11",
});
require(process.argv[1]);
// Registrations resolve asynchronously; once nothing is left to run, all of them have been made.
process.once("beforeExit", () => process.stdout.write(JSON.stringify(registrations)));
`;

  // What each example registers with the config above: its resource types and what it restores.
  const EXPECTED: Record<string, { types: string[]; restores: Record<string, unknown> }> = {
    basic: {
      types: ["SharePointRestoreSession"],
      restores: { siteRestoreArtifacts: [{ restorePointId: "rp-a" }, { restorePointId: "rp-b" }] },
    },
    "dr-drill": {
      types: ["SharePointRestoreSession"],
      restores: { siteRestoreArtifacts: [{ restorePointId: "rp-a" }, { restorePointId: "rp-b" }] },
    },
    gitops: { types: ["SharePointRestoreSession"], restores: { bulkRestore: { siteWebUrls: ["https://contoso.sharepoint.com/sites/a"] } } },
    "m365-drill": {
      types: ["SharePointRestoreSession", "OneDriveRestoreSession", "ExchangeRestoreSession"],
      restores: { bulkRestore: { siteWebUrls: ["https://contoso.sharepoint.com/sites/a"] } },
    },
  };

  it.each(Object.keys(EXPECTED))("examples/%s type-checks and runs", (example) => {
    const dir = path.join(project, "examples", example);
    fs.mkdirSync(dir, { recursive: true });
    for (const file of ["index.ts", "tsconfig.json"]) fs.copyFileSync(path.join(repoRoot, "examples", example, file), path.join(dir, file));
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8" });

    const registrations = JSON.parse(runInProject(project, RUN_UNDER_MOCKS, [path.join(dir, "bin", "index.js")])) as {
      type: string;
      provider: string;
      inputs: Record<string, unknown>;
    }[];
    const expected = EXPECTED[example]!;
    expect(registrations.map((r) => r.type)).toEqual(expected.types.map((t) => `pulumi-nodejs:dynamic/m365-backup:${t}`));
    expect(registrations.every((r) => r.provider === "string")).toBe(true);
    expect(registrations[0]).toMatchObject({ inputs: expected.restores });
  });
});
