/**
 * Waiting for a drill to end, through the real provider host against the emulator: progress lines,
 * the drill report, the timeout that keeps the session, failOn, and TooManyActiveRestoreSessions.
 * The emulator's virtual clock runs fast where a restore must finish (setSpeed) and at real speed
 * where it must not.
 */
import { drillReport, type DrillSummary, type ReportArtifact } from "../../provider/report";
import { HostCallError } from "../support/host";
import { protectedSites, RESTORE_SESSIONS, SESSIONS, startRig, type DrillRig } from "./drill-host";

let rig: DrillRig;
// A short retry budget, so the client hands TooManyActiveRestoreSessions to the provider's own wait quickly.
beforeAll(async () => {
  rig = await startRig({}, { "m365-backup:retryBudgetSeconds": "1" });
});
afterAll(() => rig?.close());
beforeEach(() => {
  rig.emulator.journal.clear();
  rig.emulator.clock.setSpeed(1);
});

/** Virtual minutes per real second that let a few sites finish (about 45 virtual minutes) in about two seconds. */
const FAST = 1200;
const HOUR = 3_600_000;
const sites = () => protectedSites(rig.emulator);

/** The report a program renders: the stored summary plus one row per site, derived from the artifacts. */
function fullReport(properties: Record<string, unknown>) {
  return drillReport(properties.drillReport as DrillSummary, properties.siteRestoreArtifacts as ReportArtifact[]);
}

describe("waitForCompletion", () => {
  it("waits to the end, logs progress, and reports RTO and RPO", async () => {
    const pointInTime = new Date(Date.now() - HOUR).toISOString();
    const chosen = sites().slice(0, 3);
    const inputs = await rig.checked({
      siteRestoreArtifacts: chosen.map((s) => ({ siteId: s.siteId, pointInTime })),
      activate: true,
      waitForCompletion: { timeoutMinutes: 1, pollIntervalSeconds: 0.25 },
      drillId: "wait-1",
    });
    rig.emulator.clock.setSpeed(FAST);
    const created = await rig.host.create(rig.urn, inputs);
    const { id, properties } = created;
    expect(properties).toMatchObject({ status: "completed", activatedDateTime: expect.any(String), completedDateTime: expect.any(String) });
    await rig.hostPrinted(`restore session ${id} activated (status activating)`);
    await rig.hostPrinted(`restore session ${id} status completed: 3/3 completed, 0 failed`);

    const report = fullReport(properties);
    const activated = Date.parse(properties.activatedDateTime as string);
    const completed = Date.parse(properties.completedDateTime as string);
    expect(report).toMatchObject({
      status: "completed",
      activatedDateTime: properties.activatedDateTime,
      completedDateTime: properties.completedDateTime,
    });
    expect(report.restoreDurationSeconds).toBe(Math.round((completed - activated) / 1000));
    expect(report.restoreDurationSeconds).toBeGreaterThan(0);
    const ages = report.items.map((s) => Math.round((Date.parse(pointInTime) - Date.parse(s.protectionDateTime!)) / 1000));
    expect(report.items.map((s) => s.dataAgeSeconds)).toEqual(ages);
    expect(report.worstDataAgeSeconds).toBe(Math.max(...ages));
    expect(report.items.map((s) => [s.name, s.status])).toEqual(chosen.map((s) => [s.siteId, "succeeded"]));
    expect(report.items.every((s) => s.durationSeconds! > 0 && s.restoredTo!.startsWith("https://"))).toBe(true);

    // Only reads after the activation: waiting never writes.
    const writes = rig.graphRequests().filter((r) => !r.startsWith("GET"));
    expect(writes).toEqual([
      `POST /v1.0/solutions/backupRestore/restorePoints/search 200`,
      `POST ${SESSIONS} 201`,
      `POST ${RESTORE_SESSIONS}/${id}/activate 200`,
    ]);
    expect(rig.graphRequests().slice(-2)).toEqual([`GET ${RESTORE_SESSIONS}/${id} 200`, `GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`]);
    expect(await rig.host.diff(id, rig.urn, properties, inputs)).toMatchObject({ changes: "NONE" });
  });

  it("stops at the timeout with the session id; the next up only waits, and refresh picks the status up", async () => {
    const inputs = await rig.checked({
      siteRestoreArtifacts: [{ siteId: sites()[3]!.siteId }],
      activate: true,
      waitForCompletion: { timeoutMinutes: 0.01, pollIntervalSeconds: 0.2 },
    });
    const failure = (await rig.host.create(rig.urn, inputs).catch((e: unknown) => e)) as HostCallError;
    expect(failure).toBeInstanceOf(HostCallError);
    const { id, properties } = failure.initFailure!;
    expect(failure.details).toMatch(
      new RegExp(
        `restore session ${id} exists, but waiting for completion failed: timed out after 0.01 minute\\(s\\) waiting for restore session ${id} to end ` +
          `\\(last seen: restore session ${id} status activating: 0/1 completed, 0 failed\\)\\. It is kept in the stack state; ` +
          "the next `pulumi up` \\(with waitForCompletion\\) or `pulumi refresh` picks it up where it is\\.",
      ),
    );
    expect(properties).toMatchObject({ status: "activating", activatedDateTime: expect.any(String) });
    expect(rig.emulator.tenant.sessions().filter((s) => s.id === id)).toHaveLength(1);

    const patient = await rig.checked({ ...inputs, waitForCompletion: { timeoutMinutes: 1, pollIntervalSeconds: 0.25 } }, inputs);
    expect(await rig.host.diff(id, rig.urn, properties, patient)).toMatchObject({ changes: "SOME", replaces: [] });
    rig.emulator.journal.clear();
    rig.emulator.clock.setSpeed(FAST);
    const updated = await rig.host.update(id, rig.urn, properties, patient);
    expect(updated.properties).toMatchObject({ status: "completed", activatedDateTime: properties.activatedDateTime });
    expect(rig.graphRequests().every((r) => r.startsWith("GET "))).toBe(true);

    const refreshed = await rig.host.read(id, rig.urn, updated.properties);
    expect(refreshed.properties).toMatchObject({ status: "completed", activatedDateTime: properties.activatedDateTime });
    expect(await rig.host.diff(id, rig.urn, refreshed.properties, patient)).toMatchObject({ changes: "NONE" });
  });
});

describe("failOn", () => {
  it("fails a restore that completed with errors, per site, and keeps the session in state; never and failed let it pass", async () => {
    const [good, bad] = sites().slice(4, 6);
    rig.emulator.tenant.setArtifactOutcome(bad!.siteId, "failed");
    const drill = (failOn?: string) =>
      rig.checked({
        siteRestoreArtifacts: [{ siteId: good!.siteId }, { siteId: bad!.siteId }],
        activate: true,
        waitForCompletion: { timeoutMinutes: 1, pollIntervalSeconds: 0.25 },
        ...(failOn ? { failOn } : {}),
      });
    rig.emulator.clock.setSpeed(FAST);

    const failure = (await rig.host.create(rig.urn, await drill()).catch((e: unknown) => e)) as HostCallError;
    expect(failure).toBeInstanceOf(HostCallError);
    const { id, properties } = failure.initFailure!;
    expect(failure.details).toContain(
      `restore session ${id} exists, but the drill failed: the restore ended completedWithError (session error UnknownError: One or more artifacts failed to restore.); ` +
        `site siteId ${bad!.siteId}: ArtifactCannotBeRestored: The site could not be restored from this restore point. ` +
        "It is kept in the stack state; it is the drill's record; change drillId to run the drill again.",
    );
    expect(properties).toMatchObject({ status: "completedWithError" });
    expect(fullReport(properties).items.map((s) => [s.status, s.error?.code])).toEqual([
      ["succeeded", undefined],
      ["failed", "ArtifactCannotBeRestored"],
    ]);

    for (const failOn of ["never", "failed"]) {
      const passed = await rig.host.create(rig.urn, await drill(failOn));
      expect(passed.properties).toMatchObject({ status: "completedWithError", failOn });
    }
  });
});

describe("TooManyActiveRestoreSessions", () => {
  it("waits and retries activation within the wait budget, saying why", async () => {
    const token = rig.emulator.accessToken;
    const graph = (method: string, path: string, body?: unknown) =>
      rig.emulator.fetch(
        new Request(`${rig.emulator.url}/v1.0${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    const rp = rig.emulator.tenant.latestRestorePointId(sites()[6]!.siteId);
    for (let i = 0; i < 25; i++) {
      const created = (await (
        await graph("POST", "/solutions/backupRestore/sharePointRestoreSessions", {
          siteRestoreArtifacts: [{ restorePoint: { id: rp }, destinationType: "new" }],
        })
      ).json()) as { id: string };
      expect((await graph("POST", `/solutions/backupRestore/restoreSessions/${created.id}/activate`)).status).toBe(200);
    }
    rig.emulator.journal.clear();

    const inputs = await rig.checked({
      siteRestoreArtifacts: [{ siteId: sites()[7]!.siteId }],
      activate: true,
      waitForCompletion: { timeoutMinutes: 0.5, pollIntervalSeconds: 0.3 },
    });
    const creating = rig.host.create(rig.urn, inputs);
    await rig.hostPrinted(
      /the tenant already has 25 active restore sessions \(TooManyActiveRestoreSessions\); trying to activate again in [\d.]+ s \(giving up in [\d.]+ s\)/,
    );
    // The other sessions finish; the next activation attempt gets through.
    rig.emulator.clock.setSpeed(FAST);
    const created = await creating;
    expect(created.properties).toMatchObject({ status: "completed" });
    const activations = rig.graphRequests().filter((r) => r.startsWith(`POST ${RESTORE_SESSIONS}/${created.id}/activate`));
    expect(activations[0]).toBe(`POST ${RESTORE_SESSIONS}/${created.id}/activate 500`);
    expect(activations.at(-1)).toBe(`POST ${RESTORE_SESSIONS}/${created.id}/activate 200`);
  });
});
