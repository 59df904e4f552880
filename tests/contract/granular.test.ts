/** Contract: artifact searches (`artifactQuery`) and granular mailbox restores that name them. */
import type { Emulator } from "../../emulator";
import { MINUTE, ROOT, RS, call, expectGraphError, latestPointsOf, startFrozen } from "./emulator-helpers";

const SEARCH = `${ROOT}/restorePoints/search`;
const EX = `${ROOT}/exchangeRestoreSessions`;
const query = { queryExpression: "(Sender -eq 'abc@contoso.com') -and (HasAttachment -eq 'true')", artifactType: "message" };

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startFrozen();
});
afterEach(() => emulator.close());

const mailboxUnit = (i: number) => emulator.tenant.mailboxes()[i]!.protectionUnitId;
const search = (unitIds: string[], artifactQuery: unknown = query) =>
  call(emulator, "POST", SEARCH, { body: { protectionUnitIds: unitIds, artifactQuery } });
const granular = (restorePointId: string, searchResponseId: unknown, destinationType = "new") => ({
  restorePoint: { id: restorePointId },
  destinationType,
  searchResponseId,
});

describe("artifact search", () => {
  it("answers one mailbox unit with hit counts and a searchResponseId", async () => {
    const result = await search([mailboxUnit(0)]);
    expect(result.status).toBe(200);
    expect(result.body.searchResponseId).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
    expect(result.body.searchResults).toHaveLength(5);
    for (const hit of result.body.searchResults) {
      expect(Object.keys(hit)).toEqual(["artifactHitCount", "restorePoint"]);
      expect(hit.artifactHitCount).toBeGreaterThanOrEqual(1);
      expect(hit.restorePoint.protectionUnit).toEqual({
        "@odata.type": "#microsoft.graph.mailboxProtectionUnit",
        id: mailboxUnit(0),
        directoryObjectId: emulator.tenant.mailboxes()[0]!.directoryObjectId,
        policyId: expect.any(String),
      });
    }
    // The same query finds the same items again; without a query there is no hit count.
    expect((await search([mailboxUnit(0)])).body.searchResults.map((r: any) => r.artifactHitCount)).toEqual(
      result.body.searchResults.map((r: any) => r.artifactHitCount),
    );
    const plain = await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: [mailboxUnit(0)] } });
    expect(plain.body.searchResults[0]).not.toHaveProperty("artifactHitCount");
  });

  it.each([
    ["two units", () => [mailboxUnit(0), mailboxUnit(1)], query],
    ["a site unit", () => [emulator.tenant.sites()[0]!.protectionUnitId], query],
    ["an empty expression", () => [mailboxUnit(0)], { queryExpression: " ", artifactType: "message" }],
  ])("refuses an artifactQuery over %s with 400 InvalidSearchRequest", async (_name, units, artifactQuery) => {
    expectGraphError(await search(units(), artifactQuery), 400, "InvalidSearchRequest");
  });

  it("refuses an artifact type other than message (the spec's enum)", async () => {
    expectGraphError(await search([mailboxUnit(0)], { queryExpression: "x", artifactType: "calendar" }), 400, "BadRequest");
  });
});

describe("granular mailbox restore", () => {
  it("creates a session of granular artifacts from a search, lists them and restores the hits", async () => {
    const found = await search([mailboxUnit(0)]);
    const [first] = found.body.searchResults;
    const created = await call(emulator, "POST", EX, {
      body: { granularMailboxRestoreArtifacts: [granular(first.restorePoint.id, found.body.searchResponseId)] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ restoreJobType: "standard", restoreSessionArtifactCount: { total: 1 } });
    const listed = await call(emulator, "GET", `${EX}/${created.body.id}/granularMailboxRestoreArtifacts`);
    expect(listed.body.value).toEqual([
      {
        id: expect.any(String),
        destinationType: "new",
        status: "added",
        startDateTime: null,
        completionDateTime: null,
        restoredFolderId: null,
        restoredFolderName: null,
        restoredItemCount: null,
        searchResponseId: found.body.searchResponseId,
        restorePoint: { id: first.restorePoint.id, protectionDateTime: expect.any(String), expirationDateTime: expect.any(String) },
      },
    ]);
    expect((await call(emulator, "GET", `${EX}/${created.body.id}/mailboxRestoreArtifacts`)).body.value).toEqual([]);
    await call(emulator, "POST", `${RS}/${created.body.id}/activate`);
    emulator.clock.advance(40 * MINUTE);
    const done = await call(emulator, "GET", `${EX}/${created.body.id}/granularMailboxRestoreArtifacts`);
    expect(done.body.value[0]).toMatchObject({
      status: "succeeded",
      restoredFolderName: "adele-restored-1",
      restoredItemCount: first.artifactHitCount,
    });
  });

  it("refuses an unknown search, a search of another mailbox, and mixing standard and granular artifacts", async () => {
    const found = await search([mailboxUnit(0)]);
    const point = found.body.searchResults[0].restorePoint.id;
    expectGraphError(
      await call(emulator, "POST", EX, { body: { granularMailboxRestoreArtifacts: [granular(point, "bm8tc3VjaC1zZWFyY2g")] } }),
      400,
      "InvalidArtifactRequest",
    );
    const otherPoint = latestPointsOf(emulator, "exchange", 2)[1]!;
    expectGraphError(
      await call(emulator, "POST", EX, { body: { granularMailboxRestoreArtifacts: [granular(otherPoint, found.body.searchResponseId)] } }),
      400,
      "InvalidArtifactRequest",
    );
    const mixed = {
      mailboxRestoreArtifacts: [{ restorePoint: { id: otherPoint }, destinationType: "new" }],
      granularMailboxRestoreArtifacts: [granular(point, found.body.searchResponseId)],
    };
    expectGraphError(await call(emulator, "POST", EX, { body: mixed }), 400, "InvalidArtifactRequest");
    const session = await call(emulator, "POST", EX, {
      body: { granularMailboxRestoreArtifacts: [granular(point, found.body.searchResponseId)] },
    });
    expectGraphError(
      await call(emulator, "PATCH", `${EX}/${session.body.id}`, {
        body: { "mailboxRestoreArtifacts@delta": [{ restorePoint: { id: otherPoint }, destinationType: "new" }] },
      }),
      400,
      "InvalidArtifactRequest",
    );
    // No delta is documented for granular mailbox artifacts.
    const granularDelta = await call(emulator, "PATCH", `${EX}/${session.body.id}`, {
      body: { "granularMailboxRestoreArtifacts@delta": [] },
    });
    expectGraphError(granularDelta, 400, "BadRequest");
    expect(granularDelta.body.error.message).toContain("granularMailboxRestoreArtifacts@delta");
  });

  it("refuses granular SharePoint artifacts (not emulated) with 400 InvalidArtifactRequest", async () => {
    expectGraphError(
      await call(emulator, "POST", `${ROOT}/sharePointRestoreSessions`, {
        body: { granularSiteRestoreArtifacts: [{ browseSessionId: "b", id: "i" }] },
      }),
      400,
      "InvalidArtifactRequest",
    );
  });
});
