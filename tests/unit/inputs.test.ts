/** check's input validation of SharePoint restore sessions (restore-point entries). Per workload: inputs-workloads.test.ts. */
import { propertyPath, UNKNOWN } from "../../provider/schemas/inputs/common";
import { restoreSessionInputRules } from "../../provider/schemas/inputs/restore-session";
import { SHAREPOINT } from "../../provider/workloads";

const validateInputs = (news: Record<string, unknown>) => restoreSessionInputRules(SHAREPOINT).validate(news);

const rp = (id: string) => ({ restorePointId: id });

describe("validateInputs", () => {
  it("applies the documented defaults and keeps __provider", () => {
    expect(validateInputs({ siteRestoreArtifacts: [rp("a")], __provider: "text" })).toEqual({
      inputs: { siteRestoreArtifacts: [rp("a")], destinationType: "new", activate: false, __provider: "text" },
      failures: [],
    });
  });

  it.each([
    [{}, "siteRestoreArtifacts", /^must list at least one site to restore, e\.g\. \[\{ siteId: "\.\.\." \}\] \(or use bulkRestore\)$/],
    [{ siteRestoreArtifacts: [] }, "siteRestoreArtifacts", /^must list at least one site to restore$/],
    [{ siteRestoreArtifacts: "x" }, "siteRestoreArtifacts", /must be an array/],
    [
      { siteRestoreArtifacts: [rp("a"), rp("b"), { restorePointId: 3 }] },
      "siteRestoreArtifacts[2].restorePointId",
      /restore point id string/,
    ],
    [{ siteRestoreArtifacts: [rp("")] }, "siteRestoreArtifacts[0].restorePointId", /must not be empty/],
    [{ siteRestoreArtifacts: [rp("a\u0000b")] }, "siteRestoreArtifacts[0].restorePointId", /control characters/],
    [{ siteRestoreArtifacts: [rp("x".repeat(1025))] }, "siteRestoreArtifacts[0].restorePointId", /at most 1024/],
    [
      { siteRestoreArtifacts: [{ restorePointId: "a", siteId: "s" }] },
      "siteRestoreArtifacts[0].siteId",
      /unknown property; allowed here: restorePointId/,
    ],
    [{ siteRestoreArtifacts: [rp("a")], destinationType: "elsewhere" }, "destinationType", /"new" .* or "inPlace"/],
    [{ siteRestoreArtifacts: [rp("a")], activate: "yes" }, "activate", /true or false/],
    [
      { siteRestoreArtifacts: [rp("a")], colour: "blue" },
      "colour",
      /^unknown property; allowed here: siteRestoreArtifacts, bulkRestore, destinationType, activate, allowInPlaceRestore, waitForCompletion, failOn, drillId$/,
    ],
    [
      { siteRestoreArtifacts: [rp("a")], status: "active" },
      "status",
      /^status is set by the service; set activate: true to start the restore$/,
    ],
    [
      { siteRestoreArtifacts: [rp("a")], id: "x" },
      "id",
      /^id is assigned by the service; to manage an existing session use SharePointRestoreSession\.get\(name, id\)$/,
    ],
    [{ siteRestoreArtifacts: [rp("a")], createdBy: {} }, "createdBy", /set by the service/],
  ])("rejects %j at %s", (news, property, reason) => {
    const { failures } = validateInputs(news as Record<string, unknown>);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe(property);
    expect(failures[0]!.reason).toMatch(reason);
  });

  it("rejects more than 1,000 sites, naming the limit", () => {
    const many = Array.from({ length: 1001 }, (_, i) => rp(`rp-${i}`));
    expect(validateInputs({ siteRestoreArtifacts: many }).failures).toEqual([
      {
        property: "siteRestoreArtifacts",
        reason: "a session holds at most 1000 sites; split them over several sessions, or use bulkRestore",
      },
    ]);
  });

  it("names every duplicate restore point and the entry it repeats", () => {
    expect(validateInputs({ siteRestoreArtifacts: [rp("a"), rp("b"), rp("a"), rp("a")] }).failures).toEqual([
      {
        property: "siteRestoreArtifacts[2].restorePointId",
        reason: "duplicates siteRestoreArtifacts[0]; list each restore point once (the service rejects duplicates)",
      },
      {
        property: "siteRestoreArtifacts[3].restorePointId",
        reason: "duplicates siteRestoreArtifacts[0]; list each restore point once (the service rejects duplicates)",
      },
    ]);
  });

  it("lets preview's unknown values through, in any field", () => {
    expect(validateInputs({ siteRestoreArtifacts: UNKNOWN, activate: UNKNOWN })).toEqual({
      inputs: { siteRestoreArtifacts: UNKNOWN, destinationType: "new", activate: UNKNOWN },
      failures: [],
    });
    expect(validateInputs({ siteRestoreArtifacts: [rp("a"), rp(UNKNOWN), UNKNOWN], destinationType: UNKNOWN })).toEqual({
      inputs: { siteRestoreArtifacts: [rp("a"), rp(UNKNOWN), UNKNOWN], destinationType: UNKNOWN, activate: false },
      failures: [],
    });
  });

  it("still validates the known values next to unknown ones", () => {
    expect(validateInputs({ siteRestoreArtifacts: [rp(UNKNOWN), rp("")] }).failures.map((f) => f.property)).toEqual([
      "siteRestoreArtifacts[1].restorePointId",
    ]);
  });
});

describe("propertyPath", () => {
  it("renders paths the way Pulumi users write them", () => {
    expect(propertyPath(["siteRestoreArtifacts", 2, "restorePointId"])).toBe("siteRestoreArtifacts[2].restorePointId");
    expect(propertyPath(["activate"])).toBe("activate");
  });
});
