/**
 * Drills declared by site through the real provider host against the emulator: check validates
 * shapes only, create resolves sites to restore points before anything exists, and a drill's id is
 * what re-runs it. Every Graph request is asserted from the emulator's journal.
 */
import { HostCallError, startHost } from "../support/host";
import { makeProgramDir } from "../support/program-dir";
import { protectedSites, SEARCH, SESSIONS, startRig, UNITS, type DrillRig } from "./drill-host";

let rig: DrillRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig?.close());
beforeEach(() => rig.emulator.journal.clear());

const HOUR = 3_600_000;

describe("check validates shapes only", () => {
  it("names the full path of each bad site entry, without calling Graph", async () => {
    const future = new Date(Date.now() + 24 * HOUR).toISOString();
    const result = await rig.host.check(
      rig.urn,
      {},
      rig.props({
        siteRestoreArtifacts: [
          { siteWebUrl: "http://contoso.sharepoint.com/sites/finance" },
          { siteId: "a", siteWebUrl: "https://contoso.sharepoint.com/sites/hr" },
          { siteId: "b", pointInTime: future },
          { siteId: "c", pointInTime: "yesterday" },
          { siteId: "d", restorePointPreference: "newest", colour: "blue" },
        ],
      }),
    );
    expect(result.failures).toEqual([
      {
        property: "siteRestoreArtifacts[0].siteWebUrl",
        reason: "must be an https URL without credentials, like https://contoso.sharepoint.com/sites/finance",
      },
      { property: "siteRestoreArtifacts[1]", reason: "give exactly one of siteWebUrl or siteId (or a restorePointId instead)" },
      { property: "siteRestoreArtifacts[2].pointInTime", reason: "must not be in the future; restore points exist only for the past" },
      {
        property: "siteRestoreArtifacts[3].pointInTime",
        reason: "must be an ISO 8601 date and time with a zone, like 2026-03-01T00:00:00Z",
      },
      {
        property: "siteRestoreArtifacts[4].restorePointPreference",
        reason: 'must be "latest" (newest at or before pointInTime) or "oldest" (oldest at or after pointInTime)',
      },
      {
        property: "siteRestoreArtifacts[4].colour",
        reason: "unknown property; allowed here: siteId, siteWebUrl, pointInTime, restorePointPreference, fastRestoreOnly",
      },
    ]);
    expect(rig.graphRequests()).toEqual([]);
  });

  it("rejects the same site twice (URL normalized) and refuses inPlace without allowInPlaceRestore", async () => {
    const dup = await rig.host.check(
      rig.urn,
      {},
      rig.props({
        siteRestoreArtifacts: [
          { siteWebUrl: "https://Contoso.SharePoint.com/sites/finance/" },
          { siteWebUrl: "https://contoso.sharepoint.com/sites/finance" },
        ],
      }),
    );
    expect(dup.failures).toEqual([
      {
        property: "siteRestoreArtifacts[1].siteWebUrl",
        reason: "names the same site as siteRestoreArtifacts[0]; a session restores each site once",
      },
    ]);
    const [site] = protectedSites(rig.emulator);
    const inPlace = await rig.host.check(
      rig.urn,
      {},
      rig.props({ siteRestoreArtifacts: [{ siteId: site!.siteId }], destinationType: "inPlace" }),
    );
    expect(inPlace.failures).toEqual([
      {
        property: "destinationType",
        reason:
          'an in-place restore rolls production data back to the restore point and cannot be undone; set allowInPlaceRestore: true to confirm, or use destinationType: "new"',
      },
    ]);
    await rig.checked({ siteRestoreArtifacts: [{ siteId: site!.siteId }], destinationType: "inPlace", allowInPlaceRestore: true });
    expect(rig.graphRequests()).toEqual([]);
  });
});

describe("create resolves sites before anything exists", () => {
  it("by siteId: one units list, one search per five units, then the POST with the chosen restore points", async () => {
    const sites = protectedSites(rig.emulator).slice(0, 6);
    const pointInTime = new Date(Date.now() - 3 * 24 * HOUR).toISOString();
    const inputs = await rig.checked({
      siteRestoreArtifacts: [
        ...sites.slice(0, 5).map((s) => ({ siteId: s.siteId })),
        { siteId: sites[5]!.siteId, pointInTime, restorePointPreference: "oldest" },
      ],
    });
    const created = await rig.host.create(rig.urn, inputs);
    expect(rig.graphRequests()).toEqual([`GET ${UNITS} 200`, `POST ${SEARCH} 200`, `POST ${SEARCH} 200`, `POST ${SESSIONS} 201`]);
    const [, latest, oldest, post] = rig.emulator.journal.entries();
    expect(latest!.body).toEqual({
      protectionUnitIds: sites.slice(0, 5).map((s) => s.protectionUnitId),
      protectionTimePeriod: { endDateTime: expect.any(String) },
      restorePointPreference: "latest",
    });
    expect(oldest!.body).toEqual({
      protectionUnitIds: [sites[5]!.protectionUnitId],
      protectionTimePeriod: { startDateTime: pointInTime, endDateTime: expect.any(String) },
      restorePointPreference: "oldest",
    });

    const artifacts = created.properties.siteRestoreArtifacts as Record<string, string>[];
    const latestIds = sites.slice(0, 5).map((s) => rig.emulator.tenant.latestRestorePointId(s.siteId));
    expect(artifacts.map((a) => a.restorePointId).slice(0, 5)).toEqual(latestIds);
    expect(artifacts[5]).toMatchObject({ siteId: sites[5]!.siteId, requestedPointInTime: pointInTime, restorePointPreference: "oldest" });
    expect(Date.parse(artifacts[5]!.protectionDateTime!)).toBeGreaterThanOrEqual(Date.parse(pointInTime));
    expect(
      (post!.body as { siteRestoreArtifacts: { restorePoint: { id: string } }[] }).siteRestoreArtifacts.map((a) => a.restorePoint.id),
    ).toEqual(artifacts.map((a) => a.restorePointId));

    // The next up with the same program is a no-op: requests are compared, never re-resolved.
    rig.emulator.journal.clear();
    expect(await rig.host.diff(created.id, rig.urn, created.properties, inputs)).toMatchObject({ changes: "NONE" });
    const read = await rig.host.read(created.id, rig.urn, created.properties);
    expect(await rig.host.diff(created.id, rig.urn, read.properties, inputs)).toMatchObject({ changes: "NONE" });
    expect(read.inputs!.siteRestoreArtifacts).toEqual(inputs.siteRestoreArtifacts);
    await rig.host.delete(created.id, rig.urn, read.properties);
  });

  it("fails naming an unprotected site, before any session exists", async () => {
    const unprotected = rig.emulator.tenant.sites().find((s) => s.protectionUnitId === "")!;
    const [ok] = protectedSites(rig.emulator);
    const inputs = await rig.checked({ siteRestoreArtifacts: [{ siteId: ok!.siteId }, { siteId: unprotected.siteId }] });
    const failure = await rig.host.create(rig.urn, inputs).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HostCallError);
    expect((failure as HostCallError).initFailure).toBeUndefined();
    expect((failure as HostCallError).details).toContain(
      `site siteId ${unprotected.siteId} is not protected: no site protection unit covers it; add it to the tenant's SharePoint protection policy first`,
    );
    expect(rig.graphRequests()).toEqual([`GET ${UNITS} 200`]);
  });

  it("fails naming the site and the window when no restore point is in it, before any session exists", async () => {
    const [, site] = protectedSites(rig.emulator);
    const longAgo = "2020-01-01T00:00:00Z";
    const inputs = await rig.checked({ siteRestoreArtifacts: [{ siteId: site!.siteId, pointInTime: longAgo }] });
    const failure = (await rig.host.create(rig.urn, inputs).catch((e: unknown) => e)) as HostCallError;
    expect(failure.details).toContain(`site siteId ${site!.siteId} has no restore point at or before ${longAgo}`);
    expect(rig.graphRequests()).toEqual([`GET ${UNITS} 200`, `POST ${SEARCH} 200`]);
  });

  it("by URL: an app token gets no siteWebUrl on protection units, so it says to use siteId; a delegated caller matches", async () => {
    const [site] = protectedSites(rig.emulator);
    const byUrl = await rig.checked({ siteRestoreArtifacts: [{ siteWebUrl: `${site!.siteWebUrl.toUpperCase()}/` }] });
    const failure = (await rig.host.create(rig.urn, byUrl).catch((e: unknown) => e)) as HostCallError;
    expect(failure.details).toContain(
      `site ${site!.siteWebUrl.toUpperCase()}/ cannot be matched by URL: Microsoft Graph returns siteWebUrl on site protection units only with delegated permissions; name it by siteId instead, use bulkRestore (the service resolves names), or sign in as a user`,
    );
    expect(rig.graphRequests()).toEqual([`GET ${UNITS} 200`]);

    const admin = { clientId: "2b7e1a40-6f0d-4c1e-9a3b-5d8c7e6f4a21", displayName: "Backup admin (signed in)", delegated: true };
    rig.emulator.apps.register(admin);
    // The host hands the stack config to the provider once, so a signed-in user gets a host of its own.
    const userHost = await startHost({ cwd: makeProgramDir() });
    try {
      await userHost.configure({
        "m365-backup:graphEndpoint": rig.emulator.url,
        "m365-backup:accessToken": rig.emulator.issueToken(admin.clientId),
      });
      rig.emulator.journal.clear();
      const created = await userHost.create(rig.urn, byUrl);
      expect(rig.graphRequests()).toEqual([`GET ${UNITS} 200`, `POST ${SEARCH} 200`, `POST ${SESSIONS} 201`]);
      expect(created.properties.siteRestoreArtifacts).toEqual([
        expect.objectContaining({
          siteWebUrl: `${site!.siteWebUrl.toUpperCase()}/`,
          restorePointId: rig.emulator.tenant.latestRestorePointId(site!.siteId),
        }),
      ]);
      await userHost.delete(created.id, rig.urn, created.properties);
    } finally {
      await userHost.close();
    }
  });
});

describe("re-running a drill", () => {
  it("a new drillId replaces the session; nothing else re-runs it; the third drill of a site this month warns", async () => {
    const [site] = protectedSites(rig.emulator).slice(8);
    const drill = (drillId: string) => rig.checked({ siteRestoreArtifacts: [{ siteId: site!.siteId }], activate: true, drillId });
    const q1 = await drill("2026-q1");
    const first = await rig.host.create(rig.urn, q1);
    expect(rig.graphRequests()).toEqual([
      `GET ${UNITS} 200`,
      `POST ${SEARCH} 200`,
      `GET ${RESTORE_SESSIONS_LIST} 200`,
      `POST ${SESSIONS} 201`,
      `POST ${ACTIVATE(first.id)} 200`,
    ]);
    expect(first.properties).toMatchObject({ drillId: "2026-q1", status: "activating", activatedDateTime: expect.any(String) });
    expect(await rig.host.diff(first.id, rig.urn, first.properties, q1)).toMatchObject({ changes: "NONE" });
    const failOnChange = await rig.checked({ ...q1, failOn: "never" }, q1);
    expect(await rig.host.diff(first.id, rig.urn, first.properties, failOnChange)).toMatchObject({ changes: "SOME", replaces: [] });

    const q2 = await drill("2026-q2");
    expect(await rig.host.diff(first.id, rig.urn, first.properties, q2)).toMatchObject({ changes: "SOME", replaces: ["drillId"] });
    const second = await rig.host.create(rig.urn, q2);
    expect(second.id).not.toBe(first.id);

    rig.emulator.journal.clear();
    const third = await rig.host.create(rig.urn, await drill("2026-q3"));
    await rig.hostPrinted(
      `warning: site siteId ${site!.siteId} has already been restored 2 times this calendar month; Microsoft recommends at most 2 test restores per site per month`,
    );
    // The host's output is one ordered stream: with the third drill's warning in, the second drill's
    // output is complete, and it warned of nothing.
    expect(rig.host.stderr().split(`site siteId ${site!.siteId} has already been restored`)).toHaveLength(2);
    // The warning reads the month's sessions and their artifacts, then the drill goes ahead.
    expect(rig.graphRequests().filter((r) => r.includes("siteRestoreArtifacts 200"))).toHaveLength(2);
    expect(third.properties).toMatchObject({ status: "activating" });
  });
});

const RESTORE_SESSIONS_LIST = "/v1.0/solutions/backupRestore/restoreSessions";
const ACTIVATE = (id: string) => `/v1.0/solutions/backupRestore/restoreSessions/${id}/activate`;
