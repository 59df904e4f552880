/** Contract: the seeded tenant, protection units and policies, and restore-point search. */
import type { Emulator } from "../../emulator";
import { MINUTE, START, call, expectGraphError, startFrozen } from "./emulator-helpers";

const ROOT = "/solutions/backupRestore";
const SEARCH = `${ROOT}/restorePoints/search`;
const DAY = 24 * 60 * MINUTE;
const startMs = Date.parse(START);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startFrozen();
});
afterAll(() => emulator.close());

describe("seed", () => {
  it("is deterministic: 12 protected sites with named demo sites, plus one unprotected site", async () => {
    const other = await startFrozen();
    try {
      expect(other.tenant.sites()).toEqual(emulator.tenant.sites());
      expect(other.tenant.latestRestorePointId(other.tenant.sites()[0]!.siteId)).toBe(
        emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId),
      );
    } finally {
      await other.close();
    }
    const sites = emulator.tenant.sites();
    expect(sites).toHaveLength(13);
    expect(sites.slice(0, 3).map((s) => s.siteWebUrl)).toEqual([
      "https://contoso.sharepoint.com/sites/finance",
      "https://contoso.sharepoint.com/sites/hr",
      "https://contoso.sharepoint.com/sites/legal",
    ]);
    expect(sites[0]!.siteId).toMatch(/^contoso\.sharepoint\.com,[0-9a-f-]{36},[0-9a-f-]{36}$/);
    expect(sites[12]).toMatchObject({ siteWebUrl: "https://contoso.sharepoint.com/sites/archive-unprotected", protectionUnitId: "" });
    expect(() => emulator.tenant.latestRestorePointId(sites[12]!.siteId)).toThrow(/unprotected/);
  });

  it("scales to 1,000 sites", async () => {
    const big = await startFrozen({ sites: 1000 });
    try {
      const units = await call(big, "GET", `${ROOT}/siteProtectionUnits?$top=999`);
      expect(units.body.value).toHaveLength(999);
      const rest = await call(big, "GET", units.body["@odata.nextLink"]);
      expect(rest.body.value).toHaveLength(1);
      expect(big.tenant.sites()[999]!.siteWebUrl).toBe("https://contoso.sharepoint.com/sites/site-1000");
    } finally {
      await big.close();
    }
  });
});

describe("protection units and policies", () => {
  it("lists site protection units at all three documented paths", async () => {
    const policy = (await call(emulator, "GET", `${ROOT}/sharePointProtectionPolicies`)).body.value[0];
    const all = await call(emulator, "GET", `${ROOT}/siteProtectionUnits`);
    const viaCast = await call(emulator, "GET", `${ROOT}/protectionUnits/microsoft.graph.siteProtectionUnit`);
    const viaPolicy = await call(emulator, "GET", `${ROOT}/sharePointProtectionPolicies/${policy.id}/siteProtectionUnits`);
    expect(all.body.value).toHaveLength(12);
    expect(viaCast.body.value).toEqual(all.body.value);
    expect(viaPolicy.body.value).toEqual(all.body.value);
    expect(all.body.value[0]).toMatchObject({
      id: emulator.tenant.sites()[0]!.protectionUnitId,
      policyId: policy.id,
      status: "protected",
      siteId: emulator.tenant.sites()[0]!.siteId,
    });
    // As documented, siteName and siteWebUrl are returned only with delegated permissions.
    expect(all.body.value[0]).not.toHaveProperty("siteWebUrl");
    expect(all.body.value[0]).not.toHaveProperty("siteName");
    emulator.apps.register({ clientId: "7d1f0c55-4c43-4b36-9a0e-3d9f5b0e2a11", displayName: "Signed-in admin", delegated: true });
    const delegated = await call(emulator, "GET", `${ROOT}/siteProtectionUnits`, {
      token: emulator.issueToken("7d1f0c55-4c43-4b36-9a0e-3d9f5b0e2a11"),
    });
    expect(delegated.body.value[0]).toMatchObject({ siteName: "Finance", siteWebUrl: "https://contoso.sharepoint.com/sites/finance" });
  });

  it("gets one unit and one policy, and answers 404 for unknown ones", async () => {
    const unitId = emulator.tenant.sites()[1]!.protectionUnitId;
    const unit = await call(emulator, "GET", `${ROOT}/siteProtectionUnits/${unitId}`);
    expect(unit.body).toMatchObject({ id: unitId, siteId: emulator.tenant.sites()[1]!.siteId });
    const policies = await call(emulator, "GET", `${ROOT}/sharePointProtectionPolicies`);
    expect(policies.body.value).toHaveLength(1);
    const policy = await call(emulator, "GET", `${ROOT}/sharePointProtectionPolicies/${policies.body.value[0].id}`);
    expect(policy.body).toMatchObject({ id: policies.body.value[0].id, status: "active" });
    const underPolicy = await call(emulator, "GET", `${ROOT}/sharePointProtectionPolicies/${policy.body.id}/siteProtectionUnits/${unitId}`);
    expect(underPolicy.body.id).toBe(unitId);
    expect((await call(emulator, "GET", `${ROOT}/siteProtectionUnits/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`)).status).toBe(404);
    expect((await call(emulator, "GET", `${ROOT}/sharePointProtectionPolicies/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`)).status).toBe(404);
  });
});

describe("restorePoints/search", () => {
  const units = () =>
    emulator.tenant
      .sites()
      .slice(0, 12)
      .map((s) => s.protectionUnitId);
  const UNKNOWN_UNIT = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  const times = (result: any) => result.body.searchResults.map((r: any) => r.restorePoint.protectionDateTime);
  const iso = (ms: number) => new Date(ms).toISOString();

  it("returns the five latest points of one unit, 10 minutes apart, with their protection unit", async () => {
    const result = await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: [units()[0]], restorePointPreference: "latest" } });
    expect(times(result)).toEqual([0, 1, 2, 3, 4].map((i) => iso(startMs - i * 10 * MINUTE)));
    expect(result.body.searchResults[0].restorePoint).toMatchObject({
      id: emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId),
      tags: "fastRestore",
      expirationDateTime: iso(startMs + 365 * DAY),
      protectionUnit: { id: units()[0], siteId: emulator.tenant.sites()[0]!.siteId },
    });
    expect(result.body.noResultProtectionUnitIds).toEqual([]);
  });

  it("switches to weekly points older than 14 days and stops at one year (oldest first)", async () => {
    const oldest = await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: [units()[0]], restorePointPreference: "oldest" } });
    const found = times(oldest).map((t: string) => Date.parse(t));
    expect(found).toHaveLength(5);
    for (const t of found) expect(t % (7 * DAY)).toBe(0);
    expect(found[0]).toBeGreaterThan(startMs - 365 * DAY);
    expect(found[0] - 7 * DAY).toBeLessThanOrEqual(startMs - 365 * DAY);
    expect(oldest.body.searchResults[0].restorePoint.tags).toBe("none");

    const window = { startDateTime: iso(startMs - 30 * DAY), endDateTime: iso(startMs - 15 * DAY) };
    const weekly = await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: [units()[0]], protectionTimePeriod: window } });
    const weeklyTimes = times(weekly).map((t: string) => Date.parse(t));
    expect(weeklyTimes.length).toBeGreaterThanOrEqual(2);
    expect(weeklyTimes[0] - weeklyTimes[1]).toBe(7 * DAY);
  });

  it("filters on fastRestore and on the period", async () => {
    const window = { startDateTime: iso(startMs - 20 * DAY), endDateTime: iso(startMs - 15 * DAY) };
    const none = await call(emulator, "POST", SEARCH, {
      body: { protectionUnitIds: [units()[0]], protectionTimePeriod: window, tags: "fastRestore" },
    });
    expect(none.body.searchResults).toEqual([]);
    expect(none.body.noResultProtectionUnitIds).toEqual([units()[0]]);
  });

  it("returns at most five points over many units, one per unit first, and lists units without points", async () => {
    const ids = [...units(), UNKNOWN_UNIT];
    const result = await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: ids } });
    expect(result.body.searchResults.map((r: any) => r.restorePoint.protectionUnit.id)).toEqual(ids.slice(0, 5));
    expect(result.body.noResultProtectionUnitIds).toEqual([UNKNOWN_UNIT]);
  });

  it("also answers at microsoft.graph.search", async () => {
    const result = await call(emulator, "POST", `${ROOT}/restorePoints/microsoft.graph.search`, {
      body: { protectionUnitIds: [units()[0]] },
    });
    expect(result.body.searchResults).toHaveLength(5);
  });

  it("rejects more than 20 units, no units, and malformed unit ids", async () => {
    const big = await startFrozen({ sites: 21 });
    try {
      const ids = big.tenant
        .sites()
        .slice(0, 21)
        .map((s) => s.protectionUnitId);
      expectGraphError(await call(big, "POST", SEARCH, { body: { protectionUnitIds: ids } }), 400, "InvalidSearchRequest");
      expect((await call(big, "POST", SEARCH, { body: { protectionUnitIds: ids.slice(0, 20) } })).status).toBe(200);
    } finally {
      await big.close();
    }
    expectGraphError(await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: [] } }), 400, "InvalidSearchRequest");
    expectGraphError(await call(emulator, "POST", SEARCH, { body: { protectionUnitIds: ["not-a-unit"] } }), 400, "InvalidProtectionUnitId");
  });

  it("moves the grid with the virtual clock: new points appear every 10 minutes", async () => {
    const site = emulator.tenant.sites()[0]!.siteId;
    const before = emulator.tenant.latestRestorePointId(site);
    emulator.clock.advance(9 * MINUTE);
    expect(emulator.tenant.latestRestorePointId(site)).toBe(before);
    emulator.clock.advance(1 * MINUTE);
    expect(emulator.tenant.latestRestorePointId(site)).not.toBe(before);
  });
});
