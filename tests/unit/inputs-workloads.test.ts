/**
 * `restoreSessionInputRules(workload).validate` for each workload: the property names and the
 * messages come from the workload descriptor, and each failure is exact.
 */
import { UNKNOWN } from "../../provider/schemas/inputs/common";
import { restoreSessionInputRules } from "../../provider/schemas/inputs/restore-session";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, type Workload } from "../../provider/workloads";

const failuresOf = (workload: Workload, news: Record<string, unknown>, apiVersion: "v1.0" | "beta" = "v1.0") =>
  restoreSessionInputRules(workload).validate(news, apiVersion).failures;
const SETTINGS = "destinationType, activate, allowInPlaceRestore, waitForCompletion, failOn, drillId";
const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://contoso.sharepoint.com/sites/s${i}`);
const emails = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@contoso.com`);
/** Table rows named by the workload's title and the start of their first value: "OneDrive {...}". */
const titled = <T extends unknown[]>(rows: [Workload, ...T][]) =>
  rows.map(
    ([workload, ...rest]) => [`${workload.title} ${JSON.stringify(rest[0]).slice(0, 160)}`, ...rest, workload] as [string, ...T, Workload],
  );

describe("the input keys each workload documents", () => {
  it.each(
    titled([
      [SHAREPOINT, ["siteRestoreArtifacts", "bulkRestore"]],
      [ONEDRIVE, ["driveRestoreArtifacts", "bulkRestore"]],
      [EXCHANGE, ["mailboxRestoreArtifacts", "granularMailboxRestoreArtifacts", "bulkRestore"]],
    ]),
  )("%s and the settings", (_title, contents, workload) => {
    expect(restoreSessionInputRules(workload).inputKeys).toEqual([...contents, ...SETTINGS.split(", ")]);
  });
});

describe("validate, per workload", () => {
  it.each(
    titled([
      // Nothing to restore: the workload's artifact property and its key.
      [SHAREPOINT, {}, [["siteRestoreArtifacts", 'must list at least one site to restore, e.g. [{ siteId: "..." }] (or use bulkRestore)']]],
      [
        ONEDRIVE,
        {},
        [["driveRestoreArtifacts", 'must list at least one OneDrive to restore, e.g. [{ directoryObjectId: "..." }] (or use bulkRestore)']],
      ],
      [
        EXCHANGE,
        {},
        [
          [
            "mailboxRestoreArtifacts",
            'must list at least one mailbox to restore, e.g. [{ directoryObjectId: "..." }] (or use bulkRestore)',
          ],
        ],
      ],

      // A key of another workload inside an artifact.
      [
        SHAREPOINT,
        { siteRestoreArtifacts: [{ email: "adele@contoso.com" }] },
        [
          [
            "siteRestoreArtifacts[0].email",
            "unknown property; allowed here: siteId, siteWebUrl, pointInTime, restorePointPreference, fastRestoreOnly",
          ],
          ["siteRestoreArtifacts[0]", "give exactly one of siteWebUrl or siteId (or a restorePointId instead)"],
        ],
      ],
      [
        ONEDRIVE,
        { driveRestoreArtifacts: [{ siteId: "site-1" }] },
        [
          [
            "driveRestoreArtifacts[0].siteId",
            "unknown property; allowed here: directoryObjectId, email, pointInTime, restorePointPreference, fastRestoreOnly",
          ],
          ["driveRestoreArtifacts[0]", "give exactly one of email or directoryObjectId (or a restorePointId instead)"],
        ],
      ],
      [
        EXCHANGE,
        { mailboxRestoreArtifacts: [{ siteWebUrl: "https://contoso.sharepoint.com/sites/x" }] },
        [
          [
            "mailboxRestoreArtifacts[0].siteWebUrl",
            "unknown property; allowed here: directoryObjectId, email, pointInTime, restorePointPreference, fastRestoreOnly",
          ],
          ["mailboxRestoreArtifacts[0]", "give exactly one of email or directoryObjectId (or a restorePointId instead)"],
        ],
      ],
      [
        EXCHANGE,
        { granularMailboxRestoreArtifacts: [{ siteId: "site-1", query: { subjects: ["x"] } }] },
        [
          [
            "granularMailboxRestoreArtifacts[0].siteId",
            "unknown property; allowed here: restorePointId, directoryObjectId, email, pointInTime, restorePointPreference, fastRestoreOnly, query",
          ],
        ],
      ],

      // Another workload's artifact property at the top.
      [
        EXCHANGE,
        { siteRestoreArtifacts: [{ siteId: "site-1" }] },
        [
          [
            "mailboxRestoreArtifacts",
            'must list at least one mailbox to restore, e.g. [{ directoryObjectId: "..." }] (or use bulkRestore)',
          ],
          [
            "siteRestoreArtifacts",
            `unknown property; allowed here: mailboxRestoreArtifacts, granularMailboxRestoreArtifacts, bulkRestore, ${SETTINGS}`,
          ],
        ],
      ],
      [
        ONEDRIVE,
        { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { subjects: ["x"] } }] },
        [
          ["driveRestoreArtifacts", 'must list at least one OneDrive to restore, e.g. [{ directoryObjectId: "..." }] (or use bulkRestore)'],
          ["granularMailboxRestoreArtifacts", `unknown property; allowed here: driveRestoreArtifacts, bulkRestore, ${SETTINGS}`],
        ],
      ],

      // The read-only hint names the workload's resource class.
      [
        ONEDRIVE,
        { driveRestoreArtifacts: [{ restorePointId: "rp-1" }], id: "x" },
        [["id", "id is assigned by the service; to manage an existing session use OneDriveRestoreSession.get(name, id)"]],
      ],
      [
        EXCHANGE,
        { mailboxRestoreArtifacts: [{ restorePointId: "rp-1" }], id: "x" },
        [["id", "id is assigned by the service; to manage an existing session use ExchangeRestoreSession.get(name, id)"]],
      ],

      // Names are checked as the workload's kind of name.
      [
        ONEDRIVE,
        { driveRestoreArtifacts: [{ email: "not-an-email" }] },
        [["driveRestoreArtifacts[0].email", "must be an email address, like adele@contoso.com"]],
      ],
      [
        ONEDRIVE,
        { bulkRestore: { drives: ["not-an-email"] } },
        [["bulkRestore.drives[0]", "must be an email address, like adele@contoso.com"]],
      ],
      [
        SHAREPOINT,
        { bulkRestore: { siteWebUrls: ["http://contoso.sharepoint.com/sites/a"] } },
        [["bulkRestore.siteWebUrls[0]", "must be an https URL without credentials, like https://contoso.sharepoint.com/sites/finance"]],
      ],

      // Duplicates: URLs differing in case (and a trailing slash), emails differing in case, ids.
      [
        SHAREPOINT,
        {
          siteRestoreArtifacts: [
            { siteWebUrl: "https://contoso.sharepoint.com/sites/Finance" },
            { siteWebUrl: "https://CONTOSO.sharepoint.com/sites/finance/" },
          ],
        },
        [["siteRestoreArtifacts[1].siteWebUrl", "names the same site as siteRestoreArtifacts[0]; a session restores each site once"]],
      ],
      [
        ONEDRIVE,
        { driveRestoreArtifacts: [{ directoryObjectId: "USER-1" }, { directoryObjectId: "user-1" }] },
        [
          [
            "driveRestoreArtifacts[1].directoryObjectId",
            "names the same OneDrive as driveRestoreArtifacts[0]; a session restores each OneDrive once",
          ],
        ],
      ],
      [
        EXCHANGE,
        { mailboxRestoreArtifacts: [{ email: "Adele@contoso.com" }, { restorePointId: "rp-1" }, { email: "adele@CONTOSO.com" }] },
        [
          [
            "mailboxRestoreArtifacts[2].email",
            "names the same mailbox as mailboxRestoreArtifacts[0]; a session restores each mailbox once",
          ],
        ],
      ],
      [
        SHAREPOINT,
        {
          bulkRestore: {
            siteWebUrls: [
              "https://contoso.sharepoint.com/sites/A",
              "https://contoso.sharepoint.com/sites/b",
              "https://CONTOSO.sharepoint.com/sites/a/",
            ],
          },
        },
        [
          [
            "bulkRestore.siteWebUrls[2]",
            "names the same site as bulkRestore.siteWebUrls[0] (SharePoint compares URLs case-insensitively, path included)",
          ],
        ],
      ],
      [
        ONEDRIVE,
        { bulkRestore: { drives: ["adele@contoso.com", "ADELE@contoso.com"] } },
        [["bulkRestore.drives[1]", "names the same mailbox or user as bulkRestore.drives[0]"]],
      ],
      [
        EXCHANGE,
        { bulkRestore: { mailboxes: ["adele@contoso.com", "alex@contoso.com", "Alex@Contoso.com"] } },
        [["bulkRestore.mailboxes[2]", "names the same mailbox or user as bulkRestore.mailboxes[1]"]],
      ],

      // Bulk names: the workload's key, at least one, at most 10,000.
      [SHAREPOINT, { bulkRestore: { siteWebUrls: [] } }, [["bulkRestore.siteWebUrls", "must list at least one url"]]],
      [ONEDRIVE, { bulkRestore: { drives: [] } }, [["bulkRestore.drives", "must list at least one email"]]],
      [EXCHANGE, { bulkRestore: { mailboxes: [] } }, [["bulkRestore.mailboxes", "must list at least one email"]]],
      [
        SHAREPOINT,
        { bulkRestore: { siteWebUrls: urls(10_001) } },
        [["bulkRestore.siteWebUrls", "a bulk restore names at most 10,000 sites; split them over several sessions"]],
      ],
      [
        ONEDRIVE,
        { bulkRestore: { drives: emails(10_001) } },
        [["bulkRestore.drives", "a bulk restore names at most 10,000 OneDrives; split them over several sessions"]],
      ],
      [
        EXCHANGE,
        { bulkRestore: { mailboxes: emails(10_001) } },
        [["bulkRestore.mailboxes", "a bulk restore names at most 10,000 mailboxes; split them over several sessions"]],
      ],
      [
        SHAREPOINT,
        { bulkRestore: { drives: ["adele@contoso.com"] } },
        [
          [
            "bulkRestore.drives",
            "unknown property; allowed here: siteWebUrls, protectionTimePeriod, restorePointPreference, fastRestoreOnly, displayName",
          ],
          ["bulkRestore.siteWebUrls", "must list the sites to restore by url"],
        ],
      ],
      [
        EXCHANGE,
        { bulkRestore: { siteWebUrls: ["https://contoso.sharepoint.com/sites/a"] } },
        [
          [
            "bulkRestore.siteWebUrls",
            "unknown property; allowed here: mailboxes, protectionTimePeriod, restorePointPreference, fastRestoreOnly, displayName",
          ],
          ["bulkRestore.mailboxes", "must list the mailboxes to restore by email"],
        ],
      ],

      // One kind of contents per session.
      [
        SHAREPOINT,
        { siteRestoreArtifacts: [{ restorePointId: "rp-1" }], bulkRestore: { siteWebUrls: urls(1) } },
        [
          [
            "bulkRestore",
            "cannot be combined with siteRestoreArtifacts in one session (Graph does not mix manual artifacts and bulk artifacts); use one session for each",
          ],
        ],
      ],
      [
        ONEDRIVE,
        { driveRestoreArtifacts: [{ email: "adele@contoso.com" }], bulkRestore: { drives: ["alex@contoso.com"] } },
        [
          [
            "bulkRestore",
            "cannot be combined with driveRestoreArtifacts in one session (Graph does not mix manual artifacts and bulk artifacts); use one session for each",
          ],
        ],
      ],
      [
        EXCHANGE,
        {
          mailboxRestoreArtifacts: [{ restorePointId: "rp-1" }],
          granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { subjects: ["x"] } }],
        },
        [
          [
            "granularMailboxRestoreArtifacts",
            "cannot be combined with mailboxRestoreArtifacts in one session (Graph does not mix manual artifacts and item-level artifacts); use one session for each",
          ],
        ],
      ],
      [
        EXCHANGE,
        {
          granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { subjects: ["x"] } }],
          bulkRestore: { mailboxes: ["alex@contoso.com"] },
        },
        [
          [
            "bulkRestore",
            "cannot be combined with granularMailboxRestoreArtifacts in one session (Graph does not mix item-level artifacts and bulk artifacts); use one session for each",
          ],
        ],
      ],

      // Item-level entries: one mailbox, a query, and itemKinds only in beta.
      [
        EXCHANGE,
        { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", directoryObjectId: "user-1", query: { subjects: ["x"] } }] },
        [["granularMailboxRestoreArtifacts[0]", "give exactly one of email, directoryObjectId or restorePointId"]],
      ],
      [
        EXCHANGE,
        { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: {} }] },
        [["granularMailboxRestoreArtifacts[0].query", "give at least one of subjects, senders, recipients, hasAttachment, itemKinds"]],
      ],
      [
        EXCHANGE,
        { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { itemKinds: ["email"] } }] },
        [
          [
            "granularMailboxRestoreArtifacts[0].query.itemKinds",
            "item kinds exist only in Graph beta's structured query; set `pulumi config set m365-backup:apiVersion beta`, or leave itemKinds out",
          ],
        ],
      ],

      // Bulk restore period: start before end, both in the past.
      [
        EXCHANGE,
        {
          bulkRestore: {
            mailboxes: ["adele@contoso.com"],
            protectionTimePeriod: { startDateTime: "2026-02-01T00:00:00Z", endDateTime: "2026-01-01T00:00:00Z" },
          },
        },
        [["bulkRestore.protectionTimePeriod", "startDateTime must be before endDateTime"]],
      ],
      [
        ONEDRIVE,
        { bulkRestore: { drives: ["adele@contoso.com"], protectionTimePeriod: { startDateTime: "2099-01-01T00:00:00Z" } } },
        [["bulkRestore.protectionTimePeriod.startDateTime", "must not be in the future; restore points exist only for the past"]],
      ],
      [
        SHAREPOINT,
        { bulkRestore: { siteWebUrls: urls(1), protectionTimePeriod: { endDateTime: "2099-01-01T00:00:00Z" } } },
        [["bulkRestore.protectionTimePeriod.endDateTime", "must not be in the future; restore points exist only for the past"]],
      ],

      // In place takes the second switch, whatever the contents.
      [
        EXCHANGE,
        { bulkRestore: { mailboxes: ["adele@contoso.com"] }, destinationType: "inPlace" },
        [
          [
            "destinationType",
            'an in-place restore rolls production data back to the restore point and cannot be undone; set allowInPlaceRestore: true to confirm, or use destinationType: "new"',
          ],
        ],
      ],
    ] as [Workload, Record<string, unknown>, [string, string][]][]),
  )("%#: %s", (_title, news, expected, workload) => {
    expect(failuresOf(workload, news)).toEqual(expected.map(([property, reason]) => ({ property, reason })));
  });
});

describe("validate accepts", () => {
  it("itemKinds in beta, with the documented defaults added", () => {
    const given = { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { itemKinds: ["email", "calendar"] } }] };
    expect(restoreSessionInputRules(EXCHANGE).validate(given, "beta")).toEqual({
      inputs: { ...given, destinationType: "new", activate: false },
      failures: [],
    });
  });

  it.each(
    titled([
      [SHAREPOINT, { bulkRestore: { siteWebUrls: urls(10_000) } }],
      [ONEDRIVE, { bulkRestore: { drives: emails(10_000) } }],
      [
        EXCHANGE,
        {
          bulkRestore: {
            mailboxes: ["adele@contoso.com"],
            protectionTimePeriod: { startDateTime: "2026-01-01T00:00:00Z", endDateTime: "2026-02-01T00:00:00Z" },
            restorePointPreference: "oldest",
            fastRestoreOnly: true,
            displayName: "Q1 drill",
          },
        },
      ],
      [
        EXCHANGE,
        {
          granularMailboxRestoreArtifacts: [
            {
              email: "adele@contoso.com",
              pointInTime: "2026-01-01T00:00:00Z",
              query: { subjects: ["Q4 'budget'"], senders: ["alex@contoso.com"], hasAttachment: true },
            },
            { restorePointId: "rp-1", query: { recipients: ["alex@contoso.com"] } },
          ],
        },
      ],
      [
        ONEDRIVE,
        {
          driveRestoreArtifacts: [
            { email: "adele@contoso.com", pointInTime: "2026-01-01T00:00:00+01:00" },
            { directoryObjectId: "user-2" },
            { restorePointId: "rp-1" },
          ],
        },
      ],
    ] as [Workload, Record<string, unknown>][]),
  )("%#: %s, filling in only the defaults", (_title, news, workload) => {
    expect(restoreSessionInputRules(workload).validate(news)).toEqual({
      inputs: { ...news, destinationType: "new", activate: false },
      failures: [],
    });
  });
});

describe("preview's unknown sentinel", () => {
  it.each(
    titled([
      [EXCHANGE, { bulkRestore: UNKNOWN, activate: UNKNOWN }, { bulkRestore: UNKNOWN, activate: UNKNOWN, destinationType: "new" }],
      [
        EXCHANGE,
        { bulkRestore: { mailboxes: [UNKNOWN, "adele@contoso.com", UNKNOWN] } },
        { bulkRestore: { mailboxes: [UNKNOWN, "adele@contoso.com", UNKNOWN] }, destinationType: "new", activate: false },
      ],
      [
        EXCHANGE,
        { granularMailboxRestoreArtifacts: UNKNOWN, destinationType: UNKNOWN },
        { granularMailboxRestoreArtifacts: UNKNOWN, destinationType: UNKNOWN, activate: false },
      ],
      [
        EXCHANGE,
        { granularMailboxRestoreArtifacts: [{ email: UNKNOWN, query: { subjects: ["x"] } }] },
        { granularMailboxRestoreArtifacts: [{ email: UNKNOWN, query: { subjects: ["x"] } }], destinationType: "new", activate: false },
      ],
      [
        ONEDRIVE,
        {
          driveRestoreArtifacts: [{ email: UNKNOWN }, { email: "adele@contoso.com" }, UNKNOWN],
          waitForCompletion: UNKNOWN,
          drillId: UNKNOWN,
        },
        {
          driveRestoreArtifacts: [{ email: UNKNOWN }, { email: "adele@contoso.com" }, UNKNOWN],
          waitForCompletion: UNKNOWN,
          drillId: UNKNOWN,
          destinationType: "new",
          activate: false,
        },
      ],
      [
        SHAREPOINT,
        { siteRestoreArtifacts: [{ siteId: "site-1" }], destinationType: "inPlace", allowInPlaceRestore: UNKNOWN },
        { siteRestoreArtifacts: [{ siteId: "site-1" }], destinationType: "inPlace", allowInPlaceRestore: UNKNOWN, activate: false },
      ],
    ] as [Workload, Record<string, unknown>, Record<string, unknown>][]),
  )("%#: %s passes, handed on untouched", (_title, news, inputs, workload) => {
    expect(restoreSessionInputRules(workload).validate(news)).toEqual({ inputs, failures: [] });
  });

  // A whole list unknown during preview is checked once it is known (validate's own rule): one
  // that may turn out absent cannot conflict yet with the other kind of contents.
  it.each(
    titled([
      [ONEDRIVE, { driveRestoreArtifacts: UNKNOWN, bulkRestore: UNKNOWN }],
      [
        EXCHANGE,
        { mailboxRestoreArtifacts: UNKNOWN, granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { subjects: ["x"] } }] },
      ],
    ] as [Workload, Record<string, unknown>][]),
  )("%#: %s passes: an unknown list does not conflict yet", (_title, news, workload) => {
    expect(failuresOf(workload, news)).toEqual([]);
  });

  it("still validates the known entries next to unknown ones", () => {
    expect(failuresOf(ONEDRIVE, { driveRestoreArtifacts: [{ email: UNKNOWN }, { email: "not-an-email" }], failOn: UNKNOWN })).toEqual([
      { property: "driveRestoreArtifacts[1].email", reason: "must be an email address, like adele@contoso.com" },
    ]);
  });
});

describe("parse", () => {
  it("turns checked inputs into workload-neutral names", () => {
    const rules = restoreSessionInputRules(EXCHANGE);
    const { inputs } = rules.validate({
      mailboxRestoreArtifacts: [{ email: "adele@contoso.com" }, { restorePointId: "rp-1" }],
      __provider: "text",
    });
    expect(inputs.__provider).toBe("text");
    expect(rules.parse(inputs)).toEqual({
      artifacts: [{ email: "adele@contoso.com" }, { restorePointId: "rp-1" }],
      granularArtifacts: [],
      destinationType: "new",
      activate: false,
    });
  });

  it("keeps a bulk restore's names under the workload's key", () => {
    const rules = restoreSessionInputRules(ONEDRIVE);
    expect(
      rules.parse(rules.validate({ bulkRestore: { drives: ["adele@contoso.com"], displayName: "drill" }, activate: true }).inputs),
    ).toEqual({
      artifacts: [],
      granularArtifacts: [],
      bulkRestore: { drives: ["adele@contoso.com"], displayName: "drill" },
      destinationType: "new",
      activate: true,
    });
  });
});
