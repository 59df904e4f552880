/**
 * Through the real host: throttling that must not fail an operation, Graph errors that name what
 * failed, and state written by an earlier release that must keep reading, diffing and deleting.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { HostCallError, startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

let emulator: Emulator;
let host: Host;
let provider: string;
let restorePoint: string;
const urn = urnFor("drill");
const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const RESTORE_SESSIONS = "/v1.0/solutions/backupRestore/restoreSessions";

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  provider = await serializedProviderText();
  host = await startHost({ cwd: makeProgramDir() });
  await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
  const [site] = emulator.tenant.sites().filter((s) => s.protectionUnitId);
  restorePoint = emulator.tenant.latestRestorePointId(site.siteId);
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
});
beforeEach(() => {
  emulator.journal.clear();
  emulator.faults.clear();
});

const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const draftInputs = () => ({
  siteRestoreArtifacts: [{ restorePointId: restorePoint }],
  destinationType: "new",
  activate: false,
  __provider: provider,
});

test("a throttled create waits for Retry-After and creates exactly one session", async () => {
  emulator.faults.add({
    method: "POST",
    path: "/solutions/backupRestore/sharePointRestoreSessions",
    status: 429,
    retryAfterSeconds: 1,
    times: 1,
  });
  const before = emulator.tenant.sessions().length;
  const created = await host.create(urn, draftInputs());
  expect(requests()).toEqual([`POST ${SESSIONS} 429`, `POST ${SESSIONS} 201`]);
  expect(emulator.tenant.sessions()).toHaveLength(before + 1);
  expect(created.properties.status).toBe("draft");
});

test("a read through 503 and 504 retries and succeeds", async () => {
  const { id, properties } = await host.create(urn, draftInputs());
  emulator.journal.clear();
  emulator.faults.add({
    method: "GET",
    path: "/solutions/backupRestore/restoreSessions/{id}",
    status: 503,
    retryAfterSeconds: 1,
    times: 1,
  });
  emulator.faults.add({
    method: "GET",
    path: "/solutions/backupRestore/sharePointRestoreSessions/{id}/siteRestoreArtifacts",
    status: 504,
    times: 1,
  });
  const read = await host.read(id, urn, properties);
  expect(read.id).toBe(id);
  expect(requests()).toEqual([
    `GET ${RESTORE_SESSIONS}/${id} 503`,
    `GET ${RESTORE_SESSIONS}/${id} 200`,
    `GET ${SESSIONS}/${id}/siteRestoreArtifacts 504`,
    `GET ${SESSIONS}/${id}/siteRestoreArtifacts 200`,
  ]);
});

test("a Graph error names the method, path, status, code and request-id, and leaves nothing behind", async () => {
  const before = emulator.tenant.sessions().length;
  const failure = (await host
    .create(urn, { ...draftInputs(), siteRestoreArtifacts: [{ restorePointId: "no-such-restore-point" }] })
    .catch((e: unknown) => e)) as HostCallError;
  expect(failure).toBeInstanceOf(HostCallError);
  expect(failure.initFailure).toBeUndefined();
  const [entry] = emulator.journal.entries();
  expect(failure.details).toMatch(
    /^POST \/v1\.0\/solutions\/backupRestore\/sharePointRestoreSessions -> 400 InvalidRestorePoint: .+ \(request-id [0-9a-f-]{36}\)$/,
  );
  expect(failure.details).toContain(`(request-id ${entry.requestId})`);
  expect(failure.details).not.toContain(emulator.accessToken);
  expect(emulator.tenant.sessions()).toHaveLength(before);
});

test("state and provider text written by 0.1.0 still read, diff and delete", async () => {
  const oldProvider = fs.readFileSync(path.join(__dirname, "fixtures", "provider-0.1.0.txt"), "utf8");
  const { id } = await host.create(urn, draftInputs());
  // 0.1.0 stored Graph's artifact id; this version reads it and stores the artifact without it.
  const [artifact] = emulator.tenant.sessions().find((s) => s.id === id)!.artifacts;
  const stored = JSON.parse(
    fs
      .readFileSync(path.join(__dirname, "fixtures", "state-0.1.0.json"), "utf8")
      .replace("RESTORE_POINT_ID", restorePoint)
      .replace("ARTIFACT_ID", artifact.id),
  );
  const old = { ...stored, __provider: oldProvider };

  const read = await host.read(id, urn, old);
  expect(read.properties).toMatchObject({
    status: "draft",
    stateVersion: 3,
    siteRestoreArtifacts: [{ restorePointId: restorePoint, status: "added", protectionDateTime: expect.any(String) }],
  });
  expect((read.properties.siteRestoreArtifacts as Record<string, unknown>[])[0]).not.toHaveProperty("id");
  expect(await host.diff(id, urn, old, { ...draftInputs(), __provider: oldProvider })).toMatchObject({ changes: "NONE" });
  emulator.journal.clear();
  await host.delete(id, urn, old);
  expect(requests()).toEqual([`DELETE ${RESTORE_SESSIONS}/${id} 204`]);
});

test("a bad setting fails check at preview time, naming the config key and the fix, without calling Graph", async () => {
  const other = await startHost({ cwd: makeProgramDir() });
  try {
    await other.configure({ "m365-backup:graphEndpoint": emulator.url.replace("https:", "http:"), "m365-backup:apiVersion": "v2" });
    const { failures } = await other.check(urn, {}, draftInputs());
    expect(failures).toEqual([
      {
        property: "m365-backup:graphEndpoint",
        reason: expect.stringMatching(
          /^m365-backup:graphEndpoint must use https \(tokens never travel over plain http\), got http:\/\/127\.0\.0\.1:\d+$/,
        ),
      },
    ]);
    expect(requests()).toEqual([]);
  } finally {
    await other.close();
  }
});
