/**
 * The whole resource lifecycle through the real @pulumi/pulumi dynamic-provider host, with the
 * package linked into a program directory as a consumer has it, against the emulator over TLS.
 * Every Graph request the host makes is asserted from the emulator's journal.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { startHost, urnFor, type Host, HostCallError } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

let emulator: Emulator;
let host: Host;
let provider: string;
const urn = urnFor("drill");
const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const RESTORE_SESSIONS = "/v1.0/solutions/backupRestore/restoreSessions";

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  provider = await serializedProviderText();
  host = await startHost({ cwd: makeProgramDir() });
  await host.configure({
    "m365-backup:graphEndpoint": emulator.url,
    "m365-backup:accessToken": emulator.accessToken,
    "other-namespace:key": "ignored",
  });
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
});
beforeEach(() => emulator.journal.clear());

const restorePoints = () =>
  emulator.tenant
    .sites()
    .filter((s) => s.protectionUnitId)
    .map((s) => emulator.tenant.latestRestorePointId(s.siteId));
const graphRequests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const props = (inputs: Record<string, unknown>) => ({ ...inputs, __provider: provider });

/** The host's stderr reaches us on its own schedule, after the RPC's answer may have. */
const hostPrinted = (text: string) => host.waitForOutput(text);

async function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const result = await host.check(urn, olds, props(news));
  expect(result.failures).toEqual([]);
  return result.inputs;
}

describe("lifecycle through the real provider host", () => {
  let id: string;
  let state: Record<string, unknown>;
  let inputs: Record<string, unknown>;

  it("1. check accepts good input (with defaults) and names the property of bad input, without calling Graph", async () => {
    const [a] = restorePoints();
    inputs = await checked({ siteRestoreArtifacts: [{ restorePointId: a }] });
    expect(inputs).toEqual({
      siteRestoreArtifacts: [{ restorePointId: a }],
      destinationType: "new",
      activate: false,
      __provider: provider,
    });

    const bad = await host.check(
      urn,
      {},
      props({ siteRestoreArtifacts: [{ restorePointId: a }, { restorePointId: "" }], status: "active" }),
    );
    expect(bad.failures).toEqual([
      {
        property: "siteRestoreArtifacts[1].restorePointId",
        reason: "must not be empty; use a restore point id returned by restorePoints/search",
      },
      { property: "status", reason: "status is set by the service; set activate: true to start the restore" },
    ]);
    const bad2 = await host.check(urn, {}, props({ siteRestoreArtifacts: [{ restorePointId: a }, { restorePointId: a }] }));
    expect(bad2.failures).toEqual([
      {
        property: "siteRestoreArtifacts[1].restorePointId",
        reason: "duplicates siteRestoreArtifacts[0]; list each restore point once (the service rejects duplicates)",
      },
    ]);
    expect(graphRequests()).toEqual([]);
  });

  it("2. create makes one POST; read GETs the session and lists its artifacts", async () => {
    const created = await host.create(urn, inputs);
    id = created.id;
    expect(graphRequests()).toEqual([`POST ${SESSIONS} 201`]);
    expect(created.properties).toMatchObject({
      status: "draft",
      restoreJobType: "standard",
      createdBy: { application: { id: emulator.demoApp.clientId, displayName: emulator.demoApp.displayName } },
      createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    emulator.journal.clear();

    const read = await host.read(id, urn, created.properties);
    expect(graphRequests()).toEqual([`GET ${RESTORE_SESSIONS}/${id} 200`, `GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`]);
    expect(read.id).toBe(id);
    // Listed by Graph: held (status), with the restore point's time; Graph's artifact id is not stored.
    expect(read.properties.siteRestoreArtifacts).toEqual([
      { restorePointId: restorePoints()[0], status: "added", protectionDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    state = read.properties;
  });

  it("3. diff: no change, an in-place update in draft, a replacement for another destination", async () => {
    const [a, b] = restorePoints();
    expect(await host.diff(id, urn, state, inputs)).toMatchObject({ changes: "NONE", replaces: [] });
    const more = await checked({ siteRestoreArtifacts: [{ restorePointId: a }, { restorePointId: b }] }, inputs);
    expect(await host.diff(id, urn, state, more)).toMatchObject({ changes: "SOME", replaces: [] });
    const inPlace = await checked(
      { siteRestoreArtifacts: [{ restorePointId: a }], destinationType: "inPlace", allowInPlaceRestore: true },
      inputs,
    );
    expect(await host.diff(id, urn, state, inPlace)).toMatchObject({ changes: "SOME", replaces: ["destinationType"] });
    expect(graphRequests()).toEqual([]);
  });

  it("4. update adds a site with a PATCH delta, then activates", async () => {
    const [a, b, c] = restorePoints();
    const news = await checked({ siteRestoreArtifacts: [{ restorePointId: b }, { restorePointId: c }] }, inputs);
    // The state keeps no artifact ids: the removal names the one Graph lists for restore point a.
    const removed = emulator.tenant
      .sessions()
      .find((s) => s.id === id)!
      .artifacts.find((x) => x.restorePointId === a)!.id;
    const updated = await host.update(id, urn, state, news);
    expect(graphRequests()).toEqual([
      `GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`,
      `PATCH ${SESSIONS}/${id} 200`,
      `GET ${RESTORE_SESSIONS}/${id} 200`,
    ]);
    const patch = emulator.journal.entries()[1].body as { "siteRestoreArtifacts@delta": unknown[] };
    expect(patch["siteRestoreArtifacts@delta"]).toEqual([
      { "@removed": { reason: "changed" }, id: removed },
      { restorePoint: { id: b }, destinationType: "new" },
      { restorePoint: { id: c }, destinationType: "new" },
    ]);
    expect((updated.properties.siteRestoreArtifacts as { restorePointId: string }[]).map((x) => x.restorePointId)).toEqual([b, c]);
    expect(a).not.toBe(b);
    emulator.journal.clear();

    const activating = await checked({ siteRestoreArtifacts: [{ restorePointId: b }, { restorePointId: c }], activate: true }, news);
    expect(await host.diff(id, urn, updated.properties, activating)).toMatchObject({ changes: "SOME", replaces: [] });
    const activated = await host.update(id, urn, updated.properties, activating);
    expect(graphRequests()).toEqual([`GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`, `POST ${RESTORE_SESSIONS}/${id}/activate 200`]);
    expect(activated.properties).toMatchObject({ status: "activating", activate: true });
    state = activated.properties;
    inputs = activating;
  });

  it("5. refresh shows progress made outside Pulumi; after activation a new site set means replacement", async () => {
    emulator.clock.advance(6 * 60 * 60 * 1000);
    const refreshed = await host.read(id, urn, state);
    expect(refreshed.properties).toMatchObject({ status: "completed", completedDateTime: expect.any(String) });
    const artifacts = refreshed.properties.siteRestoreArtifacts as { status: string; restoredSiteWebUrl: string }[];
    expect(artifacts.map((x) => x.status)).toEqual(["succeeded", "succeeded"]);
    expect(artifacts.every((x) => x.restoredSiteWebUrl.startsWith("https://"))).toBe(true);
    state = refreshed.properties;

    const [a] = restorePoints();
    const other = await checked({ siteRestoreArtifacts: [{ restorePointId: a }], activate: true }, inputs);
    expect(await host.diff(id, urn, state, other)).toMatchObject({ changes: "SOME", replaces: ["siteRestoreArtifacts"] });
  });

  it("6. delete forgets an activated session without a call and warns; a draft is deleted", async () => {
    await host.delete(id, urn, state);
    expect(graphRequests()).toEqual([]);
    await hostPrinted(
      `restore session ${id} was activated (status completed); Microsoft Graph does not allow deleting activated restore sessions`,
    );
    expect(emulator.tenant.sessions().some((s) => s.id === id)).toBe(true);

    const draft = await host.create(urn, inputs.activate ? { ...inputs, activate: false } : inputs);
    emulator.journal.clear();
    await host.delete(draft.id, urn, draft.properties);
    expect(graphRequests()).toEqual([`DELETE ${RESTORE_SESSIONS}/${draft.id} 204`]);
    expect(emulator.tenant.sessions().some((s) => s.id === draft.id)).toBe(false);
  });

  it("7. read after an out-of-band deletion: a draft is gone, an activated session is kept and flagged", async () => {
    const draft = await host.create(urn, { ...inputs, activate: false });
    emulator.tenant.deleteSession(draft.id);
    expect((await host.read(draft.id, urn, draft.properties)).id).toBe("");

    emulator.tenant.deleteSession(id);
    const kept = await host.read(id, urn, state);
    expect(kept.id).toBe(id);
    expect(kept.properties).toMatchObject({ status: "completed", missingSince: expect.any(String) });
    await hostPrinted(`restore session ${id} (last status completed) no longer exists in Microsoft Graph`);
  });

  it("a create whose activation fails still reports the session id to the engine", async () => {
    emulator.faults.add({
      method: "POST",
      path: "/solutions/backupRestore/restoreSessions/{id}/activate",
      status: 403,
      code: "RestoreSessionActionNotAllowed",
      times: 1,
    });
    const failure = await host.create(urn, { ...inputs, activate: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HostCallError);
    const init = (failure as HostCallError).initFailure!;
    expect(init.id).toMatch(/\S/);
    expect(init.properties).toMatchObject({ status: "draft" });
    expect((failure as HostCallError).details).toMatch(/exists, but activation failed: .*403.*RestoreSessionActionNotAllowed/);
    expect(emulator.tenant.sessions().filter((s) => s.id === init.id)).toHaveLength(1);
  });
});
