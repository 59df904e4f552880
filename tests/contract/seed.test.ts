/** Contract: the seeded directory and protection of the three workloads, its options, its scale, and the tenant API that reads it. */
import type { Emulator } from "../../emulator";
import { WORKLOADS } from "../../provider/workloads";
import { ROOT, call, startFrozen } from "./emulator-helpers";

describe("default seed", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startFrozen();
  });
  afterAll(() => emulator.close());

  it("has 8 protected users with OneDrives, then one unprotected user", () => {
    const users = emulator.tenant.users();
    expect(users).toHaveLength(9);
    expect(users.slice(0, 2)).toEqual([
      {
        directoryObjectId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "adele@contoso.com",
        displayName: "Adele Vance",
        oneDriveWebUrl: "https://contoso-my.sharepoint.com/personal/adele_contoso_com",
        protectionUnitId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
      expect.objectContaining({ email: "alex@contoso.com", displayName: "Alex Wilber" }),
    ]);
    expect(users[8]).toMatchObject({ email: "unprotected.user@contoso.com", protectionUnitId: "" });
    expect(new Set(users.map((u) => u.directoryObjectId)).size).toBe(9);
  });

  it("has the users' mailboxes, two shared mailboxes, then the unprotected user's mailbox", () => {
    const mailboxes = emulator.tenant.mailboxes();
    expect(mailboxes.map((m) => [m.email, m.kind, m.protectionUnitId !== ""])).toEqual([
      ...emulator.tenant
        .users()
        .slice(0, 8)
        .map((u) => [u.email, "user", true]),
      ["support@contoso.com", "shared", true],
      ["reception@contoso.com", "shared", true],
      ["unprotected.user@contoso.com", "user", false],
    ]);
    // A user mailbox is keyed by its user's directoryObjectId; its unit is not the OneDrive's.
    expect(mailboxes[0]!.directoryObjectId).toBe(emulator.tenant.users()[0]!.directoryObjectId);
    expect(mailboxes[0]!.protectionUnitId).not.toBe(emulator.tenant.users()[0]!.protectionUnitId);
  });

  it("has three groups whose members are users", () => {
    const ids = new Set(emulator.tenant.users().map((u) => u.directoryObjectId));
    const groups = emulator.tenant.groups();
    expect(groups.map((g) => [g.displayName, g.memberIds.length])).toEqual([
      ["All Company", 8],
      ["Finance", 3],
      ["Engineering", 4],
    ]);
    for (const group of groups) for (const member of group.memberIds) expect(ids.has(member)).toBe(true);
  });

  it("protects each workload with one active policy covering every seeded object but the unprotected one", async () => {
    const policies = emulator.tenant.policies();
    expect(policies.map((p) => [p.workload, p.status, p.units.length])).toEqual([
      ["sharePoint", "active", 12],
      ["oneDrive", "active", 8],
      ["exchange", "active", 10],
    ]);
    for (const workload of WORKLOADS) {
      const listed = await call(emulator, "GET", `${ROOT}/${workload.protectionUnit.collection}`);
      expect(listed.body.value.map((u: any) => u.status)).toEqual(Array(listed.body.value.length).fill("protected"));
      expect(listed.body.value.map((u: any) => u.id)).toEqual(emulator.tenant.protectionUnits(workload.name).map((u) => u.id));
    }
  });

  it("finds the latest restore point by site id or URL, by user id or email, and per workload", () => {
    const site = emulator.tenant.sites()[1]!;
    const user = emulator.tenant.users()[1]!;
    expect(emulator.tenant.latestRestorePointId(site.siteWebUrl)).toBe(emulator.tenant.latestRestorePointId(site.siteId));
    expect(emulator.tenant.latestRestorePointId(user.email)).toBe(
      emulator.tenant.latestRestorePointIdFor("oneDrive", user.directoryObjectId),
    );
    expect(emulator.tenant.latestRestorePointId(user.email).startsWith(`${user.protectionUnitId}_`)).toBe(true);
    const mailbox = emulator.tenant.mailboxes()[1]!;
    expect(emulator.tenant.latestRestorePointIdFor("exchange", user.email).startsWith(`${mailbox.protectionUnitId}_`)).toBe(true);
    expect(() => emulator.tenant.latestRestorePointIdFor("exchange", "unprotected.user@contoso.com")).toThrow(/unprotected/);
  });
});

describe("seed options", () => {
  it("names users past the eighth user-0009@ and so on, and makes mailboxes past the users shared ones", async () => {
    const emulator = await startFrozen({ users: 10, mailboxes: 12 });
    try {
      expect(
        emulator.tenant
          .users()
          .map((u) => u.email)
          .slice(7, 11),
      ).toEqual(["megan@contoso.com", "user-0009@contoso.com", "user-0010@contoso.com", "unprotected.user@contoso.com"]);
      const mailboxes = emulator.tenant.mailboxes();
      expect(mailboxes.map((m) => m.email).slice(9, 14)).toEqual([
        "user-0010@contoso.com",
        "shared-0001@contoso.com",
        "shared-0002@contoso.com",
        "support@contoso.com",
        "reception@contoso.com",
      ]);
      expect(mailboxes.filter((m) => m.protectionUnitId !== "")).toHaveLength(14);
    } finally {
      await emulator.close();
    }
  });

  it("starts without policies, units or restore points when seedPolicies is false", async () => {
    const emulator = await startFrozen({ seedPolicies: false });
    try {
      expect(emulator.tenant.policies()).toEqual([]);
      expect(emulator.tenant.protectionUnits()).toEqual([]);
      expect(emulator.tenant.sites().filter((s) => s.protectionUnitId !== "")).toEqual([]);
      expect(() => emulator.tenant.latestRestorePointId(emulator.tenant.sites()[0]!.siteId)).toThrow(/No restore point/);
      expect((await call(emulator, "GET", `${ROOT}/protectionPolicies`)).body.value).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it("seeds 10,000 sites and 10,000 users, with their units", async () => {
    const emulator = await startFrozen({ sites: 10_000, users: 10_000 });
    try {
      expect([emulator.tenant.sites().length, emulator.tenant.users().length, emulator.tenant.mailboxes().length]).toEqual([
        10_001, 10_001, 10_003,
      ]);
      expect(WORKLOADS.map((w) => emulator.tenant.protectionUnits(w.name).length)).toEqual([10_000, 10_000, 10_002]);
      expect(emulator.tenant.users()[9_999]!.email).toBe("user-10000@contoso.com");
      const page = await call(emulator, "GET", `${ROOT}/driveProtectionUnits?$top=999`);
      expect(page.body.value).toHaveLength(999);
      expect(page.body["@odata.nextLink"]).toEqual(expect.any(String));
      const last = emulator.tenant.sites()[9_999]!;
      expect(emulator.tenant.latestRestorePointId(last.siteWebUrl).startsWith(`${last.protectionUnitId}_`)).toBe(true);
    } finally {
      await emulator.close();
    }
  });
});
