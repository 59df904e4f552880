/**
 * The example programs under Pulumi's mocks: each one, given its documented stack config,
 * registers exactly the restore session its README promises and exports the outputs it lists, and
 * every resource it registers passes the package's own `check`, run as the engine runs it: through
 * the real dynamic-provider host, with the registered inputs and their `__provider`.
 *
 * Every case loads Pulumi, the package and the example in a fresh module registry, because a
 * program declares its resources when it is first required and reads config at that moment.
 */
import type * as PulumiModule from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir } from "../support/program-dir";

// Examples import the package by name, as users do; here that name is this repository's source.
jest.mock("pulumi-m365-backup", () => jest.requireActual("../../provider"), { virtual: true });

const EXAMPLES = path.resolve(__dirname, "../../examples");
const PROJECT = "example";
const STACK = "stack";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let programDir: string;
let host: Host;

// One host for the file, as one `pulumi preview` has; sign-in settings from this machine's environment stay out of it.
beforeAll(async () => {
  programDir = makeProgramDir();
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(ARM_|AZURE_|M365_BACKUP_)/.test(key)));
  host = await startHost({ cwd: programDir, env });
  await host.configure({});
});

afterAll(async () => {
  await host?.close();
  if (programDir) fs.rmSync(programDir, { recursive: true, force: true });
});

/** The engine's check of one registration (its `__provider` included); throws with every failure. */
async function engineCheck(registration: Registration, provider: unknown): Promise<void> {
  const urn = urnFor(registration.name, registration.type, PROJECT, STACK);
  const { failures } = await host.check(urn, {}, { ...registration.inputs, __provider: provider });
  if (failures.length > 0) {
    throw new Error(`check of ${registration.name} failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

interface ProgramRun {
  registrations: Registration[];
  outputs: Record<string, unknown>;
}

/**
 * Runs one example with the given stack config (bare keys, JSON-encoded values) and collects what it
 * did; rejects when the engine's check refuses any resource it registered.
 */
async function runExample(example: string, config: Record<string, string>, state: Record<string, unknown> = {}): Promise<ProgramRun> {
  let run!: Promise<ProgramRun>;
  jest.isolateModules(() => {
    const pulumi = require("@pulumi/pulumi") as typeof PulumiModule;
    const registrations: Registration[] = [];
    const checks: Promise<void>[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const { __provider, ...inputs } = args.inputs as Record<string, unknown>;
          const registration = { type: args.type, name: args.name, inputs };
          registrations.push(registration);
          checks.push(engineCheck(registration, __provider));
          return { id: "session-1", state: { ...inputs, status: "draft", ...state } };
        },
        call: () => ({}),
      },
      PROJECT,
      STACK,
      false,
    );
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])));
    const program = require(path.join(EXAMPLES, example, "index.ts")) as Record<string, PulumiModule.Output<unknown>>;
    run = resolveAll(program).then(async (outputs) => {
      await Promise.all(checks);
      expect(checks).toHaveLength(registrations.length);
      return { registrations, outputs };
    });
  });
  return run;
}

async function resolveAll(program: Record<string, PulumiModule.Output<unknown>>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(program).map(async ([name, output]) => [name, await new Promise((resolve) => output.apply(resolve))] as const),
  );
  return Object.fromEntries(entries);
}

const TYPE = "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession";
const TWO_RESTORE_POINTS = JSON.stringify(["rp-a", "rp-b"]);

describe("examples/basic", () => {
  it("declares one draft session restoring the configured restore points to new URLs", async () => {
    const { registrations, outputs } = await runExample("basic", { restorePointIds: TWO_RESTORE_POINTS });
    expect(registrations).toEqual([
      {
        type: TYPE,
        name: "restore",
        inputs: { siteRestoreArtifacts: [{ restorePointId: "rp-a" }, { restorePointId: "rp-b" }], destinationType: "new" },
      },
    ]);
    expect(outputs).toEqual({
      sessionId: "session-1",
      status: "draft",
      sites: [{ restorePointId: "rp-a" }, { restorePointId: "rp-b" }],
    });
  });

  it("fails when restorePointIds is not configured", async () => {
    await expect(runExample("basic", {})).rejects.toThrow(/Missing required configuration variable 'example:restorePointIds'/);
  });
});

describe("examples/dr-drill", () => {
  it("declares an activated new-URL session and exports the demo's outputs", async () => {
    const state = {
      status: "active",
      createdDateTime: "2026-11-27T10:00:00Z",
      createdBy: { application: { id: "app-1", displayName: "drill" } },
      restoreSessionArtifactCount: { total: 2, inProgress: 2, completed: 0, failed: 0 },
      siteRestoreArtifacts: [
        {
          restorePointId: "rp-a",
          id: "art-1",
          status: "inProgress",
          restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/a-restored",
        },
        { restorePointId: "rp-b", id: "art-2", status: "scheduled" },
      ],
      drillReport: {
        sessionId: "session-1",
        workload: "SharePoint",
        drillId: "drill-1",
        status: "active",
        succeeded: 0,
        failed: 0,
        pending: 2,
      },
    };
    const { registrations, outputs } = await runExample("dr-drill", { restorePointIds: TWO_RESTORE_POINTS }, state);
    expect(registrations).toEqual([
      {
        type: TYPE,
        name: "dr-drill",
        inputs: {
          siteRestoreArtifacts: [{ restorePointId: "rp-a" }, { restorePointId: "rp-b" }],
          destinationType: "new",
          activate: true,
          waitForCompletion: { timeoutMinutes: 120 },
          drillId: "drill-1",
        },
      },
    ]);
    expect(outputs).toEqual({
      sessionId: "session-1",
      status: "active",
      createdDateTime: "2026-11-27T10:00:00Z",
      completedDateTime: null,
      createdBy: { application: { id: "app-1", displayName: "drill" } },
      restoreSessionArtifactCount: { total: 2, inProgress: 2, completed: 0, failed: 0 },
      restoredSites: [
        { restorePointId: "rp-a", status: "inProgress", restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/a-restored" },
        { restorePointId: "rp-b", status: "scheduled", restoredSiteWebUrl: undefined },
      ],
      drillReport: expect.stringMatching(
        /^# DR drill report: drill-1\n[\s\S]*\| restore point rp-a \| rp-a \| – \| – \| inProgress \| https:\/\/contoso.sharepoint.com\/sites\/a-restored \| – \| – \|\n\| restore point rp-b \| rp-b \| – \| – \| scheduled \| – \| – \| – \|\n$/,
      ),
    });
  });

  it("names sites by id at a point in time when siteIds is configured", async () => {
    const { registrations } = await runExample("dr-drill", {
      siteIds: JSON.stringify(["site-a"]),
      pointInTime: "2026-11-01T00:00:00Z",
      drillId: "q4",
    });
    expect(registrations[0]!.inputs).toMatchObject({
      siteRestoreArtifacts: [{ siteId: "site-a", pointInTime: "2026-11-01T00:00:00Z" }],
      drillId: "q4",
    });
  });
});

describe("examples/gitops", () => {
  const URLS = JSON.stringify(["https://contoso.sharepoint.com/sites/finance", "https://contoso.sharepoint.com/sites/hr"]);
  const bulk = (extra: Record<string, unknown> = {}) => ({
    siteWebUrls: ["https://contoso.sharepoint.com/sites/finance", "https://contoso.sharepoint.com/sites/hr"],
    restorePointPreference: "latest",
    displayName: "restore",
    ...extra,
  });

  it("defaults to a draft bulk restore of the sites by URL to new URLs", async () => {
    const { registrations } = await runExample("gitops", { siteWebUrls: URLS });
    expect(registrations.map((r) => r.inputs)).toEqual([{ bulkRestore: bulk(), destinationType: "new", activate: false }]);
  });

  it("takes the point in time, destinationType, its confirmation, activate and drillId from stack config", async () => {
    const { registrations, outputs } = await runExample("gitops", {
      siteWebUrls: URLS,
      pointInTime: "2026-11-01T00:00:00Z",
      destinationType: "inPlace",
      allowInPlaceRestore: "true",
      activate: "true",
      drillId: "2026-11",
    });
    expect(registrations).toEqual([
      {
        type: TYPE,
        name: "restore",
        inputs: {
          bulkRestore: bulk({ protectionTimePeriod: { endDateTime: "2026-11-01T00:00:00Z" } }),
          destinationType: "inPlace",
          allowInPlaceRestore: true,
          activate: true,
          drillId: "2026-11",
        },
      },
    ]);
    expect(Object.keys(outputs).sort()).toEqual(["bulkRequest", "sessionId", "sites", "status"]);
  });

  it("an in-place restore without allowInPlaceRestore fails the engine's check, which asks for it", async () => {
    await expect(runExample("gitops", { siteWebUrls: URLS, destinationType: "inPlace" })).rejects.toThrow(
      /^check of restore failed: destinationType: an in-place restore rolls production data back to the restore point and cannot be undone; set allowInPlaceRestore: true to confirm, or use destinationType: "new"$/,
    );
  });

  it("refuses a destinationType other than new or inPlace, naming the key", async () => {
    await expect(runExample("gitops", { siteWebUrls: URLS, destinationType: "elsewhere" })).rejects.toThrow(
      /Configuration 'example:destinationType' value 'elsewhere' is not a legal enum value/,
    );
  });
});

describe("examples/m365-drill", () => {
  it("declares three bulk restores, one per workload, that pass the engine's check, and exports one combined report", async () => {
    const { registrations, outputs } = await runExample(
      "m365-drill",
      {
        siteWebUrls: JSON.stringify(["https://contoso.sharepoint.com/sites/finance"]),
        userEmails: JSON.stringify(["adele@contoso.com"]),
        mailboxEmails: JSON.stringify(["adele@contoso.com", "sales@contoso.com"]),
        pointInTime: "2026-11-01T00:00:00Z",
        drillId: "2026-11",
      },
      { drillReport: { sessionId: "s", workload: "SharePoint", status: "completed", succeeded: 1, failed: 0, pending: 0 } },
    );
    const settings = { destinationType: "new", activate: true, waitForCompletion: { timeoutMinutes: 240 }, drillId: "2026-11" };
    const window = { restorePointPreference: "latest", protectionTimePeriod: { endDateTime: "2026-11-01T00:00:00Z" } };
    expect(registrations.map((r) => [r.type.split(":").pop(), r.inputs])).toEqual([
      [
        "SharePointRestoreSession",
        { bulkRestore: { siteWebUrls: ["https://contoso.sharepoint.com/sites/finance"], ...window, displayName: "sites" }, ...settings },
      ],
      ["OneDriveRestoreSession", { bulkRestore: { drives: ["adele@contoso.com"], ...window, displayName: "onedrives" }, ...settings }],
      [
        "ExchangeRestoreSession",
        { bulkRestore: { mailboxes: ["adele@contoso.com", "sales@contoso.com"], ...window, displayName: "mailboxes" }, ...settings },
      ],
    ]);
    expect(outputs.drillReport).toMatch(/^# DR drill report\n\n\| Workload \| Restore session \|/);
    expect(JSON.parse(outputs.drillReportJson as string)).toHaveLength(3);
  });
});

describe("examples/posture", () => {
  const GROUP = "6b1f2a0e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
  const POLICY = "pulumi-nodejs:dynamic/m365-backup:";

  it("declares one policy per workload from stack config: URLs and keyword rules, group rules that follow membership, emails", async () => {
    const keywords = ["Legal", "Payroll", "Board", "Audit", "Treasury", "Mergers"];
    const { registrations, outputs } = await runExample("posture", {
      protectedGroupIds: JSON.stringify([GROUP]),
      siteWebUrls: JSON.stringify(["https://contoso.sharepoint.com/sites/finance"]),
      siteKeywords: JSON.stringify(keywords),
      sharedMailboxes: JSON.stringify(["support@contoso.com"]),
    });
    const rule = (words: string[]) => ({
      expression: `(${words.flatMap((w) => [`(displayName -contains '${w}')`, `(webUrl -contains '${w}')`]).join(" -or ")})`,
    });
    // Registered as their inputs resolve: in no fixed order.
    expect([...registrations].sort((a, b) => b.name.localeCompare(a.name))).toEqual([
      {
        type: `${POLICY}SharePointProtectionPolicy`,
        name: "sharepoint",
        inputs: {
          displayName: "SharePoint: business-critical sites",
          siteWebUrls: ["https://contoso.sharepoint.com/sites/finance"],
          // Graph allows 10 keywords a rule: each word counts twice (name and URL), so five words a rule.
          siteInclusionRules: [rule(keywords.slice(0, 5)), rule(keywords.slice(5))],
          adoptExisting: false,
        },
      },
      {
        type: `${POLICY}OneDriveProtectionPolicy`,
        name: "onedrive",
        inputs: {
          displayName: "OneDrive: members of the protected groups",
          driveInclusionRules: [{ groupIds: [GROUP], autoApply: true }],
          adoptExisting: false,
        },
      },
      {
        type: `${POLICY}ExchangeProtectionPolicy`,
        name: "exchange",
        inputs: {
          displayName: "Exchange: members of the protected groups and shared mailboxes",
          mailboxInclusionRules: [{ groupIds: [GROUP], autoApply: true }],
          mailboxEmails: ["support@contoso.com"],
          adoptExisting: false,
        },
      },
    ]);
    const empty = { id: "session-1", status: "draft", protected: 0, pending: 0, unresolvedNames: [] };
    expect(outputs).toEqual({ sharePoint: empty, oneDrive: empty, exchange: empty });
  });

  it("summarises what Graph holds: protected and pending units, and the names the service could not resolve", async () => {
    const state = {
      status: "active",
      siteProtectionUnits: [{ status: "protected" }, { status: "protectRequested" }],
      siteProtectionUnitsBulkAdditionJobs: [
        { id: "j-1", names: [], error: { details: [{ message: "Site Url 'https://x' could not be resolved" }] } },
      ],
    };
    const { outputs } = await runExample(
      "posture",
      { protectedGroupIds: JSON.stringify([GROUP]), siteKeywords: JSON.stringify(["Legal"]) },
      state,
    );
    expect(outputs.sharePoint).toEqual({
      id: "session-1",
      status: "active",
      protected: 1,
      pending: 1,
      unresolvedNames: ["Site Url 'https://x' could not be resolved"],
    });
  });

  it("with adoptExisting, every policy takes over the tenant's and is kept when the stack is destroyed", async () => {
    const { registrations } = await runExample("posture", {
      protectedGroupIds: JSON.stringify([GROUP]),
      siteKeywords: JSON.stringify(["Legal"]),
      adoptExisting: "true",
    });
    expect(registrations.map((r) => r.inputs.adoptExisting)).toEqual([true, true, true]);
  });

  it("a group list over Graph's limit fails the engine's check, naming the property", async () => {
    const groups = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    await expect(
      runExample("posture", { protectedGroupIds: JSON.stringify(groups), siteKeywords: JSON.stringify(["Legal"]) }),
    ).rejects.toThrow(
      /check of onedrive failed: driveInclusionRules\[0\]\.groupIds: a rule's expression names at most 100 groups \(Graph's limit\)/,
    );
  });
});
