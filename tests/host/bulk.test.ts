/**
 * Bulk restores through the real provider host against the emulator, signed in as an application:
 * sites named by URL, OneDrives and mailboxes by email, resolved by the service. Exact requests,
 * unresolved names, replacement on change, and ambiguous failures that create nothing twice.
 */
import type { Emulator } from "../../emulator";
import { HostCallError } from "../support/host";
import { startRig, type DrillRig } from "../drill/drill-host";

interface Case {
  resource: string;
  collection: string;
  artifacts: string;
  requests: string;
  names: string;
  known(emulator: Emulator): string[];
  unknown: string;
}

const CASES: Case[] = [
  {
    resource: "SharePointRestoreSession",
    collection: "sharePointRestoreSessions",
    artifacts: "siteRestoreArtifacts",
    requests: "siteRestoreArtifactsBulkAdditionRequests",
    names: "siteWebUrls",
    known: (e) =>
      e.tenant
        .sites()
        .filter((s) => s.protectionUnitId !== "")
        .map((s) => s.siteWebUrl),
    unknown: "https://contoso.sharepoint.com/sites/no-such-site",
  },
  {
    resource: "OneDriveRestoreSession",
    collection: "oneDriveForBusinessRestoreSessions",
    artifacts: "driveRestoreArtifacts",
    requests: "driveRestoreArtifactsBulkAdditionRequests",
    names: "drives",
    known: (e) =>
      e.tenant
        .users()
        .filter((u) => u.protectionUnitId !== "")
        .map((u) => u.email),
    unknown: "nobody@contoso.com",
  },
  {
    resource: "ExchangeRestoreSession",
    collection: "exchangeRestoreSessions",
    artifacts: "mailboxRestoreArtifacts",
    requests: "mailboxRestoreArtifactsBulkAdditionRequests",
    names: "mailboxes",
    known: (e) =>
      e.tenant
        .mailboxes()
        .filter((m) => m.protectionUnitId !== "")
        .map((m) => m.email),
    unknown: "nobody@contoso.com",
  },
];

const ROOT = "/v1.0/solutions/backupRestore";
const FAST = 1200;
const WAIT = { timeoutMinutes: 1, pollIntervalSeconds: 0.25 };

describe.each(CASES)("$resource bulk restore", (c) => {
  let rig: DrillRig;
  beforeAll(async () => {
    rig = await startRig({}, {}, c.resource);
  });
  afterAll(() => rig?.close());
  beforeEach(() => {
    rig.emulator.journal.clear();
    rig.emulator.faults.clear();
    rig.emulator.clock.setSpeed(1);
  });

  const SESSIONS = `${ROOT}/${c.collection}`;
  const writes = () => rig.graphRequests().filter((r) => !r.startsWith("GET"));
  const bulkSessions = () => rig.emulator.tenant.sessions().filter((s) => s.restoreJobType === "bulk");

  it("creates the empty session, posts the one request, activates, waits, and reports per item", async () => {
    const names = c.known(rig.emulator).slice(0, 3);
    const inputs = await rig.checked({
      bulkRestore: { [c.names]: names, restorePointPreference: "latest", displayName: "drill" },
      activate: true,
      waitForCompletion: WAIT,
    });
    rig.emulator.clock.setSpeed(FAST);
    const created = await rig.host.create(rig.urn, inputs);
    const id = created.id;
    expect(writes()).toEqual([
      `POST ${SESSIONS} 201`,
      `POST ${SESSIONS}/${id}/${c.requests} 201`,
      `POST ${ROOT}/restoreSessions/${id}/activate 200`,
    ]);
    const post = rig.emulator.journal.entries().find((e) => e.path.endsWith(c.requests))!;
    expect(post.body).toEqual({ displayName: "drill", destinationType: "new", [c.names]: names, restorePointPreference: "latest" });
    expect(rig.emulator.journal.entries()[0]!.body).toEqual({});
    expect(created.properties).toMatchObject({
      status: "completed",
      restoreJobType: "bulk",
      bulkRestore: { names, restorePointPreference: "latest", displayName: "drill" },
      bulkRequest: { id: expect.any(String), status: "completed" },
      drillReport: { succeeded: 3, failed: 0, pending: 0 },
    });
    expect(created.properties[c.artifacts]).toHaveLength(3);
    expect(
      (created.properties[c.artifacts] as { status: string; outOfBand?: boolean }[]).every(
        (a) => a.status === "succeeded" && a.outOfBand === undefined,
      ),
    ).toBe(true);

    rig.emulator.journal.clear();
    const read = await rig.host.read(id, rig.urn, created.properties);
    expect(rig.graphRequests().sort()).toEqual(
      [
        `GET ${ROOT}/restoreSessions/${id} 200`,
        `GET ${SESSIONS}/${id}/${c.artifacts} 200`,
        `GET ${SESSIONS}/${id}/${c.requests} 200`,
      ].sort(),
    );
    expect(await rig.host.diff(id, rig.urn, read.properties, inputs)).toMatchObject({ changes: "NONE" });
    const changed = await rig.checked({ ...inputs, bulkRestore: { [c.names]: names.slice(0, 2), displayName: "drill" } });
    expect(await rig.host.diff(id, rig.urn, read.properties, changed)).toMatchObject({ changes: "SOME", replaces: ["bulkRestore"] });

    // Destroy deletes the finished request (Graph allows that) and forgets the activated session.
    rig.emulator.journal.clear();
    await rig.host.delete(id, rig.urn, read.properties);
    expect(rig.graphRequests()).toEqual([
      `DELETE ${SESSIONS}/${id}/${c.requests}/${(read.properties.bulkRequest as { id: string }).id} 204`,
    ]);
  });

  it("reports the names Graph could not resolve, and fails the drill by default (completedWithError)", async () => {
    const names = [...c.known(rig.emulator).slice(0, 2), c.unknown];
    const inputs = await rig.checked({ bulkRestore: { [c.names]: names }, activate: true, waitForCompletion: WAIT });
    rig.emulator.clock.setSpeed(FAST);
    const failure = (await rig.host.create(rig.urn, inputs).catch((e: unknown) => e)) as HostCallError;
    expect(failure).toBeInstanceOf(HostCallError);
    expect(failure.details).toMatch(/exists, but the drill failed: the restore ended completed; bulk request [0-9a-f-]{36}: \w+: .+/);
    const { properties } = failure.initFailure!;
    expect(properties).toMatchObject({
      bulkRequest: { status: "completedWithErrors", error: { code: expect.any(String) } },
      drillReport: { succeeded: 2 },
    });
    expect((properties.drillReport as { unresolvedNames?: { message?: string } }).unresolvedNames).toEqual(
      (properties.bulkRequest as { error: unknown }).error,
    );
    const passed = await rig.host.create(rig.urn, { ...inputs, failOn: "never" });
    expect(passed.properties).toMatchObject({ bulkRequest: { status: "completedWithErrors" } });
  });

  it("after a connection reset on the request post, finds the request instead of posting a second one", async () => {
    const names = c.known(rig.emulator).slice(0, 2);
    const before = bulkSessions().length;
    rig.emulator.faults.add({ method: "POST", path: new RegExp(`${c.requests}$`), reset: "after", times: 1 });
    const created = await rig.host.create(rig.urn, await rig.checked({ bulkRestore: { [c.names]: names } }));
    expect(writes()).toEqual([`POST ${SESSIONS} 201`, `POST ${SESSIONS}/${created.id}/${c.requests} undefined`]);
    expect(rig.graphRequests()).toContain(`GET ${SESSIONS}/${created.id}/${c.requests} 200`);
    expect(bulkSessions()).toHaveLength(before + 1);
    expect(bulkSessions().find((s) => s.id === created.id)!.bulkRequests).toHaveLength(1);
    expect(created.properties.bulkRequest).toMatchObject({ status: "active" });
  });

  it("after a connection reset on the session post, adopts the empty session instead of creating a second one", async () => {
    const names = c.known(rig.emulator).slice(0, 2);
    const sessions = () => rig.emulator.tenant.sessions().length;
    const before = sessions();
    rig.emulator.faults.add({ method: "POST", path: new RegExp(`${c.collection}$`), reset: "after", times: 1 });
    const created = await rig.host.create(rig.urn, await rig.checked({ bulkRestore: { [c.names]: names } }));
    expect(sessions()).toBe(before + 1);
    expect(writes()).toEqual([`POST ${SESSIONS} undefined`, `POST ${SESSIONS}/${created.id}/${c.requests} 201`]);
    expect(rig.graphRequests()).toContain(`GET ${SESSIONS} 200`);
  });
});
