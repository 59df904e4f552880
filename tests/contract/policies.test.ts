/** Contract: protection policies and their units: create, PATCH, activate, deactivate, delete, the unit status machine and restore points on the clock. */
import type { Emulator } from "../../emulator";
import { DEMO_APP } from "../../emulator";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, WORKLOADS, type Workload } from "../../provider/workloads";
import { MINUTE, ROOT, START, call, expectGraphError, startFrozen } from "./emulator-helpers";

const PP = `${ROOT}/protectionPolicies`;
const app = { application: { id: DEMO_APP.clientId, displayName: DEMO_APP.displayName } };
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE).toISOString();
const retentionSettings = [
  { interval: "R/PT10M", period: "P14D" },
  { interval: "R/P1W", period: "P365D" },
];

/** The first `count` object keys of a workload (sites, users' OneDrives, mailboxes). */
function keysOf(emulator: Emulator, workload: Workload, count: number): string[] {
  const keys =
    workload === SHAREPOINT
      ? emulator.tenant.sites().map((s) => s.siteId)
      : (workload === ONEDRIVE ? emulator.tenant.users() : emulator.tenant.mailboxes()).map((o) => o.directoryObjectId);
  return keys.slice(0, count);
}

async function createPolicy(emulator: Emulator, workload: Workload, keys: string[], displayName = "Drill policy") {
  const { collection, key } = workload.protectionUnit;
  return call(emulator, "POST", `${ROOT}/${workload.protectionPolicy.collection}`, {
    body: { displayName, [collection]: keys.map((k) => ({ [key]: k })) },
  });
}

const unitsOf = async (emulator: Emulator, workload: Workload, policyId: string) =>
  (await call(emulator, "GET", `${ROOT}/${workload.protectionPolicy.collection}/${policyId}/${workload.protectionUnit.collection}`)).body
    .value as any[];

describe.each(WORKLOADS.map((w) => [w.title, w] as const))("%s policies", (_title, workload: Workload) => {
  const policies = `${ROOT}/${workload.protectionPolicy.collection}`;
  const { collection: units, key } = workload.protectionUnit;
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startFrozen({ seedPolicies: false });
  });
  afterEach(() => emulator.close());

  it("creates an inactive policy (201) whose units wait in protectRequested, and lists it", async () => {
    const keys = keysOf(emulator, workload, 2);
    const created = await createPolicy(emulator, workload, keys);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      "@odata.context": `${emulator.url}/v1.0/$metadata#solutions/backupRestore/${workload.protectionPolicy.collection}/$entity`,
      "@odata.type": workload.protectionPolicy.odataType,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      displayName: "Drill policy",
      status: "inactive",
      createdBy: app,
      createdDateTime: START,
      lastModifiedBy: app,
      lastModifiedDateTime: START,
      retentionSettings,
    });
    const listed = await unitsOf(emulator, workload, created.body.id);
    expect(listed.map((u) => [u[key], u.status, u.policyId, u.protectionSources])).toEqual(
      keys.map((k) => [k, "protectRequested", created.body.id, "manual"]),
    );
    expect((await call(emulator, "GET", policies)).body.value.map((p: any) => p.id)).toEqual([created.body.id]);
    expect((await call(emulator, "GET", `${PP}/${created.body.id}`)).body).toMatchObject({
      id: created.body.id,
      "@odata.type": workload.protectionPolicy.odataType,
    });
    const root = await call(emulator, "GET", `${ROOT}/${units}`);
    expect(root.body.value.map((u: any) => u.id)).toEqual(listed.map((u) => u.id));
    const one = await call(emulator, "GET", `${ROOT}/protectionUnits/${listed[0].id}`);
    expect(one.body).toMatchObject({ "@odata.type": workload.protectionUnit.odataType, id: listed[0].id, [key]: keys[0] });
  });

  it("activates (202 updating), protects the units after 15 minutes and then gives them restore points", async () => {
    const [first] = keysOf(emulator, workload, 1);
    const policy = (await createPolicy(emulator, workload, [first!])).body.id;
    const activated = await call(emulator, "POST", `${PP}/${policy}/activate`);
    expect(activated.status).toBe(202);
    expect(activated.body).toMatchObject({ id: policy, status: "updating" });
    expect((await unitsOf(emulator, workload, policy))[0].status).toBe("protectRequested");
    const unitId = (await unitsOf(emulator, workload, policy))[0].id;
    const search = async () => call(emulator, "POST", `${ROOT}/restorePoints/search`, { body: { protectionUnitIds: [unitId] } });
    emulator.clock.advance(15 * MINUTE);
    expect((await call(emulator, "GET", `${PP}/${policy}`)).body.status).toBe("active");
    expect((await unitsOf(emulator, workload, policy))[0].status).toBe("protected");
    // Protected at +15 min: the first point of the 10-minute grid after it is at +20 min.
    expect((await search()).body).toMatchObject({ searchResults: [], noResultProtectionUnitIds: [unitId] });
    emulator.clock.advance(5 * MINUTE);
    expect((await search()).body.searchResults.map((r: any) => r.restorePoint.protectionDateTime)).toEqual([at(20)]);
    expectGraphError(await call(emulator, "POST", `${PP}/${policy}/activate`), 403, "PolicyActionNotAllowed");
  });

  it("deactivates (202 updating) to unprotectRequested then unprotected, keeps the points and takes no new ones, then deletes", async () => {
    const [first] = keysOf(emulator, workload, 1);
    const policy = (await createPolicy(emulator, workload, [first!])).body.id;
    await call(emulator, "POST", `${PP}/${policy}/activate`);
    emulator.clock.advance(30 * MINUTE);
    const point = emulator.tenant.latestRestorePointIdFor(workload.name, first!);
    expectGraphError(await call(emulator, "DELETE", `${PP}/${policy}`), 403, "PolicyActionNotAllowed");
    const deactivated = await call(emulator, "POST", `${PP}/${policy}/deactivate`);
    expect([deactivated.status, deactivated.body.status]).toEqual([202, "updating"]);
    expect((await unitsOf(emulator, workload, policy))[0].status).toBe("unprotectRequested");
    expectGraphError(await call(emulator, "POST", `${PP}/${policy}/deactivate`), 403, "PolicyActionNotAllowed");
    emulator.clock.advance(60 * MINUTE);
    expect((await call(emulator, "GET", `${PP}/${policy}`)).body.status).toBe("inactive");
    expect((await unitsOf(emulator, workload, policy))[0].status).toBe("unprotected");
    expect(emulator.tenant.latestRestorePointIdFor(workload.name, first!)).toBe(point);
    expect((await call(emulator, "GET", `${ROOT}/restorePoints/${point}`)).status).toBe(200);
    expect((await call(emulator, "DELETE", `${PP}/${policy}`)).status).toBe(204);
    expectGraphError(await call(emulator, "GET", `${PP}/${policy}`), 404, "PolicyNotFound");
    expect((await call(emulator, "GET", `${ROOT}/${units}`)).body.value).toEqual([]);
    expect(emulator.tenant.policies()[0]!.status).toBe("deleted");
  });

  it("changes the name and the units with <units>@delta, with per-item failures in a 200", async () => {
    const [a, b, c] = keysOf(emulator, workload, 3);
    const other = (await createPolicy(emulator, workload, [c!], "Other")).body.id;
    const policy = (await createPolicy(emulator, workload, [a!])).body.id;
    const existing = (await unitsOf(emulator, workload, policy))[0].id;
    const patched = await call(emulator, "PATCH", `${policies}/${policy}`, {
      body: {
        displayName: "Renamed",
        [`${units}@delta`]: [
          { [key]: b },
          { "@removed": { reason: "changed" }, id: existing },
          { [key]: c },
          { [key]: "00000000-0000-4000-8000-000000000000" },
          { "@removed": { reason: "changed" }, id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" },
        ],
      },
    });
    expect(patched.status).toBe(200);
    const unit = (k: string, status: string) => ({
      id: expect.any(String),
      policyId: policy,
      [key]: k,
      status,
      createdBy: app,
      createdDateTime: START,
      lastModifiedBy: app,
      lastModifiedDateTime: START,
    });
    const failure = (contentId: string, failedOperation: string, responseCode: number, code: string, id?: string) => ({
      "@contentId": contentId,
      "@Core.DataModificationException": { info: { code, message: expect.any(String) }, failedOperation, responseCode },
      ...(id ? { id } : {}),
    });
    expect(patched.body).toEqual({
      displayName: "Renamed",
      [`${units}@delta`]: [
        unit(b!, "protectRequested"),
        { ...unit(a!, "removeRequested"), id: existing },
        failure("3", "add", 409, "ProtectionUnitAlreadyExists"),
        failure("4", "add", 400, "InvalidProtectionUnitId"),
        failure("5", "remove", 409, "ProtectionUnitNotFound", "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
      ],
    });
    expect((await call(emulator, "GET", `${PP}/${policy}`)).body.displayName).toBe("Renamed");
    expect((await unitsOf(emulator, workload, other)).map((u) => u[key])).toEqual([c]);
    emulator.clock.advance(15 * MINUTE);
    expect((await unitsOf(emulator, workload, policy)).map((u) => [u[key], u.status])).toEqual([[b, "protectRequested"]]);
    expect(emulator.tenant.protectionUnits(workload.name).find((u) => u.id === existing)!.status).toBe("removed");
  });

  it("refuses what the error table refuses", async () => {
    const [a, b] = keysOf(emulator, workload, 2);
    const policy = (await createPolicy(emulator, workload, [a!])).body.id;
    expectGraphError(await createPolicy(emulator, workload, [a!]), 409, "ProtectionUnitAlreadyExists");
    expectGraphError(await createPolicy(emulator, workload, [b!, b!]), 400, "DuplicateProtectionUnitInList");
    expectGraphError(await createPolicy(emulator, workload, ["00000000-0000-4000-8000-000000000000"]), 400, "InvalidProtectionUnitId");
    expectGraphError(await createPolicy(emulator, workload, [b!], ""), 400, "InvalidDisplayName");
    expectGraphError(await createPolicy(emulator, workload, [b!], "x".repeat(1025)), 400, "InvalidDisplayName");
    const tooMany = Array.from({ length: 51 }, () => ({ "@removed": { reason: "changed" }, id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" }));
    expectGraphError(
      await call(emulator, "PATCH", `${policies}/${policy}`, { body: { [`${units}@delta`]: tooMany } }),
      413,
      "ProtectionUnitsLimitBreached",
    );
    expectGraphError(
      await call(emulator, "PATCH", `${policies}/${policy}`, { body: { [`${units}@delta`]: [{ [key]: b }, { [key]: b }] } }),
      400,
      "DuplicateProtectionUnitInList",
    );
    expectGraphError(await call(emulator, "GET", `${PP}/not-a-policy`), 400, "InvalidPolicyId");
    expectGraphError(await call(emulator, "GET", `${PP}/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`), 404, "PolicyNotFound");
    expectGraphError(
      await call(emulator, "GET", `${ROOT}/protectionUnits/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`),
      404,
      "ProtectionUnitNotFound",
    );
    expectGraphError(await call(emulator, "GET", `${ROOT}/protectionUnits/nope`), 400, "InvalidProtectionUnitId");
    // Another workload's collection does not know the policy.
    const other = WORKLOADS.find((w) => w !== workload)!;
    expectGraphError(await call(emulator, "GET", `${ROOT}/${other.protectionPolicy.collection}/${policy}`), 404, "PolicyNotFound");
  });

  it("refuses a second policy while one of the workload is active (409 PolicyCreationNotAllowed)", async () => {
    const [a, b] = keysOf(emulator, workload, 2);
    const policy = (await createPolicy(emulator, workload, [a!])).body.id;
    expect((await createPolicy(emulator, workload, [b!], "Second, inactive")).status).toBe(201);
    await call(emulator, "POST", `${PP}/${policy}/activate`);
    expectGraphError(await createPolicy(emulator, workload, [], "Third"), 409, "PolicyCreationNotAllowed");
  });
});

describe("with the seeded policies", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startFrozen();
  });
  afterEach(() => emulator.close());

  it("reports activeWithErrors for a unit in error, and activate from there retries it (202)", async () => {
    const policy = emulator.tenant.policies().find((p) => p.workload === "exchange")!;
    emulator.tenant.setUnitError(policy.units[0]!.id, { code: "QuotaExceeded", message: "You have exceeded the backup quota." });
    expect((await call(emulator, "GET", `${PP}/${policy.id}`)).body.status).toBe("activeWithErrors");
    const unit = await call(emulator, "GET", `${ROOT}/mailboxProtectionUnits/${policy.units[0]!.id}`);
    expect(unit.body.error).toEqual({ code: "QuotaExceeded", message: "You have exceeded the backup quota." });
    const activated = await call(emulator, "POST", `${PP}/${policy.id}/activate`);
    expect([activated.status, activated.body.status]).toEqual([202, "updating"]);
    emulator.clock.advance(15 * MINUTE);
    expect((await call(emulator, "GET", `${PP}/${policy.id}`)).body.status).toBe("active");
    expect((await call(emulator, "GET", `${ROOT}/mailboxProtectionUnits/${policy.units[0]!.id}`)).body.error).toBeNull();
  });

  it("refuses creation while the seeded policy is active, in every workload", async () => {
    for (const workload of [SHAREPOINT, ONEDRIVE, EXCHANGE]) {
      expectGraphError(await createPolicy(emulator, workload, []), 409, "PolicyCreationNotAllowed");
    }
  });

  it("lets a removed site keep its points until they expire, without new ones", async () => {
    const site = emulator.tenant.sites()[0]!;
    const policy = emulator.tenant.policies()[0]!.id;
    const before = emulator.tenant.latestRestorePointId(site.siteId);
    await call(emulator, "PATCH", `${ROOT}/sharePointProtectionPolicies/${policy}`, {
      body: { "siteProtectionUnits@delta": [{ "@removed": { reason: "changed" }, id: site.protectionUnitId }] },
    });
    expect((await call(emulator, "GET", `${ROOT}/siteProtectionUnits/${site.protectionUnitId}`)).body.status).toBe("removeRequested");
    emulator.clock.advance(60 * MINUTE);
    expect(emulator.tenant.sites()[0]!.protectionUnitId).toBe("");
    expectGraphError(await call(emulator, "GET", `${ROOT}/siteProtectionUnits/${site.protectionUnitId}`), 404, "ProtectionUnitNotFound");
    expect(emulator.tenant.latestRestorePointId(site.siteId)).toBe(before);
    expect((await call(emulator, "GET", `${ROOT}/restorePoints/${before}?$expand=protectionUnit`)).body.protectionUnit.id).toBe(
      site.protectionUnitId,
    );
  });

  it("answers 500 PolicySaveFailed when that fault is injected, and saves on the retry", async () => {
    await call(emulator, "POST", `${PP}/${emulator.tenant.policies()[0]!.id}/deactivate`);
    emulator.clock.advance(15 * MINUTE);
    emulator.faults.add({ method: "POST", path: `${ROOT}/sharePointProtectionPolicies`, status: 500, code: "PolicySaveFailed", times: 1 });
    expectGraphError(await createPolicy(emulator, SHAREPOINT, []), 500, "PolicySaveFailed");
    expect((await createPolicy(emulator, SHAREPOINT, [])).status).toBe(201);
  });

  it("lets a test add a unit out of band, refusing an object already protected", async () => {
    const policy = emulator.tenant.policies().find((p) => p.workload === "oneDrive")!;
    expect(() => emulator.tenant.addPolicyUnit(policy.id, "adele@contoso.com")).toThrow(/already protected/);
    const unit = emulator.tenant.addPolicyUnit(policy.id, "unprotected.user@contoso.com");
    expect(unit).toMatchObject({ policyId: policy.id, status: "protectRequested", workload: "oneDrive" });
    expect((await call(emulator, "GET", `${ROOT}/driveProtectionUnits/${unit.id}`)).body.email).toBe("unprotected.user@contoso.com");
  });
});
