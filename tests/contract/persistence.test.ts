/** Contract: the state file keeps everything a tenant gathers (policies, units, rules, jobs, searches, sessions of every workload, service status), and reads a first-release file. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EXCHANGE, ONEDRIVE } from "../../provider/workloads";
import { MINUTE, ROOT, RS, START, call, createDraftOf, latestPointsOf, startFrozen } from "./emulator-helpers";

const statePath = () => path.join(mkdtempSync(path.join(tmpdir(), "emulator-state-")), "state.json");

it("keeps policies, units, rules, jobs, searches, sessions and the service status across instances", async () => {
  const file = statePath();
  const first = await startFrozen({ statePath: file, seedPolicies: false, users: 3 });
  const users = first.tenant.users();
  const policy = await call(first, "POST", `${ROOT}/oneDriveForBusinessProtectionPolicies`, {
    body: { displayName: "Kept", driveProtectionUnits: [{ directoryObjectId: users[0]!.directoryObjectId }] },
  });
  await call(first, "POST", `${ROOT}/protectionPolicies/${policy.body.id}/activate`);
  const group = first.tenant.groups()[1]!.id;
  await call(first, "POST", `${ROOT}/oneDriveForBusinessProtectionPolicies/${policy.body.id}/driveInclusionRules`, {
    body: { driveExpression: `(memberOf -any (group.id -in ['${group}']))`, isAutoApplyEnabled: true },
  });
  await call(first, "POST", `${ROOT}/oneDriveForBusinessProtectionPolicies/${policy.body.id}/driveProtectionUnitsBulkAdditionJobs`, {
    body: { drives: [users[2]!.email] },
  });
  first.tenant.setServiceStatus({ status: "restoreLocked" });
  first.clock.advance(30 * MINUTE);
  const policiesBefore = first.tenant.policies();
  const unitsBefore = first.tenant.protectionUnits();
  await first.close();

  const second = await startFrozen({ statePath: file });
  try {
    expect(second.tenant.users()).toHaveLength(4);
    expect(second.tenant.policies()).toEqual(policiesBefore);
    expect(second.tenant.protectionUnits()).toEqual(unitsBefore);
    expect(second.tenant.serviceStatus().status).toBe("restoreLocked");
    second.tenant.setServiceStatus({ status: "enabled" });
    // Restore points of the units protected in the first run are there, and granular searches survive too.
    const point = second.tenant.latestRestorePointIdFor("oneDrive", users[0]!.email);
    expect(point.startsWith(`${policiesBefore[0]!.units[0]!.id}_`)).toBe(true);
    const session = await createDraftOf(second, ONEDRIVE, [point]);
    expect(second.tenant.sessions().map((s) => [s.id, s.workload])).toEqual([[session, "oneDrive"]]);
  } finally {
    await second.close();
  }
});

it("keeps artifact searches and Exchange sessions", async () => {
  const file = statePath();
  const first = await startFrozen({ statePath: file });
  const unit = first.tenant.mailboxes()[0]!.protectionUnitId;
  const found = await call(first, "POST", `${ROOT}/restorePoints/search`, {
    body: { protectionUnitIds: [unit], artifactQuery: { queryExpression: "(Subject -like '*x*')", artifactType: "message" } },
  });
  const id = await createDraftOf(first, EXCHANGE, latestPointsOf(first, "exchange", 1));
  await first.close();
  const second = await startFrozen({ statePath: file });
  try {
    const granular = await call(second, "POST", `${ROOT}/exchangeRestoreSessions`, {
      body: {
        granularMailboxRestoreArtifacts: [
          {
            restorePoint: { id: found.body.searchResults[0].restorePoint.id },
            destinationType: "new",
            searchResponseId: found.body.searchResponseId,
          },
        ],
      },
    });
    expect(granular.status).toBe(201);
    expect((await call(second, "GET", `${RS}/${id}`)).body["@odata.type"]).toBe(EXCHANGE.restoreSession.odataType);
  } finally {
    await second.close();
  }
});

it("reads a state file of the first release: its SharePoint sessions, with policies seeded", async () => {
  const file = statePath();
  const seed = await startFrozen({ statePath: file });
  const signingKeyPem = (JSON.parse(readFileSync(file, "utf8")) as { signingKeyPem: string }).signingKeyPem;
  const siteId = seed.tenant.sites()[0]!.siteId;
  await seed.close();
  const session = {
    id: "5d0c7a92-1e3b-4f6a-9b8c-2d4e6f801357",
    restoreJobType: "bulk",
    createdDateTime: START,
    createdBy: { id: "a", displayName: "old app" },
    lastModifiedDateTime: START,
    lastModifiedBy: { id: "a", displayName: "old app" },
    artifacts: [
      { id: "e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b", restorePointId: "x_1_14_1", protectionMs: 1000, siteId, destinationType: "inPlace" },
    ],
    bulkRequests: [
      {
        id: "3c9a0b1d-0000-4000-8000-000000000001",
        destinationType: "inPlace",
        siteIds: [],
        siteWebUrls: ["https://contoso.sharepoint.com/sites/finance"],
        restorePointPreference: "latest",
        createdDateTime: START,
        createdBy: { id: "a", displayName: "old app" },
        lastModifiedDateTime: START,
      },
    ],
  };
  const v1 = {
    version: 1,
    clock: { virtualMs: Date.parse(START), savedAtMs: Date.now(), speed: 0 },
    sites: 5,
    signingKeyPem,
    store: { sessions: [session], outcomes: {}, restoredCounters: {} },
  };
  writeFileSync(file, JSON.stringify(v1));
  const migrated = await startFrozen({ statePath: file });
  try {
    expect(migrated.tenant.sites()).toHaveLength(6);
    expect(migrated.tenant.sessions()).toMatchObject([
      {
        id: session.id,
        workload: "sharePoint",
        artifacts: [{ key: siteId, siteId }],
        bulkRequests: [{ names: ["https://contoso.sharepoint.com/sites/finance"] }],
      },
    ]);
    expect(migrated.tenant.policies().map((p) => [p.workload, p.status])).toEqual([
      ["sharePoint", "active"],
      ["oneDrive", "active"],
      ["exchange", "active"],
    ]);
    expect((await call(migrated, "GET", `${RS}/${session.id}`)).body).toMatchObject({
      id: session.id,
      status: "draft",
      restoreJobType: "bulk",
    });
  } finally {
    await migrated.close();
  }
});
