/**
 * The drill report: the summary the engine stores, the per-item rows a program derives from the
 * stored artifacts, and the Markdown and JSON renderings of one report or of several together.
 */
import { outputsOf } from "../../provider/engine/restore-session/lifecycle";
import { readState } from "../../provider/engine/restore-session/state";
import {
  drillReport,
  drillSummary,
  duration,
  renderDrillReport,
  secondsBetween,
  type DrillReport,
  type ReportArtifact,
} from "../../provider/report";
import { drillReportsFromState } from "../../provider/resources/stored-reports";
import { EXCHANGE, ONEDRIVE, SHAREPOINT } from "../../provider/workloads";

const sites: ReportArtifact[] = [
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
];
const sharePointSummary = () =>
  drillSummary(
    {
      sessionId: "s-1",
      workload: "SharePoint",
      drillId: "2026|q4",
      status: "completed",
      activatedDateTime: "2026-11-28T12:00:00Z",
      completedDateTime: "2026-11-28T13:02:05Z",
    },
    sites,
  );

describe("drillSummary", () => {
  it("measures RTO from activation to completion, RPO as the worst data age, and counts items", () => {
    expect(sharePointSummary()).toEqual({
      sessionId: "s-1",
      workload: "SharePoint",
      drillId: "2026|q4",
      status: "completed",
      activatedDateTime: "2026-11-28T12:00:00Z",
      completedDateTime: "2026-11-28T13:02:05Z",
      restoreDurationSeconds: 3725,
      worstDataAgeSeconds: 86_400,
      succeeded: 1,
      failed: 1,
      pending: 0,
    });
  });

  it("leaves timings unknown until they are known, and counts everything unfinished as pending", () => {
    expect(
      drillSummary({ sessionId: "s-2", workload: "OneDrive", status: "active" }, [
        { restorePointId: "a" },
        { restorePointId: "b", status: "inProgress" },
      ]),
    ).toEqual({
      sessionId: "s-2",
      workload: "OneDrive",
      status: "active",
      restoreDurationSeconds: undefined,
      worstDataAgeSeconds: undefined,
      succeeded: 0,
      failed: 0,
      pending: 2,
    });
  });

  it("is what the engine stores under drillReport, with a bulk request's error as the unresolved names", () => {
    const state = readState(ONEDRIVE, {
      status: "completed",
      activatedDateTime: "2026-11-28T12:00:00Z",
      completedDateTime: "2026-11-28T12:10:00Z",
      driveRestoreArtifacts: [
        { restorePointId: "rp-1", email: "adele@contoso.com", status: "succeeded", protectionDateTime: "2026-11-28T11:00:00Z" },
      ],
      bulkRestore: { names: ["adele@contoso.com", "gone@contoso.com"] },
      bulkRequest: { id: "bulk-1", status: "completedWithErrors", error: { code: "UserNotFound", message: "gone@contoso.com" } },
    });
    expect(outputsOf(ONEDRIVE, "s-3", state).drillReport).toEqual({
      sessionId: "s-3",
      workload: "OneDrive",
      status: "completed",
      activatedDateTime: "2026-11-28T12:00:00Z",
      completedDateTime: "2026-11-28T12:10:00Z",
      restoreDurationSeconds: 600,
      worstDataAgeSeconds: 3600,
      succeeded: 1,
      failed: 0,
      pending: 0,
      unresolvedNames: { code: "UserNotFound", message: "gone@contoso.com" },
    });
  });
});

describe("drillReport", () => {
  it("adds one row per artifact, named as the program named it, with data age and duration", () => {
    const report = drillReport(sharePointSummary(), sites);
    expect(report.items).toEqual([
      {
        name: "https://contoso.sharepoint.com/sites/finance",
        restorePointId: "rp-1",
        requestedPointInTime: "2026-11-28T06:00:00Z",
        protectionDateTime: "2026-11-28T05:50:00Z",
        dataAgeSeconds: 600,
        status: "succeeded",
        restoredTo: "https://contoso.sharepoint.com/sites/finance-restored-1",
        startDateTime: "2026-11-28T12:05:00Z",
        completionDateTime: "2026-11-28T12:30:00Z",
        durationSeconds: 1500,
        error: undefined,
      },
      {
        name: "site-2",
        restorePointId: "rp-2",
        requestedPointInTime: undefined,
        protectionDateTime: "2026-11-27T12:00:00Z",
        dataAgeSeconds: 86_400,
        status: "failed",
        restoredTo: undefined,
        startDateTime: undefined,
        completionDateTime: undefined,
        durationSeconds: undefined,
        error: { code: "E", message: "a | b" },
      },
    ]);
    expect(report).toMatchObject(sharePointSummary());
  });

  it.each([
    [{ restorePointId: "r", email: "adele@contoso.com", directoryObjectId: "user-1" }, "adele@contoso.com"],
    [{ restorePointId: "r", directoryObjectId: "user-1" }, "user-1"],
    [
      { restorePointId: "r", siteId: "site-1", siteWebUrl: "https://contoso.sharepoint.com/sites/a" },
      "https://contoso.sharepoint.com/sites/a",
    ],
    [{ restorePointId: "r" }, "restore point r"],
    // A bulk restore's items are unnamed: in place, the restored site is the site itself.
    [
      { restorePointId: "r", destinationType: "inPlace", restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/a" },
      "https://contoso.sharepoint.com/sites/a",
    ],
    [{ restorePointId: "r", destinationType: "new", restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/a-r" }, "restore point r"],
  ])("names %j as %s", (artifact, name) => {
    expect(drillReport(sharePointSummary(), [artifact]).items[0]!.name).toBe(name);
  });

  it("shows where a mailbox restore landed: the folder", () => {
    const row = drillReport(sharePointSummary(), [
      { restorePointId: "r", email: "adele@contoso.com", restoredFolderName: "Restored 2026-11-28" },
    ]).items[0]!;
    expect(row.restoredTo).toBe("Restored 2026-11-28");
  });
});

describe("renderDrillReport", () => {
  const sharePoint = () => drillReport(sharePointSummary(), sites);
  const oneDrive = (): DrillReport =>
    drillReport(
      {
        ...drillSummary(
          {
            sessionId: "s-od",
            workload: "OneDrive",
            drillId: "2026|q4",
            status: "completedWithError",
            activatedDateTime: "2026-11-28T12:00:00Z",
          },
          [
            {
              restorePointId: "rp-od",
              email: "adele@contoso.com",
              protectionDateTime: "2026-11-28T11:00:00Z",
              status: "succeeded",
              restoredSiteWebUrl: "https://contoso-my.sharepoint.com/personal/adele-r",
            },
          ],
        ),
        unresolvedNames: { code: "UserNotFound", message: "gone@contoso.com\nand one more" },
      },
      [
        {
          restorePointId: "rp-od",
          email: "adele@contoso.com",
          protectionDateTime: "2026-11-28T11:00:00Z",
          status: "succeeded",
          restoredSiteWebUrl: "https://contoso-my.sharepoint.com/personal/adele-r",
        },
      ],
    );
  const exchange = (): DrillReport =>
    drillReport(
      drillSummary({ sessionId: "s-ex", workload: "Exchange", drillId: "mail-q4", status: "active" }, [
        { restorePointId: "rp-ex", directoryObjectId: "user-9", status: "inProgress" },
      ]),
      [{ restorePointId: "rp-ex", directoryObjectId: "user-9", status: "inProgress", restoredFolderName: "Recovered" }],
    );
  const sharePointSection = [
    "| | |",
    "|---|---|",
    "| Workload | SharePoint |",
    "| Restore session | s-1 |",
    "| Status | completed |",
    "| Activated | 2026-11-28T12:00:00Z |",
    "| Completed | 2026-11-28T13:02:05Z |",
    "| Restore duration (RTO) | 1h 02m 05s |",
    "| Worst data age (RPO) | 1d 00h 00m |",
    "| Succeeded / failed / pending | 1 / 1 / 0 |",
    "",
    "| Site | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |",
    "|---|---|---|---|---|---|---|---|",
    "| https://contoso.sharepoint.com/sites/finance | rp-1 | 2026-11-28T05:50:00Z | 10m 00s | succeeded | https://contoso.sharepoint.com/sites/finance-restored-1 | 25m 00s | – |",
    "| site-2 | rp-2 | 2026-11-27T12:00:00Z | 1d 00h 00m | failed | – | – | E: a \\| b |",
  ];

  it("renders one report as Markdown tables with escaped cells", () => {
    expect(renderDrillReport(sharePoint(), "markdown")).toBe(["# DR drill report: 2026\\|q4", "", ...sharePointSection, ""].join("\n"));
  });

  it("renders several reports as one document: an overview, then a section per workload with its own row heading", () => {
    expect(renderDrillReport([sharePoint(), oneDrive(), exchange()], "markdown")).toBe(
      [
        "# DR drill report: 2026\\|q4, mail-q4",
        "",
        "| Workload | Restore session | Status | Restore duration (RTO) | Worst data age (RPO) | Succeeded | Failed |",
        "|---|---|---|---|---|---|---|",
        "| SharePoint | s-1 | completed | 1h 02m 05s | 1d 00h 00m | 1 | 1 |",
        "| OneDrive | s-od | completedWithError | – | 1h 00m 00s | 1 | 0 |",
        "| Exchange | s-ex | active | – | – | 0 | 0 |",
        "",
        "## SharePoint",
        "",
        ...sharePointSection,
        "",
        "## OneDrive",
        "",
        "| | |",
        "|---|---|",
        "| Workload | OneDrive |",
        "| Restore session | s-od |",
        "| Status | completedWithError |",
        "| Activated | 2026-11-28T12:00:00Z |",
        "| Completed | – |",
        "| Restore duration (RTO) | – |",
        "| Worst data age (RPO) | 1h 00m 00s |",
        "| Succeeded / failed / pending | 1 / 0 / 0 |",
        "| Names not resolved | UserNotFound: gone@contoso.com and one more |",
        "",
        "| User | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |",
        "|---|---|---|---|---|---|---|---|",
        "| adele@contoso.com | rp-od | 2026-11-28T11:00:00Z | 1h 00m 00s | succeeded | https://contoso-my.sharepoint.com/personal/adele-r | – | – |",
        "",
        "## Exchange",
        "",
        "| | |",
        "|---|---|",
        "| Workload | Exchange |",
        "| Restore session | s-ex |",
        "| Status | active |",
        "| Activated | – |",
        "| Completed | – |",
        "| Restore duration (RTO) | – |",
        "| Worst data age (RPO) | – |",
        "| Succeeded / failed / pending | 0 / 0 / 1 |",
        "",
        "| Mailbox | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |",
        "|---|---|---|---|---|---|---|---|",
        "| user-9 | rp-ex | – | – | inProgress | Recovered | – | – |",
        "",
      ].join("\n"),
    );
  });

  it("renders a one-element array as a combined document, and a report without drillId without one in the title", () => {
    const { drillId: _id, ...untitled } = sharePoint();
    const text = renderDrillReport([untitled], "markdown");
    expect(text.split("\n").slice(0, 4)).toEqual(["# DR drill report", "", "| | |", "|---|---|"]);
  });

  it("renders JSON: the report as it is, or the array", () => {
    const one = sharePoint();
    expect(renderDrillReport(one, "json")).toBe(`${JSON.stringify(one, null, 2)}\n`);
    expect(JSON.parse(renderDrillReport([one, exchange()], "json"))).toEqual(JSON.parse(JSON.stringify([one, exchange()])));
  });

  it("refuses an unknown format", () => {
    expect(() => renderDrillReport(sharePoint(), "html" as never)).toThrow(
      new RangeError('unknown drill report format "html"; use "markdown" or "json"'),
    );
  });

  it("renders what a program reads from the stored outputs: the summary plus the stored artifacts", () => {
    const state = readState(EXCHANGE, {
      status: "completed",
      mailboxRestoreArtifacts: [
        { restorePointId: "rp-m", email: "adele@contoso.com", status: "succeeded", restoredFolderName: "Restored" },
      ],
    });
    const outs = outputsOf(EXCHANGE, "s-m", state) as {
      drillReport: Parameters<typeof drillReport>[0];
      mailboxRestoreArtifacts: ReportArtifact[];
    };
    const text = renderDrillReport(drillReport(outs.drillReport, outs.mailboxRestoreArtifacts), "markdown");
    expect(text.split("\n").slice(-4)).toEqual([
      "| Mailbox | Restore point | Protected at | Data age | Status | Restored to | Duration | Error |",
      "|---|---|---|---|---|---|---|---|",
      "| adele@contoso.com | rp-m | – | – | succeeded | Restored | – | – |",
      "",
    ]);
  });
});

describe("drillReportsFromState", () => {
  /** A SharePoint session as `pulumi stack export` holds it, with the given settings and artifacts. */
  const stored = (fields: Record<string, unknown>) => ({
    type: "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession",
    outputs: outputsOf(SHAREPOINT, "s-b", readState(SHAREPOINT, { status: "completed", ...fields })),
  });
  const bulkSites = [
    { restorePointId: "rp-1", status: "succeeded", restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/a" },
    { restorePointId: "rp-2", status: "scheduled" },
  ];

  it("reads each restore session's report, skipping other resources and sessions without one", () => {
    const reports = drillReportsFromState([
      { type: "pulumi:pulumi:Stack", outputs: {} },
      { type: "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession", outputs: { status: "draft" } },
      stored({ destinationType: "new", siteRestoreArtifacts: bulkSites }),
    ]);
    expect(reports.map((r) => [r.sessionId, r.succeeded, r.pending])).toEqual([["s-b", 1, 1]]);
  });

  it("names an in-place bulk restore's rows by the sites restored, and others by restore point", () => {
    const names = (destinationType: string) =>
      drillReportsFromState([stored({ destinationType, siteRestoreArtifacts: bulkSites })])[0]!.items.map((i) => i.name);
    expect(names("inPlace")).toEqual(["https://contoso.sharepoint.com/sites/a", "restore point rp-2"]);
    expect(names("new")).toEqual(["restore point rp-1", "restore point rp-2"]);
  });
});

describe("duration and secondsBetween", () => {
  it.each([
    [undefined, "–"],
    [0, "0s"],
    [12.4, "12s"],
    [240, "4m 00s"],
    [3725, "1h 02m 05s"],
    [86_400 + 3600 * 2 + 60 * 3 + 4, "1d 02h 03m"],
    [-90, "-1m 30s"],
  ])("%p -> %s", (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });

  it("is undefined when either end is unknown or unreadable", () => {
    expect(secondsBetween("2026-11-28T12:00:00Z", "2026-11-28T12:00:01.600Z")).toBe(2);
    expect(secondsBetween(undefined, "2026-11-28T12:00:00Z")).toBeUndefined();
    expect(secondsBetween("2026-11-28T12:00:00Z", "soon")).toBeUndefined();
  });
});
