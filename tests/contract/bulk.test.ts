/** Contract: siteRestoreArtifactsBulkAdditionRequests create, list, get, and their resolution on activation. */
import type { Emulator } from "../../emulator";
import { MINUTE, RS, SP, call, expectGraphError, startFrozen } from "./emulator-helpers";

let emulator: Emulator;
let sessionId: string;
const bulkPath = () => `${SP}/${sessionId}/siteRestoreArtifactsBulkAdditionRequests`;

beforeEach(async () => {
  emulator = await startFrozen();
  sessionId = (await call(emulator, "POST", SP, { body: {} })).body.id;
});
afterEach(() => emulator.close());

const request = (overrides: Record<string, unknown> = {}) => ({
  displayName: "drill",
  destinationType: "new",
  restorePointPreference: "latest",
  siteWebUrls: ["https://contoso.sharepoint.com/sites/finance", "https://contoso.sharepoint.com/sites/hr"],
  ...overrides,
});

it("creates a request (201, active), lists it without siteWebUrls, gets it with them, and marks the session bulk", async () => {
  const created = await call(emulator, "POST", bulkPath(), { body: request() });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: "active", displayName: "drill", siteWebUrls: request().siteWebUrls });
  const list = await call(emulator, "GET", bulkPath());
  expect(list.body.value).toHaveLength(1);
  expect(list.body.value[0]).not.toHaveProperty("siteWebUrls");
  const one = await call(emulator, "GET", `${bulkPath()}/${created.body.id}`);
  expect(one.body).toMatchObject({ id: created.body.id, siteWebUrls: request().siteWebUrls });
  expect((await call(emulator, "GET", `${RS}/${sessionId}`)).body.restoreJobType).toBe("bulk");
});

it("resolves the sites into artifacts on activation: completed, or completedWithErrors for unknown sites", async () => {
  const hrSiteId = emulator.tenant.sites()[1]!.siteId;
  const good = await call(emulator, "POST", bulkPath(), {
    body: request({ siteWebUrls: ["https://contoso.sharepoint.com/sites/finance"], siteIds: [hrSiteId] }),
  });
  const bad = await call(emulator, "POST", bulkPath(), {
    body: request({
      siteWebUrls: ["https://contoso.sharepoint.com/sites/nowhere", "https://contoso.sharepoint.com/sites/archive-unprotected"],
    }),
  });
  const activated = await call(emulator, "POST", `${RS}/${sessionId}/activate`);
  expect(activated.body).toMatchObject({ status: "activating", restoreJobType: "bulk", restoreSessionArtifactCount: { total: 2 } });
  const artifacts = await call(emulator, "GET", `${SP}/${sessionId}/siteRestoreArtifacts`);
  // siteIds are resolved before siteWebUrls.
  expect(artifacts.body.value.map((a: any) => a.restorePoint.id)).toEqual([
    emulator.tenant.latestRestorePointId(hrSiteId),
    emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId),
  ]);
  expect((await call(emulator, "GET", `${bulkPath()}/${good.body.id}`)).body.status).toBe("completed");
  const failed = await call(emulator, "GET", `${bulkPath()}/${bad.body.id}`);
  expect(failed.body).toMatchObject({ status: "completedWithErrors", error: { code: "BulkRestoreInvalidCreateRequestSiteUrl" } });
  expect(failed.body.error.message).toContain("sites/nowhere");
  emulator.clock.advance(60 * MINUTE);
  expect((await call(emulator, "GET", `${RS}/${sessionId}`)).body.status).toBe("completed");
});

it("rejects invalid requests with the documented codes", async () => {
  expectGraphError(
    await call(emulator, "POST", bulkPath(), { body: request({ siteWebUrls: [] }) }),
    400,
    "BulkRestoreInvalidCreateRequest",
  );
  expectGraphError(
    await call(emulator, "POST", bulkPath(), { body: { siteWebUrls: ["https://contoso.sharepoint.com/sites/hr"] } }),
    400,
    "BulkRestoreInvalidCreateRequest",
  );
  expectGraphError(
    await call(emulator, "POST", bulkPath(), { body: request({ siteWebUrls: ["not a url"] }) }),
    400,
    "BulkRestoreInvalidCreateRequestSiteUrl",
  );
  const tooMany = Array.from({ length: 1001 }, (_, i) => `https://contoso.sharepoint.com/sites/s${i}`);
  expectGraphError(
    await call(emulator, "POST", bulkPath(), { body: request({ siteWebUrls: tooMany }) }),
    400,
    "BulkRestoreRestorationResourcesCountExceedsLimit",
  );
  expectGraphError(await call(emulator, "GET", `${bulkPath()}/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`), 404, "BulkRestoreArtifactsNotFound");
  expectGraphError(await call(emulator, "GET", `${bulkPath()}/nope`), 400, "InvalidBulkRestoreArtifactId");
});

it("refuses new requests once the session is activated", async () => {
  await call(emulator, "POST", bulkPath(), { body: request() });
  await call(emulator, "POST", `${RS}/${sessionId}/activate`);
  expectGraphError(await call(emulator, "POST", bulkPath(), { body: request() }), 403, "RestoreSessionActionNotAllowed");
});

it("deletes a request only once it is resolved (403 InvalidStateForBulkRequestDeletion before, 204 after, then 404)", async () => {
  const created = await call(emulator, "POST", bulkPath(), { body: request() });
  const one = `${bulkPath()}/${created.body.id}`;
  await expectGraphError(await call(emulator, "DELETE", one), 403, "InvalidStateForBulkRequestDeletion");
  await call(emulator, "POST", `${RS}/${sessionId}/activate`);
  const deleted = await call(emulator, "DELETE", one);
  expect(deleted.status).toBe(204);
  await expectGraphError(await call(emulator, "GET", one), 404, "BulkRestoreArtifactsNotFound");
  await expectGraphError(await call(emulator, "DELETE", one), 404, "BulkRestoreArtifactsNotFound");
});
