/** Contract: inclusion rules of the three workloads, under their policy and at the root, with the documented status machine and errors. */
import type { Emulator } from "../../emulator";
import { MINUTE, ROOT, call, expectGraphError, startFrozen } from "./emulator-helpers";

const PREFER = { prefer: "include-unknown-enum-members" };
const SP = `${ROOT}/sharePointProtectionPolicies`;
const OD = `${ROOT}/oneDriveForBusinessProtectionPolicies`;
const group = (emulator: Emulator, name: string) => emulator.tenant.groups().find((g) => g.displayName === name)!;
const members = (...ids: string[]) => `(memberOf -any (group.id -in [${ids.map((id) => `'${id}'`).join(", ")}]))`;

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startFrozen({ seedPolicies: false });
});
afterEach(() => emulator.close());

async function policy(collection: string, units: string, body: Record<string, unknown> = {}) {
  return (await call(emulator, "POST", collection, { body: { displayName: "Rules", [units]: [], ...body } })).body.id as string;
}

describe("site rules", () => {
  it("protects the sites an expression selects, and completes after 15 minutes", async () => {
    const id = await policy(SP, "siteProtectionUnits");
    const expression = "((displayName -contains 'Finance')  -or  (webUrl -contains 'legal'))";
    const created = await call(emulator, "POST", `${SP}/${id}/siteInclusionRules`, { body: { siteExpression: expression } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      "@odata.type": "#microsoft.graph.siteProtectionRule",
      status: "active",
      isAutoApplyEnabled: false,
      siteExpression: expression,
    });
    const units = await call(emulator, "GET", `${SP}/${id}/siteProtectionUnits`);
    expect(units.body.value.map((u: any) => u.siteId)).toEqual([emulator.tenant.sites()[0]!.siteId, emulator.tenant.sites()[2]!.siteId]);
    emulator.clock.advance(15 * MINUTE);
    for (const path of [`${SP}/${id}/siteInclusionRules/${created.body.id}`, `${ROOT}/siteInclusionRules/${created.body.id}`]) {
      expect((await call(emulator, "GET", path)).body.status).toBe("completed");
    }
    expect((await call(emulator, "GET", `${ROOT}/siteInclusionRules`)).body.value.map((r: any) => r.id)).toEqual([created.body.id]);
  });

  it("selects by change date, and refuses expressions it can't parse", async () => {
    const id = await policy(SP, "siteProtectionUnits");
    // Seeded sites changed one a day from 2025-01-06: the last two of the twelve.
    await call(emulator, "POST", `${SP}/${id}/siteInclusionRules`, {
      body: { siteExpression: "(lastModifiedDateTime -ge '2025-01-16T00:00:00Z') -and (webUrl -contains 'sites')" },
    });
    expect((await call(emulator, "GET", `${SP}/${id}/siteProtectionUnits`)).body.value.map((u: any) => u.siteId)).toEqual(
      emulator.tenant
        .sites()
        .slice(10, 13)
        .map((s) => s.siteId),
    );
    for (const siteExpression of ["(displayName -equals 'x')", "(displayName -contains 'ab')", "((displayName -contains 'Finance')"]) {
      expectGraphError(
        await call(emulator, "POST", `${SP}/${id}/siteInclusionRules`, { body: { siteExpression } }),
        400,
        "InvalidRuleExpression",
      );
    }
    expectGraphError(
      await call(emulator, "POST", `${SP}/${id}/siteInclusionRules`, {
        body: { siteExpression: "(displayName -contains 'Finance')", isAutoApplyEnabled: true },
      }),
      400,
      "InvalidInclusionRuleCreateRequest",
    );
  });

  it("runs a static rule again once applied (202), and refuses it while it is being applied", async () => {
    const id = await policy(SP, "siteProtectionUnits");
    const rule = (
      await call(emulator, "POST", `${SP}/${id}/siteInclusionRules`, { body: { siteExpression: "(displayName -contains 'Finance')" } })
    ).body.id;
    expectGraphError(await call(emulator, "POST", `${SP}/${id}/siteInclusionRules/${rule}/run`), 400, "ProtectionRuleActionNotAllowed");
    emulator.clock.advance(15 * MINUTE);
    const run = await call(emulator, "POST", `${ROOT}/siteInclusionRules/${rule}/run`);
    expect([run.status, run.body.status]).toEqual([202, "active"]);
    // Site rules are static: no PATCH, no deleteAndUnprotect (the docs list both for drives and mailboxes only).
    const patch = { body: { siteExpression: "(displayName -contains 'Legal')" }, unchecked: true };
    expectGraphError(await call(emulator, "PATCH", `${SP}/${id}/siteInclusionRules/${rule}`, patch), 405, "BadRequest");
    expectGraphError(
      await call(emulator, "DELETE", `${SP}/${id}/siteInclusionRules/${rule}`),
      400,
      "InvalidProtectionRuleStatusForDeletion",
    );
    const unprotect = await call(emulator, "POST", `${SP}/${id}/siteInclusionRules/${rule}/deleteAndUnprotect`, { unchecked: true });
    expectGraphError(unprotect, 400, "BadRequest");
    emulator.clock.advance(15 * MINUTE);
    expect((await call(emulator, "DELETE", `${SP}/${id}/siteInclusionRules/${rule}`)).status).toBe(204);
    expectGraphError(await call(emulator, "GET", `${ROOT}/siteInclusionRules/${rule}`), 404, "ProtectionRuleNotFound");
    // The units it brought in stay.
    expect((await call(emulator, "GET", `${SP}/${id}/siteProtectionUnits`)).body.value).toHaveLength(1);
    expectGraphError(await call(emulator, "GET", `${ROOT}/siteInclusionRules/nope`), 400, "InvalidInclusionRuleId");
  });
});

describe("drive and mailbox rules", () => {
  it("protects the members of a group with a static rule, and reports what it could not do", async () => {
    const id = await policy(`${ROOT}/exchangeProtectionPolicies`, "mailboxProtectionUnits");
    const finance = group(emulator, "Finance");
    const unknown = "0d0d0d0d-0000-4000-8000-000000000000";
    const created = await call(emulator, "POST", `${ROOT}/exchangeProtectionPolicies/${id}/mailboxInclusionRules`, {
      body: { mailboxExpression: members(finance.id, unknown) },
    });
    expect(created.body).toMatchObject({ "@odata.type": "#microsoft.graph.mailboxProtectionRule", isAutoApplyEnabled: false });
    const units = await call(emulator, "GET", `${ROOT}/exchangeProtectionPolicies/${id}/mailboxProtectionUnits`);
    expect(units.body.value.map((u: any) => u.directoryObjectId).sort()).toEqual([...finance.memberIds].sort());
    emulator.clock.advance(15 * MINUTE);
    const done = await call(emulator, "GET", `${ROOT}/mailboxInclusionRules/${created.body.id}`);
    expect(done.body).toMatchObject({
      status: "completedWithErrors",
      error: { code: "ProtectionResourcesNotFound", details: [{ code: "GroupNotFound", message: expect.any(String), target: unknown }] },
    });
    const tooMany = Array.from({ length: 4 }, () => finance.id);
    expectGraphError(
      await call(emulator, "POST", `${ROOT}/exchangeProtectionPolicies/${id}/mailboxInclusionRules`, {
        body: { mailboxExpression: members(...tooMany) },
      }),
      400,
      "InvalidInclusionRuleCreateRequest",
    );
    const overLimit = Array.from({ length: 101 }, () => finance.id);
    expectGraphError(
      await call(emulator, "POST", `${ROOT}/exchangeProtectionPolicies/${id}/mailboxInclusionRules`, {
        body: { mailboxExpression: members(...overLimit), isAutoApplyEnabled: true },
      }),
      413,
      "InvalidRuleExpressionGroupLimitExceeded",
    );
  });

  it("runs a dynamic rule's life: one per policy, PATCH re-applies it, its units can't be removed by hand, deleteAndUnprotect ends it", async () => {
    const id = await policy(OD, "driveProtectionUnits");
    const engineering = group(emulator, "Engineering");
    const finance = group(emulator, "Finance");
    const rules = `${OD}/${id}/driveInclusionRules`;
    const created = await call(emulator, "POST", rules, { body: { driveExpression: members(engineering.id), isAutoApplyEnabled: true } });
    expect(created.body).toMatchObject({ status: "active", isAutoApplyEnabled: true });
    const rule = created.body.id;
    expectGraphError(
      await call(emulator, "POST", rules, { body: { driveExpression: members(finance.id), isAutoApplyEnabled: true } }),
      400,
      "InvalidInclusionRuleCreateRequest",
    );
    const units = async () => (await call(emulator, "GET", `${OD}/${id}/driveProtectionUnits`)).body.value as any[];
    expect((await units()).map((u) => [u.directoryObjectId, u.protectionSources])).toEqual(
      engineering.memberIds.map((m) => [m, "dynamicRule"]),
    );
    expectGraphError(await call(emulator, "POST", `${rules}/${rule}/run`), 400, "RunNotAllowedForDynamicRule");
    expectGraphError(
      await call(emulator, "PATCH", `${rules}/${rule}`, { body: { driveExpression: members(finance.id) } }),
      400,
      "InvalidProtectionRuleStatusForUpdation",
    );
    expectGraphError(await call(emulator, "DELETE", `${rules}/${rule}`), 422, "InvalidProtectionRuleStatusForDynamicRuleDeletion");
    const dynamicUnit = (await units())[0].id;
    expectGraphError(
      await call(emulator, "PATCH", `${OD}/${id}`, {
        body: { "driveProtectionUnits@delta": [{ "@removed": { reason: "changed" }, id: dynamicUnit }] },
      }),
      400,
      "ProtectionUnitActionNotAllowed",
    );
    emulator.clock.advance(15 * MINUTE);
    expectGraphError(
      await call(emulator, "PATCH", `${rules}/${rule}`, { body: { driveExpression: members(finance.id), isAutoApplyEnabled: false } }),
      400,
      "InvalidProtectionRulePatchRequest",
    );
    const patched = await call(emulator, "PATCH", `${rules}/${rule}`, { body: { driveExpression: members(finance.id) }, headers: PREFER });
    expect([patched.status, patched.body.status]).toEqual([200, "updateRequested"]);
    // updateRequested is an evolvable member: hidden without the Prefer header.
    expect((await call(emulator, "GET", `${ROOT}/driveInclusionRules/${rule}`)).body.status).toBe("unknownFutureValue");
    const afterPatch = await units();
    const stillMember = (m: string) => finance.memberIds.includes(m);
    expect(afterPatch.filter((u) => !stillMember(u.directoryObjectId)).map((u) => u.status)).toEqual(
      engineering.memberIds.filter((m) => !stillMember(m)).map(() => "removeRequested"),
    );
    expect(
      afterPatch
        .filter((u) => stillMember(u.directoryObjectId))
        .map((u) => u.directoryObjectId)
        .sort(),
    ).toEqual([...finance.memberIds].sort());
    emulator.clock.advance(15 * MINUTE);
    const ended = await call(emulator, "POST", `${rules}/${rule}/deleteAndUnprotect`, { headers: PREFER });
    expect(ended.status).toBe(202);
    expect(ended.body).toEqual({ value: expect.objectContaining({ id: rule, status: "deleteRequested", isAutoApplyEnabled: true }) });
    expect((await units()).map((u) => u.status)).toEqual(finance.memberIds.map(() => "removeRequested"));
    expectGraphError(
      await call(emulator, "PATCH", `${rules}/${rule}`, { body: { driveExpression: members(finance.id) } }),
      422,
      "InvalidProtectionRuleStatusForDynamicRuleEdit",
    );
    expectGraphError(
      await call(emulator, "POST", `${rules}/${rule}/deleteAndUnprotect`),
      422,
      "InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll",
    );
    emulator.clock.advance(15 * MINUTE);
    expectGraphError(await call(emulator, "GET", `${rules}/${rule}`), 404, "ProtectionRuleNotFound");
    expect(await units()).toEqual([]);
  });

  it("reports objects another policy protects as ProtectionUnitAlreadyExists", async () => {
    const first = await policy(OD, "driveProtectionUnits", {
      driveProtectionUnits: [{ directoryObjectId: emulator.tenant.users()[0]!.directoryObjectId }],
    });
    const second = await policy(OD, "driveProtectionUnits");
    const rule = await call(emulator, "POST", `${OD}/${second}/driveInclusionRules`, {
      body: { driveExpression: members(group(emulator, "Finance").id) },
    });
    emulator.clock.advance(15 * MINUTE);
    const done = await call(emulator, "GET", `${OD}/${second}/driveInclusionRules/${rule.body.id}`);
    expect(done.body.error.details).toEqual([
      { code: "ProtectionUnitAlreadyExists", message: expect.stringContaining(first), target: "adele@contoso.com" },
    ]);
  });
});
