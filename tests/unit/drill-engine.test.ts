/**
 * The drill parts of the engine against a recording fake Graph client and a fake clock: protected
 * object resolution and its batching, waiting with backoff and a deadline,
 * TooManyActiveRestoreSessions, failOn and the drill summary in the outputs. The month guardrail:
 * month-guard.test.ts; the report and its rendering: report.test.ts.
 */
import { create, update } from "../../provider/engine/restore-session/lifecycle";
import { resolveArtifacts } from "../../provider/engine/restore-session/resolve";
import { activateWithinBudget, planWait, waitUntilTerminal } from "../../provider/engine/restore-session/wait";
import { GraphRequestError, type GraphClient, type ProtectionUnit, type RestorePointSearchRequest } from "../../provider/graph";
import type { GraphSession, RestorePointSearchResponse } from "../../provider/schemas/wire";
import { SHAREPOINT } from "../../provider/workloads";
import { checkedInputs, contextFor, fakeClock, fakeGraph as recordingGraph } from "./fake-graph";

const units: ProtectionUnit[] = Array.from({ length: 12 }, (_, i) => ({ id: `unit-${i}`, siteId: `site-${i}`, status: "protected" }));
const pointOf = (unitId: string, at: string) => ({ id: `rp-${unitId}-${at}`, protectionDateTime: at, protectionUnit: { id: unitId } });

/** A fake client that answers searches with one point per unit (two for a lone unit, to test picking). */
function fakeGraph(overrides: Partial<GraphClient> = {}) {
  const searches: RestorePointSearchRequest[] = [];
  const { graph, calls } = recordingGraph({
    listProtectionUnits: async () => units,
    searchRestorePoints: async (request: RestorePointSearchRequest): Promise<RestorePointSearchResponse> => {
      searches.push(request);
      const hits = request.protectionUnitIds.filter((id) => id !== "unit-9");
      const extra = hits.length === 1 ? [pointOf(hits[0]!, "2026-11-27T00:00:00.000Z")] : [];
      return {
        searchResults: [...extra, ...hits.map((id) => pointOf(id, "2026-11-28T00:00:00.000Z"))].map((restorePoint) => ({ restorePoint })),
        noResultProtectionUnitIds: request.protectionUnitIds.filter((id) => id === "unit-9"),
      };
    },
    ...overrides,
  });
  return { graph, searches, calls: calls.map((c) => c[0]), recorded: calls };
}

const now = () => new Date("2026-11-28T12:00:00.000Z");

describe("resolveArtifacts", () => {
  it("searches five units per call, grouped by window, and keeps the input order", async () => {
    const { graph, searches, recorded } = fakeGraph();
    const entries = [
      ...Array.from({ length: 7 }, (_, i) => ({ siteId: `SITE-${i}` })),
      { restorePointId: "given" },
      { siteId: "site-7", pointInTime: "2026-11-01T00:00:00Z", restorePointPreference: "oldest" as const, fastRestoreOnly: true },
    ];
    const { requests, units: resolved } = await resolveArtifacts(graph, SHAREPOINT, entries, now);
    expect(recorded.map((c) => c[0])).toEqual(["listProtectionUnits", "searchRestorePoints", "searchRestorePoints", "searchRestorePoints"]);
    expect(recorded[0]).toEqual(["listProtectionUnits", "sharePoint"]);
    expect(searches).toEqual([
      { protectionUnitIds: ["unit-0", "unit-1", "unit-2", "unit-3", "unit-4"], end: "2026-11-28T12:00:00.000Z", preference: "latest" },
      { protectionUnitIds: ["unit-5", "unit-6"], end: "2026-11-28T12:00:00.000Z", preference: "latest" },
      {
        protectionUnitIds: ["unit-7"],
        start: "2026-11-01T00:00:00Z",
        end: "2026-11-28T12:00:00.000Z",
        preference: "oldest",
        fastRestoreOnly: true,
      },
    ]);
    expect(requests.map((r) => r.restorePointId)).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `rp-unit-${i}-2026-11-28T00:00:00.000Z`),
      "given",
      // Two points came back for a lone unit: oldest wins for "oldest".
      "rp-unit-7-2026-11-27T00:00:00.000Z",
    ]);
    expect(requests[8]).toEqual({
      restorePointId: "rp-unit-7-2026-11-27T00:00:00.000Z",
      siteId: "site-7",
      requestedPointInTime: "2026-11-01T00:00:00Z",
      restorePointPreference: "oldest",
      fastRestoreOnly: true,
      protectionDateTime: "2026-11-27T00:00:00.000Z",
      siteWebUrl: undefined,
    });
    expect(resolved).toEqual([
      ...Array.from({ length: 7 }, (_, i) => ({ label: `site siteId SITE-${i}`, protectionUnitId: `unit-${i}` })),
      { label: "site siteId site-7", protectionUnitId: "unit-7" },
    ]);
  });

  it("takes the newest point for latest when several come back", async () => {
    const { graph } = fakeGraph();
    const { requests } = await resolveArtifacts(graph, SHAREPOINT, [{ siteId: "site-1" }], now);
    expect(requests[0]!.restorePointId).toBe("rp-unit-1-2026-11-28T00:00:00.000Z");
  });

  it.each([
    [
      { siteId: "site-9", pointInTime: "2026-11-01T00:00:00Z" },
      "site siteId site-9 has no restore point at or before 2026-11-01T00:00:00Z",
    ],
    [
      { siteId: "nowhere" },
      "site siteId nowhere is not protected: no site protection unit covers it; add it to the tenant's SharePoint protection policy first",
    ],
    [
      { siteWebUrl: "https://contoso.sharepoint.com/sites/x" },
      "site https://contoso.sharepoint.com/sites/x cannot be matched by URL: Microsoft Graph returns siteWebUrl on site protection units only with delegated permissions; " +
        "name it by siteId instead, use bulkRestore (the service resolves names), or sign in as a user",
    ],
  ])("fails %j naming the site", async (entry, message) => {
    const { graph } = fakeGraph();
    await expect(resolveArtifacts(graph, SHAREPOINT, [entry], now)).rejects.toThrow(new Error(message));
  });

  it("fails for a unit that is not protected, and for two entries on one restore point", async () => {
    const { graph } = fakeGraph({ listProtectionUnits: async () => [{ id: "unit-0", siteId: "site-0", status: "unprotected" }] });
    await expect(resolveArtifacts(graph, SHAREPOINT, [{ siteId: "site-0" }], now)).rejects.toMatchObject({
      name: "UnitResolutionError",
      label: "site siteId site-0",
      message: "site siteId site-0 is not protected: its protection unit unit-0 has status unprotected",
    });
    const { graph: g2 } = fakeGraph();
    await expect(
      resolveArtifacts(g2, SHAREPOINT, [{ siteId: "site-1" }, { restorePointId: "rp-unit-1-2026-11-28T00:00:00.000Z" }], now),
    ).rejects.toThrow(
      new Error(
        "restore point rp-unit-1-2026-11-28T00:00:00.000Z resolves to restore point rp-unit-1-2026-11-28T00:00:00.000Z, " +
          "which site siteId site-1 already uses; a session restores each site once",
      ),
    );
  });
});

describe("waiting", () => {
  const session = (status: string, completed = 0): GraphSession => ({
    id: "s-1",
    status,
    restoreSessionArtifactCount: { total: 2, completed, failed: 0 },
  });

  it("uses the documented defaults and fractions", () => {
    const clock = fakeClock("1970-01-01T00:00:01.000Z");
    expect(planWait(undefined, clock)).toEqual({ wait: false, timeoutMinutes: 10, deadlineMs: 1000 + 600_000, pollIntervalMs: 30_000 });
    expect(planWait(true, clock)).toEqual({ wait: true, timeoutMinutes: 120, deadlineMs: 1000 + 7_200_000, pollIntervalMs: 30_000 });
    expect(planWait({ timeoutMinutes: 0.5, pollIntervalSeconds: 2 }, clock)).toEqual({
      wait: true,
      timeoutMinutes: 0.5,
      deadlineMs: 31_000,
      pollIntervalMs: 2000,
    });
  });

  it("polls with growing pauses until the session ends, logging each status", async () => {
    const answers = [session("active", 0), session("active", 1), session("completed", 2)];
    const lines: string[] = [];
    const clock = fakeClock();
    const graph = { getSession: async () => answers.shift() } as unknown as GraphClient;
    const ended = await waitUntilTerminal(
      graph,
      "s-1",
      planWait({ pollIntervalSeconds: 10 }, clock),
      clock,
      (l) => lines.push(l),
      session("activating"),
    );
    expect(ended.status).toBe("completed");
    expect(clock.sleeps).toEqual([10_000, 15_000, 22_500]);
    expect(lines).toEqual([
      "restore session s-1 status active: 0/2 completed, 0 failed",
      "restore session s-1 status active: 1/2 completed, 0 failed",
      "restore session s-1 status completed: 2/2 completed, 0 failed",
    ]);
  });

  it("looks again at the next poll after a poll fails for a moment, and gives up after three in a row", async () => {
    const blip = (code: string, status: number) => new GraphRequestError({ method: "GET", path: "/s-1", status, code, retryable: false });
    const answers: (GraphSession | Error)[] = [
      blip("InternalServerError", 500),
      session("active", 1),
      blip("ECONNRESET", 0),
      blip("MalformedResponseBody", 200),
      session("completed", 2),
    ];
    const graph = {
      getSession: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    } as unknown as GraphClient;
    const lines: string[] = [];
    const clock = fakeClock();
    const plan = planWait({ pollIntervalSeconds: 10 }, clock);
    expect((await waitUntilTerminal(graph, "s-1", plan, clock, (l) => lines.push(l), session("activating"))).status).toBe("completed");
    expect(answers).toEqual([]);
    expect(lines.map((l) => l.replace(/ \(.*\); /, " (…); "))).toEqual([
      "restore session s-1: looking at its status failed (…); looking again at the next poll",
      "restore session s-1 status active: 1/2 completed, 0 failed",
      "restore session s-1: looking at its status failed (…); looking again at the next poll",
      "restore session s-1: looking at its status failed (…); looking again at the next poll",
      "restore session s-1 status completed: 2/2 completed, 0 failed",
    ]);

    const third = blip("InternalServerError", 500);
    const failing = [blip("InternalServerError", 500), blip("ECONNRESET", 0), third, session("completed", 2)];
    const broken = {
      getSession: async () => {
        throw failing.shift();
      },
    } as unknown as GraphClient;
    await expect(
      waitUntilTerminal(broken, "s-1", planWait({ pollIntervalSeconds: 10 }, clock), clock, () => undefined, session("active")),
    ).rejects.toBe(third);
    expect(failing).toHaveLength(1);
  });

  it("ends the wait at once on a failure that is not momentary (a 403)", async () => {
    const denied = new GraphRequestError({ method: "GET", path: "/s-1", status: 403, code: "Forbidden", retryable: false });
    const graph = {
      getSession: async () => {
        throw denied;
      },
    } as unknown as GraphClient;
    const clock = fakeClock();
    await expect(
      waitUntilTerminal(graph, "s-1", planWait({ pollIntervalSeconds: 10 }, clock), clock, () => undefined, session("active")),
    ).rejects.toBe(denied);
    expect(clock.sleeps).toEqual([10_000]);
  });

  it("stops at the deadline, never sleeping past it, with the id and the last status", async () => {
    const clock = fakeClock();
    const graph = { getSession: async () => session("active", 1) } as unknown as GraphClient;
    const waiting = waitUntilTerminal(
      graph,
      "s-1",
      planWait({ timeoutMinutes: 0.5, pollIntervalSeconds: 20 }, clock),
      clock,
      () => undefined,
    );
    await expect(waiting).rejects.toMatchObject({
      name: "WaitTimeoutError",
      sessionId: "s-1",
      message:
        "timed out after 0.5 minute(s) waiting for restore session s-1 to end (last seen: restore session s-1 status active: 1/2 completed, 0 failed)",
    });
    expect(clock.sleeps).toEqual([20_000, 10_000]);
  });

  it("retries activation on TooManyActiveRestoreSessions within the budget, and gives up after it", async () => {
    const tooMany = () =>
      new GraphRequestError({ method: "POST", path: "/activate", status: 500, code: "TooManyActiveRestoreSessions", retryable: true });
    const results: (GraphSession | Error)[] = [tooMany(), tooMany(), session("activating")];
    const graph = {
      activateSession: async () => {
        const next = results.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    } as unknown as GraphClient;
    const lines: string[] = [];
    const clock = fakeClock();
    expect(
      (await activateWithinBudget(graph, "s-1", planWait({ pollIntervalSeconds: 4 }, clock), clock, (l) => lines.push(l))).status,
    ).toBe("activating");
    expect(clock.sleeps).toEqual([4000, 6000]);
    expect(lines[0]).toBe(
      "restore session s-1: the tenant already has 25 active restore sessions (TooManyActiveRestoreSessions); trying to activate again in 4 s (giving up in 7200 s)",
    );

    const always = {
      activateSession: async () => {
        throw tooMany();
      },
    } as unknown as GraphClient;
    const short = fakeClock();
    await expect(
      activateWithinBudget(always, "s-1", planWait({ timeoutMinutes: 0.1, pollIntervalSeconds: 4 }, short), short, () => undefined),
    ).rejects.toMatchObject({
      code: "TooManyActiveRestoreSessions",
    });
    expect(short.sleeps.reduce((a, b) => a + b, 0)).toBe(6000);
  });
});

describe("create with waiting and failOn", () => {
  const inputs = (extra: Record<string, unknown>) =>
    checkedInputs(SHAREPOINT, {
      siteRestoreArtifacts: [{ restorePointId: "rp-1" }, { restorePointId: "rp-2" }],
      activate: true,
      waitForCompletion: true,
      ...extra,
    });
  const ended = (failOn?: string) => {
    const artifacts = [
      { id: "a-1", status: "succeeded", restorePoint: { id: "rp-1", protectionDateTime: "2026-11-28T10:00:00Z" } },
      {
        id: "a-2",
        status: "failed",
        error: { code: "ArtifactCannotBeRestored", message: "no" },
        restorePoint: { id: "rp-2", protectionDateTime: "2026-11-28T09:00:00Z" },
      },
    ];
    const { graph, calls } = recordingGraph({
      activateSession: async () => ({ id: "s-1", status: "activating", lastModifiedDateTime: "2026-11-28T12:00:00Z" }),
      getSession: async () => ({ id: "s-1", status: "completedWithError", completedDateTime: "2026-11-28T12:40:00Z" }),
      listArtifacts: async () => artifacts,
    });
    const clock = fakeClock();
    const { context, lines } = contextFor(SHAREPOINT, graph, { clock });
    return { result: create(context, inputs(failOn ? { failOn } : {})), calls, lines, clock };
  };

  it("fails completedWithError by default with per-item reasons, keeping the session", async () => {
    const { result, calls, lines, clock } = ended();
    await expect(result).rejects.toMatchObject({
      name: "PartialFailureError",
      id: "s-1",
      message:
        "restore session s-1 exists, but the drill failed: the restore ended completedWithError; restore point rp-2: ArtifactCannotBeRestored: no. " +
        "It is kept in the stack state; it is the drill's record; change drillId to run the drill again.",
      properties: expect.objectContaining({ status: "completedWithError", activatedDateTime: "2026-11-28T12:00:00Z" }),
    });
    expect(calls.map((c) => c[0])).toEqual(["createSession", "activateSession", "getSession", "listArtifacts"]);
    expect(clock.sleeps).toEqual([30_000]);
    expect(lines).toEqual([
      "restore session s-1 activated (status activating)",
      "restore session s-1 status completedWithError: 0/? completed, 0 failed",
    ]);
  });

  it("passes under failOn failed and never, with the drill summary in the outputs", async () => {
    for (const failOn of ["failed", "never"]) {
      const { outs } = await ended(failOn).result;
      expect(outs.drillReport).toEqual({
        sessionId: "s-1",
        workload: "SharePoint",
        status: "completedWithError",
        activatedDateTime: "2026-11-28T12:00:00Z",
        completedDateTime: "2026-11-28T12:40:00Z",
        restoreDurationSeconds: 2400,
        worstDataAgeSeconds: 3 * 3600,
        succeeded: 1,
        failed: 1,
        pending: 0,
      });
      expect(outs.siteRestoreArtifacts).toEqual([
        { restorePointId: "rp-1", status: "succeeded", protectionDateTime: "2026-11-28T10:00:00Z" },
        {
          restorePointId: "rp-2",
          status: "failed",
          protectionDateTime: "2026-11-28T09:00:00Z",
          error: { code: "ArtifactCannotBeRestored", message: "no" },
        },
      ]);
    }
  });
});

describe("update of a draft with site entries", () => {
  it("resolves only the entries that are new, and keeps the stored ones' restore points", async () => {
    const { graph, searches, recorded } = fakeGraph({
      listArtifacts: async () => [{ id: "art-0", restorePoint: { id: "rp-stored" } }],
      patchArtifacts: async (_workload, _id, delta) =>
        delta.map((d, i) => ("add" in d ? { id: `art-new-${i}`, restorePoint: { id: d.add.restorePointId } } : {})),
    });
    const olds = {
      stateVersion: 3,
      status: "draft",
      destinationType: "new",
      activate: false,
      siteRestoreArtifacts: [
        { restorePointId: "rp-stored", siteId: "site-0", requestedPointInTime: "2026-11-01T00:00:00.000Z", status: "added" },
      ],
    };
    const news = checkedInputs(SHAREPOINT, {
      siteRestoreArtifacts: [{ siteId: "site-0", pointInTime: "2026-11-01T01:00:00+01:00" }, { siteId: "site-3" }],
    });
    const { outs } = await update(contextFor(SHAREPOINT, graph).context, "s-1", olds, news);
    expect(searches.map((s) => s.protectionUnitIds)).toEqual([["unit-3"]]);
    expect(recorded.map((c) => c[0])).toEqual([
      "listProtectionUnits",
      "searchRestorePoints",
      "listArtifacts",
      "patchArtifacts",
      "getSession",
    ]);
    expect(recorded[3]).toEqual([
      "patchArtifacts",
      "sharePoint",
      "s-1",
      [{ add: { restorePointId: "rp-unit-3-2026-11-28T00:00:00.000Z", destinationType: "new" } }],
    ]);
    expect(outs!.siteRestoreArtifacts).toEqual([
      { restorePointId: "rp-stored", siteId: "site-0", requestedPointInTime: "2026-11-01T00:00:00.000Z", status: "added" },
      {
        restorePointId: "rp-unit-3-2026-11-28T00:00:00.000Z",
        siteId: "site-3",
        protectionDateTime: "2026-11-28T00:00:00.000Z",
        status: "added",
      },
    ]);
  });
});
