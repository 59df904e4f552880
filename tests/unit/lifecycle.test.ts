/**
 * The Graph-facing half of the SharePoint provider against a recording fake client: exact call
 * sequences, chunking, delta computation, partial failures that keep the session id, and delete
 * rules. The same flows for every workload: lifecycle-workloads.test.ts.
 */
import { create, read, remove, update } from "../../provider/engine/restore-session/lifecycle";
import { GraphRequestError, type GraphArtifact } from "../../provider/graph";
import { SHAREPOINT } from "../../provider/workloads";
import { checkedInputs, contextFor, CREATED, fakeGraph, graphSession, rejectionOf } from "./fake-graph";

const ids = (n: number, prefix = "rp") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const inputs = (rps: string[], extra: Partial<{ activate: boolean; destinationType: "new" | "inPlace" }> = {}) =>
  checkedInputs(SHAREPOINT, {
    siteRestoreArtifacts: rps.map((restorePointId) => ({ restorePointId })),
    ...(extra.destinationType === "inPlace" ? { allowInPlaceRestore: true } : {}),
    ...extra,
  });
const listed = (rp: string, id: string, extra: Partial<GraphArtifact> = {}): GraphArtifact => ({
  id,
  restorePoint: { id: rp },
  status: "added",
  ...extra,
});

describe("create", () => {
  it("makes exactly one POST for a draft, and holds what it carried", async () => {
    const { graph, calls } = fakeGraph();
    const { context, lines } = contextFor(SHAREPOINT, graph);
    const result = await create(context, inputs(["a", "b"]));
    expect(calls).toEqual([
      [
        "createSession",
        "sharePoint",
        {
          artifacts: [
            { restorePointId: "a", destinationType: "new" },
            { restorePointId: "b", destinationType: "new" },
          ],
        },
      ],
    ]);
    expect(result).toEqual({
      id: "s-1",
      outs: {
        stateVersion: 3,
        siteRestoreArtifacts: [
          { restorePointId: "a", status: "added" },
          { restorePointId: "b", status: "added" },
        ],
        destinationType: "new",
        activate: false,
        status: "draft",
        createdDateTime: CREATED,
        drillReport: { sessionId: "s-1", workload: "SharePoint", status: "draft", succeeded: 0, failed: 0, pending: 2 },
      },
    });
    expect(lines).toEqual([]);
  });

  it("creates with the first 50 and PATCHes the rest in chunks of 50, then activates", async () => {
    const { graph, calls } = fakeGraph();
    const { context, lines } = contextFor(SHAREPOINT, graph);
    const result = await create(context, inputs(ids(120), { activate: true }));
    expect(calls.map((c) => c[0])).toEqual(["createSession", "patchArtifacts", "patchArtifacts", "activateSession"]);
    expect(calls[0]![2]).toEqual({
      artifacts: ids(120)
        .slice(0, 50)
        .map((restorePointId) => ({ restorePointId, destinationType: "new" })),
    });
    expect(calls[1]!.slice(1)).toEqual([
      "sharePoint",
      "s-1",
      ids(120)
        .slice(50, 100)
        .map((restorePointId) => ({ add: { restorePointId, destinationType: "new" } })),
    ]);
    expect((calls[2]![3] as unknown[]).length).toBe(20);
    expect(calls[3]).toEqual(["activateSession", "s-1"]);
    expect(result.outs.status).toBe("activating");
    expect(lines).toEqual(["restore session s-1 activated (status activating)"]);
  });

  it("keeps the session id when activation fails after the POST", async () => {
    const { graph } = fakeGraph({ activateSession: async () => Promise.reject(new Error("500 Conflict")) });
    const { context } = contextFor(SHAREPOINT, graph);
    const failure = await rejectionOf(create(context, inputs(["a"], { activate: true })));
    expect(failure).toMatchObject({
      name: "PartialFailureError",
      id: "s-1",
      properties: { status: "draft", activate: true, siteRestoreArtifacts: [{ restorePointId: "a", status: "added" }] },
      message:
        "restore session s-1 exists, but activation failed: 500 Conflict. It is kept in the stack state; run `pulumi up` again to continue.",
    });
  });

  it("keeps the session id when adding the artifacts beyond 50 fails", async () => {
    const { graph } = fakeGraph({ patchArtifacts: async () => Promise.reject(new Error("boom")) });
    const { context } = contextFor(SHAREPOINT, graph);
    const failure = await rejectionOf(create(context, inputs(ids(51))));
    expect(failure).toMatchObject({
      id: "s-1",
      message:
        "restore session s-1 exists, but adding artifacts failed: boom. It is kept in the stack state; run `pulumi up` again to continue.",
    });
  });

  it("does not wrap a failed POST: nothing exists, nothing to keep", async () => {
    const { graph } = fakeGraph({ createSession: async () => Promise.reject(new Error("400 InvalidRestorePoint")) });
    const { context } = contextFor(SHAREPOINT, graph);
    const failure = await rejectionOf(create(context, inputs(["a"])));
    expect(failure.id).toBeUndefined();
    expect(failure.message).toBe("400 InvalidRestorePoint");
  });
});

describe("read", () => {
  const stored = (status: string) => ({
    stateVersion: 3,
    status,
    activate: status !== "draft",
    destinationType: "new",
    siteRestoreArtifacts: [
      { restorePointId: "a", status: "added" },
      { restorePointId: "b", status: "added" },
    ],
  });

  it("orders artifacts as the inputs list them, leaves unlisted ones unheld, and shows ones added outside Pulumi", async () => {
    const { graph, calls } = fakeGraph({
      listArtifacts: async () => [
        listed("x", "art-x"),
        listed("b", "art-b", { status: "succeeded", restoredSiteWebUrl: "https://c/sites/b2" }),
      ],
    });
    const { context } = contextFor(SHAREPOINT, graph);
    const result = await read(context, "s-1", stored("draft"));
    expect(calls).toEqual([
      ["getSession", "s-1"],
      ["listArtifacts", "sharePoint", "s-1"],
    ]);
    expect(result.props!.siteRestoreArtifacts).toEqual([
      { restorePointId: "a" },
      { restorePointId: "b", status: "succeeded", restoredSiteWebUrl: "https://c/sites/b2" },
      { restorePointId: "x", status: "added", outOfBand: true },
    ]);
    expect(result.inputs).toEqual({
      siteRestoreArtifacts: [{ restorePointId: "a" }, { restorePointId: "b" }],
      destinationType: "new",
      activate: false,
    });
  });

  it("reports a draft deleted outside Pulumi as gone (no id)", async () => {
    const { graph } = fakeGraph({ getSession: async () => undefined });
    expect(await read(contextFor(SHAREPOINT, graph).context, "s-1", stored("draft"))).toEqual({});
  });

  it("keeps a missing activated session, flagged, and warns", async () => {
    const { graph, calls } = fakeGraph({ getSession: async () => undefined });
    const { context, lines } = contextFor(SHAREPOINT, graph);
    const result = await read(context, "s-1", stored("completed"));
    expect(calls).toEqual([["getSession", "s-1"]]);
    expect(result.id).toBe("s-1");
    expect(result.props).toMatchObject({ status: "completed", missingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(lines).toEqual([
      "warning: restore session s-1 (last status completed) no longer exists in Microsoft Graph; the service purges sessions a year after they end. " +
        "It stays in the stack state and will not be re-created; remove it with `pulumi state delete` once it is no longer needed as a record.",
    ]);
  });

  it("marks a session activated outside Pulumi as activated in the inputs it returns", async () => {
    const { graph } = fakeGraph({ getSession: async () => graphSession("s-1", "active") });
    const result = await read(contextFor(SHAREPOINT, graph).context, "s-1", stored("draft"));
    expect(result.props).toMatchObject({ status: "active", activate: true });
    expect(result.inputs).toMatchObject({ activate: true });
  });
});

describe("update", () => {
  const olds = {
    stateVersion: 3,
    status: "draft",
    activate: false,
    destinationType: "new",
    siteRestoreArtifacts: [
      { restorePointId: "a", status: "added" },
      { restorePointId: "b", status: "added" },
    ],
  };

  it("removes by artifact id and adds by restore point in one delta", async () => {
    const { graph, calls } = fakeGraph({ listArtifacts: async () => [listed("a", "art-a"), listed("b", "art-b")] });
    const { context, lines } = contextFor(SHAREPOINT, graph);
    const result = await update(context, "s-1", olds, inputs(["a", "c"]));
    expect(calls).toEqual([
      ["listArtifacts", "sharePoint", "s-1"],
      ["patchArtifacts", "sharePoint", "s-1", [{ remove: "art-b" }, { add: { restorePointId: "c", destinationType: "new" } }]],
      ["getSession", "s-1"],
    ]);
    expect(result.outs?.siteRestoreArtifacts).toEqual([
      { restorePointId: "a", status: "added" },
      { restorePointId: "c", status: "added" },
    ]);
    expect(lines).toEqual(["restore session s-1: 1 site added, 1 removed"]);
  });

  it("activates without a PATCH when only activate changed", async () => {
    const { graph, calls } = fakeGraph({ listArtifacts: async () => [listed("a", "art-a"), listed("b", "art-b")] });
    const result = await update(contextFor(SHAREPOINT, graph).context, "s-1", olds, inputs(["a", "b"], { activate: true }));
    expect(calls).toEqual([
      ["listArtifacts", "sharePoint", "s-1"],
      ["activateSession", "s-1"],
    ]);
    expect(result.outs?.status).toBe("activating");
  });

  it("splits large deltas into PATCHes of 50", async () => {
    const { graph, calls } = fakeGraph({ listArtifacts: async () => ids(60, "old").map((rp, i) => listed(rp, `art-${i}`)) });
    const { context, lines } = contextFor(SHAREPOINT, graph);
    await update(context, "s-1", olds, inputs(ids(45)));
    expect(calls.filter((c) => c[0] === "patchArtifacts").map((c) => (c[3] as unknown[]).length)).toEqual([50, 50, 5]);
    expect(lines).toEqual(["restore session s-1: 45 sites added, 60 removed"]);
  });

  it("keeps the session id when a PATCH fails", async () => {
    const { graph } = fakeGraph({ patchArtifacts: async () => Promise.reject(new Error("DuplicateArtifactInList")) });
    const failure = await rejectionOf(update(contextFor(SHAREPOINT, graph).context, "s-1", olds, inputs(["z"])));
    expect(failure).toMatchObject({
      id: "s-1",
      message:
        "restore session s-1 exists, but updating artifacts failed: DuplicateArtifactInList. It is kept in the stack state; run `pulumi up` again to continue.",
    });
  });
});

describe("remove", () => {
  it("deletes a draft", async () => {
    const { graph, calls } = fakeGraph();
    const { context, lines } = contextFor(SHAREPOINT, graph);
    await remove(context, "s-1", { status: "draft" });
    expect(calls).toEqual([["deleteSession", "s-1"]]);
    expect(lines).toEqual([]);
  });

  it("forgets an activated session without a call, with a warning that says why", async () => {
    const { graph, calls } = fakeGraph();
    const { context, lines } = contextFor(SHAREPOINT, graph);
    await remove(context, "s-1", { status: "completed" });
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
    const { graph, calls } = fakeGraph({ deleteSession: async () => Promise.reject(refused) });
    const { context, lines } = contextFor(SHAREPOINT, graph);
    await remove(context, "s-1", { status: "draft" });
    expect(calls).toEqual([["deleteSession", "s-1"]]);
    expect(lines).toEqual([
      "warning: restore session s-1 was activated (status no longer draft); Microsoft Graph does not allow deleting activated restore sessions, so it is only removed from the stack state. The service purges it one year after it ends.",
    ]);
  });

  it("fails on any other delete error, so the engine keeps the resource", async () => {
    const { graph } = fakeGraph({ deleteSession: async () => Promise.reject(new Error("500 IncompleteArtifactDeletion")) });
    await expect(remove(contextFor(SHAREPOINT, graph).context, "s-1", { status: "draft" })).rejects.toThrow(
      "500 IncompleteArtifactDeletion",
    );
  });
});
