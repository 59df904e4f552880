/**
 * OneDrive and Exchange restore sessions through the real provider host against the emulator: the
 * same lifecycle as SharePoint's (check, create, read, the three diff outcomes, update, activate,
 * wait, delete a draft, forget an activated session, out-of-band delete, purge), each step with the
 * exact Graph requests from the emulator's journal. Exchange's item-level restores come last.
 */
import type { Emulator } from "../../emulator";
import { startRig, type DrillRig } from "../drill/drill-host";

interface Case {
  resource: string;
  workload: "oneDrive" | "exchange";
  artifacts: string;
  collection: string;
  units: string;
  objects(emulator: Emulator): { directoryObjectId: string; protectionUnitId: string }[];
  restoredField: string;
}

const CASES: Case[] = [
  {
    resource: "OneDriveRestoreSession",
    workload: "oneDrive",
    artifacts: "driveRestoreArtifacts",
    collection: "oneDriveForBusinessRestoreSessions",
    units: "protectionUnits/microsoft.graph.driveProtectionUnit",
    objects: (emulator) => emulator.tenant.users(),
    restoredField: "restoredSiteWebUrl",
  },
  {
    resource: "ExchangeRestoreSession",
    workload: "exchange",
    artifacts: "mailboxRestoreArtifacts",
    collection: "exchangeRestoreSessions",
    units: "protectionUnits/microsoft.graph.mailboxProtectionUnit",
    objects: (emulator) => emulator.tenant.mailboxes(),
    restoredField: "restoredFolderName",
  },
];

const ROOT = "/v1.0/solutions/backupRestore";
const RESTORE_SESSIONS = `${ROOT}/restoreSessions`;
const SEARCH = `${ROOT}/restorePoints/search`;
/** Virtual minutes per real second that let a few restores finish in about two seconds. */
const FAST = 1200;

describe.each(CASES)("$resource through the real provider host", (c) => {
  let rig: DrillRig;
  beforeAll(async () => {
    rig = await startRig({}, {}, c.resource);
  });
  afterAll(() => rig?.close());
  beforeEach(() => {
    rig.emulator.journal.clear();
    rig.emulator.clock.setSpeed(1);
  });

  const SESSIONS = `${ROOT}/${c.collection}`;
  const protectedObjects = () => c.objects(rig.emulator).filter((o) => o.protectionUnitId !== "");
  const ids = () => protectedObjects().map((o) => o.directoryObjectId);
  const stored = (id: string) => rig.emulator.tenant.sessions().find((s) => s.id === id);

  it("check fills defaults, refuses the other workloads' keys by name, and asks for something to restore", async () => {
    const [a] = ids();
    expect(await rig.checked({ [c.artifacts]: [{ directoryObjectId: a }] })).toEqual({
      [c.artifacts]: [{ directoryObjectId: a }],
      destinationType: "new",
      activate: false,
      __provider: rig.provider,
    });
    const bad = await rig.host.check(
      rig.urn,
      {},
      rig.props({ [c.artifacts]: [{ siteId: "x" }, { directoryObjectId: a, email: "a@contoso.com" }] }),
    );
    expect(bad.failures).toEqual([
      {
        property: `${c.artifacts}[0].siteId`,
        reason: "unknown property; allowed here: directoryObjectId, email, pointInTime, restorePointPreference, fastRestoreOnly",
      },
      { property: `${c.artifacts}[0]`, reason: "give exactly one of email or directoryObjectId (or a restorePointId instead)" },
      { property: `${c.artifacts}[1]`, reason: "give exactly one of email or directoryObjectId (or a restorePointId instead)" },
    ]);
    const empty = await rig.host.check(rig.urn, {}, rig.props({ destinationType: "new" }));
    expect(empty.failures).toEqual([
      {
        property: c.artifacts,
        reason: expect.stringMatching(
          /^must list at least one .* to restore, e\.g\. \[\{ directoryObjectId: "\.\.\." \}\] \(or use bulkRestore\)$/,
        ),
      },
    ]);
    expect(rig.graphRequests()).toEqual([]);
  });

  it("creates, reads, diffs, updates, activates, waits and forgets, with the exact requests", async () => {
    const [a, b, d] = ids();
    const inputs = await rig.checked({ [c.artifacts]: [{ directoryObjectId: a }, { directoryObjectId: b }] });
    const created = await rig.host.create(rig.urn, inputs);
    const id = created.id;
    expect(rig.graphRequests()).toEqual([`GET ${ROOT}/${c.units} 200`, `POST ${SEARCH} 200`, `POST ${SESSIONS} 201`]);
    expect(created.properties[c.artifacts]).toEqual([
      expect.objectContaining({ directoryObjectId: a, restorePointId: expect.any(String), status: "added" }),
      expect.objectContaining({ directoryObjectId: b, restorePointId: expect.any(String), status: "added" }),
    ]);
    expect(stored(id)!.artifacts).toHaveLength(2);

    rig.emulator.journal.clear();
    const read = await rig.host.read(id, rig.urn, created.properties);
    expect(rig.graphRequests()).toEqual([`GET ${RESTORE_SESSIONS}/${id} 200`, `GET ${SESSIONS}/${id}/${c.artifacts} 200`]);
    // Listed by Graph: each carries its status and its restore point's time.
    expect(
      (read.properties[c.artifacts] as { status?: string; protectionDateTime?: string }[]).every(
        (x) => x.status === "added" && x.protectionDateTime !== undefined,
      ),
    ).toBe(true);
    expect(read.inputs![c.artifacts]).toEqual(inputs[c.artifacts]);

    expect(await rig.host.diff(id, rig.urn, read.properties, inputs)).toMatchObject({ changes: "NONE" });
    const more = await rig.checked({ [c.artifacts]: [{ directoryObjectId: a }, { directoryObjectId: b }, { directoryObjectId: d }] });
    expect(await rig.host.diff(id, rig.urn, read.properties, more)).toMatchObject({ changes: "SOME", replaces: [] });
    const inPlace = await rig.checked({ ...inputs, destinationType: "inPlace", allowInPlaceRestore: true });
    expect(await rig.host.diff(id, rig.urn, read.properties, inPlace)).toMatchObject({ changes: "SOME", replaces: ["destinationType"] });
    expect(rig.graphRequests()).toHaveLength(2);

    rig.emulator.journal.clear();
    const updated = await rig.host.update(id, rig.urn, read.properties, more);
    expect(rig.graphRequests()).toEqual([
      `GET ${ROOT}/${c.units} 200`,
      `POST ${SEARCH} 200`,
      `GET ${SESSIONS}/${id}/${c.artifacts} 200`,
      `PATCH ${SESSIONS}/${id} 200`,
      `GET ${RESTORE_SESSIONS}/${id} 200`,
    ]);
    expect(stored(id)!.artifacts).toHaveLength(3);
    expect(await rig.host.diff(id, rig.urn, updated.properties, more)).toMatchObject({ changes: "NONE" });

    rig.emulator.journal.clear();
    rig.emulator.clock.setSpeed(FAST);
    const waited = await rig.checked({
      ...more,
      activate: true,
      waitForCompletion: { timeoutMinutes: 1, pollIntervalSeconds: 0.25 },
      drillId: "d1",
    });
    const activated = await rig.host.update(id, rig.urn, updated.properties, waited);
    expect(rig.graphRequests()[0]).toBe(`GET ${SESSIONS}/${id}/${c.artifacts} 200`);
    expect(rig.graphRequests()).toContain(`POST ${RESTORE_SESSIONS}/${id}/activate 200`);
    expect(rig.graphRequests().filter((r) => !r.startsWith("GET"))).toEqual([`POST ${RESTORE_SESSIONS}/${id}/activate 200`]);
    expect(activated.properties).toMatchObject({
      status: "completed",
      drillId: "d1",
      drillReport: expect.objectContaining({ succeeded: 3, failed: 0 }),
    });
    const results = activated.properties[c.artifacts] as Record<string, unknown>[];
    expect(results.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(results.every((r) => typeof r[c.restoredField] === "string" && typeof r.completionDateTime === "string")).toBe(true);

    rig.emulator.journal.clear();
    await rig.host.delete(id, rig.urn, activated.properties);
    expect(rig.graphRequests()).toEqual([]);
    await rig.host.waitForOutput(`restore session ${id} was activated (status completed)`);
    expect(stored(id)).toBeDefined();

    // Purged by the service a year later: kept, flagged, never re-created.
    rig.emulator.tenant.deleteSession(id);
    const purged = await rig.host.read(id, rig.urn, activated.properties);
    expect(purged.id).toBe(id);
    expect(purged.properties.missingSince).toEqual(expect.any(String));
    expect(await rig.host.diff(id, rig.urn, purged.properties, waited)).toMatchObject({ changes: "NONE" });
  });

  it("deletes a draft, and reads a draft deleted out of band as gone", async () => {
    const [a] = ids();
    const inputs = await rig.checked({ [c.artifacts]: [{ directoryObjectId: a }] });
    const first = await rig.host.create(rig.urn, inputs);
    rig.emulator.journal.clear();
    await rig.host.delete(first.id, rig.urn, first.properties);
    expect(rig.graphRequests()).toEqual([`DELETE ${RESTORE_SESSIONS}/${first.id} 204`]);
    expect(stored(first.id)).toBeUndefined();

    const second = await rig.host.create(rig.urn, inputs);
    rig.emulator.tenant.deleteSession(second.id);
    expect((await rig.host.read(second.id, rig.urn, second.properties)).id).toBe("");
  });
});

describe("ExchangeRestoreSession item-level restores", () => {
  let rig: DrillRig;
  beforeAll(async () => {
    rig = await startRig({}, {}, "ExchangeRestoreSession");
  });
  afterAll(() => rig?.close());

  it("searches each mailbox with the documented artifact query, then creates the session with its searchResponseId", async () => {
    const [mailbox] = rig.emulator.tenant.mailboxes().filter((m) => m.protectionUnitId !== "");
    const inputs = await rig.checked({
      granularMailboxRestoreArtifacts: [
        { directoryObjectId: mailbox!.directoryObjectId, query: { subjects: ["Q3 'board' pack"], hasAttachment: true } },
      ],
    });
    rig.emulator.journal.clear();
    const created = await rig.host.create(rig.urn, inputs);
    const journal = rig.emulator.journal.entries();
    expect(journal.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      "GET /v1.0/solutions/backupRestore/protectionUnits/microsoft.graph.mailboxProtectionUnit 200",
      "POST /v1.0/solutions/backupRestore/restorePoints/search 200",
      "POST /v1.0/solutions/backupRestore/exchangeRestoreSessions 201",
    ]);
    expect((journal[1]!.body as { artifactQuery: unknown }).artifactQuery).toEqual({
      queryExpression: "(subject -contains 'Q3 ''board'' pack') -and hasAttachment -eq true",
      artifactType: "message",
    });
    const post = journal[2]!.body as { granularMailboxRestoreArtifacts: { searchResponseId: string; restorePoint: { id: string } }[] };
    expect(post.granularMailboxRestoreArtifacts).toEqual([
      { restorePoint: { id: expect.any(String) }, destinationType: "new", searchResponseId: expect.any(String) },
    ]);
    expect(created.properties.granularMailboxRestoreArtifacts).toEqual([
      expect.objectContaining({
        directoryObjectId: mailbox!.directoryObjectId,
        query: { subjects: ["Q3 'board' pack"], hasAttachment: true },
        status: "added",
      }),
    ]);

    rig.emulator.journal.clear();
    const read = await rig.host.read(created.id, rig.urn, created.properties);
    expect(rig.emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `GET /v1.0/solutions/backupRestore/restoreSessions/${created.id} 200`,
      `GET /v1.0/solutions/backupRestore/exchangeRestoreSessions/${created.id}/granularMailboxRestoreArtifacts 200`,
    ]);
    expect(await rig.host.diff(created.id, rig.urn, read.properties, inputs)).toMatchObject({ changes: "NONE" });
    const other = await rig.checked({
      granularMailboxRestoreArtifacts: [{ directoryObjectId: mailbox!.directoryObjectId, query: { subjects: ["other"] } }],
    });
    expect(await rig.host.diff(created.id, rig.urn, read.properties, other)).toMatchObject({
      changes: "SOME",
      replaces: ["granularMailboxRestoreArtifacts"],
    });
  });

  it("refuses whole mailboxes and items in one session, and item kinds on v1.0", async () => {
    const failures = await rig.host.check(
      rig.urn,
      {},
      rig.props({
        mailboxRestoreArtifacts: [{ email: "adele@contoso.com" }],
        granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { itemKinds: ["email"] } }],
      }),
    );
    expect(failures.failures).toEqual([
      {
        property: "granularMailboxRestoreArtifacts",
        reason:
          "cannot be combined with mailboxRestoreArtifacts in one session (Graph does not mix manual artifacts and item-level artifacts); use one session for each",
      },
      {
        property: "granularMailboxRestoreArtifacts[0].query.itemKinds",
        reason:
          "item kinds exist only in Graph beta's structured query; set `pulumi config set m365-backup:apiVersion beta`, or leave itemKinds out",
      },
    ]);
  });
});
