/** Contract: restore bulk addition requests of the three workloads: create, list, get, delete, and their resolution on activation. */
import type { Emulator } from "../../emulator";
import { LIMITS, WORKLOADS, type Workload } from "../../provider/workloads";
import { DEMO_APP } from "../../emulator";
import { MINUTE, ROOT, RS, START, call, createDraftOf, expectGraphError, latestPointsOf, startFrozen } from "./emulator-helpers";

const DAY = 24 * 60 * MINUTE;
const app = { application: { id: DEMO_APP.clientId, displayName: DEMO_APP.displayName } };

/** Per workload: two names that resolve, one the tenant does not know, one it does not protect, and one malformed. */
function namesOf(emulator: Emulator, workload: Workload) {
  if (workload.name === "sharePoint") {
    const [a, b] = emulator.tenant.sites();
    return {
      good: [a!.siteWebUrl, b!.siteWebUrl],
      keys: [a!.siteId, b!.siteId],
      unknown: "https://contoso.sharepoint.com/sites/nowhere",
      unprotected: "https://contoso.sharepoint.com/sites/archive-unprotected",
      malformed: "not a url",
      detail: "SiteUrlNotFound",
      invalidCode: "BulkRestoreInvalidCreateRequestSiteUrl",
    };
  }
  const objects = workload.name === "oneDrive" ? emulator.tenant.users() : emulator.tenant.mailboxes();
  return {
    good: [objects[0]!.email, objects[1]!.email],
    keys: [objects[0]!.directoryObjectId, objects[1]!.directoryObjectId],
    unknown: "nobody@contoso.com",
    unprotected: "unprotected.user@contoso.com",
    malformed: "not-an-email",
    detail: "UserNotBackedup",
    invalidCode: "BulkRestoreInvalidCreateRequestUserEmail",
  };
}

describe.each(WORKLOADS.map((w) => [w.title, w] as const))("%s bulk addition requests", (_title, workload: Workload) => {
  const { collection, artifacts, bulkRequests, bulkNames } = workload.restoreSession;
  let emulator: Emulator;
  let sessionId: string;
  const requests = () => `${ROOT}/${collection}/${sessionId}/${bulkRequests}`;
  const body = (names: string[], extra: Record<string, unknown> = {}) => ({
    displayName: "drill",
    destinationType: "new",
    restorePointPreference: "latest",
    tags: "fastRestore",
    [bulkNames]: names,
    ...extra,
  });
  beforeEach(async () => {
    emulator = await startFrozen();
    sessionId = (await call(emulator, "POST", `${ROOT}/${collection}`)).body.id;
  });
  afterEach(() => emulator.close());

  it("creates a request (201, active) that echoes an empty name list as the docs do, lists it without names, and marks the session bulk", async () => {
    const names = namesOf(emulator, workload);
    const created = await call(emulator, "POST", requests(), { body: body(names.good) });
    expect(created.status).toBe(201);
    const view = {
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: "drill",
      destinationType: "new",
      restorePointPreference: "latest",
      tags: "fastRestore",
      protectionTimePeriod: null,
      status: "active",
      createdDateTime: START,
      createdBy: app,
      lastModifiedDateTime: START,
      lastModifiedBy: app,
    };
    expect(created.body).toEqual({
      "@odata.context": `${emulator.url}/v1.0/$metadata#solutions/backupRestore/${collection}/${bulkRequests}/$entity`,
      ...view,
      [bulkNames]: [],
    });
    expect((await call(emulator, "GET", requests())).body.value).toEqual([view]);
    expect((await call(emulator, "GET", `${requests()}/${created.body.id}`)).body).toEqual(created.body);
    expect((await call(emulator, "GET", `${RS}/${sessionId}`)).body.restoreJobType).toBe("bulk");
    expect(emulator.tenant.sessions()[0]!.bulkRequests[0]!.names).toEqual(names.good);
  });

  it("stays active until activation, then resolves names into ordinary artifacts and lists the rest in its error", async () => {
    const names = namesOf(emulator, workload);
    const created = await call(emulator, "POST", requests(), { body: body([...names.good, names.unknown, names.unprotected]) });
    emulator.clock.advance(30 * MINUTE);
    expect((await call(emulator, "GET", `${requests()}/${created.body.id}`)).body.status).toBe("active");
    const activated = await call(emulator, "POST", `${RS}/${sessionId}/activate`);
    expect(activated.body).toMatchObject({ status: "activating", restoreJobType: "bulk", restoreSessionArtifactCount: { total: 2 } });
    const listed = await call(emulator, "GET", `${ROOT}/${collection}/${sessionId}/${artifacts}`);
    expect(listed.body.value.map((a: any) => a.restorePoint.id)).toEqual(
      names.keys.map((key) => emulator.tenant.latestRestorePointIdFor(workload.name, key)),
    );
    expect(emulator.tenant.sessions()[0]!.artifacts.map((a) => a.key)).toEqual(names.keys);
    const resolved = await call(emulator, "GET", `${requests()}/${created.body.id}`);
    expect(resolved.body).toMatchObject({
      status: "completedWithErrors",
      lastModifiedDateTime: new Date(Date.parse(START) + 30 * MINUTE).toISOString(),
    });
    expect(resolved.body.error).toEqual({
      code: "BulkRestoreArtifactsNotResolved",
      message: expect.any(String),
      details: [
        { code: names.detail, message: expect.stringContaining(names.unknown), target: names.unknown },
        { code: names.detail, message: expect.stringContaining(names.unprotected), target: names.unprotected },
      ],
    });
    emulator.clock.advance(60 * MINUTE);
    expect((await call(emulator, "GET", `${RS}/${sessionId}`)).body.status).toBe("completed");
  });

  it("chooses the restore point by period, preference and tag", async () => {
    const names = namesOf(emulator, workload);
    const window = {
      startDateTime: new Date(Date.parse(START) - 2 * DAY).toISOString(),
      endDateTime: new Date(Date.parse(START) - DAY).toISOString(),
    };
    await call(emulator, "POST", requests(), {
      body: body([names.good[0]!], { restorePointPreference: "oldest", protectionTimePeriod: window }),
    });
    await call(emulator, "POST", `${RS}/${sessionId}/activate`);
    const [artifact] = (await call(emulator, "GET", `${ROOT}/${collection}/${sessionId}/${artifacts}`)).body.value;
    expect(artifact.restorePoint.protectionDateTime).toBe(window.startDateTime);

    const old = await call(emulator, "POST", `${ROOT}/${collection}`);
    const olderWindow = {
      startDateTime: new Date(Date.parse(START) - 30 * DAY).toISOString(),
      endDateTime: new Date(Date.parse(START) - 20 * DAY).toISOString(),
    };
    await call(emulator, "POST", `${ROOT}/${collection}/${old.body.id}/${bulkRequests}`, {
      body: body([names.good[0]!], { protectionTimePeriod: olderWindow, tags: "fastRestore" }),
    });
    // Older than 14 days there are no fast restore points: nothing resolves, so nothing can be restored.
    expectGraphError(await call(emulator, "POST", `${RS}/${old.body.id}/activate`), 400, "InvalidArtifactRequest");
  });

  it("deletes a request only once resolved: 403 InvalidStateForBulkRequestDeletion before, 204 after, then 404", async () => {
    const created = await call(emulator, "POST", requests(), { body: body(namesOf(emulator, workload).good) });
    const one = `${requests()}/${created.body.id}`;
    expectGraphError(await call(emulator, "DELETE", one), 403, "InvalidStateForBulkRequestDeletion");
    await call(emulator, "POST", `${RS}/${sessionId}/activate`);
    expect((await call(emulator, "DELETE", one)).status).toBe(204);
    expectGraphError(await call(emulator, "GET", one), 404, "BulkRestoreArtifactsNotFound");
    expectGraphError(await call(emulator, "DELETE", one), 404, "BulkRestoreArtifactsNotFound");
    // The artifacts it added stay.
    expect((await call(emulator, "GET", `${ROOT}/${collection}/${sessionId}/${artifacts}`)).body.value).toHaveLength(2);
  });

  it("refuses what the docs refuse, with their codes", async () => {
    const names = namesOf(emulator, workload);
    expectGraphError(await call(emulator, "POST", requests(), { body: body([]) }), 400, "BulkRestoreInvalidCreateRequest");
    expectGraphError(
      await call(emulator, "POST", requests(), { body: { [bulkNames]: names.good } }),
      400,
      "BulkRestoreInvalidCreateRequest",
    );
    expectGraphError(await call(emulator, "POST", requests(), { body: body([names.malformed]) }), 400, names.invalidCode);
    const tooMany = Array.from({ length: LIMITS.namesPerBulkRequest + 1 }, (_, i) =>
      workload.restoreSession.bulkNameKind === "url" ? `https://contoso.sharepoint.com/sites/s${i}` : `u${i}@contoso.com`,
    );
    expectGraphError(
      await call(emulator, "POST", requests(), { body: body(tooMany) }),
      400,
      "BulkRestoreRestorationResourcesCountExceedsLimit",
    );
    const notImplemented = workload.protectionUnit.key === "siteId" ? "siteIds" : "directoryObjectIds";
    for (const ids of [{ [notImplemented]: [names.keys[0]] }, { protectionUnitIds: ["x"] }]) {
      const refused = await call(emulator, "POST", requests(), { body: body(names.good, ids) });
      expectGraphError(refused, 400, "BadRequest");
      expect(refused.body.error.message).toContain("not implemented");
    }
    expectGraphError(
      await call(emulator, "GET", `${requests()}/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`),
      404,
      "BulkRestoreArtifactsNotFound",
    );
    expectGraphError(await call(emulator, "GET", `${requests()}/nope`), 400, "InvalidBulkRestoreArtifactId");
  });

  it("takes one request per session, never mixed with manual artifacts either way", async () => {
    const names = namesOf(emulator, workload);
    expect((await call(emulator, "POST", requests(), { body: body(names.good) })).status).toBe(201);
    expectGraphError(await call(emulator, "POST", requests(), { body: body(names.good) }), 400, "BulkRestoreInvalidCreateRequest");
    const point = latestPointsOf(emulator, workload.name, 3)[2]!;
    expectGraphError(
      await call(emulator, "PATCH", `${ROOT}/${collection}/${sessionId}`, {
        body: { [`${artifacts}@delta`]: [{ restorePoint: { id: point }, destinationType: "new" }] },
      }),
      400,
      "InvalidPatchRequest",
    );
    const manual = await createDraftOf(emulator, workload, [point]);
    expectGraphError(
      await call(emulator, "POST", `${ROOT}/${collection}/${manual}/${bulkRequests}`, { body: body(names.good) }),
      400,
      "BulkRestoreInvalidCreateRequest",
    );
    await call(emulator, "POST", `${RS}/${sessionId}/activate`);
    const fresh = await call(emulator, "POST", requests(), { body: body(names.good) });
    expectGraphError(fresh, 403, "RestoreSessionActionNotAllowed");
  });
});

it("resolves 10,000 site URLs of one request into 10,000 artifacts", async () => {
  const emulator = await startFrozen({ sites: LIMITS.namesPerBulkRequest });
  try {
    const session = await call(emulator, "POST", `${ROOT}/sharePointRestoreSessions`);
    const urls = emulator.tenant
      .sites()
      .slice(0, LIMITS.namesPerBulkRequest)
      .map((s) => s.siteWebUrl.toUpperCase());
    const path = `${ROOT}/sharePointRestoreSessions/${session.body.id}/siteRestoreArtifactsBulkAdditionRequests`;
    const created = await call(emulator, "POST", path, { body: { destinationType: "inPlace", siteWebUrls: urls } });
    const activated = await call(emulator, "POST", `${RS}/${session.body.id}/activate`);
    expect(activated.body.restoreSessionArtifactCount.total).toBe(LIMITS.namesPerBulkRequest);
    expect((await call(emulator, "GET", `${path}/${created.body.id}`)).body.status).toBe("completed");
    const last = await call(
      emulator,
      "GET",
      `${ROOT}/sharePointRestoreSessions/${session.body.id}/siteRestoreArtifacts?$top=1&$skiptoken=${Buffer.from("offset:9999").toString("base64url")}`,
    );
    expect(last.body.value[0].restorePoint.id).toBe(emulator.tenant.latestRestorePointId(emulator.tenant.sites()[9_999]!.siteId));
  } finally {
    await emulator.close();
  }
});
