/** check and diff of SharePoint restore sessions with restore-point entries: pure, no Graph. */
import { check, diff } from "../../provider/engine/restore-session/plan";
import { UNKNOWN } from "../../provider/schemas/inputs/common";
import { SHAREPOINT } from "../../provider/workloads";

const rp = (id: string) => ({ restorePointId: id });
/** A state as this version stores it after a create or refresh: every artifact held by Graph. */
const stored = (status: string, ids: string[], extra: Record<string, unknown> = {}) => ({
  stateVersion: 2,
  status,
  destinationType: "new",
  activate: status !== "draft",
  siteRestoreArtifacts: ids.map((id, i) => ({ restorePointId: id, id: `artifact-${i}`, status: "added" })),
  __provider: "text",
  ...extra,
});
const inputs = (ids: string[], extra: Record<string, unknown> = {}) => ({
  siteRestoreArtifacts: ids.map(rp),
  destinationType: "new",
  activate: false,
  ...extra,
});
const update = { changes: true, replaces: [], deleteBeforeReplace: false };

describe("diff", () => {
  it.each([
    ["unchanged draft", stored("draft", ["a", "b"]), inputs(["a", "b"]), { changes: false }],
    ["same sites in another order", stored("draft", ["a", "b"]), inputs(["b", "a"]), { changes: false }],
    ["unchanged activated", stored("completed", ["a"]), inputs(["a"], { activate: true }), { changes: false }],
    ["draft gains a site", stored("draft", ["a"]), inputs(["a", "b"]), update],
    ["draft loses a site", stored("draft", ["a", "b"]), inputs(["a"]), update],
    ["draft is activated", stored("draft", ["a"]), inputs(["a"], { activate: true }), update],
    [
      "draft changes destination",
      stored("draft", ["a"]),
      inputs(["a"], { destinationType: "inPlace" }),
      { changes: true, replaces: ["destinationType"], deleteBeforeReplace: false },
    ],
    [
      "activated changes sites",
      stored("active", ["a"]),
      inputs(["b"], { activate: true }),
      { changes: true, replaces: ["siteRestoreArtifacts"], deleteBeforeReplace: false },
    ],
    [
      "activated changes destination",
      stored("completed", ["a"]),
      inputs(["a"], { activate: true, destinationType: "inPlace" }),
      { changes: true, replaces: ["destinationType"], deleteBeforeReplace: false },
    ],
    ["unknown sites during preview (draft)", stored("draft", ["a"]), inputs([], { siteRestoreArtifacts: UNKNOWN }), update],
    [
      "unknown sites during preview (activated)",
      stored("failed", ["a"]),
      inputs([], { siteRestoreArtifacts: [rp(UNKNOWN)], activate: true }),
      { changes: true, replaces: ["siteRestoreArtifacts"], deleteBeforeReplace: false },
    ],
    [
      "status Graph added later",
      stored("somethingNew", ["a"]),
      inputs(["b"], { activate: true }),
      { changes: true, replaces: ["siteRestoreArtifacts"], deleteBeforeReplace: false },
    ],
  ])("%s", (_name, olds, news, expected) => {
    expect(diff(SHAREPOINT, olds, news)).toEqual(expected);
  });

  it("reads state written without a stateVersion (version 0)", () => {
    const { stateVersion: _v, ...v0 } = stored("draft", ["a"]);
    expect(diff(SHAREPOINT, v0, inputs(["a"]))).toEqual({ changes: false });
  });
});

describe("check", () => {
  it("refuses to deactivate a session that was activated", () => {
    expect(check(SHAREPOINT, inputs(["a"], { activate: true }), inputs(["a"], { activate: false }), "v1.0").failures).toEqual([
      {
        property: "activate",
        reason:
          "the session was already activated and Graph cannot deactivate it; keep activate: true, or replace the resource to start a new draft " +
          "(if its activation failed, run `pulumi refresh` first)",
      },
    ]);
  });

  it("returns the checked inputs when everything is valid", () => {
    expect(check(SHAREPOINT, {}, { siteRestoreArtifacts: [rp("a")] }, "v1.0")).toEqual({ inputs: inputs(["a"]) });
  });

  it("returns the user's inputs with every failure, input and deactivation alike", () => {
    const news = { siteRestoreArtifacts: [rp("")], activate: false };
    expect(check(SHAREPOINT, { activate: true }, news, "v1.0")).toEqual({
      inputs: news,
      failures: [
        {
          property: "siteRestoreArtifacts[0].restorePointId",
          reason: "must not be empty; use a restore point id returned by restorePoints/search",
        },
        {
          property: "activate",
          reason:
            "the session was already activated and Graph cannot deactivate it; keep activate: true, or replace the resource to start a new draft " +
            "(if its activation failed, run `pulumi refresh` first)",
        },
      ],
    });
  });
});
