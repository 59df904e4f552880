/**
 * The Graph-facing half of the provider against a recording fake client: exact call sequences,
 * chunking, delta computation, partial failures that keep the session id, and delete rules.
 */
import { create, read, remove, update } from "../../provider/engine/lifecycle";
import { GraphRequestError, type GraphClient } from "../../provider/graph";
import type { GraphArtifact, GraphSession } from "../../provider/schemas/graph";

type Call = [string, ...unknown[]];

function fakeGraph(overrides: Partial<GraphClient> = {}) {
  const calls: Call[] = [];
  const session = (status = "draft"): GraphSession => ({ id: "s-1", status, createdDateTime: "2026-11-28T21:00:00.000Z" });
  const graph: GraphClient = {
    createSession: async (artifacts) => (calls.push(["createSession", artifacts]), session()),
    getSession: async (id) => (calls.push(["getSession", id]), session()),
    listArtifacts: async (id) => (calls.push(["listArtifacts", id]), []),
    patchArtifacts: async (id, delta) => (calls.push(["patchArtifacts", id, delta]), []),
    activateSession: async (id) => (calls.push(["activateSession", id]), session("activating")),
    deleteSession: async (id) => (calls.push(["deleteSession", id]), "deleted" as const),
    listSiteProtectionUnits: async () => [],
    searchRestorePoints: async () => ({ searchResults: [], noResultProtectionUnitIds: [] }),
    ...overrides,
  } as GraphClient;
  return { graph, calls };
}

const lines: string[] = [];
const log = (line: string) => lines.push(line);
beforeEach(() => lines.splice(0));
const ids = (n: number, prefix = "rp") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const inputs = (rps: string[], extra: Partial<{ activate: boolean; destinationType: "new" | "inPlace" }> = {}) => ({
  siteRestoreArtifacts: rps.map((restorePointId) => ({ restorePointId })),
  destinationType: "new" as const,
  activate: false,
  ...extra,
});
const listed = (rp: string, id: string, extra: Partial<GraphArtifact> = {}): GraphArtifact => ({
  id,
  restorePoint: { id: rp },
  status: "added",
  ...extra,
});

describe("create", () => {
  it("makes exactly one POST for a draft", async () => {
    const { graph, calls } = fakeGraph();
    const result = await create(graph, inputs(["a", "b"]), log);
    expect(calls).toEqual([
      [
        "createSession",
        [
          { restorePointId: "a", destinationType: "new" },
          { restorePointId: "b", destinationType: "new" },
        ],
      ],
    ]);
    expect(result).toEqual({
      id: "s-1",
      outs: {
        stateVersion: 1,
        siteRestoreArtifacts: [{ restorePointId: "a" }, { restorePointId: "b" }],
        destinationType: "new",
        activate: false,
        status: "draft",
        createdDateTime: "2026-11-28T21:00:00.000Z",
        drillReport: { sessionId: "s-1", status: "draft", sites: [{ restorePointId: "a" }, { restorePointId: "b" }] },
      },
    });
  });

  it("creates with the first 50 and PATCHes the rest in chunks of 50, then activates", async () => {
    const { graph, calls } = fakeGraph();
    const result = await create(graph, inputs(ids(120), { activate: true }), log);
    expect(calls.map((c) => c[0])).toEqual(["createSession", "patchArtifacts", "patchArtifacts", "activateSession"]);
    expect((calls[0][1] as unknown[]).length).toBe(50);
    expect(calls[1][2]).toEqual(
      ids(120)
        .slice(50, 100)
        .map((restorePointId) => ({ add: { restorePointId, destinationType: "new" } })),
    );
    expect((calls[2][2] as unknown[]).length).toBe(20);
    expect(result.outs.status).toBe("activating");
    expect(lines).toEqual(["restore session s-1 activated (status activating)"]);
  });

  it("keeps the session id when activation fails after the POST", async () => {
    const { graph } = fakeGraph({ activateSession: async () => Promise.reject(new Error("500 TooManyActiveRestoreSessions")) });
    const failure = await create(graph, inputs(["a"], { activate: true }), log).catch((e) => e);
    expect(failure).toMatchObject({
      name: "SessionPartiallyCreatedError",
      id: "s-1",
      properties: { status: "draft", activate: true, siteRestoreArtifacts: [{ restorePointId: "a" }] },
      message:
        "restore session s-1 exists, but activation failed: 500 TooManyActiveRestoreSessions. It is kept in the stack state; run `pulumi up` again to continue.",
    });
  });

  it("keeps the session id when adding the artifacts beyond 50 fails", async () => {
    const { graph } = fakeGraph({ patchArtifacts: async () => Promise.reject(new Error("boom")) });
    const failure = await create(graph, inputs(ids(51)), log).catch((e) => e);
    expect(failure).toMatchObject({ id: "s-1", message: expect.stringContaining("adding artifacts failed: boom") });
  });

  it("does not wrap a failed POST: nothing exists, nothing to keep", async () => {
    const { graph } = fakeGraph({ createSession: async () => Promise.reject(new Error("400 InvalidRestorePoint")) });
    const failure = await create(graph, inputs(["a"]), log).catch((e) => e);
    expect(failure.id).toBeUndefined();
    expect(failure.message).toBe("400 InvalidRestorePoint");
  });
});

describe("read", () => {
  const stored = (status: string) => ({
    stateVersion: 1,
    status,
    activate: status !== "draft",
    destinationType: "new",
    siteRestoreArtifacts: [{ restorePointId: "a" }, { restorePointId: "b" }],
  });

  it("orders artifacts as the inputs list them and shows ones added outside Pulumi", async () => {
    const { graph, calls } = fakeGraph({
      listArtifacts: async () => [
        listed("x", "art-x"),
        listed("b", "art-b", { status: "succeeded", restoredSiteWebUrl: "https://c/sites/b2" }),
      ],
    });
    const result = await read(graph, "s-1", stored("draft"), log);
    expect(calls).toEqual([["getSession", "s-1"]]);
    expect(result.props.siteRestoreArtifacts).toEqual([
      { restorePointId: "a" },
      { restorePointId: "b", id: "art-b", status: "succeeded", restoredSiteWebUrl: "https://c/sites/b2" },
      { restorePointId: "x", id: "art-x", status: "added" },
    ]);
    expect(result.inputs).toEqual({
      siteRestoreArtifacts: [{ restorePointId: "a" }, { restorePointId: "b" }, { restorePointId: "x" }],
      destinationType: "new",
      activate: false,
    });
  });

  it("reports a draft deleted outside Pulumi as gone (no id)", async () => {
    const { graph } = fakeGraph({ getSession: async () => undefined });
    expect(await read(graph, "s-1", stored("draft"), log)).toEqual({});
  });

  it("keeps a missing activated session, flagged, and warns", async () => {
    const { graph } = fakeGraph({ getSession: async () => undefined });
    const result = await read(graph, "s-1", stored("completed"), log);
    expect(result.id).toBe("s-1");
    expect(result.props).toMatchObject({ status: "completed", missingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(lines[0]).toMatch(/^warning: restore session s-1 \(last status completed\) no longer exists in Microsoft Graph/);
  });

  it("marks a session activated outside Pulumi as activated in the inputs it returns", async () => {
    const { graph } = fakeGraph({ getSession: async () => ({ id: "s-1", status: "active" }) });
    const result = await read(graph, "s-1", stored("draft"), log);
    expect(result.props).toMatchObject({ status: "active", activate: true });
    expect(result.inputs).toMatchObject({ activate: true });
  });
});

describe("update", () => {
  const olds = {
    stateVersion: 1,
    status: "draft",
    activate: false,
    destinationType: "new",
    siteRestoreArtifacts: [{ restorePointId: "a" }, { restorePointId: "b" }],
  };

  it("removes by artifact id and adds by restore point in one delta", async () => {
    const { graph, calls } = fakeGraph({
      listArtifacts: async () => [listed("a", "art-a"), listed("b", "art-b")],
      patchArtifacts: async (id, delta) => (
        calls.push(["patchArtifacts", id, delta]),
        [{ id: "art-c", status: "added", restorePoint: { id: "c" } }]
      ),
    });
    const result = await update(graph, "s-1", olds, inputs(["a", "c"]), log);
    expect(calls).toEqual([
      ["patchArtifacts", "s-1", [{ remove: "art-b" }, { add: { restorePointId: "c", destinationType: "new" } }]],
      ["getSession", "s-1"],
    ]);
    expect(result.outs?.siteRestoreArtifacts).toEqual([
      { restorePointId: "a", id: "art-a", status: "added" },
      { restorePointId: "c", id: "art-c", status: "added" },
    ]);
    expect(lines).toEqual(["restore session s-1: 1 site(s) added, 1 removed"]);
  });

  it("activates without a PATCH when only activate changed", async () => {
    const { graph, calls } = fakeGraph({ listArtifacts: async () => [listed("a", "art-a"), listed("b", "art-b")] });
    const result = await update(graph, "s-1", olds, inputs(["a", "b"], { activate: true }), log);
    expect(calls.map((c) => c[0])).toEqual(["activateSession"]);
    expect(result.outs?.status).toBe("activating");
  });

  it("splits large deltas into PATCHes of 50", async () => {
    const { graph, calls } = fakeGraph({ listArtifacts: async () => ids(60, "old").map((rp, i) => listed(rp, `art-${i}`)) });
    await update(graph, "s-1", olds, inputs(ids(45)), log);
    expect(calls.filter((c) => c[0] === "patchArtifacts").map((c) => (c[2] as unknown[]).length)).toEqual([50, 50, 5]);
  });

  it("keeps the session id when a PATCH fails", async () => {
    const { graph } = fakeGraph({ patchArtifacts: async () => Promise.reject(new Error("DuplicateArtifactInList")) });
    const failure = await update(graph, "s-1", olds, inputs(["z"]), log).catch((e) => e);
    expect(failure).toMatchObject({ id: "s-1", message: expect.stringContaining("updating artifacts failed: DuplicateArtifactInList") });
  });
});

describe("remove", () => {
  it("deletes a draft", async () => {
    const { graph, calls } = fakeGraph();
    await remove(graph, "s-1", { status: "draft" }, log);
    expect(calls).toEqual([["deleteSession", "s-1"]]);
    expect(lines).toEqual([]);
  });

  it("forgets an activated session without a call, with a warning that says why", async () => {
    const { graph, calls } = fakeGraph();
    await remove(graph, "s-1", { status: "completed" }, log);
    expect(calls).toEqual([]);
    expect(lines).toEqual([
      "warning: restore session s-1 was activated (status completed); Microsoft Graph does not allow deleting activated restore sessions, so it is only removed from the stack state. The service purges it one year after it ends.",
    ]);
  });

  it("forgets a draft that was activated outside Pulumi when Graph refuses the DELETE", async () => {
    const refused = new GraphRequestError({
      method: "DELETE",
      path: "/v1.0/x",
      status: 403,
      code: "RestoreSessionActionNotAllowed",
      retryable: false,
    });
    const { graph } = fakeGraph({ deleteSession: async () => Promise.reject(refused) });
    await remove(graph, "s-1", { status: "draft" }, log);
    expect(lines[0]).toMatch(/^warning: restore session s-1 was activated \(status no longer draft\)/);
  });

  it("fails on any other delete error, so the engine keeps the resource", async () => {
    const { graph } = fakeGraph({ deleteSession: async () => Promise.reject(new Error("500 IncompleteArtifactDeletion")) });
    await expect(remove(graph, "s-1", { status: "draft" }, log)).rejects.toThrow("500 IncompleteArtifactDeletion");
  });
});
