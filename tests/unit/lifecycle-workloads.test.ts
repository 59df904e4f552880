/**
 * create, read, update and delete of restore sessions for each workload, against the recording
 * fake client: exact call sequences, the state each step leaves, and that diff of that state with
 * the same program then asks for exactly the work that is left (and nothing once it is done).
 */
import { create, read, remove, update } from "../../provider/engine/restore-session/lifecycle";
import { diff } from "../../provider/engine/restore-session/plan";
import { GraphRequestError, type GraphArtifact, type RestorePointSearchRequest } from "../../provider/graph";
import { EXCHANGE, WORKLOADS, type Workload } from "../../provider/workloads";
import { ACTIVATED, checkedInputs, checkedNews, contextFor, CREATED, fakeGraph, graphSession, rejectionOf } from "./fake-graph";

const rps = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `rp-${from + i}`);
const spec = (restorePointId: string) => ({ restorePointId, destinationType: "new" });
const listed = (restorePointId: string, extra: Partial<GraphArtifact> = {}): GraphArtifact => ({
  id: `art-${restorePointId}`,
  restorePoint: { id: restorePointId },
  status: "added",
  ...extra,
});
/** The program: restore points under the workload's artifact property. */
const given = (w: Workload, restorePointIds: string[], extra: Record<string, unknown> = {}) => ({
  [w.restoreSession.artifacts]: restorePointIds.map((restorePointId) => ({ restorePointId })),
  ...extra,
});
const perWorkload = WORKLOADS.map((w) => [w.title, w] as const);
const NONE = { changes: false };
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: false };

describe.each(perWorkload)("%s restore session with listed artifacts", (_title, w) => {
  const key = w.restoreSession.artifacts;

  it("creates with 50, PATCHes 50 and 20, activates, and holds all 120 (statuses learnt from the PATCH echo)", async () => {
    const { graph, calls } = fakeGraph();
    const { context, lines } = contextFor(w, graph);
    const program = given(w, rps(0, 120), { activate: true });
    const { id, outs } = await create(context, checkedInputs(w, program));
    expect(calls).toEqual([
      ["createSession", w.name, { artifacts: rps(0, 50).map(spec) }],
      ["patchArtifacts", w.name, "s-1", rps(50, 100).map((rp) => ({ add: spec(rp) }))],
      ["patchArtifacts", w.name, "s-1", rps(100, 120).map((rp) => ({ add: spec(rp) }))],
      ["activateSession", "s-1"],
    ]);
    expect(id).toBe("s-1");
    expect(outs).toEqual({
      stateVersion: 3,
      [key]: [
        ...rps(0, 50).map((restorePointId) => ({ restorePointId, status: "added" })),
        ...rps(50, 120).map((rp) => ({ restorePointId: rp, status: "added" })),
      ],
      destinationType: "new",
      activate: true,
      status: "activating",
      createdDateTime: CREATED,
      lastModifiedDateTime: ACTIVATED,
      activatedDateTime: ACTIVATED,
      drillReport: {
        sessionId: "s-1",
        workload: w.title,
        status: "activating",
        activatedDateTime: ACTIVATED,
        succeeded: 0,
        failed: 0,
        pending: 120,
      },
    });
    expect(lines).toEqual(["restore session s-1 activated (status activating)"]);
    expect(diff(w, outs, checkedNews(w, program))).toEqual(NONE);
  });

  it("keeps the session id when the second chunk fails, the unsent artifacts unheld; the update then adds exactly those, once", async () => {
    const refused = new GraphRequestError({ method: "PATCH", path: "/x", status: 400, code: "BadRequest", retryable: false });
    const { graph } = fakeGraph({ patchArtifacts: async () => Promise.reject(refused) });
    const program = given(w, rps(0, 120));
    const failure = await rejectionOf(create(contextFor(w, graph).context, checkedInputs(w, program)));
    expect(failure).toMatchObject({ name: "PartialFailureError", id: "s-1", cause: refused });
    expect(failure.message).toBe(
      "restore session s-1 exists, but adding artifacts failed: PATCH /x -> 400 BadRequest. It is kept in the stack state; run `pulumi up` again to continue.",
    );
    const kept = failure.properties as Record<string, unknown>;
    expect(kept[key]).toEqual([
      ...rps(0, 50).map((restorePointId) => ({ restorePointId, status: "added" })),
      ...rps(50, 120).map((restorePointId) => ({ restorePointId })),
    ]);
    expect(kept.drillReport).toEqual({ sessionId: "s-1", workload: w.title, status: "draft", succeeded: 0, failed: 0, pending: 120 });

    // The next `up`: diff sees a draft missing artifacts, and the update adds only those.
    expect(diff(w, kept, checkedNews(w, program))).toEqual(UPDATE);
    const next = fakeGraph({ listArtifacts: async () => rps(0, 50).map((rp) => listed(rp)) });
    const { context, lines } = contextFor(w, next.graph);
    const { outs } = await update(context, "s-1", kept, checkedInputs(w, program));
    expect(next.calls).toEqual([
      ["listArtifacts", w.name, "s-1"],
      ["patchArtifacts", w.name, "s-1", rps(50, 100).map((rp) => ({ add: spec(rp) }))],
      ["patchArtifacts", w.name, "s-1", rps(100, 120).map((rp) => ({ add: spec(rp) }))],
      ["getSession", "s-1"],
    ]);
    expect(lines).toEqual([`restore session s-1: 70 ${w.noun.many} added, 0 removed`]);
    expect(outs![key]).toEqual(rps(0, 120).map((rp) => ({ restorePointId: rp, status: "added" })));
    expect(diff(w, outs!, checkedNews(w, program))).toEqual(NONE);
  });

  it("marks what a PATCH answered without an echo as held too: it carried them and Graph applied the delta", async () => {
    const { graph } = fakeGraph({ patchArtifacts: async () => [] });
    const program = given(w, rps(0, 60));
    const { outs } = await create(contextFor(w, graph).context, checkedInputs(w, program));
    expect(outs[key]).toEqual(rps(0, 60).map((restorePointId) => ({ restorePointId, status: "added" })));
    expect(diff(w, outs, checkedNews(w, program))).toEqual(NONE);
  });

  it("activates a draft whose activation failed, without a PATCH, and is done", async () => {
    const { graph } = fakeGraph({ activateSession: async () => Promise.reject(new Error("socket hang up")) });
    const program = given(w, ["rp-1", "rp-2"], { activate: true });
    const failure = await rejectionOf(create(contextFor(w, graph).context, checkedInputs(w, program)));
    expect(failure.message).toBe(
      "restore session s-1 exists, but activation failed: socket hang up. It is kept in the stack state; run `pulumi up` again to continue.",
    );
    expect(diff(w, failure.properties, checkedNews(w, program))).toEqual(UPDATE);

    const next = fakeGraph({ listArtifacts: async () => [listed("rp-1"), listed("rp-2")] });
    const { outs } = await update(contextFor(w, next.graph).context, "s-1", failure.properties, checkedInputs(w, program));
    expect(next.calls).toEqual([
      ["listArtifacts", w.name, "s-1"],
      ["activateSession", "s-1"],
    ]);
    expect(outs).toMatchObject({ status: "activating", activate: true, activatedDateTime: ACTIVATED });
    expect(diff(w, outs!, checkedNews(w, program))).toEqual(NONE);
  });

  it("removes an artifact added outside Pulumi from a draft", async () => {
    const olds = {
      stateVersion: 3,
      status: "draft",
      activate: false,
      destinationType: "new",
      [key]: [
        { restorePointId: "rp-1", status: "added" },
        { restorePointId: "rp-x", status: "added", outOfBand: true },
      ],
    };
    const { graph, calls } = fakeGraph({ listArtifacts: async () => [listed("rp-1"), listed("rp-x")] });
    const { outs } = await update(contextFor(w, graph).context, "s-1", olds, checkedInputs(w, given(w, ["rp-1"])));
    expect(calls).toEqual([
      ["listArtifacts", w.name, "s-1"],
      ["patchArtifacts", w.name, "s-1", [{ remove: "art-rp-x" }]],
      ["getSession", "s-1"],
    ]);
    expect(outs![key]).toEqual([{ restorePointId: "rp-1", status: "added" }]);
  });

  it("reads a draft: Graph's artifacts in input order, one missing left unheld, one extra out of band", async () => {
    const olds = {
      stateVersion: 3,
      status: "draft",
      activate: false,
      destinationType: "new",
      [key]: [listed("rp-1"), listed("rp-2")].map((a) => ({ restorePointId: a.restorePoint!.id, status: "added" })),
    };
    const { graph, calls } = fakeGraph({ listArtifacts: async () => [listed("rp-x"), listed("rp-1")] });
    const result = await read(contextFor(w, graph).context, "s-1", olds);
    expect(calls).toEqual([
      ["getSession", "s-1"],
      ["listArtifacts", w.name, "s-1"],
    ]);
    expect(result).toEqual({
      id: "s-1",
      props: {
        stateVersion: 3,
        [key]: [
          { restorePointId: "rp-1", status: "added" },
          { restorePointId: "rp-2" },
          { restorePointId: "rp-x", status: "added", outOfBand: true },
        ],
        destinationType: "new",
        activate: false,
        status: "draft",
        createdDateTime: CREATED,
        drillReport: { sessionId: "s-1", workload: w.title, status: "draft", succeeded: 0, failed: 0, pending: 3 },
      },
      inputs: { [key]: [{ restorePointId: "rp-1" }, { restorePointId: "rp-2" }], destinationType: "new", activate: false },
    });
    expect(diff(w, result.props!, checkedNews(w, given(w, ["rp-1", "rp-2"])))).toEqual(UPDATE);
  });

  it("reads an activated session with what each artifact restored", async () => {
    const restored =
      w.restoreSession.restoredLocation === "restoredSiteWebUrl"
        ? { restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/r1" }
        : { restoredFolderName: "Restored 1" };
    const olds = {
      stateVersion: 3,
      status: "active",
      activate: true,
      destinationType: "new",
      activatedDateTime: ACTIVATED,
      [key]: [{ restorePointId: "rp-1", status: "inProgress" }],
    };
    const { graph } = fakeGraph({
      getSession: async (id) => graphSession(id, "completed", { completedDateTime: "2026-11-28T22:05:00.000Z" }),
      listArtifacts: async () => [listed("rp-1", { status: "succeeded", completionDateTime: "2026-11-28T22:00:00.000Z", ...restored })],
    });
    const result = await read(contextFor(w, graph).context, "s-1", olds);
    expect(result.props).toMatchObject({
      status: "completed",
      [key]: [{ restorePointId: "rp-1", status: "succeeded", completionDateTime: "2026-11-28T22:00:00.000Z", ...restored }],
      drillReport: {
        sessionId: "s-1",
        workload: w.title,
        status: "completed",
        restoreDurationSeconds: 3600,
        succeeded: 1,
        failed: 0,
        pending: 0,
      },
    });
    expect(result.inputs).toEqual({ [key]: [{ restorePointId: "rp-1" }], destinationType: "new", activate: true });
  });

  it("keeps a purged activated session with the time it was first missed (and waits on it no more), and forgets a purged draft", async () => {
    const olds = {
      stateVersion: 3,
      status: "active",
      activate: true,
      waitForCompletion: true,
      destinationType: "new",
      [key]: [{ restorePointId: "rp-1", status: "inProgress" }],
    };
    const program = checkedNews(w, given(w, ["rp-1"], { activate: true, waitForCompletion: true }));
    expect(diff(w, olds, program)).toEqual(UPDATE); // still running: the update waits
    const { graph, calls } = fakeGraph({ getSession: async () => undefined });
    const { context, lines } = contextFor(w, graph);
    const first = await read(context, "s-1", olds);
    expect(first).toMatchObject({
      id: "s-1",
      props: { status: "active", [key]: olds[key], missingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
      inputs: { [key]: [{ restorePointId: "rp-1" }], activate: true, waitForCompletion: true },
    });
    const again = await read(context, "s-1", first.props!);
    expect(again.props!.missingSince).toBe(first.props!.missingSince);
    expect(calls).toEqual([
      ["getSession", "s-1"],
      ["getSession", "s-1"],
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^warning: restore session s-1 \(last status active\) no longer exists in Microsoft Graph;/);
    expect(diff(w, again.props!, program)).toEqual(NONE);
    expect(await read(context, "s-1", { ...olds, status: "draft", activate: false })).toEqual({});
  });

  it("deletes a draft, and only forgets an activated session", async () => {
    const { graph, calls } = fakeGraph();
    const { context, lines } = contextFor(w, graph);
    await remove(context, "s-1", { stateVersion: 3, status: "draft", [key]: [] });
    expect(calls).toEqual([["deleteSession", "s-1"]]);
    await remove(context, "s-2", { stateVersion: 3, status: "active", [key]: [] });
    expect(calls).toEqual([["deleteSession", "s-1"]]);
    expect(lines).toEqual([
      "warning: restore session s-2 was activated (status active); Microsoft Graph does not allow deleting activated restore sessions, so it is only removed from the stack state. The service purges it one year after it ends.",
    ]);
  });
});

describe.each(perWorkload)("%s bulk restore", (_title, w) => {
  const { bulkNames } = w.restoreSession;
  const names =
    w.restoreSession.bulkNameKind === "url"
      ? ["https://contoso.sharepoint.com/sites/a", "https://contoso.sharepoint.com/sites/b"]
      : ["adele@contoso.com", "alex@contoso.com"];
  const period = { startDateTime: "2026-11-01T00:00:00Z", endDateTime: "2026-11-20T00:00:00Z" };
  const program = (extra: Record<string, unknown> = {}) => ({
    bulkRestore: { [bulkNames]: names, protectionTimePeriod: period, restorePointPreference: "oldest" },
    ...extra,
  });
  const bulkRestoreState = { names, protectionTimePeriod: period, restorePointPreference: "oldest" };

  it("creates an empty session, posts the one bulk request, then activates", async () => {
    const { graph, calls } = fakeGraph();
    const { outs } = await create(contextFor(w, graph).context, checkedInputs(w, program({ activate: true })));
    expect(calls).toEqual([
      ["createSession", w.name, { empty: true }],
      [
        "createBulkRequest",
        w.name,
        "s-1",
        {
          displayName: `pulumi-m365-backup ${w.title} restore`,
          destinationType: "new",
          names,
          protectionTimePeriod: period,
          restorePointPreference: "oldest",
          fastRestoreOnly: undefined,
        },
      ],
      ["activateSession", "s-1"],
    ]);
    expect(outs).toEqual({
      stateVersion: 3,
      [w.restoreSession.artifacts]: [],
      bulkRestore: bulkRestoreState,
      bulkRequest: { id: "bulk-1", status: "active" },
      destinationType: "new",
      activate: true,
      status: "activating",
      createdDateTime: CREATED,
      lastModifiedDateTime: ACTIVATED,
      activatedDateTime: ACTIVATED,
      drillReport: {
        sessionId: "s-1",
        workload: w.title,
        status: "activating",
        activatedDateTime: ACTIVATED,
        succeeded: 0,
        failed: 0,
        pending: 0,
      },
    });
    expect(diff(w, outs, checkedNews(w, program({ activate: true })))).toEqual(NONE);
  });

  it("keeps the session when the bulk request fails; the update posts the missing request, then it is done", async () => {
    const { graph } = fakeGraph({ createBulkRequest: async () => Promise.reject(new Error("503 ServiceUnavailable")) });
    const failure = await rejectionOf(create(contextFor(w, graph).context, checkedInputs(w, program())));
    expect(failure).toMatchObject({
      id: "s-1",
      message:
        "restore session s-1 exists, but adding the bulk request failed: 503 ServiceUnavailable. It is kept in the stack state; run `pulumi up` again to continue.",
    });
    expect(failure.properties).toMatchObject({ bulkRestore: bulkRestoreState, status: "draft" });
    expect(failure.properties.bulkRequest).toBeUndefined();
    expect(diff(w, failure.properties, checkedNews(w, program()))).toEqual(UPDATE);

    const next = fakeGraph();
    const { outs } = await update(contextFor(w, next.graph).context, "s-1", failure.properties, checkedInputs(w, program()));
    expect(next.calls).toEqual([
      ["createBulkRequest", w.name, "s-1", expect.objectContaining({ names, destinationType: "new" })],
      ["getSession", "s-1"],
    ]);
    expect(outs).toMatchObject({ bulkRequest: { id: "bulk-1", status: "active" }, status: "draft" });
    expect(diff(w, outs!, checkedNews(w, program()))).toEqual(NONE);
  });

  it("updates a confirmed draft only to activate it: no second bulk request", async () => {
    const olds = {
      stateVersion: 3,
      status: "draft",
      activate: false,
      destinationType: "new",
      [w.restoreSession.artifacts]: [],
      bulkRestore: bulkRestoreState,
      bulkRequest: { id: "bulk-1", status: "active" },
    };
    const { graph, calls } = fakeGraph();
    const { outs } = await update(contextFor(w, graph).context, "s-1", olds, checkedInputs(w, program({ activate: true })));
    expect(calls).toEqual([["activateSession", "s-1"]]);
    expect(outs).toMatchObject({ status: "activating", bulkRequest: { id: "bulk-1", status: "active" } });
  });

  it("reads the artifacts the service added (not out of band) and the bulk request's outcome", async () => {
    const olds = {
      stateVersion: 3,
      status: "active",
      activate: true,
      destinationType: "new",
      [w.restoreSession.artifacts]: [],
      bulkRestore: bulkRestoreState,
      bulkRequest: { id: "bulk-1", status: "active" },
    };
    const unresolved = { code: "SiteUrlNotFound", message: "1 name was not found" };
    const { graph, calls } = fakeGraph({
      getSession: async (id) => graphSession(id, "completed"),
      listArtifacts: async () => [listed("rp-a", { status: "succeeded" })],
      listBulkRequests: async () => [{ id: "bulk-1", status: "completedWithErrors", error: unresolved, displayName: "ignored" }],
    });
    const result = await read(contextFor(w, graph).context, "s-1", olds);
    expect(calls).toEqual([
      ["getSession", "s-1"],
      ["listArtifacts", w.name, "s-1"],
      ["listBulkRequests", w.name, "s-1"],
    ]);
    expect(result.props).toMatchObject({
      [w.restoreSession.artifacts]: [{ restorePointId: "rp-a", status: "succeeded" }],
      bulkRestore: bulkRestoreState,
      bulkRequest: { id: "bulk-1", status: "completedWithErrors", error: unresolved },
      drillReport: {
        sessionId: "s-1",
        workload: w.title,
        status: "completed",
        unresolvedNames: unresolved,
        succeeded: 1,
        failed: 0,
        pending: 0,
      },
    });
    expect(result.inputs).toEqual({
      bulkRestore: { [bulkNames]: names, protectionTimePeriod: period, restorePointPreference: "oldest" },
      destinationType: "new",
      activate: true,
    });
    expect(diff(w, result.props!, checkedNews(w, program({ activate: true })))).toEqual(NONE);
  });

  it.each([
    ["completed", "active", [["deleteBulkRequest", "s-1", "bulk-1"]], 1],
    ["completedWithErrors", "completed", [["deleteBulkRequest", "s-1", "bulk-1"]], 1],
    [
      "completed",
      "draft",
      [
        ["deleteBulkRequest", "s-1", "bulk-1"],
        ["deleteSession", "s-1"],
      ],
      0,
    ],
    ["active", "draft", [["deleteSession", "s-1"]], 0],
  ])(
    "bulk request %s, session %s: deletes the request first only once it has ended, then the session (or only the state)",
    async (requestStatus, status, expected, warnings) => {
      const { graph, calls } = fakeGraph();
      const { context, lines } = contextFor(w, graph);
      await remove(context, "s-1", {
        stateVersion: 3,
        status,
        bulkRestore: bulkRestoreState,
        bulkRequest: { id: "bulk-1", status: requestStatus },
      });
      expect(calls).toEqual(
        (expected as string[][]).map(([name, ...args]) => (name === "deleteBulkRequest" ? [name, w.name, ...args] : [name, ...args])),
      );
      expect(lines).toHaveLength(warnings as number);
    },
  );

  it("tolerates a bulk request Graph refuses to delete (403) or no longer has (404), and fails on anything else", async () => {
    const refusal = (status: number) =>
      new GraphRequestError({ method: "DELETE", path: "/x", status, code: "InvalidStateForBulkRequestDeletion", retryable: false });
    const props = {
      stateVersion: 3,
      status: "completed",
      bulkRestore: bulkRestoreState,
      bulkRequest: { id: "bulk-1", status: "completed" },
    };
    for (const status of [403, 404]) {
      const { graph } = fakeGraph({ deleteBulkRequest: async () => Promise.reject(refusal(status)) });
      await remove(contextFor(w, graph).context, "s-1", props);
    }
    const { graph } = fakeGraph({ deleteBulkRequest: async () => Promise.reject(refusal(500)) });
    await expect(remove(contextFor(w, graph).context, "s-1", props)).rejects.toThrow("DELETE /x -> 500 InvalidStateForBulkRequestDeletion");
  });
});

describe("Exchange item-level (granular) restore", () => {
  const KEY = "granularMailboxRestoreArtifacts";
  const units = [
    { id: "unit-adele", directoryObjectId: "user-adele", email: "adele@contoso.com", status: "protected" },
    { id: "unit-alex", directoryObjectId: "user-alex", email: "alex@contoso.com", status: "protected" },
  ];
  const entries = [
    { email: "adele@contoso.com", query: { subjects: ["Finance", "Legal"] } },
    { directoryObjectId: "user-alex", query: { hasAttachment: true } },
  ];
  const search = async (request: RestorePointSearchRequest) => ({
    searchResponseId: `search-${request.protectionUnitIds[0]}`,
    searchResults: [
      {
        restorePoint: {
          id: `rp-${request.protectionUnitIds[0]}`,
          protectionDateTime: "2026-11-27T00:00:00Z",
          protectionUnit: { id: request.protectionUnitIds[0] },
        },
      },
    ],
    noResultProtectionUnitIds: [],
  });

  it("searches once per entry with its artifact query, then creates the session with the granular specs", async () => {
    const { graph, calls } = fakeGraph({ listProtectionUnits: async () => units, searchRestorePoints: search });
    const program = { [KEY]: entries, activate: true };
    const { outs } = await create(contextFor(EXCHANGE, graph).context, checkedInputs(EXCHANGE, program));
    expect(calls).toEqual([
      ["listProtectionUnits", "exchange"],
      [
        "searchRestorePoints",
        {
          protectionUnitIds: ["unit-adele"],
          end: "2026-11-28T12:00:00.000Z",
          preference: "latest",
          artifactQuery: { queryExpression: "((subject -contains 'Finance') -or (subject -contains 'Legal'))", artifactType: "message" },
        },
      ],
      [
        "searchRestorePoints",
        {
          protectionUnitIds: ["unit-alex"],
          end: "2026-11-28T12:00:00.000Z",
          preference: "latest",
          artifactQuery: { queryExpression: "hasAttachment -eq true", artifactType: "message" },
        },
      ],
      [
        "createSession",
        "exchange",
        {
          granularArtifacts: [
            { restorePointId: "rp-unit-adele", destinationType: "new", searchResponseId: "search-unit-adele" },
            { restorePointId: "rp-unit-alex", destinationType: "new", searchResponseId: "search-unit-alex" },
          ],
        },
      ],
      ["activateSession", "s-1"],
    ]);
    expect(outs).toMatchObject({
      mailboxRestoreArtifacts: [],
      [KEY]: [
        {
          restorePointId: "rp-unit-adele",
          email: "adele@contoso.com",
          query: { subjects: ["Finance", "Legal"] },
          protectionDateTime: "2026-11-27T00:00:00Z",
          status: "added",
        },
        {
          restorePointId: "rp-unit-alex",
          directoryObjectId: "user-alex",
          query: { hasAttachment: true },
          protectionDateTime: "2026-11-27T00:00:00Z",
          status: "added",
        },
      ],
      status: "activating",
      drillReport: { sessionId: "s-1", workload: "Exchange", status: "activating", succeeded: 0, failed: 0, pending: 2 },
    });
    expect((outs[KEY] as Record<string, unknown>[]).some((a) => "searchResponseId" in a)).toBe(false);
    expect(diff(EXCHANGE, outs, checkedNews(EXCHANGE, program))).toEqual(NONE);
  });

  it("searches with beta's structured query when the client speaks beta", async () => {
    const { graph, calls } = fakeGraph({ listProtectionUnits: async () => units, searchRestorePoints: search });
    const program = { [KEY]: [{ email: "adele@contoso.com", query: { subjects: ["Finance"], itemKinds: ["email"] } }] };
    await create(contextFor(EXCHANGE, graph, { apiVersion: "beta" }).context, checkedInputs(EXCHANGE, program, "beta"));
    expect((calls[1]![1] as RestorePointSearchRequest).artifactQuery).toEqual({
      structuredQueryExpression: { subjects: ["Finance"], items: ["email"] },
      artifactType: "message",
    });
  });

  it("reads the granular artifacts, in input order", async () => {
    const olds = {
      stateVersion: 3,
      status: "active",
      activate: true,
      destinationType: "new",
      mailboxRestoreArtifacts: [],
      [KEY]: [
        { restorePointId: "rp-unit-adele", email: "adele@contoso.com", query: { subjects: ["Finance"] }, status: "added" },
        { restorePointId: "rp-unit-alex", directoryObjectId: "user-alex", query: { hasAttachment: true }, status: "added" },
      ],
    };
    const { graph, calls } = fakeGraph({
      getSession: async (id) => graphSession(id, "active"),
      listArtifacts: async () => [
        listed("rp-unit-alex", { status: "inProgress" }),
        listed("rp-unit-adele", { status: "succeeded", restoredFolderName: "Restored", restoredItemCount: 12 }),
      ],
    });
    const result = await read(contextFor(EXCHANGE, graph).context, "s-1", olds);
    expect(calls).toEqual([
      ["getSession", "s-1"],
      ["listArtifacts", "exchange", "s-1", { granular: true }],
    ]);
    expect(result.props![KEY]).toEqual([
      {
        restorePointId: "rp-unit-adele",
        email: "adele@contoso.com",
        query: { subjects: ["Finance"] },
        status: "succeeded",
        restoredFolderName: "Restored",
        restoredItemCount: 12,
      },
      {
        restorePointId: "rp-unit-alex",
        directoryObjectId: "user-alex",
        query: { hasAttachment: true },
        status: "inProgress",
      },
    ]);
    expect(result.inputs).toEqual({
      [KEY]: [
        { email: "adele@contoso.com", query: { subjects: ["Finance"] } },
        { directoryObjectId: "user-alex", query: { hasAttachment: true } },
      ],
      destinationType: "new",
      activate: true,
    });
  });
});
