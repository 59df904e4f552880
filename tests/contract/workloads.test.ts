/** Contract: restore sessions of the three workloads through the same handlers, and what they share (the generic collection, the 25-active limit). */
import type { Emulator } from "../../emulator";
import { DEMO_APP } from "../../emulator";
import { EXCHANGE, LIMITS, ONEDRIVE, SHAREPOINT, WORKLOADS, type Workload } from "../../provider/workloads";
import { MINUTE, ROOT, RS, START, call, createDraftOf, expectGraphError, latestPointsOf, startFrozen } from "./emulator-helpers";

const PREFER = { prefer: "include-unknown-enum-members" };
const app = { application: { id: DEMO_APP.clientId, displayName: DEMO_APP.displayName } };
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE).toISOString();
const artifact = (id: string, destinationType = "new") => ({ restorePoint: { id }, destinationType });

/** Where each workload's first seeded object lands on a `new` restore, and on an `inPlace` one. */
const RESTORED: Record<string, { new: Record<string, unknown>; inPlace: (emulator: Emulator) => Record<string, unknown> }> = {
  sharePoint: {
    new: { restoredSiteName: "finance-restored-1", restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/finance-restored-1" },
    inPlace: (e) => ({
      restoredSiteId: e.tenant.sites()[0]!.siteId,
      restoredSiteName: "Finance",
      restoredSiteWebUrl: e.tenant.sites()[0]!.siteWebUrl,
    }),
  },
  oneDrive: {
    new: {
      restoredSiteName: "adele-onedrive-restored-1",
      restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/adele-onedrive-restored-1",
    },
    inPlace: (e) => ({ restoredSiteName: "Adele Vance", restoredSiteWebUrl: e.tenant.users()[0]!.oneDriveWebUrl }),
  },
  exchange: {
    new: { restoredFolderName: "adele-restored-1", restoredItemCount: expect.any(Number) },
    inPlace: () => ({ restoredFolderName: "adele", restoredItemCount: expect.any(Number) }),
  },
};

describe.each(WORKLOADS.map((w) => [w.title, w] as const))("%s sessions", (_title, workload: Workload) => {
  const { collection, artifacts, odataType, restoredFields } = workload.restoreSession;
  const sessions = `${ROOT}/${collection}`;
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startFrozen();
  });
  afterEach(() => emulator.close());

  it("creates a draft (201) with the workload's @odata.type, serves it at both paths and lists it in its collection only", async () => {
    const [a, b] = latestPointsOf(emulator, workload.name, 2);
    const created = await call(emulator, "POST", sessions, { body: { [artifacts]: [artifact(a!), artifact(b!)] } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      "@odata.context": `${emulator.url}/v1.0/$metadata#solutions/backupRestore/${collection}/$entity`,
      "@odata.type": odataType,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: "draft",
      restoreJobType: "standard",
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 0, failed: 0 },
      createdDateTime: START,
      createdBy: app,
      lastModifiedDateTime: START,
      lastModifiedBy: app,
      completedDateTime: null,
    });
    for (const path of [`${sessions}/${created.body.id}`, `${RS}/${created.body.id}`]) {
      expect((await call(emulator, "GET", path)).body).toMatchObject({ id: created.body.id, "@odata.type": odataType, status: "draft" });
    }
    const other = WORKLOADS.find((w) => w !== workload)!;
    await createDraftOf(emulator, other, latestPointsOf(emulator, other.name, 1));
    expect((await call(emulator, "GET", sessions)).body.value.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    // Another workload's collection does not know the session.
    expectGraphError(
      await call(emulator, "GET", `${ROOT}/${other.restoreSession.collection}/${created.body.id}`),
      404,
      "RestoreSessionNotFound",
    );
  });

  it("adds and removes artifacts with <artifacts>@delta (the generic restoreSessions/{id} has no PATCH)", async () => {
    const [a, b, c] = latestPointsOf(emulator, workload.name, 3);
    const id = await createDraftOf(emulator, workload, [a!]);
    const existing = (await call(emulator, "GET", `${sessions}/${id}/${artifacts}`)).body.value[0].id as string;
    const body = {
      [`${artifacts}@delta`]: [artifact(b!, "inPlace"), { "@removed": { reason: "changed" }, id: existing }, artifact(c!, "inPlace")],
    };
    expectGraphError(await call(emulator, "PATCH", `${RS}/${id}`, { body, unchecked: true }), 405, "BadRequest");
    const patched = await call(emulator, "PATCH", `${sessions}/${id}`, { body });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body)).toEqual([`${artifacts}@delta`]);
    expect(patched.body[`${artifacts}@delta`].map((x: any) => x.restorePoint.id)).toEqual([b, c]);
    const listed = await call(emulator, "GET", `${sessions}/${id}/${artifacts}`);
    expect(listed.body.value.map((x: any) => x.restorePoint.id)).toEqual([b, c]);
  });

  it.each(["new", "inPlace"] as const)("restores %s on the virtual clock with the workload's restored fields", async (destinationType) => {
    const [point] = latestPointsOf(emulator, workload.name, 1);
    const id = await createDraftOf(emulator, workload, [point!], destinationType);
    const list = () => call(emulator, "GET", `${sessions}/${id}/${artifacts}`, { headers: PREFER });
    const base = ["id", "destinationType", "status", "startDateTime", "completionDateTime", "restorePoint"];
    expect(Object.keys((await list()).body.value[0]).sort()).toEqual([...base, ...restoredFields].sort());

    const activated = await call(emulator, "POST", `${RS}/${id}/activate`);
    expect(activated.body).toMatchObject({ "@odata.type": odataType, status: "activating" });
    emulator.clock.advance(5 * MINUTE);
    const started = (await list()).body.value[0];
    expect(started).toMatchObject({
      status: "inProgress",
      startDateTime: at(5),
      ...(destinationType === "new" ? RESTORED[workload.name]!.new : RESTORED[workload.name]!.inPlace(emulator)),
    });
    emulator.clock.advance(25 * MINUTE);
    expect((await list()).body.value[0]).toMatchObject({ status: "succeeded", completionDateTime: at(30) });
    expect((await call(emulator, "GET", `${RS}/${id}`)).body).toMatchObject({ status: "completed", completedDateTime: at(30) });
  });

  it("refuses another workload's restore point, an unknown one, and a PATCH after activation", async () => {
    const other = WORKLOADS.find((w) => w !== workload)!;
    const foreign = latestPointsOf(emulator, other.name, 1)[0]!;
    expectGraphError(await call(emulator, "POST", sessions, { body: { [artifacts]: [artifact(foreign)] } }), 400, "InvalidRestorePoint");
    const id = await createDraftOf(emulator, workload, latestPointsOf(emulator, workload.name, 1));
    const patched = await call(emulator, "PATCH", `${sessions}/${id}`, {
      body: { [`${artifacts}@delta`]: [artifact(foreign, "inPlace")] },
    });
    expect(patched.body[`${artifacts}@delta`][0]["@Core.DataModificationException"]).toMatchObject({
      info: { code: "InvalidRestorePoint" },
      failedOperation: "add",
      responseCode: 400,
    });
    await call(emulator, "POST", `${RS}/${id}/activate`);
    expectGraphError(
      await call(emulator, "PATCH", `${sessions}/${id}`, { body: { [`${artifacts}@delta`]: [] } }),
      403,
      "RestoreSessionActionNotAllowed",
    );
    expectGraphError(await call(emulator, "DELETE", `${RS}/${id}`), 403, "RestoreSessionActionNotAllowed");
  });
});

describe("what the workloads share", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startFrozen();
  });
  afterEach(() => emulator.close());

  it("lists every workload's sessions at restoreSessions, each with its @odata.type", async () => {
    const ids = [];
    for (const workload of WORKLOADS) ids.push(await createDraftOf(emulator, workload, latestPointsOf(emulator, workload.name, 1)));
    const listed = await call(emulator, "GET", RS);
    expect(listed.body.value.map((s: any) => [s.id, s["@odata.type"]])).toEqual([
      [ids[0], SHAREPOINT.restoreSession.odataType],
      [ids[1], ONEDRIVE.restoreSession.odataType],
      [ids[2], EXCHANGE.restoreSession.odataType],
    ]);
    expect(emulator.tenant.sessions().map((s) => s.workload)).toEqual(["sharePoint", "oneDrive", "exchange"]);
  });

  it("holds the 25-active limit across the three workloads", async () => {
    const points = Object.fromEntries(WORKLOADS.map((w) => [w.name, latestPointsOf(emulator, w.name, 1)]));
    for (let i = 0; i < LIMITS.activeSessions; i++) {
      const workload = WORKLOADS[i % 3]!;
      const id = await createDraftOf(emulator, workload, points[workload.name]!);
      expect((await call(emulator, "POST", `${RS}/${id}/activate`)).status).toBe(200);
    }
    const waiting = [];
    for (const workload of WORKLOADS) {
      const id = await createDraftOf(emulator, workload, points[workload.name]!);
      expectGraphError(await call(emulator, "POST", `${RS}/${id}/activate`), 500, "TooManyActiveRestoreSessions");
      waiting.push(id);
    }
    emulator.clock.advance(31 * MINUTE);
    for (const id of waiting) expect((await call(emulator, "POST", `${RS}/${id}/activate`)).status).toBe(200);
  });

  it("pages a workload's artifacts with @odata.nextLink", async () => {
    const many = await startFrozen({ users: 120 });
    try {
      const points = latestPointsOf(many, "oneDrive", 120);
      const id = await createDraftOf(many, ONEDRIVE, points.slice(0, 50));
      for (const chunk of [points.slice(50, 100), points.slice(100)]) {
        const body = { "driveRestoreArtifacts@delta": chunk.map((p) => artifact(p, "inPlace")) };
        expect((await call(many, "PATCH", `${ROOT}/oneDriveForBusinessRestoreSessions/${id}`, { body })).status).toBe(200);
      }
      const first = await call(many, "GET", `${ROOT}/oneDriveForBusinessRestoreSessions/${id}/driveRestoreArtifacts?$top=100`);
      const second = await call(many, "GET", first.body["@odata.nextLink"]);
      expect([first.body.value.length, second.body.value.length, second.body["@odata.nextLink"]]).toEqual([100, 20, undefined]);
      expect([...first.body.value, ...second.body.value].map((a: any) => a.restorePoint.id)).toEqual(points);
    } finally {
      await many.close();
    }
  });
});
