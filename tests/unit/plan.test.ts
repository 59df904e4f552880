import { check, diff } from "../../provider/engine/plan";
import { UNKNOWN } from "../../provider/schemas/inputs";

const rp = (id: string) => ({ restorePointId: id });
const stored = (status: string, ids: string[], extra: Record<string, unknown> = {}) => ({
  stateVersion: 1,
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

describe("diff", () => {
  it.each([
    ["unchanged draft", stored("draft", ["a", "b"]), inputs(["a", "b"]), { changes: false }],
    ["same sites in another order", stored("draft", ["a", "b"]), inputs(["b", "a"]), { changes: false }],
    ["unchanged activated", stored("completed", ["a"]), inputs(["a"], { activate: true }), { changes: false }],
    ["draft gains a site", stored("draft", ["a"]), inputs(["a", "b"]), { changes: true, replaces: [], deleteBeforeReplace: false }],
    ["draft loses a site", stored("draft", ["a", "b"]), inputs(["a"]), { changes: true, replaces: [], deleteBeforeReplace: false }],
    [
      "draft is activated",
      stored("draft", ["a"]),
      inputs(["a"], { activate: true }),
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
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
    [
      "unknown sites during preview (draft)",
      stored("draft", ["a"]),
      inputs([], { siteRestoreArtifacts: UNKNOWN }),
      { changes: true, replaces: [], deleteBeforeReplace: false },
    ],
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
    expect(diff(olds, news)).toEqual(expected);
  });

  it("reads state written without a stateVersion (version 0)", () => {
    const { stateVersion: _v, ...v0 } = stored("draft", ["a"]);
    expect(diff(v0, inputs(["a"]))).toEqual({ changes: false });
  });
});

describe("check", () => {
  it("refuses to deactivate a session that was activated", () => {
    expect(check(inputs(["a"], { activate: true }), inputs(["a"], { activate: false })).failures).toEqual([
      {
        property: "activate",
        reason:
          "the session was already activated and Graph cannot deactivate it; keep activate: true, or replace the resource to start a new draft",
      },
    ]);
  });

  it("returns the checked inputs when everything is valid", () => {
    expect(check({}, { siteRestoreArtifacts: [rp("a")] })).toEqual({ inputs: inputs(["a"]) });
  });
});
