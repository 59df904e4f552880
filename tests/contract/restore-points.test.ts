/** Contract: restore points of every workload: search over all unit kinds, and GET restorePoints/{id} with $expand=protectionUnit. */
import type { Emulator } from "../../emulator";
import { RETENTION_MS } from "../../emulator/tenant/restore-point-grid";
import { MINUTE, ROOT, START, call, expectGraphError, startFrozen } from "./emulator-helpers";

const SEARCH = `${ROOT}/restorePoints/search`;
const iso = (ms: number) => new Date(ms).toISOString();

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startFrozen();
});
afterAll(() => emulator.close());

it("searches site, drive and mailbox units in one request, one point per unit first", async () => {
  const units = [emulator.tenant.sites()[0]!, emulator.tenant.users()[0]!, emulator.tenant.mailboxes()[0]!].map((o) => o.protectionUnitId);
  const result = await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: units } });
  expect(
    result.body.searchResults.map((r: any) => [r.restorePoint.protectionUnit["@odata.type"], r.restorePoint.protectionUnit.id]),
  ).toEqual([
    ["#microsoft.graph.siteProtectionUnit", units[0]],
    ["#microsoft.graph.driveProtectionUnit", units[1]],
    ["#microsoft.graph.mailboxProtectionUnit", units[2]],
    ["#microsoft.graph.siteProtectionUnit", units[0]],
    ["#microsoft.graph.driveProtectionUnit", units[1]],
  ]);
  expect(result.body.searchResults[1].restorePoint.protectionUnit).toEqual({
    "@odata.type": "#microsoft.graph.driveProtectionUnit",
    id: units[1],
    directoryObjectId: emulator.tenant.users()[0]!.directoryObjectId,
    policyId: expect.any(String),
  });
});

it("answers GET restorePoints/{id} with its dates and tag, and names its unit only with $expand=protectionUnit", async () => {
  const user = emulator.tenant.users()[1]!;
  const id = emulator.tenant.latestRestorePointIdFor("oneDrive", user.email);
  const plain = await call(emulator, "GET", `${ROOT}/restorePoints/${id}`);
  expect(plain.body).toEqual({
    "@odata.context": `${emulator.url}/v1.0/$metadata#solutions/backupRestore/restorePoints/$entity`,
    "@odata.type": "#microsoft.graph.restorePoint",
    id,
    protectionDateTime: START,
    expirationDateTime: iso(Date.parse(START) + RETENTION_MS),
    tags: "fastRestore",
  });
  const expanded = await call(emulator, "GET", `${ROOT}/restorePoints/${id}?$expand=protectionUnit`);
  expect(expanded.body.protectionUnit).toEqual({
    "@odata.type": "#microsoft.graph.driveProtectionUnit",
    id: user.protectionUnitId,
    directoryObjectId: user.directoryObjectId,
    policyId: expect.any(String),
  });
  const site = emulator.tenant.sites()[0]!;
  const sitePoint = await call(
    emulator,
    "GET",
    `${ROOT}/restorePoints/${emulator.tenant.latestRestorePointId(site.siteWebUrl)}?$expand=protectionUnit`,
  );
  expect(sitePoint.body.protectionUnit).toMatchObject({ id: site.protectionUnitId, siteId: site.siteId });
});

it("answers 404 RestorePointNotFound for an unknown point, a point between grid times and an expired one", async () => {
  const id = emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId);
  const [unit, seconds] = id.split("_");
  expectGraphError(await call(emulator, "GET", `${ROOT}/restorePoints/not-a-point`), 404, "RestorePointNotFound");
  expectGraphError(await call(emulator, "GET", `${ROOT}/restorePoints/${unit}_${Number(seconds) - 60}_14_1`), 404, "RestorePointNotFound");
  const expired = `${unit}_${Number(seconds) - (RETENTION_MS + 7 * 24 * 60 * MINUTE) / 1000}_14_1`;
  expectGraphError(await call(emulator, "GET", `${ROOT}/restorePoints/${expired}`), 404, "RestorePointNotFound");
});
