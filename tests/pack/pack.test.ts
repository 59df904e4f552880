/**
 * The package as published: `npm pack`, install the tarball into a fresh project (no links to this
 * repository), then load its entries, type-check a consumer that uses every public export, and run
 * a draft's check, create, read and delete of each of the three restore-session resources through
 * the real dynamic-provider host started from there.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { startHost, urnFor, type Host } from "../support/host";
import {
  declaredExports,
  installTarball,
  installedProviderText,
  packPackage,
  runInProject,
  typeCheckInProject,
  type PackedPackage,
} from "../support/pack";
import { repoRoot } from "../support/program-dir";
import { testCa } from "../support/test-ca";

// Packing and installing from the npm cache take seconds here; the margin is for a loaded machine.
jest.setTimeout(240_000);

const ROOT = "/v1.0/solutions/backupRestore";
const RESOURCES = ["SharePointRestoreSession", "OneDriveRestoreSession", "ExchangeRestoreSession"];

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
    resourceClasses: ${JSON.stringify(RESOURCES)}.map((name) => typeof root[name]),
    engineFunctions: Object.keys(engine).filter((key) => typeof engine[key] === "function").sort(),
    engineKinds: Object.keys(engine).filter((key) => typeof engine[key]?.create === "function").sort(),
    startEmulator: typeof startEmulator,
    invalidBody: { status: response.status, code: body.error.code, message: body.error.message },
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

  it("resolves from the project's own node_modules: the resources, the engine and an emulator that loads graph-spec", () => {
    const { certPath, keyPath } = testCa();
    const entries = JSON.parse(runInProject(project, ENTRIES_SCRIPT, [certPath, keyPath]));
    expect(entries).toEqual({
      packageFile: path.join(fs.realpathSync(project), "node_modules", "pulumi-m365-backup", "dist", "provider", "index.js"),
      pulumiFile: path.join(fs.realpathSync(project), "node_modules", "@pulumi", "pulumi", "index.js"),
      resourceClasses: ["function", "function", "function"],
      engineFunctions: ["check", "configure", "create", "diff", "read", "remove", "update"],
      engineKinds: ["drivePolicy", "exchange", "mailboxPolicy", "oneDrive", "sharePoint", "sitePolicy"],
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

  /** Every public export of the package root, each used below (the consumer compiles with noUnusedLocals). */
  const PUBLIC_NAMES = [
    "ArtifactCount",
    "BackupServiceStatus",
    "BulkJobOutput",
    "BulkRequestOutput",
    "BulkRestoreChoiceArgs",
    "BulkRestoreOutput",
    "DEFAULT_GRAPH_ENDPOINT",
    "DrillReport",
    "drillReport",
    "drillReportsFromState",
    "DrillReportFormat",
    "DrillReportItem",
    "DrillReportSummary",
    "DrillSummary",
    "DriveBulkRestoreArgs",
    "DriveProtectionUnit",
    "DriveRestoreArtifactArgs",
    "ENVIRONMENT_FALLBACKS",
    "EXCHANGE_PROTECTION_POLICY_TYPE",
    "EXCHANGE_RESTORE_SESSION_TYPE",
    "ExchangeProtectionPolicy",
    "ExchangeProtectionPolicyArgs",
    "ExchangeRestoreSession",
    "ExchangeRestoreSessionArgs",
    "getBackupServiceStatus",
    "getBackupServiceStatusOutput",
    "getDriveProtectionUnits",
    "GetDriveProtectionUnitsArgs",
    "getDriveProtectionUnitsOutput",
    "GetDriveProtectionUnitsOutputArgs",
    "GetDriveProtectionUnitsResult",
    "getMailboxProtectionUnits",
    "GetMailboxProtectionUnitsArgs",
    "getMailboxProtectionUnitsOutput",
    "GetMailboxProtectionUnitsOutputArgs",
    "GetMailboxProtectionUnitsResult",
    "getRestorePoints",
    "GetRestorePointsArgs",
    "getRestorePointsOutput",
    "GetRestorePointsOutputArgs",
    "GetRestorePointsResult",
    "getSiteProtectionUnits",
    "GetSiteProtectionUnitsArgs",
    "getSiteProtectionUnitsOutput",
    "GetSiteProtectionUnitsOutputArgs",
    "GetSiteProtectionUnitsResult",
    "GetUserProtectionUnitsArgs",
    "GetUserProtectionUnitsOutputArgs",
    "GranularMailboxRestoreArtifactArgs",
    "GroupInclusionRuleArgs",
    "Identity",
    "IdentitySet",
    "InclusionRuleOutput",
    "KNOWN_GRAPH_HOSTS",
    "LookupArgumentError",
    "MailboxBulkRestoreArgs",
    "MailboxProtectionUnit",
    "MailboxQuery",
    "MailboxRestoreArtifactArgs",
    "ONEDRIVE_PROTECTION_POLICY_TYPE",
    "ONEDRIVE_RESTORE_SESSION_TYPE",
    "OneDriveProtectionPolicy",
    "OneDriveProtectionPolicyArgs",
    "OneDriveRestoreSession",
    "OneDriveRestoreSessionArgs",
    "PointChoiceArgs",
    "ProtectionPolicyOutputs",
    "ProtectionPolicyResource",
    "ProtectionPolicySettingsArgs",
    "ProtectionUnitBase",
    "ProtectionUnitFilters",
    "ProtectionUnitOutput",
    "PublicError",
    "renderDrillReport",
    "ReportArtifact",
    "ReportError",
    "RestoreArtifactOutput",
    "RestorePointArtifactArgs",
    "RestorePointInfo",
    "RestoreSessionOutputs",
    "RestoreSessionResource",
    "RestoreSessionSettingsArgs",
    "RetentionSetting",
    "SHAREPOINT_PROTECTION_POLICY_TYPE",
    "SHAREPOINT_RESTORE_SESSION_TYPE",
    "SharePointProtectionPolicy",
    "SharePointProtectionPolicyArgs",
    "SharePointRestoreSession",
    "SharePointRestoreSessionArgs",
    "SiteBulkRestoreArgs",
    "SiteByNameArtifactArgs",
    "SiteInclusionRuleArgs",
    "SiteProtectionUnit",
    "SiteRestoreArtifactArgs",
    "SiteRestoreArtifactOutput",
    "StatusWait",
    "StoredResource",
    "TimePeriod",
    "UserArtifactArgs",
    "UserProtectionUnit",
    "WaitForCompletionArgs",
  ];

  const CONSUMER = `
import { ${PUBLIC_NAMES.join(", ")} } from "pulumi-m365-backup";
import { startEmulator, type Emulator } from "pulumi-m365-backup/emulator";
import * as pulumi from "@pulumi/pulumi";

// SharePoint: sites by restore point or by name, and in bulk by URL.
const args: SharePointRestoreSessionArgs = { siteRestoreArtifacts: [{ restorePointId: "rp" }], destinationType: "inPlace" };
export const session = new SharePointRestoreSession("drill", args);
export const status: pulumi.Output<string> = session.status;
const byName: SiteByNameArtifactArgs = { siteWebUrl: "https://contoso.sharepoint.com/sites/a", pointInTime: "2026-01-01T00:00:00Z" };
export const sites: SiteRestoreArtifactArgs[] = [byName, { siteId: "site-id" }];
const siteBulk: SiteBulkRestoreArgs = { siteWebUrls: ["https://contoso.sharepoint.com/sites/a"] };
export const siteBulkSession = new SharePointRestoreSession("sites-bulk", { bulkRestore: siteBulk });

// OneDrive: users by email or id, a restore point, and in bulk by email.
const choice: PointChoiceArgs = { pointInTime: "2026-01-01T00:00:00Z", restorePointPreference: "oldest", fastRestoreOnly: true };
const user: UserArtifactArgs = { email: "adele@contoso.com", ...choice };
const point: RestorePointArtifactArgs = { restorePointId: "rp" };
const drives: DriveRestoreArtifactArgs[] = [user, { directoryObjectId: "user-id" }, point];
const wait: WaitForCompletionArgs = { timeoutMinutes: 30, pollIntervalSeconds: 5 };
const settings: RestoreSessionSettingsArgs = { activate: true, waitForCompletion: wait, failOn: "never", drillId: "q3" };
const oneDriveArgs: OneDriveRestoreSessionArgs = { driveRestoreArtifacts: drives, ...settings };
export const oneDrive = new OneDriveRestoreSession("drives", oneDriveArgs);
export const driveResults: pulumi.Output<RestoreArtifactOutput[]> = oneDrive.driveRestoreArtifacts;
const period: TimePeriod = { startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2026-02-01T00:00:00Z" };
const bulkChoice: BulkRestoreChoiceArgs = { protectionTimePeriod: period, restorePointPreference: "latest", displayName: "drill" };
const driveBulk: DriveBulkRestoreArgs = { drives: ["adele@contoso.com"], ...bulkChoice };
export const oneDriveBulk = new OneDriveRestoreSession("drives-bulk", { bulkRestore: driveBulk });
export const bulkRequest: pulumi.Output<BulkRequestOutput | undefined> = oneDriveBulk.bulkRequest;
export const bulkAsked: pulumi.Output<BulkRestoreOutput | undefined> = oneDriveBulk.bulkRestore;

// Exchange: whole mailboxes, items found by a query, and mailboxes in bulk.
const mailboxes: MailboxRestoreArtifactArgs[] = [{ email: "adele@contoso.com" }, point];
const query: MailboxQuery = { subjects: ["board"], senders: ["ceo@contoso.com"], hasAttachment: true };
const items: GranularMailboxRestoreArtifactArgs = { directoryObjectId: "mailbox-id", query };
export const exchange = new ExchangeRestoreSession("mail", { mailboxRestoreArtifacts: mailboxes });
const itemArgs: ExchangeRestoreSessionArgs = { granularMailboxRestoreArtifacts: [items] };
export const exchangeItems = new ExchangeRestoreSession("items", itemArgs);
export const itemResults: pulumi.Output<RestoreArtifactOutput[] | undefined> = exchangeItems.granularMailboxRestoreArtifacts;
const mailboxBulk: MailboxBulkRestoreArgs = { mailboxes: ["adele@contoso.com"], fastRestoreOnly: true };
export const exchangeBulk = new ExchangeRestoreSession("mail-bulk", { bulkRestore: mailboxBulk });

// What every session outputs, and the drill report over all three.
const all: RestoreSessionResource[] = [session, oneDrive, exchange];
const format: DrillReportFormat = "markdown";
export const report: pulumi.Output<string> = pulumi.all(all.map((s) => s.drillReport)).apply((reports: DrillReport[]) => renderDrillReport(reports, format));
export const types: string[] = [SHAREPOINT_RESTORE_SESSION_TYPE, ONEDRIVE_RESTORE_SESSION_TYPE, EXCHANGE_RESTORE_SESSION_TYPE];
export const counts = (outputs: RestoreSessionOutputs): ArtifactCount => outputs.restoreSessionArtifactCount;
export const creator = (outputs: RestoreSessionOutputs): Identity | undefined => (outputs.createdBy satisfies IdentitySet).application;
export const failure = (outputs: RestoreSessionOutputs): PublicError | undefined => outputs.error;
export const summarize = (summary: DrillSummary, artifacts: ReportArtifact[]): DrillReportItem[] => drillReport(summary, artifacts).items;
export const stored = (summary: DrillReportSummary): ReportError | undefined => summary.unresolvedNames;
export const formerName = (artifact: SiteRestoreArtifactOutput): RestoreArtifactOutput => artifact;
export const start: () => Promise<Emulator> = () => startEmulator({ port: 0 });

// Lookups: the promise and the output form of each, their arguments and results.
const filters: ProtectionUnitFilters = { policyId: "policy", status: "protected" };
const siteArgs: GetSiteProtectionUnitsArgs = { ...filters, siteWebUrlContains: "finance" };
const userArgs: GetUserProtectionUnitsArgs = { emailContains: "@contoso.com" };
const driveArgs: GetDriveProtectionUnitsArgs = userArgs;
const mailboxArgs: GetMailboxProtectionUnitsArgs = userArgs;
export const siteUnits: Promise<GetSiteProtectionUnitsResult> = getSiteProtectionUnits(siteArgs);
export const driveUnits: Promise<GetDriveProtectionUnitsResult> = getDriveProtectionUnits(driveArgs);
export const mailboxUnits: Promise<GetMailboxProtectionUnitsResult> = getMailboxProtectionUnits(mailboxArgs);
const siteOutputArgs: GetSiteProtectionUnitsOutputArgs = { status: pulumi.output("protected") };
const userOutputArgs: GetUserProtectionUnitsOutputArgs = { emailContains: "@contoso.com" };
const driveOutputArgs: GetDriveProtectionUnitsOutputArgs = userOutputArgs;
const mailboxOutputArgs: GetMailboxProtectionUnitsOutputArgs = userOutputArgs;
export const siteIds = getSiteProtectionUnitsOutput(siteOutputArgs).protectionUnits.apply((units: SiteProtectionUnit[]) => units.map((u) => u.siteId));
export const driveEmails = getDriveProtectionUnitsOutput(driveOutputArgs).protectionUnits.apply((units: DriveProtectionUnit[]) => units.map((u) => u.email));
export const mailboxIds = getMailboxProtectionUnitsOutput(mailboxOutputArgs).protectionUnits.apply((units: MailboxProtectionUnit[]) =>
  units.map((u: UserProtectionUnit) => u.directoryObjectId),
);
export const unitStatus = (unit: ProtectionUnitBase): string | undefined => unit.status;
const pointArgs: GetRestorePointsArgs = { protectionUnitIds: ["unit"], restorePointPreference: "oldest", fastRestoreOnly: true };
export const points: Promise<GetRestorePointsResult> = getRestorePoints(pointArgs);
const pointOutputArgs: GetRestorePointsOutputArgs = { protectionUnitIds: [pulumi.output("unit")], endDateTime: "2026-01-01T00:00:00Z" };
export const pointIds = getRestorePointsOutput(pointOutputArgs).restorePoints.apply((found: RestorePointInfo[]) => found.map((p) => p.id));
export const serviceStatus: Promise<BackupServiceStatus> = getBackupServiceStatus();
export const serviceStatusOutput = getBackupServiceStatusOutput().apply((s: BackupServiceStatus) => s.status);
export const lookupFailed = (error: unknown): boolean => error instanceof LookupArgumentError;

// Protection policies: what is backed up, by id, by name and by rule, per workload.
const policySettings: ProtectionPolicySettingsArgs = { displayName: "posture", active: true, adoptExisting: false };
const statusWait: StatusWait = { timeoutMinutes: 30, pollIntervalSeconds: 10 };
const keywords: SiteInclusionRuleArgs = { expression: "(displayName -contains 'Finance')" };
const siteArgs_: SharePointProtectionPolicyArgs = { ...policySettings, siteIds: ["site-id"], siteWebUrls: ["https://contoso.sharepoint.com/sites/a"], siteInclusionRules: [keywords], statusWait };
export const sitePolicy = new SharePointProtectionPolicy("sites-policy", siteArgs_);
const groups: GroupInclusionRuleArgs = { groupIds: ["group-id"], autoApply: true };
const driveArgs_: OneDriveProtectionPolicyArgs = { userIds: ["user-id"], userEmails: ["adele@contoso.com"], driveInclusionRules: [groups] };
export const drivePolicy = new OneDriveProtectionPolicy("drives-policy", driveArgs_);
const mailboxArgs_: ExchangeProtectionPolicyArgs = { mailboxIds: ["mailbox-id"], mailboxEmails: ["sales@contoso.com"], mailboxInclusionRules: [groups] };
export const mailboxPolicy = new ExchangeProtectionPolicy("mailboxes-policy", mailboxArgs_);
const policies: ProtectionPolicyResource[] = [sitePolicy, drivePolicy, mailboxPolicy];
export const policyStatuses = pulumi.all(policies.map((p) => p.status));
export const siteUnitIds = sitePolicy.siteProtectionUnits.apply((units: ProtectionUnitOutput[]) => units.map((u) => u.id));
export const driveRules = drivePolicy.driveInclusionRules.apply((rules: InclusionRuleOutput[]) => rules.map((r) => r.status));
export const mailboxJobs = mailboxPolicy.mailboxProtectionUnitsBulkAdditionJobs.apply((jobs: BulkJobOutput[]) => jobs.map((j) => j.error));
export const retention = (outputs: ProtectionPolicyOutputs): RetentionSetting[] | undefined => outputs.retentionSettings;
export const policyTypes: string[] = [SHAREPOINT_PROTECTION_POLICY_TYPE, ONEDRIVE_PROTECTION_POLICY_TYPE, EXCHANGE_PROTECTION_POLICY_TYPE];

// CrossGuard: each class carries its type token and recognises what carries it.
export const crossGuard: boolean[] = [SharePointRestoreSession.isInstance(session), OneDriveProtectionPolicy.isInstance({ __pulumiType: ONEDRIVE_PROTECTION_POLICY_TYPE })];
export const token: string = ExchangeRestoreSession.__pulumiType;
const maybe: unknown = sitePolicy;
export const matched: SharePointProtectionPolicy | undefined = SharePointProtectionPolicy.isInstance(maybe) ? maybe : undefined;

// Drill evidence from a stack's state (\`pulumi stack export\`), failed drills included.
const exported: StoredResource[] = [{ type: SHAREPOINT_RESTORE_SESSION_TYPE, outputs: {} }];
export const evidence: DrillReport[] = drillReportsFromState(exported);

// Settings: where each key falls back to in the environment, and the Graph hosts.
export const tenantVariables: readonly string[] | undefined = ENVIRONMENT_FALLBACKS["tenantId"];
export const graphHosts: readonly string[] = [new URL(DEFAULT_GRAPH_ENDPOINT).host, ...KNOWN_GRAPH_HOSTS];

// What the types refuse.
// @ts-expect-error destinationType is a closed set
export const wrong: SharePointRestoreSessionArgs = { siteRestoreArtifacts: [], destinationType: "elsewhere" };
// @ts-expect-error a OneDrive session restores OneDrives, not sites
export const wrongKind: OneDriveRestoreSessionArgs = { siteRestoreArtifacts: [point] };
// @ts-expect-error a bulk restore of mailboxes names mailboxes
export const wrongBulk: ExchangeRestoreSessionArgs = { bulkRestore: { drives: ["adele@contoso.com"] } };
// @ts-expect-error an item-level restore needs its query
export const noQuery: GranularMailboxRestoreArtifactArgs = { email: "adele@contoso.com" };
// @ts-expect-error item kinds are a closed set
export const wrongItems: MailboxQuery = { itemKinds: ["chat"] };
`;

  it("the consumer below imports every export of the installed declarations", () => {
    const declarations = path.join(project, "node_modules", "pulumi-m365-backup", "dist", "provider", "index.d.ts");
    expect(declaredExports(declarations)).toEqual([...PUBLIC_NAMES].sort());
  });

  it.each([
    ["node16 resolution", { module: "node16", moduleResolution: "node16" }],
    // What `pulumi new typescript` generates: classic node resolution, no esModuleInterop, no skipLibCheck.
    ["Pulumi's default tsconfig", { module: "commonjs", moduleResolution: "node", target: "es2020", noImplicitReturns: true }],
  ])("type-checks a strict consumer of every export and the emulator entry (%s, no skipLibCheck)", (_name, options) => {
    const result = typeCheckInProject(
      project,
      { "index.ts": CONSUMER },
      { strict: true, noUnusedLocals: true, target: "ES2022", types: ["node"], ...options },
    );
    expect(result).toEqual({ status: 0, output: "" });
  });

  describe("through the real host started in the project", () => {
    interface Case {
      resource: string;
      workload: "sharePoint" | "oneDrive" | "exchange";
      collection: string;
      artifacts: string;
      restorePoint(emulator: Emulator): string;
    }
    const CASES: Case[] = [
      {
        resource: "SharePointRestoreSession",
        workload: "sharePoint",
        collection: "sharePointRestoreSessions",
        artifacts: "siteRestoreArtifacts",
        restorePoint: (e) => e.tenant.latestRestorePointIdFor("sharePoint", e.tenant.sites().find((s) => s.protectionUnitId)!.siteId),
      },
      {
        resource: "OneDriveRestoreSession",
        workload: "oneDrive",
        collection: "oneDriveForBusinessRestoreSessions",
        artifacts: "driveRestoreArtifacts",
        restorePoint: (e) =>
          e.tenant.latestRestorePointIdFor("oneDrive", e.tenant.users().find((u) => u.protectionUnitId)!.directoryObjectId),
      },
      {
        resource: "ExchangeRestoreSession",
        workload: "exchange",
        collection: "exchangeRestoreSessions",
        artifacts: "mailboxRestoreArtifacts",
        restorePoint: (e) =>
          e.tenant.latestRestorePointIdFor("exchange", e.tenant.mailboxes().find((m) => m.protectionUnitId)!.directoryObjectId),
      },
    ];

    beforeAll(async () => {
      emulator = await startEmulator({ tls: testCa() });
      host = await startHost({ cwd: project });
      await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
    });
    beforeEach(() => emulator!.journal.clear());

    it.each(CASES)("$resource: check, create, read and delete of a draft", async (c) => {
      const provider = installedProviderText(project, c.resource);
      expect(provider).toContain('require("pulumi-m365-backup/engine")');
      expect(provider).not.toContain(repoRoot);
      const urn = urnFor(`packed-${c.resource}`);
      const sessions = `${ROOT}/${c.collection}`;
      const restorePointId = c.restorePoint(emulator!);
      const graphRequests = () => emulator!.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);

      const checked = await host!.check(urn, {}, { [c.artifacts]: [{ restorePointId }], __provider: provider });
      expect(checked).toEqual({
        inputs: { [c.artifacts]: [{ restorePointId }], destinationType: "new", activate: false, __provider: provider },
        failures: [],
      });
      expect(graphRequests()).toEqual([]);

      const created = await host!.create(urn, checked.inputs);
      expect(graphRequests()).toEqual([`POST ${sessions} 201`]);
      expect(created.properties).toMatchObject({ status: "draft", destinationType: "new", activate: false, restoreJobType: "standard" });
      expect(emulator!.tenant.sessions().map((s) => [s.id, s.workload])).toEqual([[created.id, c.workload]]);
      emulator!.journal.clear();

      const read = await host!.read(created.id, urn, created.properties);
      expect(graphRequests()).toEqual([
        `GET ${ROOT}/restoreSessions/${created.id} 200`,
        `GET ${sessions}/${created.id}/${c.artifacts} 200`,
      ]);
      expect(read.id).toBe(created.id);
      expect(read.properties[c.artifacts]).toEqual([expect.objectContaining({ restorePointId, status: "added" })]);
      emulator!.journal.clear();

      await host!.delete(created.id, urn, read.properties);
      expect(graphRequests()).toEqual([`DELETE ${ROOT}/restoreSessions/${created.id} 204`]);
      expect(emulator!.tenant.sessions()).toEqual([]);
    });
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
