/**
 * The two-test-restores-a-month guardrail: this month's activated sessions of the workload, their
 * restore points attributed to protection units (looked up, cached, at most MAX_LOOKUPS), a count
 * per unit, and warnings that never block the drill.
 */
import { create } from "../../provider/engine/restore-session/lifecycle";
import type { GraphArtifact, GraphClient, ListedRestoreSession, RestorePoint } from "../../provider/graph";
import { EXCHANGE, ONEDRIVE, SHAREPOINT } from "../../provider/workloads";
import { checkedInputs, contextFor, fakeGraph } from "./fake-graph";

type Guard = typeof import("../../provider/engine/restore-session/month-guard");

/** The guard with an empty attribution cache (the cache lives for the host process, so for the module). */
function freshGuard(): Guard {
  let guard: Guard | undefined;
  jest.isolateModules(() => {
    guard = require("../../provider/engine/restore-session/month-guard") as Guard;
  });
  return guard!;
}

const NOW = new Date("2026-11-28T12:00:00Z");
const listedSession = (
  id: string,
  status: string,
  lastModifiedDateTime?: string,
  type = "#microsoft.graph.sharePointRestoreSession",
): ListedRestoreSession => ({
  id,
  status,
  ...(lastModifiedDateTime !== undefined ? { lastModifiedDateTime } : {}),
  ...(type !== "" ? { "@odata.type": type } : {}),
});
const artifact = (restorePointId: string | undefined): GraphArtifact => ({
  id: `art-${restorePointId}`,
  ...(restorePointId !== undefined ? { restorePoint: { id: restorePointId } } : {}),
});

/** A tenant: sessions, each session's artifacts by restore point, and each restore point's unit (null: Graph names none). */
function tenant(
  sessions: ListedRestoreSession[],
  artifactsOf: Record<string, (string | undefined)[]>,
  unitOf: Record<string, string | null>,
  overrides: Partial<GraphClient> = {},
) {
  return fakeGraph({
    listRestoreSessions: async () => sessions,
    listArtifacts: async (_w, id) => (artifactsOf[id] ?? []).map(artifact),
    getRestorePoint: async (id): Promise<RestorePoint | undefined> => {
      if (!(id in unitOf)) return undefined;
      const unit = unitOf[id];
      return { id, protectionDateTime: "2026-11-01T00:00:00Z", ...(unit !== null ? { protectionUnit: { id: unit } } : {}) };
    },
    ...overrides,
  });
}
const collect = () => {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
};

describe("warnAboutMonthlyTestRestores", () => {
  it("counts this month's activated sessions of the workload per unit, once per session, and warns at two", async () => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    const { graph, calls } = tenant(
      [
        listedSession("last-month", "completed", "2026-10-31T23:59:59Z"),
        listedSession("a", "completed", "2026-11-01T00:00:00Z"),
        listedSession("b", "active", "2026-11-20T00:00:00Z"),
        listedSession("draft", "draft", "2026-11-21T00:00:00Z"),
        listedSession("mail", "completed", "2026-11-21T00:00:00Z", "#microsoft.graph.exchangeRestoreSession"),
        listedSession("untyped", "failed", "2026-11-22T00:00:00Z", ""),
        listedSession("undated", "completed", undefined),
      ],
      { a: ["rp-1a"], b: ["rp-1a", "rp-1b", "rp-2"], untyped: ["rp-3"], "last-month": ["rp-1z"] },
      { "rp-1a": "UNIT-1", "rp-1b": "unit-1", "rp-2": "unit-2", "rp-3": "unit-3" },
    );
    const { lines, log } = collect();
    const units = [
      { label: "site siteId site-1", protectionUnitId: "unit-1" },
      { label: "site https://contoso.sharepoint.com/sites/two", protectionUnitId: "Unit-2" },
    ];
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, units, NOW, log);
    expect(calls).toEqual([
      ["listRestoreSessions"],
      ["listArtifacts", "sharePoint", "a"],
      ["listArtifacts", "sharePoint", "b"],
      ["listArtifacts", "sharePoint", "untyped"],
      ["getRestorePoint", "rp-1a"],
      ["getRestorePoint", "rp-1b"],
      ["getRestorePoint", "rp-2"],
      ["getRestorePoint", "rp-3"],
    ]);
    expect(lines).toEqual([
      "warning: site siteId site-1 has already been restored 2 times this calendar month; Microsoft recommends at most 2 test restores per site per month",
    ]);
  });

  it.each([
    [ONEDRIVE, "#microsoft.graph.oneDriveForBusinessRestoreSession", "OneDrive adele@contoso.com", "OneDrive"],
    [EXCHANGE, "#microsoft.graph.exchangeRestoreSession", "mailbox directoryObjectId user-1", "mailbox"],
  ])("%#: speaks of the workload's objects", async (workload, odataType, label, noun) => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    const { graph, calls } = tenant(
      [
        listedSession("x", "completed", "2026-11-02T00:00:00Z", odataType),
        listedSession("y", "completed", "2026-11-03T00:00:00Z", odataType),
        listedSession("z", "completed", "2026-11-04T00:00:00Z", "#microsoft.graph.sharePointRestoreSession"),
      ],
      { x: ["rp-x"], y: ["rp-y", "rp-unknown"] },
      { "rp-x": "unit-1", "rp-y": "unit-1" },
    );
    const { lines, log } = collect();
    await warnAboutMonthlyTestRestores(graph, workload, [{ label, protectionUnitId: "unit-1" }], NOW, log);
    expect(calls.filter((c) => c[0] === "listArtifacts")).toEqual([
      ["listArtifacts", workload.name, "x"],
      ["listArtifacts", workload.name, "y"],
    ]);
    expect(lines).toEqual([
      `warning: ${label} has already been restored 2 times this calendar month; Microsoft recommends at most 2 test restores per ${noun} per month`,
      `warning: could not tell which ${noun} 1 restore(s) of this month belong to (Graph did not name their protection unit); the monthly test-restore count may be low`,
    ]);
  });

  it("reports restores Graph did not attribute (no restore point, no unit), never ignores them", async () => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    const { graph } = tenant(
      [listedSession("a", "completed", "2026-11-02T00:00:00Z")],
      { a: ["rp-gone", "rp-no-unit", "rp-ok"] },
      { "rp-no-unit": null, "rp-ok": "unit-9" },
    );
    const { lines, log } = collect();
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, [{ label: "site siteId site-1", protectionUnitId: "unit-1" }], NOW, log);
    expect(lines).toEqual([
      "warning: could not tell which site 2 restore(s) of this month belong to (Graph did not name their protection unit); the monthly test-restore count may be low",
    ]);
  });

  it("counts an artifact listed without its restore point as a restore it could not attribute", async () => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    const { graph } = tenant([listedSession("a", "completed", "2026-11-02T00:00:00Z")], { a: [undefined, "rp-ok"] }, { "rp-ok": "unit-1" });
    const { lines, log } = collect();
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, [{ label: "site siteId site-1", protectionUnitId: "unit-1" }], NOW, log);
    expect(lines).toEqual([
      "warning: could not tell which site 1 restore(s) of this month belong to (Graph did not name their protection unit); the monthly test-restore count may be low",
    ]);
  });

  it("looks each restore point up once per host process, what Graph could not attribute included", async () => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    const { graph, calls } = tenant(
      [listedSession("a", "completed", "2026-11-02T00:00:00Z")],
      { a: ["rp-1", "rp-none"] },
      { "rp-1": "unit-1", "rp-none": null },
    );
    const units = [{ label: "site siteId site-1", protectionUnitId: "unit-1" }];
    const first = collect();
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, units, NOW, first.log);
    const second = collect();
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, units, NOW, second.log);
    expect(calls.map((c) => c.join(" "))).toEqual([
      "listRestoreSessions",
      "listArtifacts sharePoint a",
      "getRestorePoint rp-1",
      "getRestorePoint rp-none",
      "listRestoreSessions",
      "listArtifacts sharePoint a",
    ]);
    expect(second.lines).toEqual(first.lines);
    expect(first.lines).toEqual([
      "warning: could not tell which site 1 restore(s) of this month belong to (Graph did not name their protection unit); the monthly test-restore count may be low",
    ]);
  });

  it(`looks up at most MAX_LOOKUPS restore points per drill, and says so`, async () => {
    const { warnAboutMonthlyTestRestores, MAX_LOOKUPS } = freshGuard();
    expect(MAX_LOOKUPS).toBe(200);
    const points = Array.from({ length: MAX_LOOKUPS + 1 }, (_, i) => `rp-${i}`);
    const { graph, calls } = tenant(
      [listedSession("big", "completed", "2026-11-02T00:00:00Z")],
      { big: points },
      Object.fromEntries(points.map((p) => [p, "unit-other"])),
    );
    const { lines, log } = collect();
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, [{ label: "site siteId site-1", protectionUnitId: "unit-1" }], NOW, log);
    expect(calls.filter((c) => c[0] === "getRestorePoint").map((c) => c[1])).toEqual(points.slice(0, MAX_LOOKUPS));
    expect(lines).toEqual([
      "warning: could not tell which site 1 restore(s) of this month belong to (Graph did not name their protection unit, or more than 200 restore points would have to be looked up); the monthly test-restore count may be low",
    ]);
  });

  it("warns, and does not block, when it cannot look", async () => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    for (const overrides of [
      { listRestoreSessions: async () => Promise.reject(new Error("403 Forbidden")) },
      { getRestorePoint: async () => Promise.reject(new Error("403 Forbidden")) },
    ] as Partial<GraphClient>[]) {
      const { graph } = tenant(
        [listedSession("a", "completed", "2026-11-02T00:00:00Z", "#microsoft.graph.oneDriveForBusinessRestoreSession")],
        { a: ["rp-fails"] },
        {},
        overrides,
      );
      const { lines, log } = collect();
      await warnAboutMonthlyTestRestores(graph, ONEDRIVE, [{ label: "OneDrive adele@contoso.com", protectionUnitId: "u" }], NOW, log);
      expect(lines).toEqual(["warning: could not count this month's restores per OneDrive (403 Forbidden)"]);
    }
  });

  it("makes no call when no unit was resolved (restore points given, or a bulk restore)", async () => {
    const { warnAboutMonthlyTestRestores } = freshGuard();
    const { graph, calls } = tenant([], {}, {});
    await warnAboutMonthlyTestRestores(graph, SHAREPOINT, [], NOW, () => undefined);
    expect(calls).toEqual([]);
  });
});

describe("a drill's create runs the guard before anything exists", () => {
  it("looks after resolving and before the POST, and only when drillId is set", async () => {
    const units = [{ id: "unit-drill", siteId: "site-drill", status: "protected" }];
    const point = { id: "rp-drill-new", protectionDateTime: "2026-11-28T00:00:00Z", protectionUnit: { id: "unit-drill" } };
    const answers: Partial<GraphClient> = {
      listProtectionUnits: async () => units,
      searchRestorePoints: async () => ({ searchResults: [{ restorePoint: point }], noResultProtectionUnitIds: [] }),
      listRestoreSessions: async () => [
        listedSession("d1", "completed", "2026-11-02T00:00:00Z"),
        listedSession("d2", "completed", "2026-11-03T00:00:00Z"),
      ],
      listArtifacts: async (_w, id) => [artifact(`rp-drill-${id}`)],
      getRestorePoint: async (id) => ({ id, protectionUnit: { id: "unit-drill" } }),
    };
    const { graph, calls } = fakeGraph(answers);
    const { context, lines } = contextFor(SHAREPOINT, graph);
    await create(context, checkedInputs(SHAREPOINT, { siteRestoreArtifacts: [{ siteId: "site-drill" }], drillId: "2026-q4" }));
    expect(calls.map((c) => c[0])).toEqual([
      "listProtectionUnits",
      "searchRestorePoints",
      "listRestoreSessions",
      "listArtifacts",
      "listArtifacts",
      "getRestorePoint",
      "getRestorePoint",
      "createSession",
    ]);
    expect(lines).toEqual([
      "warning: site siteId site-drill has already been restored 2 times this calendar month; Microsoft recommends at most 2 test restores per site per month",
    ]);

    const plain = fakeGraph(answers);
    await create(
      contextFor(SHAREPOINT, plain.graph).context,
      checkedInputs(SHAREPOINT, { siteRestoreArtifacts: [{ siteId: "site-drill" }] }),
    );
    expect(plain.calls.map((c) => c[0])).toEqual(["listProtectionUnits", "searchRestorePoints", "createSession"]);
  });
});
