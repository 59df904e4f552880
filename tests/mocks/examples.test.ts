/**
 * The example programs under Pulumi's mocks: each one, given its documented stack config,
 * registers exactly the restore session its README promises and exports the outputs it lists.
 *
 * Every case loads Pulumi, the package and the example in a fresh module registry, because a
 * program declares its resources when it is first required and reads config at that moment.
 */
import type * as PulumiModule from "@pulumi/pulumi";
import * as path from "path";

// Examples import the package by name, as users do; here that name is this repository's source.
jest.mock("pulumi-m365-backup", () => jest.requireActual("../../provider"), { virtual: true });

const EXAMPLES = path.resolve(__dirname, "../../examples");
const PROJECT = "example";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

interface ProgramRun {
  registrations: Registration[];
  outputs: Record<string, unknown>;
}

/** Runs one example with the given stack config (bare keys, JSON-encoded values) and collects what it did. */
async function runExample(example: string, config: Record<string, string>, state: Record<string, unknown> = {}): Promise<ProgramRun> {
  let run!: Promise<ProgramRun>;
  jest.isolateModules(() => {
    const pulumi = require("@pulumi/pulumi") as typeof PulumiModule;
    const registrations: Registration[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const { __provider, ...inputs } = args.inputs as Record<string, unknown>;
          registrations.push({ type: args.type, name: args.name, inputs });
          return { id: "session-1", state: { ...inputs, status: "draft", ...state } };
        },
        call: () => ({}),
      },
      PROJECT,
      "stack",
      false,
    );
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value])));
    const program = require(path.join(EXAMPLES, example, "index.ts")) as Record<string, PulumiModule.Output<unknown>>;
    run = resolveAll(program).then((outputs) => ({ registrations, outputs }));
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
      drillReport: { sessionId: "session-1", workload: "SharePoint", drillId: "drill-1", status: "active", succeeded: 0, failed: 0, pending: 2 },
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
  it("defaults to a draft restoring to new URLs", async () => {
    const { registrations } = await runExample("gitops", { restorePointIds: JSON.stringify(["rp-a"]) });
    expect(registrations.map((r) => r.inputs)).toEqual([
      { siteRestoreArtifacts: [{ restorePointId: "rp-a" }], destinationType: "new", activate: false },
    ]);
  });

  it("takes destinationType and activate from stack config", async () => {
    const { registrations, outputs } = await runExample("gitops", {
      restorePointIds: TWO_RESTORE_POINTS,
      destinationType: "inPlace",
      activate: "true",
    });
    expect(registrations).toEqual([
      {
        type: TYPE,
        name: "restore",
        inputs: {
          siteRestoreArtifacts: [{ restorePointId: "rp-a" }, { restorePointId: "rp-b" }],
          destinationType: "inPlace",
          activate: true,
        },
      },
    ]);
    expect(Object.keys(outputs).sort()).toEqual(["sessionId", "sites", "status"]);
  });

  it("refuses a destinationType other than new or inPlace, naming the key", async () => {
    await expect(runExample("gitops", { restorePointIds: TWO_RESTORE_POINTS, destinationType: "elsewhere" })).rejects.toThrow(
      /Configuration 'example:destinationType' value 'elsewhere' is not a legal enum value/,
    );
  });
});
