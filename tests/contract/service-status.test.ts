/** Contract: the tenant's Backup Storage status (GET /solutions/backupRestore) and the writes a status other than enabled forbids. */
import type { Emulator } from "../../emulator";
import { MINUTE, ROOT, START, call, createDraftOf, expectGraphError, latestPointsOf, startFrozen } from "./emulator-helpers";
import { SHAREPOINT } from "../../provider/workloads";

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startFrozen();
});
afterEach(() => emulator.close());

const policyId = () => emulator.tenant.policies()[0]!.id;
const restoreWrite = () => call(emulator, "POST", `${ROOT}/sharePointRestoreSessions`);
const protectionWrite = () =>
  call(emulator, "PATCH", `${ROOT}/sharePointProtectionPolicies/${policyId()}`, { body: { displayName: "Renamed" } });

it("answers the service status, with Control.Read.All only", async () => {
  const root = await call(emulator, "GET", ROOT);
  expect(root.body).toEqual({
    "@odata.context": `${emulator.url}/v1.0/$metadata#solutions/backupRestore/$entity`,
    serviceStatus: {
      status: "enabled",
      disableReason: "none",
      gracePeriodDateTime: null,
      restoreAllowedTillDateTime: null,
      lastModifiedBy: { application: { id: expect.any(String), displayName: "Contoso backup admin" } },
      lastModifiedDateTime: "2025-01-06T09:00:00Z",
    },
  });
  const withoutControl = emulator.issueToken(undefined, ["BackupRestore-Restore.ReadWrite.All", "BackupRestore-Configuration.Read.All"]);
  expectGraphError(await call(emulator, "GET", ROOT, { token: withoutControl }), 403, "Forbidden");
  expect((await call(emulator, "GET", ROOT, { token: emulator.issueToken(undefined, ["BackupRestore-Control.Read.All"]) })).status).toBe(
    200,
  );
});

it("forbids every write while disabled (403 BackupServiceDisabled) and still answers reads", async () => {
  emulator.tenant.setServiceStatus({ status: "disabled", disableReason: "userRequested" });
  expect((await call(emulator, "GET", ROOT)).body.serviceStatus).toMatchObject({
    status: "disabled",
    disableReason: "userRequested",
    lastModifiedDateTime: START,
  });
  expectGraphError(await restoreWrite(), 403, "BackupServiceDisabled");
  expectGraphError(await protectionWrite(), 403, "BackupServiceDisabled");
  expect((await call(emulator, "GET", `${ROOT}/restoreSessions`)).status).toBe(200);
  expect(
    (
      await call(emulator, "POST", `${ROOT}/restorePoints/search`, {
        body: { protectionUnitIds: [emulator.tenant.sites()[0]!.protectionUnitId] },
      })
    ).status,
  ).toBe(200);
});

it("lets restores through until restoreAllowedTillDateTime while disabled", async () => {
  const id = await createDraftOf(emulator, SHAREPOINT, latestPointsOf(emulator, "sharePoint", 1));
  emulator.tenant.setServiceStatus({
    status: "disabled",
    disableReason: "invalidBillingProfile",
    restoreAllowedTillDateTime: new Date(Date.parse(START) + 60 * MINUTE).toISOString(),
  });
  expect((await call(emulator, "POST", `${ROOT}/restoreSessions/${id}/activate`)).status).toBe(200);
  expectGraphError(await protectionWrite(), 403, "BackupServiceDisabled");
  emulator.clock.advance(60 * MINUTE);
  expectGraphError(await restoreWrite(), 403, "BackupServiceDisabled");
});

it("forbids policy writes while protectionChangeLocked, and restore writes while restoreLocked", async () => {
  emulator.tenant.setServiceStatus({ status: "protectionChangeLocked" });
  expectGraphError(await protectionWrite(), 403, "ProtectionChangeLocked");
  expect((await restoreWrite()).status).toBe(201);
  emulator.tenant.setServiceStatus({ status: "restoreLocked" });
  expectGraphError(await restoreWrite(), 403, "RestoreLocked");
  expect((await protectionWrite()).status).toBe(200);
  emulator.tenant.setServiceStatus({ status: "enabled" });
  expect((await restoreWrite()).status).toBe(201);
});
