/** Contract: the status machine under the controlled clock, restored sites, evolvable `failed`, limits, paging and purge. */
import type { Emulator } from "../../emulator";
import { restoreArtifactSchema as artifactSchema, pageSchema, restoreSessionSchema as sessionSchema } from "../../provider/schemas/wire";
import { MINUTE, RS, SP, START, call, createDraft, expectGraphError, latestPoints, startFrozen } from "./emulator-helpers";

const PREFER = { prefer: "include-unknown-enum-members" };
const at = (minutes: number) => new Date(Date.parse(START) + minutes * MINUTE).toISOString();

describe("status machine", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startFrozen();
  });
  afterEach(() => emulator.close());

  const statuses = async (id: string) => {
    const session = await call(emulator, "GET", `${RS}/${id}`, { headers: PREFER });
    const artifacts = await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts`, { headers: PREFER });
    return { session: session.body, artifacts: artifacts.body.value as any[] };
  };

  it("moves draft -> activating -> active -> completedWithError with per-artifact progress and new-site URLs", async () => {
    const [finance, hr] = emulator.tenant.sites();
    emulator.tenant.setArtifactOutcome(hr!.siteId, "failed");
    const id = await createDraft(emulator, latestPoints(emulator, 2), "new");

    let view = await statuses(id);
    expect([view.session.status, ...view.artifacts.map((a) => a.status)]).toEqual(["draft", "added", "added"]);

    await call(emulator, "POST", `${RS}/${id}/activate`);
    view = await statuses(id);
    expect([view.session.status, ...view.artifacts.map((a) => a.status)]).toEqual(["activating", "scheduling", "scheduling"]);

    emulator.clock.advance(2 * MINUTE);
    view = await statuses(id);
    expect([view.session.status, ...view.artifacts.map((a) => a.status)]).toEqual(["active", "scheduled", "scheduled"]);
    expect(view.artifacts[0].restoredSiteWebUrl).toBeNull();

    emulator.clock.advance(3 * MINUTE);
    view = await statuses(id);
    expect([view.session.status, ...view.artifacts.map((a) => a.status)]).toEqual(["active", "inProgress", "scheduled"]);
    expect(view.artifacts[0]).toMatchObject({
      startDateTime: at(5),
      completionDateTime: null,
      restoredSiteName: "finance-restored-1",
      restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/finance-restored-1",
    });
    expect(view.artifacts[0].restoredSiteId).not.toBe(finance!.siteId);
    expect(view.session.restoreSessionArtifactCount).toEqual({ total: 2, inProgress: 2, completed: 0, failed: 0 });

    emulator.clock.advance(25 * MINUTE);
    view = await statuses(id);
    expect([view.session.status, ...view.artifacts.map((a) => a.status)]).toEqual(["active", "succeeded", "inProgress"]);
    expect(view.artifacts[0].completionDateTime).toBe(at(30));

    emulator.clock.advance(5.5 * MINUTE);
    view = await statuses(id);
    expect([view.session.status, ...view.artifacts.map((a) => a.status)]).toEqual(["completedWithError", "succeeded", "failed"]);
    expect(view.session).toMatchObject({
      completedDateTime: at(35.5),
      restoreSessionArtifactCount: { total: 2, inProgress: 0, completed: 1, failed: 1 },
      error: { code: "UnknownError", message: expect.any(String) },
    });
    expect(view.artifacts[1]).toMatchObject({
      error: { code: "ArtifactCannotBeRestored", message: "The site could not be restored from this restore point." },
      restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/hr-restored-1",
    });
    expect(sessionSchema.parse(view.session).completedDateTime).toBe(at(35.5));
    expect(
      pageSchema(artifactSchema)
        .parse({ value: view.artifacts })
        .value.map((a) => a.status),
    ).toEqual(["succeeded", "failed"]);
  });

  it("restores inPlace onto the original site and completes", async () => {
    const [finance] = emulator.tenant.sites();
    const id = await createDraft(emulator, latestPoints(emulator, 1), "inPlace");
    await call(emulator, "POST", `${RS}/${id}/activate`);
    emulator.clock.advance(60 * MINUTE);
    const view = await statuses(id);
    expect(view.session.status).toBe("completed");
    expect(view.artifacts[0]).toMatchObject({
      status: "succeeded",
      restoredSiteId: finance!.siteId,
      restoredSiteWebUrl: finance!.siteWebUrl,
      restoredSiteName: "Finance",
    });
  });

  it("numbers successive new-site restores of the same site", async () => {
    const point = latestPoints(emulator, 1);
    for (const n of [1, 2]) {
      const id = await createDraft(emulator, point, "new");
      await call(emulator, "POST", `${RS}/${id}/activate`);
      emulator.clock.advance(60 * MINUTE);
      expect((await statuses(id)).artifacts[0].restoredSiteWebUrl).toBe(`https://contoso.sharepoint.com/sites/finance-restored-${n}`);
    }
  });

  it("reports failed as unknownFutureValue unless Prefer: include-unknown-enum-members is sent", async () => {
    emulator.tenant.setArtifactOutcome(emulator.tenant.sites()[0]!.siteId, "failed");
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    await call(emulator, "POST", `${RS}/${id}/activate`);
    emulator.clock.advance(60 * MINUTE);
    const hidden = await call(emulator, "GET", `${RS}/${id}`);
    const shown = await call(emulator, "GET", `${RS}/${id}`, { headers: PREFER });
    expect([hidden.body.status, shown.body.status]).toEqual(["unknownFutureValue", "failed"]);
    expect(shown.headers.get("preference-applied")).toBe("include-unknown-enum-members");
    const hiddenArtifacts = await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts`);
    const shownArtifacts = await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts`, { headers: PREFER });
    expect([hiddenArtifacts.body.value[0].status, shownArtifacts.body.value[0].status]).toEqual(["unknownFutureValue", "failed"]);
    expect(emulator.tenant.sessions().find((s) => s.id === id)!.status).toBe("failed");
  });

  it("purges a terminal session one virtual year after it completed", async () => {
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    await call(emulator, "POST", `${RS}/${id}/activate`);
    emulator.clock.advance(30 * MINUTE); // artifact 0 ends at +30 min
    const completed = await call(emulator, "GET", `${RS}/${id}`);
    expect(completed.body).toMatchObject({ status: "completed", completedDateTime: at(30) });
    emulator.clock.advance(365 * 24 * 60 * MINUTE - 1);
    expect((await call(emulator, "GET", `${RS}/${id}`)).status).toBe(200);
    emulator.clock.advance(1);
    expectGraphError(await call(emulator, "GET", `${RS}/${id}`), 404, "RestoreSessionNotFound");
    expect(emulator.tenant.sessions().map((s) => s.id)).not.toContain(id);
  });

  it("treats an out-of-band deleted session as not found", async () => {
    const id = await createDraft(emulator, latestPoints(emulator, 1));
    emulator.tenant.deleteSession(id);
    expectGraphError(await call(emulator, "GET", `${RS}/${id}`), 404, "RestoreSessionNotFound");
  });
});

describe("limits", () => {
  it("refuses a 26th concurrently active session with 500 TooManyActiveRestoreSessions, until others finish", async () => {
    const emulator = await startFrozen();
    try {
      const point = latestPoints(emulator, 1);
      for (let i = 0; i < 25; i++) {
        const id = await createDraft(emulator, point);
        expect((await call(emulator, "POST", `${RS}/${id}/activate`)).status).toBe(200);
      }
      const last = await createDraft(emulator, point);
      expectGraphError(await call(emulator, "POST", `${RS}/${last}/activate`), 500, "TooManyActiveRestoreSessions");
      expect((await call(emulator, "GET", `${RS}/${last}`)).body.status).toBe("draft");
      emulator.clock.advance(60 * MINUTE);
      expect((await call(emulator, "POST", `${RS}/${last}/activate`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("pages a 150-artifact session 100 at a time with an absolute @odata.nextLink, and honours $top", async () => {
    const emulator = await startFrozen({ sites: 150 });
    try {
      const points = latestPoints(emulator, 150);
      const id = await createDraft(emulator, points.slice(0, 50));
      for (const chunk of [points.slice(50, 100), points.slice(100)]) {
        const patched = await call(emulator, "PATCH", `${SP}/${id}`, {
          body: { "siteRestoreArtifacts@delta": chunk.map((p) => ({ restorePoint: { id: p }, destinationType: "inPlace" })) },
        });
        expect(patched.body["siteRestoreArtifacts@delta"].filter((v: any) => v.status === "added")).toHaveLength(50);
      }
      const first = await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts`);
      expect(first.body.value).toHaveLength(100);
      expect(first.body["@odata.nextLink"]).toMatch(new RegExp(`^${emulator.url}/v1.0${SP}/${id}/siteRestoreArtifacts\\?\\$skiptoken=`));
      const second = await call(emulator, "GET", first.body["@odata.nextLink"]);
      expect(second.body.value).toHaveLength(50);
      expect(second.body["@odata.nextLink"]).toBeUndefined();
      expect([...first.body.value, ...second.body.value].map((a: any) => a.restorePoint.id)).toEqual(points);

      const pageSizes: number[] = [];
      let next: string | undefined = `${SP}/${id}/siteRestoreArtifacts?$top=40`;
      while (next) {
        const page: any = await call(emulator, "GET", next);
        pageSizes.push(page.body.value.length);
        next = page.body["@odata.nextLink"];
      }
      expect(pageSizes).toEqual([40, 40, 40, 30]);
      expectGraphError(await call(emulator, "GET", `${SP}/${id}/siteRestoreArtifacts?$skiptoken=garbage`), 400, "BadRequest");
    } finally {
      await emulator.close();
    }
  });
});
