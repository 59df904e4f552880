/**
 * The drill parts of the engine against a recording fake Graph client and a fake clock: site
 * resolution and its batching, waiting with backoff and a deadline, TooManyActiveRestoreSessions,
 * failOn, the month guardrail, the drill report and its rendering.
 */
import { drillReport } from "../../provider/engine/drill-report";
import { create, update } from "../../provider/engine/lifecycle";
import { warnAboutMonthlyTestRestores } from "../../provider/engine/month-guard";
import { resolveArtifacts } from "../../provider/engine/resolve";
import { readState } from "../../provider/engine/state";
import { activateWithinBudget, planWait, waitUntilTerminal, type Clock } from "../../provider/engine/wait";
import { GraphRequestError, type GraphClient, type RestorePointSearchRequest } from "../../provider/graph";
import { renderDrillReport } from "../../provider/index";
import type { GraphSession, RestorePointSearchResponse, SiteProtectionUnit } from "../../provider/schemas/graph";
import { sessionInputsSchema } from "../../provider/schemas/inputs";

const units: SiteProtectionUnit[] = Array.from({ length: 12 }, (_, i) => ({ id: `unit-${i}`, siteId: `site-${i}`, status: "protected" }));
const pointOf = (unitId: string, at: string) => ({ id: `rp-${unitId}-${at}`, protectionDateTime: at, protectionUnit: { id: unitId } });

/** A fake client that answers searches with one point per unit (two for a lone unit, to test picking). */
function fakeGraph(overrides: Partial<GraphClient> = {}) {
  const searches: RestorePointSearchRequest[] = [];
  const calls: string[] = [];
  const graph = {
    listSiteProtectionUnits: async () => (calls.push("listSiteProtectionUnits"), units),
    searchRestorePoints: async (request: RestorePointSearchRequest): Promise<RestorePointSearchResponse> => {
      calls.push("searchRestorePoints");
      searches.push(request);
      const hits = request.protectionUnitIds.filter((id) => id !== "unit-9");
      const extra = hits.length === 1 ? [pointOf(hits[0]!, "2026-11-27T00:00:00.000Z")] : [];
      return {
        searchResults: [...extra, ...hits.map((id) => pointOf(id, "2026-11-28T00:00:00.000Z"))].map((restorePoint) => ({ restorePoint })),
        noResultProtectionUnitIds: request.protectionUnitIds.filter((id) => id === "unit-9"),
      };
    },
    createSession: async () => (calls.push("createSession"), { id: "s-1", status: "draft" }),
    ...overrides,
  } as GraphClient;
  return { graph, searches, calls };
}

/** A clock whose sleeps only move time forward, recording each pause. */
function fakeClock(startMs = 0): Clock & { sleeps: number[] } {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const now = () => new Date("2026-11-28T12:00:00.000Z");

describe("resolveArtifacts", () => {
  it("searches five units per call, grouped by window, and keeps the input order", async () => {
    const { graph, searches, calls } = fakeGraph();
    const entries = [
      ...Array.from({ length: 7 }, (_, i) => ({ siteId: `SITE-${i}` })),
      { restorePointId: "given" },
      { siteId: "site-7", pointInTime: "2026-11-01T00:00:00Z", restorePointPreference: "oldest" as const, fastRestoreOnly: true },
    ];
    const { requests, sites } = await resolveArtifacts(graph, entries, now);
    expect(calls).toEqual(["listSiteProtectionUnits", "searchRestorePoints", "searchRestorePoints", "searchRestorePoints"]);
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
    expect(sites).toHaveLength(8);
  });

  it("takes the newest point for latest when several come back", async () => {
    const { graph } = fakeGraph();
    const { requests } = await resolveArtifacts(graph, [{ siteId: "site-1" }], now);
    expect(requests[0]!.restorePointId).toBe("rp-unit-1-2026-11-28T00:00:00.000Z");
  });

  it.each([
    [
      { siteId: "site-9", pointInTime: "2026-11-01T00:00:00Z" },
      "site siteId site-9 has no restore point at or before 2026-11-01T00:00:00Z",
    ],
    [
      { siteId: "nowhere" },
      "site siteId nowhere is not protected: no site protection unit covers it; add it to a SharePoint protection policy first",
    ],
    [
      { siteWebUrl: "https://contoso.sharepoint.com/sites/x" },
      "site https://contoso.sharepoint.com/sites/x cannot be matched by URL: Microsoft Graph returns siteWebUrl on site protection units only with delegated permissions; name the site by siteId instead (or sign in as a user)",
    ],
  ])("fails %j naming the site", async (entry, message) => {
    const { graph } = fakeGraph();
    await expect(resolveArtifacts(graph, [entry], now)).rejects.toThrow(message);
  });

  it("fails for a unit that is not protected, and for two entries on one restore point", async () => {
    const { graph } = fakeGraph({ listSiteProtectionUnits: async () => [{ id: "unit-0", siteId: "site-0", status: "unprotected" }] });
    await expect(resolveArtifacts(graph, [{ siteId: "site-0" }], now)).rejects.toThrow(
      "site siteId site-0 is not protected: its protection unit unit-0 has status unprotected",
    );
    const { graph: g2 } = fakeGraph();
    await expect(
      resolveArtifacts(g2, [{ siteId: "site-1" }, { restorePointId: "rp-unit-1-2026-11-28T00:00:00.000Z" }], now),
    ).rejects.toThrow(
      "site restore point rp-unit-1-2026-11-28T00:00:00.000Z resolves to restore point rp-unit-1-2026-11-28T00:00:00.000Z, which siteId site-1 already uses",
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
    const clock = fakeClock(1000);
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
    sessionInputsSchema.parse({
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
    const graph = {
      createSession: async () => ({ id: "s-1", status: "draft" }),
      activateSession: async () => ({ id: "s-1", status: "activating", lastModifiedDateTime: "2026-11-28T12:00:00Z" }),
      getSession: async () => ({ id: "s-1", status: "completedWithError", completedDateTime: "2026-11-28T12:40:00Z" }),
      listArtifacts: async () => artifacts,
    } as unknown as GraphClient;
    return create(graph, inputs(failOn ? { failOn } : {}), () => undefined, fakeClock());
  };

  it("fails completedWithError by default with per-site reasons, keeping the session", async () => {
    await expect(ended()).rejects.toMatchObject({
      name: "SessionPartiallyCreatedError",
      id: "s-1",
      message:
        "restore session s-1 exists, but the drill failed: the restore ended completedWithError; restore point rp-2: ArtifactCannotBeRestored: no. " +
        "It is kept in the stack state; it is the drill's record; change drillId to run the drill again.",
      properties: expect.objectContaining({ status: "completedWithError", activatedDateTime: "2026-11-28T12:00:00Z" }),
    });
  });

  it("passes under failOn failed and never, with the drill report in the outputs", async () => {
    for (const failOn of ["failed", "never"]) {
      const { outs } = await ended(failOn);
      expect(outs.drillReport).toEqual({
        sessionId: "s-1",
        status: "completedWithError",
        activatedDateTime: "2026-11-28T12:00:00Z",
        completedDateTime: "2026-11-28T12:40:00Z",
        restoreDurationSeconds: 2400,
        worstDataAgeSeconds: 3 * 3600,
        sites: [
          { restorePointId: "rp-1", protectionDateTime: "2026-11-28T10:00:00Z", dataAgeSeconds: 2 * 3600, status: "succeeded" },
          {
            restorePointId: "rp-2",
            protectionDateTime: "2026-11-28T09:00:00Z",
            dataAgeSeconds: 3 * 3600,
            status: "failed",
            error: { code: "ArtifactCannotBeRestored", message: "no" },
          },
        ],
      });
    }
  });
});

describe("the two-test-restores-a-month guardrail", () => {
  const listed = (id: string, status: string, lastModifiedDateTime: string, type = "#microsoft.graph.sharePointRestoreSession") => ({
    id,
    status,
    lastModifiedDateTime,
    "@odata.type": type,
  });

  it("counts this month's SharePoint restores per site and warns at two", async () => {
    const artifactsOf: Record<string, { id: string; restorePoint: { id: string; protectionUnit: { id: string; siteId?: string } } }[]> = {
      old: [],
      a: [{ id: "x", restorePoint: { id: "r", protectionUnit: { id: "unit-1", siteId: "site-1" } } }],
      b: [
        { id: "y", restorePoint: { id: "r", protectionUnit: { id: "unit-1" } } },
        { id: "z", restorePoint: { id: "s", protectionUnit: { id: "unit-2" } } },
      ],
    };
    const calls: string[] = [];
    const graph = {
      listRestoreSessions: async () => [
        listed("old", "completed", "2026-10-31T23:59:59Z"),
        listed("a", "completed", "2026-11-02T00:00:00Z"),
        listed("b", "active", "2026-11-20T00:00:00Z"),
        listed("draft", "draft", "2026-11-21T00:00:00Z"),
        listed("mail", "completed", "2026-11-21T00:00:00Z", "#microsoft.graph.exchangeRestoreSession"),
      ],
      listArtifacts: async (id: string) => (calls.push(id), artifactsOf[id] ?? []),
    } as unknown as GraphClient;
    const lines: string[] = [];
    const sites = [
      { label: "siteId site-1", protectionUnitId: "unit-1", siteId: "site-1" },
      { label: "siteId site-2", protectionUnitId: "unit-2", siteId: "site-2" },
    ];
    await warnAboutMonthlyTestRestores(graph, sites, new Date("2026-11-28T12:00:00Z"), (l) => lines.push(l));
    expect(calls).toEqual(["a", "b"]);
    expect(lines).toEqual([
      "warning: site siteId site-1 has already been restored 2 times this calendar month; Microsoft recommends at most 2 test restores per site per month",
    ]);
  });

  it("warns, and does not block, when it cannot look", async () => {
    const graph = {
      listRestoreSessions: async () => {
        throw new Error("403 Forbidden");
      },
    } as unknown as GraphClient;
    const lines: string[] = [];
    await warnAboutMonthlyTestRestores(graph, [{ label: "x", protectionUnitId: "u" }], new Date(), (l) => lines.push(l));
    expect(lines).toEqual(["warning: could not count this month's restores per site (403 Forbidden)"]);
  });
});

describe("drillReport and renderDrillReport", () => {
  const state = readState({
    status: "completed",
    activatedDateTime: "2026-11-28T12:00:00Z",
    completedDateTime: "2026-11-28T13:02:05Z",
    drillId: "2026|q4",
    siteRestoreArtifacts: [
      {
        restorePointId: "rp-1",
        siteWebUrl: "https://contoso.sharepoint.com/sites/finance",
        requestedPointInTime: "2026-11-28T06:00:00Z",
        protectionDateTime: "2026-11-28T05:50:00Z",
        status: "succeeded",
        restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/finance-restored-1",
        startDateTime: "2026-11-28T12:05:00Z",
        completionDateTime: "2026-11-28T12:30:00Z",
      },
      {
        restorePointId: "rp-2",
        siteId: "site-2",
        protectionDateTime: "2026-11-27T12:00:00Z",
        status: "failed",
        error: { code: "E", message: "a | b" },
      },
    ],
  });

  it("measures RTO from activation to completion and RPO as the worst data age", () => {
    const report = drillReport("s-1", state);
    expect(report).toMatchObject({ restoreDurationSeconds: 3725, worstDataAgeSeconds: 86_400 });
    expect(report.sites.map((s) => [s.dataAgeSeconds, s.durationSeconds])).toEqual([
      [600, 1500],
      [86_400, undefined],
    ]);
  });

  it("renders Markdown tables with escaped cells, and JSON", () => {
    const report = drillReport("s-1", state);
    expect(renderDrillReport(report, "markdown")).toBe(
      [
        "# DR drill report: 2026\\|q4",
        "",
        "| | |",
        "|---|---|",
        "| Restore session | s-1 |",
        "| Status | completed |",
        "| Activated | 2026-11-28T12:00:00Z |",
        "| Completed | 2026-11-28T13:02:05Z |",
        "| Restore duration (RTO) | 1h 02m 05s |",
        "| Worst data age (RPO) | 1d 00h 00m |",
        "",
        "| Site | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |",
        "|---|---|---|---|---|---|---|---|",
        "| https://contoso.sharepoint.com/sites/finance | rp-1 | 2026-11-28T05:50:00Z | 10m 00s | succeeded | https://contoso.sharepoint.com/sites/finance-restored-1 | 25m 00s | – |",
        "| site-2 | rp-2 | 2026-11-27T12:00:00Z | 1d 00h 00m | failed | – | – | E: a \\| b |",
        "",
      ].join("\n"),
    );
    expect(JSON.parse(renderDrillReport(report, "json"))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});

describe("update of a draft with site entries", () => {
  it("resolves only the entries that are new, and keeps the stored ones' restore points", async () => {
    const { graph, searches } = fakeGraph({
      listArtifacts: async () => [{ id: "art-0", restorePoint: { id: "rp-stored" } }],
      patchArtifacts: async (_id, delta) =>
        delta.map((d, i) => ("add" in d ? { id: `art-new-${i}`, restorePoint: { id: d.add.restorePointId } } : {})),
      getSession: async () => ({ id: "s-1", status: "draft" }),
    });
    const olds = {
      stateVersion: 1,
      status: "draft",
      destinationType: "new",
      activate: false,
      siteRestoreArtifacts: [
        { restorePointId: "rp-stored", siteId: "site-0", requestedPointInTime: "2026-11-01T00:00:00.000Z", id: "art-0" },
      ],
    };
    const news = sessionInputsSchema.parse({
      siteRestoreArtifacts: [{ siteId: "site-0", pointInTime: "2026-11-01T01:00:00+01:00" }, { siteId: "site-3" }],
    });
    const { outs } = await update(graph, "s-1", olds, news, () => undefined, fakeClock());
    expect(searches.map((s) => s.protectionUnitIds)).toEqual([["unit-3"]]);
    expect((outs!.siteRestoreArtifacts as { restorePointId: string; id: string }[]).map((a) => [a.restorePointId, a.id])).toEqual([
      ["rp-stored", "art-0"],
      ["rp-unit-3-2026-11-28T00:00:00.000Z", "art-new-0"],
    ]);
  });
});
