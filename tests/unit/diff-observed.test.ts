/**
 * diff compares the program with the session as last observed, for every workload: what a failed
 * step or a refresh left in the state decides between no change, an update and a replacement.
 */
import { diff } from "../../provider/engine/restore-session/plan";
import { UNKNOWN } from "../../provider/schemas/inputs/common";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, WORKLOADS, type Workload } from "../../provider/workloads";
import { checkedNews } from "./fake-graph";

const NONE = { changes: false };
const UPDATE = { changes: true, replaces: [], deleteBeforeReplace: false };
const replace = (...replaces: string[]) => ({ changes: true, replaces, deleteBeforeReplace: false });

/** An artifact Graph is known to hold, and one it is not (a request only). */
const held = (restorePointId: string, extra: Record<string, unknown> = {}) => ({
  restorePointId,
  id: `art-${restorePointId}`,
  status: "added",
  ...extra,
});
const requestOnly = (restorePointId: string) => ({ restorePointId });
const outOfBand = (restorePointId: string) => ({ ...held(restorePointId), outOfBand: true });

/** Stored outputs of this version (state version 2) under the workload's names. */
function stored(workload: Workload, status: string, artifacts: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return {
    stateVersion: 2,
    status,
    destinationType: "new",
    activate: status !== "draft",
    [workload.restoreSession.artifacts]: artifacts,
    createdDateTime: "2026-11-28T21:00:00.000Z",
    drillReport: { sessionId: "s-1", workload: workload.title, status, succeeded: 0, failed: 0, pending: artifacts.length },
    __provider: "text",
    ...extra,
  };
}
/** The program's checked inputs listing restore points. */
const program = (workload: Workload, restorePointIds: string[], extra: Record<string, unknown> = {}) =>
  checkedNews(workload, { [workload.restoreSession.artifacts]: restorePointIds.map((restorePointId) => ({ restorePointId })), ...extra });
/** Table rows named by workload. */
const perWorkload = <T extends unknown[]>(row: (workload: Workload) => T) => WORKLOADS.map((w) => [w.title, ...row(w)] as [string, ...T]);

describe("diff against the observed session, listed artifacts", () => {
  it.each(perWorkload((w) => [w]))("%s: a draft whose activation failed still needs activating", (_t, workload) => {
    const olds = stored(workload, "draft", [held("a"), held("b")], { activate: true });
    expect(diff(workload, olds, program(workload, ["a", "b"], { activate: true }))).toEqual(UPDATE);
  });

  it.each(perWorkload((w) => [w]))(
    "%s: a refresh that found an asked-for artifact missing makes a draft an update, never an activated session",
    (_t, workload) => {
      expect(diff(workload, stored(workload, "draft", [held("a"), requestOnly("b")]), program(workload, ["a", "b"]))).toEqual(UPDATE);
      expect(
        diff(workload, stored(workload, "completed", [held("a"), requestOnly("b")]), program(workload, ["a", "b"], { activate: true })),
      ).toEqual(NONE);
    },
  );

  it.each(perWorkload((w) => [w]))("%s: the same program once everything is held and activated is no change", (_t, workload) => {
    expect(diff(workload, stored(workload, "draft", [held("a"), held("b")]), program(workload, ["b", "a"]))).toEqual(NONE);
    expect(
      diff(workload, stored(workload, "activating", [held("a"), held("b")]), program(workload, ["a", "b"], { activate: true })),
    ).toEqual(NONE);
    expect(
      diff(workload, stored(workload, "completed", [held("a"), held("b")]), program(workload, ["a", "b"], { activate: true })),
    ).toEqual(NONE);
  });

  it.each(perWorkload((w) => [w]))(
    "%s: an artifact added outside Pulumi makes a draft an update (which removes it), and is ignored once activated",
    (_t, workload) => {
      expect(diff(workload, stored(workload, "draft", [held("a"), outOfBand("x")]), program(workload, ["a"]))).toEqual(UPDATE);
      expect(diff(workload, stored(workload, "active", [held("a"), outOfBand("x")]), program(workload, ["a"], { activate: true }))).toEqual(
        NONE,
      );
    },
  );

  it.each([
    [
      SHAREPOINT,
      { siteId: "SITE-1", pointInTime: "2026-11-01T01:00:00+01:00" },
      { siteId: "site-1", requestedPointInTime: "2026-11-01T00:00:00.000Z" },
    ],
    [
      SHAREPOINT,
      { siteWebUrl: "https://CONTOSO.sharepoint.com/sites/Finance/" },
      { siteWebUrl: "https://contoso.sharepoint.com/sites/finance" },
    ],
    [ONEDRIVE, { email: "Adele@Contoso.com" }, { email: "adele@contoso.com" }],
    [ONEDRIVE, { directoryObjectId: "USER-1", restorePointPreference: "latest" }, { directoryObjectId: "user-1" }],
    [
      EXCHANGE,
      { email: "adele@contoso.com", restorePointPreference: "oldest", fastRestoreOnly: true },
      { email: "adele@contoso.com", restorePointPreference: "oldest", fastRestoreOnly: true },
    ],
  ] as [Workload, Record<string, unknown>, Record<string, unknown>][])(
    "%#: named entries compare as requested, whatever restore point they resolved to",
    (workload, entry, request) => {
      const news = checkedNews(workload, { [workload.restoreSession.artifacts]: [entry] });
      expect(diff(workload, stored(workload, "draft", [held("rp-resolved", request)]), news)).toEqual(NONE);
      // The same object asked at another point in time is another request.
      const later = checkedNews(workload, { [workload.restoreSession.artifacts]: [{ ...entry, pointInTime: "2026-11-20T00:00:00Z" }] });
      expect(diff(workload, stored(workload, "draft", [held("rp-resolved", request)]), later)).toEqual(UPDATE);
      expect(diff(workload, stored(workload, "completed", [held("rp-resolved", request)]), { ...later, activate: true })).toEqual(
        replace(workload.restoreSession.artifacts),
      );
    },
  );
});

describe("diff of bulk restores", () => {
  const bulkState = (workload: Workload, status: string, names: string[], extra: Record<string, unknown> = {}) =>
    stored(workload, status, [], { bulkRestore: { names }, bulkRequest: { id: "bulk-1", status: "active" }, ...extra });
  const bulkProgram = (workload: Workload, names: string[], more: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    checkedNews(workload, { bulkRestore: { [workload.restoreSession.bulkNames]: names, ...more }, ...extra });
  const namesOf = (workload: Workload) =>
    workload.restoreSession.bulkNameKind === "url"
      ? ["https://contoso.sharepoint.com/sites/a", "https://contoso.sharepoint.com/sites/b"]
      : ["adele@contoso.com", "alex@contoso.com"];

  it.each(perWorkload((w) => [w]))("%s: the same bulk restore is no change, draft or activated", (_t, workload) => {
    const names = namesOf(workload);
    expect(diff(workload, bulkState(workload, "draft", names), bulkProgram(workload, names))).toEqual(NONE);
    expect(diff(workload, bulkState(workload, "completed", names), bulkProgram(workload, names, {}, { activate: true }))).toEqual(NONE);
  });

  it.each(perWorkload((w) => [w]))("%s: any change to a bulk restore replaces the session, even a draft", (_t, workload) => {
    const names = namesOf(workload);
    const olds = bulkState(workload, "draft", names);
    for (const news of [
      bulkProgram(workload, names.slice(0, 1)),
      bulkProgram(workload, names, { displayName: "another name" }),
      bulkProgram(workload, names, { restorePointPreference: "oldest" }),
      bulkProgram(workload, names, { fastRestoreOnly: true }),
      bulkProgram(workload, names, { protectionTimePeriod: { startDateTime: "2026-01-01T00:00:00Z" } }),
      { ...bulkProgram(workload, names), bulkRestore: UNKNOWN },
    ]) {
      expect(diff(workload, olds, news)).toEqual(replace("bulkRestore"));
    }
  });

  it.each(perWorkload((w) => [w]))(
    "%s: a draft whose bulk request was never confirmed is an update (which posts or finds it)",
    (_t, workload) => {
      const names = namesOf(workload);
      expect(diff(workload, bulkState(workload, "draft", names, { bulkRequest: undefined }), bulkProgram(workload, names))).toEqual(UPDATE);
      expect(
        diff(
          workload,
          bulkState(workload, "draft", names, { bulkRequest: undefined }),
          bulkProgram(workload, names, {}, { activate: true }),
        ),
      ).toEqual(UPDATE);
    },
  );

  it("keeps the bulk restore's settings as asked: a stored period, preference and tag compare equal", () => {
    const more = {
      protectionTimePeriod: { startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2026-02-01T00:00:00Z" },
      restorePointPreference: "oldest",
      fastRestoreOnly: true,
      displayName: "Q1 drill",
    };
    const olds = bulkState(EXCHANGE, "active", ["adele@contoso.com"], { bulkRestore: { names: ["adele@contoso.com"], ...more } });
    expect(diff(EXCHANGE, olds, bulkProgram(EXCHANGE, ["adele@contoso.com"], more, { activate: true }))).toEqual(NONE);
  });
});

describe("diff of item-level (granular) restores", () => {
  const KEY = "granularMailboxRestoreArtifacts";
  const entry = { email: "adele@contoso.com", query: { subjects: ["Q4 budget"], hasAttachment: true } };
  const storedEntry = held("rp-g", { email: "adele@contoso.com", query: { hasAttachment: true, subjects: ["Q4 budget"] } });
  const granularState = (status: string, extra: Record<string, unknown> = {}) =>
    stored(EXCHANGE, status, [], { [KEY]: [storedEntry], ...extra });
  const granularProgram = (entries: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    checkedNews(EXCHANGE, { [KEY]: entries, ...extra });

  it("is no change for the same entries (query keys in any order), and an update that activates a draft", () => {
    expect(diff(EXCHANGE, granularState("draft"), granularProgram([{ ...entry, email: "ADELE@contoso.com" }]))).toEqual(NONE);
    expect(diff(EXCHANGE, granularState("draft"), granularProgram([entry], { activate: true }))).toEqual(UPDATE);
    expect(diff(EXCHANGE, granularState("completed"), granularProgram([entry], { activate: true }))).toEqual(NONE);
  });

  it.each([
    ["another query", [{ ...entry, query: { subjects: ["Q3 budget"] } }]],
    ["another point in time", [{ ...entry, pointInTime: "2026-11-01T00:00:00Z" }]],
    ["another mailbox", [{ ...entry, email: "alex@contoso.com" }]],
    ["one more entry", [entry, { email: "alex@contoso.com", query: { senders: ["adele@contoso.com"] } }]],
  ])("replaces even a draft for %s (Graph has no delta for item-level artifacts)", (_name, entries) => {
    expect(diff(EXCHANGE, granularState("draft"), granularProgram(entries))).toEqual(replace(KEY));
    expect(diff(EXCHANGE, granularState("draft"), { ...granularProgram([entry]), [KEY]: UNKNOWN })).toEqual(replace(KEY));
  });
});

describe("diff when the kind of contents changes", () => {
  const names = { sharePoint: "https://contoso.sharepoint.com/sites/a", oneDrive: "adele@contoso.com", exchange: "adele@contoso.com" };
  const bulkOf = (w: Workload) => ({ bulkRestore: { [w.restoreSession.bulkNames]: [names[w.name]] } });
  const bulkState = (w: Workload, status: string) =>
    stored(w, status, [], { bulkRestore: { names: [names[w.name]] }, bulkRequest: { id: "bulk-1", status: "active" } });
  const granular = { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { subjects: ["x"] } }] };
  const granularState = (status: string) =>
    stored(EXCHANGE, status, [], {
      granularMailboxRestoreArtifacts: [held("rp-g", { email: "adele@contoso.com", query: { subjects: ["x"] } })],
    });

  it.each(perWorkload((w) => [w]))("%s: listed artifacts to a bulk restore and back replace, draft or not", (_t, w) => {
    for (const status of ["draft", "completed"]) {
      const activate = status !== "draft";
      expect(diff(w, stored(w, status, [held("a")]), checkedNews(w, { ...bulkOf(w), activate }))).toEqual(replace("bulkRestore"));
      expect(diff(w, bulkState(w, status), program(w, ["a"], { activate }))).toEqual(replace(w.restoreSession.artifacts));
    }
  });

  it("Exchange: item-level artifacts to listed ones, to a bulk restore, and back, replace", () => {
    expect(diff(EXCHANGE, stored(EXCHANGE, "draft", [held("a")]), checkedNews(EXCHANGE, granular))).toEqual(
      replace("granularMailboxRestoreArtifacts"),
    );
    expect(diff(EXCHANGE, granularState("draft"), program(EXCHANGE, ["a"]))).toEqual(replace("mailboxRestoreArtifacts"));
    expect(diff(EXCHANGE, granularState("draft"), checkedNews(EXCHANGE, bulkOf(EXCHANGE)))).toEqual(replace("bulkRestore"));
    expect(diff(EXCHANGE, bulkState(EXCHANGE, "draft"), checkedNews(EXCHANGE, granular))).toEqual(
      replace("granularMailboxRestoreArtifacts"),
    );
  });
});

describe("diff of state written by 0.1.0 (state version 1, SharePoint only) and before (no version)", () => {
  /** Outputs as 0.1.0 stored them: artifacts as asked (status only once refreshed), and the old drill report. */
  const v1 = (status: string, artifacts: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
    stateVersion: 1,
    status,
    destinationType: "new",
    activate: status !== "draft",
    siteRestoreArtifacts: artifacts,
    createdDateTime: "2026-11-28T21:00:00.000Z",
    drillReport: { sessionId: "s-1", status, sites: artifacts.map((a) => ({ restorePointId: a.restorePointId })) },
    __provider: "text",
    ...extra,
  });
  const sites = [
    {
      restorePointId: "rp-a",
      siteId: "site-a",
      requestedPointInTime: "2026-11-01T00:00:00.000Z",
      protectionDateTime: "2026-10-31T23:50:00Z",
    },
    { restorePointId: "rp-b", siteWebUrl: "https://contoso.sharepoint.com/sites/hr" },
    { restorePointId: "rp-c" },
  ];
  const news = (extra: Record<string, unknown> = {}) =>
    checkedNews(SHAREPOINT, {
      siteRestoreArtifacts: [
        { siteId: "site-a", pointInTime: "2026-11-01T00:00:00Z" },
        { siteWebUrl: "https://contoso.sharepoint.com/sites/hr" },
        { restorePointId: "rp-c" },
      ],
      ...extra,
    });
  const withStatus = (artifacts: Record<string, unknown>[]) => artifacts.map((a, i) => ({ ...a, id: `art-${i}`, status: "added" }));

  it.each([
    ["a draft as created (artifacts without status)", v1("draft", sites), news()],
    ["a draft as refreshed (artifacts with id and status)", v1("draft", withStatus(sites)), news()],
    [
      "a finished drill",
      v1("completed", withStatus(sites), {
        drillId: "2026-q4",
        waitForCompletion: true,
        failOn: "never",
        activatedDateTime: "2026-11-28T21:05:00Z",
        completedDateTime: "2026-11-28T22:00:00Z",
      }),
      news({ activate: true, drillId: "2026-q4", waitForCompletion: true, failOn: "never" }),
    ],
    ["a draft without a stateVersion (version 0)", (({ stateVersion: _v, ...rest }) => rest)(v1("draft", sites)), news()],
  ])("%s: the same program is no change", (_name, olds, program) => {
    expect(diff(SHAREPOINT, olds, program)).toEqual(NONE);
  });

  it("a 0.1.0 draft whose activation failed still needs activating", () => {
    expect(diff(SHAREPOINT, v1("draft", sites, { activate: true }), news({ activate: true }))).toEqual(UPDATE);
  });
});
