/**
 * check and diff for drills: site entries, the in-place guardrail, drillId replacement, waiting
 * settings, and diff comparing requests (never resolutions).
 */
import { diff } from "../../provider/engine/restore-session/plan";
import { restoreSessionInputRules } from "../../provider/schemas/inputs/restore-session";
import { SHAREPOINT } from "../../provider/workloads";

const validateInputs = (news: Record<string, unknown>) => restoreSessionInputRules(SHAREPOINT).validate(news);

const site = (siteId: string, extra: Record<string, unknown> = {}) => ({ siteId, ...extra });
const stored = (status: string, extra: Record<string, unknown> = {}) => ({
  stateVersion: 2,
  status,
  destinationType: "new",
  activate: status !== "draft",
  siteRestoreArtifacts: [
    {
      restorePointId: "rp-a",
      siteId: "site-a",
      requestedPointInTime: "2026-11-01T00:00:00.000Z",
      protectionDateTime: "2026-10-31T23:50:00Z",
      id: "art-a",
      status: "added",
    },
    { restorePointId: "rp-b", siteWebUrl: "https://contoso.sharepoint.com/sites/hr", id: "art-b", status: "added" },
  ],
  ...extra,
});
const news = (extra: Record<string, unknown> = {}) => ({
  siteRestoreArtifacts: [
    site("site-a", { pointInTime: "2026-11-01T00:00:00Z" }),
    { siteWebUrl: "https://CONTOSO.sharepoint.com/sites/hr/" },
  ],
  destinationType: "new",
  activate: true,
  ...extra,
});
const replace = (...replaces: string[]) => ({ changes: true, replaces, deleteBeforeReplace: false });

describe("diff of drills", () => {
  it.each([
    ["the same requests (URL case, slash and time zone spelling aside)", stored("completed"), news(), { changes: false }],
    [
      "another point in time for a site",
      stored("completed"),
      news({ siteRestoreArtifacts: [site("site-a"), { siteWebUrl: "https://contoso.sharepoint.com/sites/hr" }] }),
      replace("siteRestoreArtifacts"),
    ],
    [
      "another preference",
      stored("completed"),
      news({
        siteRestoreArtifacts: [
          site("site-a", { pointInTime: "2026-11-01T00:00:00Z", restorePointPreference: "oldest" }),
          { siteWebUrl: "https://contoso.sharepoint.com/sites/hr" },
        ],
      }),
      replace("siteRestoreArtifacts"),
    ],
    ["a new drillId on an activated session", stored("completed", { drillId: "q1" }), news({ drillId: "q2" }), replace("drillId")],
    ["a new drillId on a draft", stored("draft", { drillId: "q1" }), news({ drillId: "q2", activate: false }), replace("drillId")],
    ["a first drillId", stored("completed"), news({ drillId: "q1" }), replace("drillId")],
    ["failOn changed", stored("completed"), news({ failOn: "never" }), replace()],
    ["waitForCompletion on a finished session", stored("completed"), news({ waitForCompletion: true }), replace()],
    [
      "waitForCompletion unchanged while the restore runs",
      stored("active", { waitForCompletion: { timeoutMinutes: 1 } }),
      news({ waitForCompletion: { timeoutMinutes: 1 } }),
      replace(),
    ],
    [
      "waitForCompletion unchanged once it ended",
      stored("completed", { waitForCompletion: { timeoutMinutes: 1, pollIntervalSeconds: 2 } }),
      news({ waitForCompletion: { pollIntervalSeconds: 2, timeoutMinutes: 1 } }),
      { changes: false },
    ],
    ["no wait asked while the restore runs", stored("active"), news(), { changes: false }],
  ])("%s", (_name, olds, wanted, expected) => {
    expect(diff(SHAREPOINT, olds, wanted)).toEqual(expected);
  });

  it("names waitForCompletion as the change that makes a running session's update wait", () => {
    const result = diff(SHAREPOINT, stored("activating", { waitForCompletion: true }), news({ waitForCompletion: true }));
    expect(result).toEqual(replace());
  });
});

describe("check of drills", () => {
  it("accepts site entries and drill settings as given, adding only the documented defaults", () => {
    const given = {
      siteRestoreArtifacts: [
        site("s", { pointInTime: "2026-01-01T00:00:00+01:00", restorePointPreference: "oldest", fastRestoreOnly: true }),
        { siteWebUrl: "https://contoso.sharepoint.com/sites/x" },
      ],
      waitForCompletion: { timeoutMinutes: 0.5 },
      failOn: "failed",
      drillId: "2026-q1",
    };
    expect(validateInputs(given)).toEqual({ inputs: { ...given, destinationType: "new", activate: false }, failures: [] });
  });

  it.each([
    [{ siteRestoreArtifacts: [site("s")], destinationType: "inPlace" }, "destinationType", /set allowInPlaceRestore: true/],
    [
      { siteRestoreArtifacts: [site("s")], destinationType: "inPlace", allowInPlaceRestore: false },
      "destinationType",
      /^an in-place restore rolls production data back to the restore point and cannot be undone; set allowInPlaceRestore: true to confirm/,
    ],
    [
      { siteRestoreArtifacts: [site("s")], waitForCompletion: { timeoutMinutes: 0 } },
      "waitForCompletion.timeoutMinutes",
      /must be more than 0/,
    ],
    [{ siteRestoreArtifacts: [site("s")], waitForCompletion: "soon" }, "waitForCompletion", /true, false, or/],
    [{ siteRestoreArtifacts: [site("s")], failOn: "always" }, "failOn", /"failed", "completedWithError" \(the default\) or "never"/],
    [{ siteRestoreArtifacts: [site("s")], drillId: "" }, "drillId", /must not be empty/],
    [{ siteRestoreArtifacts: [site("s", { fastRestoreOnly: "yes" })] }, "siteRestoreArtifacts[0].fastRestoreOnly", /true or false/],
    [{ siteRestoreArtifacts: [site("")] }, "siteRestoreArtifacts[0].siteId", /must not be empty/],
    [
      { siteRestoreArtifacts: [{ siteWebUrl: "https://user:pw@contoso.sharepoint.com/sites/x" }] },
      "siteRestoreArtifacts[0].siteWebUrl",
      /without credentials/,
    ],
    [{ siteRestoreArtifacts: [{}] }, "siteRestoreArtifacts[0]", /exactly one of siteWebUrl or siteId/],
    [{ siteRestoreArtifacts: ["x"] }, "siteRestoreArtifacts[0]", /must be an object/],
    [
      { siteRestoreArtifacts: [site("S1"), site("s1")] },
      "siteRestoreArtifacts[1].siteId",
      /^names the same site as siteRestoreArtifacts\[0\]; a session restores each site once$/,
    ],
  ])("rejects %j at %s", (given, property, reason) => {
    const { failures } = validateInputs(given as Record<string, unknown>);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.property).toBe(property);
    expect(failures[0]!.reason).toMatch(reason);
  });

  it("accepts inPlace with the explicit switch", () => {
    expect(validateInputs({ siteRestoreArtifacts: [site("s")], destinationType: "inPlace", allowInPlaceRestore: true }).failures).toEqual(
      [],
    );
  });
});
