/**
 * Through the real host: a create that Graph refuses with 403 costs exactly one more read, of the
 * tenant's service status, and the error says when the service is disabled or restores are
 * locked; otherwise the error stays Graph's own. The request minimums of a healthy create stay.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { HostCallError, startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

let emulator: Emulator;
let host: Host;
let provider: string;
let restorePointId: string;
const urn = urnFor("drill");
const SESSIONS = "/v1.0/solutions/backupRestore/sharePointRestoreSessions";
const ROOT = "/v1.0/solutions/backupRestore";

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa() });
  emulator.clock.setSpeed(0);
  provider = await serializedProviderText();
  host = await startHost({ cwd: makeProgramDir() });
  await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
  const [site] = emulator.tenant.sites();
  restorePointId = emulator.tenant.latestRestorePointId(site!.siteId);
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
});
beforeEach(() => {
  emulator.journal.clear();
  emulator.faults.clear();
  emulator.tenant.setServiceStatus({ status: "enabled" });
});

const requests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const draft = () => ({ siteRestoreArtifacts: [{ restorePointId }], destinationType: "new", activate: false, __provider: provider });
const createFailure = async () =>
  (await host.create(urn, draft()).then(
    () => undefined,
    (e: unknown) => e,
  )) as HostCallError;

test("disabled: the refused create says the service is disabled and why, after one read of the status", async () => {
  emulator.tenant.setServiceStatus({ status: "disabled", disableReason: "userRequested" });
  const failure = await createFailure();
  expect(failure).toBeInstanceOf(HostCallError);
  expect(failure.details).toMatch(
    /^POST \/v1\.0\/solutions\/backupRestore\/sharePointRestoreSessions -> 403 BackupServiceDisabled: Microsoft 365 Backup Storage is disabled in this tenant\. \(request-id [^)]+\); Microsoft 365 Backup Storage is disabled \(userRequested\) in this tenant$/,
  );
  expect(requests()).toEqual([`POST ${SESSIONS} 403`, `GET ${ROOT} 200`]);
  expect(emulator.tenant.sessions()).toEqual([]);
});

test("restoreLocked: the note names the status", async () => {
  emulator.tenant.setServiceStatus({ status: "restoreLocked" });
  const failure = await createFailure();
  expect(failure.details).toMatch(/-> 403 RestoreLocked: .*; Microsoft 365 Backup Storage is restoreLocked in this tenant$/);
  expect(requests()).toEqual([`POST ${SESSIONS} 403`, `GET ${ROOT} 200`]);
});

test("a 403 while the service is enabled keeps Graph's error as it is, after the same one read", async () => {
  emulator.faults.add({
    method: "POST",
    path: "/solutions/backupRestore/sharePointRestoreSessions",
    status: 403,
    code: "Forbidden",
    times: 1,
  });
  const failure = await createFailure();
  expect(failure.details).toMatch(/^POST \/v1\.0\/solutions\/backupRestore\/sharePointRestoreSessions -> 403 Forbidden: [^;]*$/);
  expect(requests()).toEqual([`POST ${SESSIONS} 403`, `GET ${ROOT} 200`]);
});

test("when the status cannot be read either, the refusal is reported unchanged", async () => {
  emulator.tenant.setServiceStatus({ status: "disabled" });
  emulator.faults.add({ method: "GET", path: "/solutions/backupRestore", status: 403, code: "Forbidden", times: 1 });
  const failure = await createFailure();
  expect(failure.details).toMatch(
    /-> 403 BackupServiceDisabled: Microsoft 365 Backup Storage is disabled in this tenant\. \(request-id [^)]+\)$/,
  );
  expect(requests()).toEqual([`POST ${SESSIONS} 403`, `GET ${ROOT} 403`]);
});

test("a healthy create sends only its POST", async () => {
  const created = await host.create(urn, draft());
  expect(requests()).toEqual([`POST ${SESSIONS} 201`]);
  await host.delete(created.id, urn, created.properties);
});
