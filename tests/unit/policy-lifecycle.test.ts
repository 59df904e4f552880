/**
 * The Graph-facing half of the protection-policy provider against an in-memory fake: exact call
 * sequences, chunking, adoption, partial failures that keep the id, provenance of units, rules and
 * bulk jobs, activation, and delete's bounded wait on a clock the test owns.
 */
import { GraphRequestError } from "../../provider/graph";
import { create, read, remove, update, type PolicyContext } from "../../provider/engine/protection-policy/lifecycle";
import { diff } from "../../provider/engine/protection-policy/plan";
import { protectionPolicyInputRules } from "../../provider/schemas/inputs/protection-policy";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, type Workload } from "../../provider/workloads";
import { FakePolicyGraph } from "./policy-fake-graph";

const lines: string[] = [];
beforeEach(() => lines.splice(0));
const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const site = (n: number) => `contoso.sharepoint.com,${guid(n)},${guid(1000 + n)}`;
const sites = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => site(from + i));

function setup(workload: Workload = SHAREPOINT) {
  const fake = new FakePolicyGraph();
  const context: PolicyContext = { graph: fake.client, workload, log: (line) => lines.push(line), clock: fake.clock };
  const rules = protectionPolicyInputRules(workload);
  const checked = (news: Record<string, unknown>) => {
    const { inputs, failures } = rules.validate({ displayName: "Tier 1", ...news });
    expect(failures).toEqual([]);
    return inputs;
  };
  const parsed = (news: Record<string, unknown>) => rules.parse(checked(news));
  /** diff of stored outputs against a program; fails the test if diff touched Graph. */
  const changes = (outs: Record<string, unknown>, news: Record<string, unknown>) => {
    const before = fake.calls.length;
    const result = diff(workload, outs, checked(news));
    expect(fake.calls.length).toBe(before);
    return result;
  };
  return { fake, context, checked, parsed, changes };
}

const unitsOf = (outs: Record<string, unknown>, key = "siteProtectionUnits") => outs[key] as Record<string, unknown>[];

describe("create", () => {
  it("creates with the first 50 units, PATCHes the rest in chunks of 50, then activates: 4 calls for 120 units", async () => {
    const { fake, context, parsed, changes } = setup();
    const program = { siteIds: sites(0, 120) };
    const { id, outs } = await create(context, parsed(program));
    expect(fake.calls).toEqual([
      ["createPolicy", "Tier 1", sites(0, 50)],
      ["updatePolicy", id, { units: sites(50, 100).map((add) => ({ add })) }],
      ["updatePolicy", id, { units: sites(100, 120).map((add) => ({ add })) }],
      ["activatePolicy", id],
    ]);
    expect(outs).toMatchObject({ displayName: "Tier 1", status: "updating", active: true, siteIds: sites(0, 120), stateVersion: 1 });
    expect(unitsOf(outs).map((u) => u.siteId)).toEqual(sites(0, 120));
    expect(unitsOf(outs).every((u) => u.status === "protectRequested" && u.outOfBand === undefined)).toBe(true);
    // The first 50 came from the POST, which answers no units: their ids are learnt at the next read.
    expect(unitsOf(outs).filter((u) => u.id === undefined)).toHaveLength(50);
    expect(changes(outs, program).result).toEqual({ changes: false });
    expect(lines).toEqual([
      `SharePoint protection policy ${id}: 70 sites added, 0 removed`,
      `SharePoint protection policy ${id} activated (status updating)`,
    ]);
  });

  it("makes exactly one request for an inactive policy of at most 50 units", async () => {
    const { fake, context, parsed, changes } = setup();
    const { outs } = await create(context, parsed({ siteIds: sites(0, 50), active: false }));
    expect(fake.names()).toEqual(["createPolicy"]);
    expect(outs.status).toBe("inactive");
    expect(changes(outs, { siteIds: sites(0, 50), active: false }).result).toEqual({ changes: false });
  });

  it("sends names in bulk addition jobs of at most 50,000, creates rules, and runs a static rule Graph left in draft", async () => {
    const { fake, context, parsed, changes } = setup();
    fake.newRuleStatus = "draft";
    const names = Array.from({ length: 50_001 }, (_, i) => `https://contoso.sharepoint.com/sites/s${i}`);
    const program = { siteWebUrls: names, siteInclusionRules: [{ expression: "(displayName -contains 'Finance')" }], active: false };
    const { id, outs } = await create(context, parsed(program));
    expect(fake.calls.map(([name, ...args]) => (name === "createBulkJob" ? [name, (args[1] as string[]).length] : [name]))).toEqual([
      ["createPolicy"],
      ["createRule"],
      ["runRule"],
      ["createBulkJob", 50_000],
      ["createBulkJob", 1],
    ]);
    expect(fake.calls[0]).toEqual(["createPolicy", "Tier 1", []]);
    expect(fake.calls[1]).toEqual(["createRule", id, { expression: "(displayName -contains 'Finance')", autoApply: false }]);
    expect(fake.jobs.map((j) => j.displayName)).toEqual([
      "Tier 1: 50000 site URLs (1/2, 2026-11-30T10:00:00.000Z)",
      "Tier 1: 1 site URLs (2/2, 2026-11-30T10:00:00.000Z)",
    ]);
    expect((outs.siteProtectionUnitsBulkAdditionJobs as { names: string[] }[]).map((j) => j.names.length)).toEqual([50_000, 1]);
    expect(outs.siteInclusionRules).toEqual([
      expect.objectContaining({
        expression: "(displayName -contains 'Finance')",
        id: fake.rules[0]!.id,
        status: "active",
        siteExpression: "(displayName -contains 'Finance')",
      }),
    ]);
    expect(changes(outs, program).result).toEqual({ changes: false });
  });

  it("keeps the id with what Graph holds when a step after the POST fails; the next update finishes the work", async () => {
    const { fake, context, parsed, changes } = setup();
    fake.failures.push({ call: "updatePolicy", error: new Error("boom") });
    const program = { siteIds: sites(0, 60) };
    const failure = await create(context, parsed(program)).catch((e: unknown) => e);
    const id = fake.policies[0]!.id;
    expect(failure).toMatchObject({
      name: "PartialFailureError",
      id,
      message: `SharePoint protection policy ${id} exists, but adding units failed: boom. It is kept in the stack state; run \`pulumi up\` again to continue.`,
    });
    const properties = (failure as { properties: Record<string, unknown> }).properties;
    expect(unitsOf(properties)).toHaveLength(50);
    expect(properties.status).toBe("inactive");
    expect(changes(properties, program).result).toMatchObject({ changes: true });

    fake.calls.splice(0);
    const { outs } = await update(context, id, properties, parsed(program));
    expect(fake.calls).toEqual([
      ["listPolicyUnits", id],
      ["updatePolicy", id, { units: sites(50, 60).map((add) => ({ add })) }],
      ["activatePolicy", id],
    ]);
    expect(fake.units.map((u) => u.siteId).sort()).toEqual(sites(0, 60).sort());
    expect(changes(outs!, program).result).toEqual({ changes: false });
  });

  it("without adoptExisting, PolicyCreationNotAllowed names the existing policy and says how to adopt it", async () => {
    const { fake, context, parsed } = setup();
    fake.policies.push({ id: "p-old", workload: "sharePoint", displayName: "Admin's policy", status: "active" });
    const failure = (await create(context, parsed({ siteIds: [site(1)] })).catch((e: unknown) => e)) as GraphRequestError;
    expect(failure).toBeInstanceOf(GraphRequestError);
    expect(failure.message).toBe(
      "POST /policies -> 409 PolicyCreationNotAllowed: an active policy exists; Graph allows one active SharePoint protection policy per tenant, " +
        `and "Admin's policy" (p-old, active) is it; set adoptExisting: true to manage that policy with this resource ` +
        "(add the retainOnDelete resource option so that `pulumi destroy` leaves it in place)",
    );
    expect(fake.names()).toEqual(["createPolicy", "listPolicies"]);
  });
});

describe("an interrupted create", () => {
  const own = { application: { id: "app-1", displayName: "pulumi" } };

  it("finds the policy an earlier create of this resource made (this application, the program's name, only declared units) and finishes it", async () => {
    const { fake, context, parsed, changes } = setup();
    // The host died after Graph made the policy and activated it: the engine kept no id, and runs create again.
    fake.policies.push({ id: "p-lost", workload: "sharePoint", displayName: "Tier 1", status: "active", createdBy: own });
    fake.addUnit("p-lost", site(1));
    fake.settle();
    const program = { siteIds: [site(1), site(2)] };
    const { id, outs } = await create(context, parsed(program));
    expect(id).toBe("p-lost");
    expect(fake.calls).toEqual([
      ["createPolicy", "Tier 1", [site(1), site(2)]],
      ["listPolicies"],
      ["listPolicyUnits", "p-lost"],
      ["listRules", "p-lost"],
      ["updatePolicy", "p-lost", { units: [{ add: site(2) }] }],
    ]);
    expect(outs).toMatchObject({ active: true, siteIds: [site(1), site(2)] });
    expect(outs.adopted).toBeUndefined();
    expect(lines[0]).toBe(
      'SharePoint protection policy p-lost ("Tier 1") was made by an earlier create of this resource that did not finish ' +
        "(the engine kept no id for it); taking it over and finishing the work",
    );
    expect(changes(outs, program).result).toEqual({ changes: false });
  });

  it("leaves alone a policy of the same name and application that holds a unit the program does not declare: the refusal stands", async () => {
    const { fake, context, parsed } = setup();
    fake.policies.push({ id: "p-other", workload: "sharePoint", displayName: "Tier 1", status: "active", createdBy: own });
    fake.addUnit("p-other", site(1));
    fake.addUnit("p-other", site(7));
    fake.settle();
    const failure = (await create(context, parsed({ siteIds: [site(1)] })).catch((e: unknown) => e)) as GraphRequestError;
    expect(failure.code).toBe("PolicyCreationNotAllowed");
    expect(fake.names()).toEqual(["createPolicy", "listPolicies", "listPolicyUnits", "listRules"]);
    expect(fake.policies.map((p) => p.id)).toEqual(["p-other"]);
  });
});

describe("adoptExisting", () => {
  it("takes over the active policy, adds what the program adds, and leaves removals to the next up, whose diff says so", async () => {
    const { fake, context, parsed, changes } = setup();
    fake.policies.push({
      id: "p-old",
      workload: "sharePoint",
      displayName: "Admin's policy",
      status: "active",
      createdDateTime: "2026-01-01T00:00:00Z",
    });
    fake.nowMs -= 60_000;
    const kept = fake.addUnit("p-old", site(1));
    const stray = fake.addUnit("p-old", site(9));
    fake.rules.push({
      id: "r-admin",
      policyId: "p-old",
      status: "completed",
      isAutoApplyEnabled: false,
      siteExpression: "(webUrl -contains 'temp')",
    });
    fake.settle();
    fake.nowMs += 60_000;
    const program = {
      siteIds: [site(1), site(2)],
      siteInclusionRules: [{ expression: "(displayName -contains 'Finance')" }],
      adoptExisting: true,
    };

    const { id, outs } = await create(context, parsed(program));
    expect(id).toBe("p-old");
    expect(fake.calls).toEqual([
      ["createPolicy", "Tier 1", [site(1), site(2)]],
      ["listPolicies"],
      ["listPolicyUnits", "p-old"],
      ["listRules", "p-old"],
      ["updatePolicy", "p-old", { displayName: "Tier 1", units: [{ add: site(2) }] }],
      ["createRule", "p-old", { expression: "(displayName -contains 'Finance')", autoApply: false }],
    ]);
    expect(outs).toMatchObject({ adopted: true, displayName: "Tier 1" });
    expect(unitsOf(outs).map((u) => [u.siteId, u.outOfBand ?? false])).toEqual([
      [site(1), false],
      [site(9), true],
      [site(2), false],
    ]);
    expect((outs.siteInclusionRules as Record<string, unknown>[]).map((r) => [r.id, r.outOfBand ?? false])).toEqual([
      [fake.rules[1]!.id, false],
      ["r-admin", true],
    ]);
    expect(lines).toContain(
      "SharePoint protection policy p-old: 2 change(s) that remove protection (units or rules the program does not list, a changed dynamic rule, deactivation) are left for the next `pulumi up`, whose preview lists them",
    );

    const preview = changes(outs, program);
    expect(preview.result).toMatchObject({ changes: true });
    expect(preview.notes).toEqual([
      `SharePoint protection policy "Tier 1": 1 site added outside Pulumi (${site(9)}) will be removed from the policy, because the program lists the policy's contents; their existing backups are kept (and billed) until they expire`,
      `SharePoint protection policy "Tier 1": 1 inclusion rule(s) added outside Pulumi (r-admin) will be deleted`,
    ]);
    fake.calls.splice(0);
    const next = await update(context, id, outs, parsed(program));
    expect(fake.calls).toEqual([
      ["deleteRule", "r-admin"],
      ["listPolicyUnits", "p-old"],
      ["updatePolicy", "p-old", { units: [{ remove: stray.id }] }],
    ]);
    expect(changes(next.outs!, program).result).toEqual({ changes: false });
    expect(kept.status).toBe("protected");
  });
});

describe("update", () => {
  /** A setup whose `create` takes a program. */
  function setupWith(workload: Workload) {
    const s = setup(workload);
    return { ...s, create: (program: Record<string, unknown>) => create(s.context, s.parsed(program)) };
  }

  it("renames with one PATCH and no listing", async () => {
    const s = setupWith(SHAREPOINT);
    const { id, outs } = await s.create({ siteIds: [site(1)] });
    s.fake.calls.splice(0);
    const { outs: next } = await update(s.context, id, outs, s.parsed({ siteIds: [site(1)], displayName: "Tier 2" }));
    expect(s.fake.calls).toEqual([["updatePolicy", id, { displayName: "Tier 2" }]]);
    expect(next!.displayName).toBe("Tier 2");
  });

  it("adds and removes units with current ids after listing; the rename rides on the first PATCH", async () => {
    const s = setupWith(SHAREPOINT);
    const { id, outs } = await s.create({ siteIds: sites(0, 3) });
    await s.fake.clock.sleep(1000);
    const { props } = await read(s.context, id, outs);
    s.fake.calls.splice(0);
    const program = { siteIds: [site(0), site(5)], displayName: "Tier 2" };
    // Units the program listed and drops are an ordinary change: the preview has nothing to add.
    expect(s.changes(props!, program)).toEqual({ result: { changes: true, replaces: [], deleteBeforeReplace: false }, notes: [] });
    const { outs: next } = await update(s.context, id, props!, s.parsed(program));
    const ids = (n: number) => s.fake.units.find((u) => u.siteId === site(n))!.id;
    expect(s.fake.calls).toEqual([
      ["listPolicyUnits", id],
      ["updatePolicy", id, { displayName: "Tier 2", units: [{ remove: ids(1) }, { remove: ids(2) }, { add: site(5) }] }],
    ]);
    expect(unitsOf(next!).map((u) => [u.siteId, u.status])).toEqual([
      [site(0), "protected"],
      [site(1), "removeRequested"],
      [site(2), "removeRequested"],
      [site(5), "protectRequested"],
    ]);
    expect(s.changes(next!, program).result).toEqual({ changes: false });
  });

  it("a unit added outside Pulumi shows after a refresh, the preview says so, the next update removes it, then nothing", async () => {
    const s = setupWith(EXCHANGE);
    const program = { mailboxIds: [guid(1)] };
    const { id, outs } = await s.create(program);
    await s.fake.clock.sleep(1000);
    const stray = s.fake.addUnit(id, guid(7), "stray@contoso.com");
    const { props } = await read(s.context, id, outs);
    expect(unitsOf(props!, "mailboxProtectionUnits").find((u) => u.directoryObjectId === guid(7))).toMatchObject({
      outOfBand: true,
      email: "stray@contoso.com",
    });
    const preview = s.changes(props!, program);
    expect(preview.result).toMatchObject({ changes: true });
    expect(preview.notes[0]).toMatch(
      /^Exchange protection policy "Tier 1": 1 mailbox added outside Pulumi \(00000000-0000-4000-8000-000000000007\) will be removed/,
    );
    s.fake.calls.splice(0);
    const { outs: next } = await update(s.context, id, props!, s.parsed(program));
    expect(s.fake.calls).toEqual([
      ["listPolicyUnits", id],
      ["updatePolicy", id, { units: [{ remove: stray.id }] }],
    ]);
    expect(s.changes(next!, program)).toEqual({ result: { changes: false }, notes: [] });
  });

  it("a per-item failure names the unit; what did apply is kept in the state", async () => {
    const s = setupWith(SHAREPOINT);
    const { id, outs } = await s.create({ siteIds: [site(1), site(2)] });
    await s.fake.clock.sleep(1000);
    const { props } = await read(s.context, id, outs);
    // The unit disappears between the listing and the PATCH.
    const original = s.fake.client.listPolicyUnits;
    s.fake.client.listPolicyUnits = async (w, p) => {
      const listed = await original(w, p);
      s.fake.units.splice(
        s.fake.units.findIndex((u) => u.siteId === site(2)),
        1,
      );
      return listed;
    };
    const failure = await update(s.context, id, props!, s.parsed({ siteIds: [site(1), site(3)] })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "PartialFailureError", id });
    expect((failure as Error).message).toMatch(
      /^SharePoint protection policy p-1 exists, but updating units failed: PATCH \/policies\/p-1 -> 200 ProtectionUnitNotFound: 1 of 2 items failed: u-\d+ 409 ProtectionUnitNotFound\./,
    );
    const properties = (failure as { properties: Record<string, unknown> }).properties;
    expect(unitsOf(properties).find((u) => u.siteId === site(3))).toMatchObject({ status: "protectRequested" });
  });

  it("OneDrive: a dynamic rule's new groups are one PATCH of the rule, not a second rule", async () => {
    const s = setupWith(ONEDRIVE);
    const { id, outs } = await s.create({ driveInclusionRules: [{ groupIds: [guid(10)], autoApply: true }] });
    s.fake.calls.splice(0);
    const program = { driveInclusionRules: [{ groupIds: [guid(10), guid(11)], autoApply: true }] };
    expect(s.changes(outs, program).result).toMatchObject({ changes: true });
    const { outs: next } = await update(s.context, id, outs, s.parsed(program));
    const ruleId = s.fake.rules[0]!.id;
    expect(s.fake.calls).toEqual([["updateRule", ruleId, `(memberOf -any (group.id -in ['${guid(10)}', '${guid(11)}']))`]]);
    expect(s.fake.rules).toHaveLength(1);
    expect(next!.driveInclusionRules).toEqual([
      expect.objectContaining({ id: ruleId, groupIds: [guid(10), guid(11)], autoApply: true, isAutoApplyEnabled: true }),
    ]);
    expect(s.changes(next!, program).result).toEqual({ changes: false });
  });

  it("OneDrive: dropping a rule deletes it and removes the units only it brought in (kept when listed by id)", async () => {
    const s = setupWith(ONEDRIVE);
    s.fake.groups.set(guid(10), [guid(1), guid(2)]);
    const program = { userIds: [guid(2)], driveInclusionRules: [{ groupIds: [guid(10)] }] };
    const { id, outs } = await s.create(program);
    await s.fake.clock.sleep(60_000);
    const { props } = await read(s.context, id, outs);
    const rule = s.fake.rules[0]!;
    // Both are members of the group; the one listed by id came first (the POST) but at the same instant as the rule.
    expect(unitsOf(props!, "driveProtectionUnits").map((u) => [u.directoryObjectId, u.addedBy])).toEqual([
      [guid(2), [rule.id]],
      [guid(1), [rule.id]],
    ]);
    const smaller = { userIds: [guid(2)] };
    const preview = s.changes(props!, smaller);
    expect(preview.notes).toEqual([
      `OneDrive protection policy "Tier 1": 1 OneDrive brought in by rules or names the program no longer has (${guid(1)}) will be removed; existing backups are kept`,
    ]);
    s.fake.calls.splice(0);
    await update(s.context, id, props!, s.parsed(smaller));
    expect(s.fake.calls).toEqual([
      ["deleteRule", rule.id],
      ["listPolicyUnits", id],
      ["updatePolicy", id, { units: [{ remove: s.fake.units.find((u) => u.directoryObjectId === guid(1))!.id }] }],
    ]);
  });

  it("active: false deactivates and true activates again; a changed intent while updating waits for the policy to settle", async () => {
    const s = setupWith(SHAREPOINT);
    const { id, outs } = await s.create({ siteIds: [site(1)] });
    expect(outs.status).toBe("updating");
    s.fake.calls.splice(0);
    const off = { siteIds: [site(1)], active: false, statusWait: { pollIntervalSeconds: 10 } };
    expect(s.changes(outs, off).notes).toEqual([
      `SharePoint protection policy "Tier 1" will be deactivated: Microsoft 365 Backup stops taking new backups of its sites`,
    ]);
    const { outs: inactive } = await update(s.context, id, outs, s.parsed(off));
    expect(s.fake.calls).toEqual([
      ["getPolicy", id],
      ["sleep", 10_000],
      ["getPolicy", id],
      ["deactivatePolicy", id],
    ]);
    expect(inactive!.status).toBe("updating");
    expect(lines).toContain(
      `SharePoint protection policy ${id} is updating; waiting 10 s before looking again (giving up in 3600 s) to deactivate it`,
    );
    await s.fake.clock.sleep(1000);
    const { props } = await read(s.context, id, inactive!);
    expect(props!.status).toBe("inactive");
    expect(s.changes(props!, off).result).toEqual({ changes: false });
    s.fake.calls.splice(0);
    const on = { siteIds: [site(1)] };
    const preview = s.changes(props!, on);
    expect(preview.result).toMatchObject({ changes: true });
    await update(s.context, id, props!, s.parsed(on));
    expect(s.fake.calls).toEqual([["activatePolicy", id]]);
  });
});

describe("read", () => {
  it("a policy deleted outside Pulumi is gone (the next up creates it again)", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], active: false }));
    fake.policies.splice(0);
    expect(await read(context, id, outs)).toEqual({});
  });

  it("attributes units to bulk jobs by Graph's clock and by name, shows unresolved names, and returns the inputs for drift", async () => {
    const { fake, context, parsed, changes } = setup(ONEDRIVE);
    fake.directory.set("adele@contoso.com", guid(1));
    const program = { userEmails: ["adele@contoso.com", "ghost@contoso.com"], active: false };
    const { id, outs } = await create(context, parsed(program));
    await fake.clock.sleep(5000);
    fake.addUnit(id, guid(8), "walk-in@contoso.com");
    const result = await read(context, id, outs);
    const job = fake.jobs[0]!;
    expect(fake.names().slice(-4)).toEqual(["getPolicy", "listPolicyUnits", "listRules", "listBulkJobs"]);
    expect(unitsOf(result.props!, "driveProtectionUnits").map((u) => [u.email, u.addedBy, u.outOfBand])).toEqual([
      ["adele@contoso.com", [job.id], undefined],
      ["walk-in@contoso.com", undefined, true],
    ]);
    expect(result.props!.driveProtectionUnitsBulkAdditionJobs).toEqual([
      expect.objectContaining({
        id: job.id,
        status: "completedWithErrors",
        names: ["adele@contoso.com", "ghost@contoso.com"],
        error: { code: "PartialSuccess", details: [{ code: "NameNotFound", message: "'ghost@contoso.com' could not be resolved" }] },
      }),
    ]);
    expect(result.inputs).toEqual({
      displayName: "Tier 1",
      userEmails: ["adele@contoso.com", "ghost@contoso.com"],
      active: false,
      adoptExisting: false,
    });
    // The unresolved name is not sent again: its job's error says why.
    const preview = changes(result.props!, program);
    expect(preview.notes).toHaveLength(1);
    expect(preview.result).toMatchObject({ changes: true });
  });

  it("get() (no state) reads a policy without calling anything out of band", async () => {
    const { fake, context } = setup();
    fake.policies.push({ id: "p-x", workload: "sharePoint", displayName: "X", status: "active" });
    fake.addUnit("p-x", site(1));
    const { props } = await read(context, "p-x", {});
    expect(unitsOf(props!)).toEqual([expect.objectContaining({ siteId: site(1) })]);
    expect(unitsOf(props!)[0]!.outOfBand).toBeUndefined();
  });
});

describe("delete", () => {
  it("an active policy: deactivate, wait until inactive on the clock with a progress line, then DELETE", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], active: false }));
    fake.policies[0]!.status = "active";
    fake.calls.splice(0);
    await remove(context, id, { ...outs, status: "active" });
    // The first look after our deactivation is the DELETE itself.
    expect(fake.calls).toEqual([
      ["deactivatePolicy", id],
      ["sleep", 30_000],
      ["deletePolicy", id],
    ]);
    expect(fake.policies).toEqual([]);
    expect(lines.slice(-3)).toEqual([
      `SharePoint protection policy ${id} deactivated (status updating)`,
      `SharePoint protection policy ${id} is updating; waiting 30 s before looking again (giving up in 3600 s) to delete it`,
      `SharePoint protection policy ${id} deleted; the backups it made are kept (and billed) until their retention ends`,
    ]);
  });

  it("an inactive policy: one DELETE; a policy already gone: done", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], active: false }));
    fake.calls.splice(0);
    await remove(context, id, outs);
    expect(fake.calls).toEqual([["deletePolicy", id]]);
    fake.calls.splice(0);
    await remove(context, id, outs);
    expect(fake.calls).toEqual([["deletePolicy", id]]);
  });

  it("a policy still updating (units being added) waits, deactivates, waits, deletes", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], statusWait: { pollIntervalSeconds: 1 } }));
    fake.calls.splice(0);
    await remove(context, id, outs);
    expect(fake.calls).toEqual([
      ["getPolicy", id],
      ["sleep", 1000],
      ["getPolicy", id],
      ["deactivatePolicy", id],
      ["sleep", 1500],
      ["deletePolicy", id],
    ]);
  });

  it("when the first DELETE after the deactivation comes too early, it looks again and deletes once Graph is done", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], active: false, statusWait: { pollIntervalSeconds: 2 } }));
    fake.policies[0]!.status = "active";
    fake.calls.splice(0);
    // Graph takes longer than one poll to finish the deactivation: the first sleep lets nothing finish.
    const sleep = fake.clock.sleep;
    let sleeps = 0;
    fake.clock.sleep = async (ms) => {
      sleeps += 1;
      if (sleeps === 1) fake.calls.push(["sleep", ms]);
      else await sleep(ms);
    };
    await remove(context, id, { ...outs, status: "active" });
    expect(fake.calls).toEqual([
      ["deactivatePolicy", id],
      ["sleep", 2000],
      ["deletePolicy", id],
      ["getPolicy", id],
      ["sleep", 3000],
      ["getPolicy", id],
      ["deletePolicy", id],
    ]);
    expect(fake.policies).toEqual([]);
  });

  it("a look that fails for a moment is repeated at the next poll; three in a row end the wait", async () => {
    const blip = (status: number, code: string) =>
      new GraphRequestError({ method: "GET", path: "/policy", status, code, retryable: false });
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], statusWait: { pollIntervalSeconds: 1 } }));
    const failures: GraphRequestError[] = [blip(500, "InternalServerError"), blip(0, "ECONNRESET")];
    const getPolicy = fake.client.getPolicy;
    fake.client.getPolicy = async (workload, policyId) => {
      const failure = failures.shift();
      if (failure === undefined) return getPolicy(workload, policyId);
      fake.calls.push(["getPolicy failed", failure.code]);
      throw failure;
    };
    fake.calls.splice(0);
    await remove(context, id, outs);
    expect(fake.calls).toEqual([
      ["getPolicy failed", "InternalServerError"],
      ["sleep", 1000],
      ["getPolicy failed", "ECONNRESET"],
      ["sleep", 1500],
      ["getPolicy", id],
      ["deactivatePolicy", id],
      ["sleep", 2250],
      ["deletePolicy", id],
    ]);
    expect(lines.filter((line) => line.includes("looking at its status failed"))).toHaveLength(2);
    expect(fake.policies).toEqual([]);

    const again = setup();
    const created = await create(again.context, again.parsed({ siteIds: [site(2)] }));
    const third = blip(500, "InternalServerError");
    failures.push(blip(503, "ServiceUnavailable"), blip(0, "ECONNRESET"), third);
    again.fake.client.getPolicy = fake.client.getPolicy;
    await expect(remove(again.context, created.id, created.outs)).rejects.toBe(third);
    expect(again.fake.policies).toHaveLength(1);
  });

  it("a look refused for good (403) ends the wait at once", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)] }));
    const denied = new GraphRequestError({ method: "GET", path: "/policy", status: 403, code: "Forbidden", retryable: false });
    fake.client.getPolicy = async () => {
      throw denied;
    };
    fake.calls.splice(0);
    await expect(remove(context, id, outs)).rejects.toBe(denied);
    expect(fake.calls).toEqual([]);
  });

  it("gives up at the deadline with the last status; the policy stays in Graph and in the state", async () => {
    const { fake, context, parsed } = setup();
    const { id, outs } = await create(context, parsed({ siteIds: [site(1)], statusWait: { timeoutMinutes: 1, pollIntervalSeconds: 20 } }));
    fake.frozen = true;
    const failure = await remove(context, id, outs).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      name: "PolicyWaitTimeoutError",
      message: `timed out after 1 minute(s) waiting to deactivate and delete protection policy ${id} (last seen: updating); Graph keeps a policy updating while it adds or removes units. Run the command again later, or raise statusWait.timeoutMinutes`,
    });
    expect(fake.calls.filter(([name]) => name === "sleep").map(([, ms]) => ms)).toEqual([20_000, 30_000, 10_000]);
    expect(fake.policies).toHaveLength(1);
  });
});
