/**
 * The three protection-policy resources through the real @pulumi/pulumi dynamic-provider host,
 * with the package linked into a program directory, against the emulator over TLS: create with 120
 * units, read, update (units added and removed, rules, names), activate and deactivate, drift made
 * outside Pulumi, bulk jobs with names the service cannot resolve, out-of-band deletion, delete
 * with the deactivate wait, and adoption. Every Graph request is asserted from the emulator's journal.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, type Workload } from "../../provider/workloads";
import { startHost, urnFor, type Host } from "../support/host";
import { makeProgramDir, serializedResourceProviderText } from "../support/program-dir";
import { testCa } from "../support/test-ca";

const ROOT = "/v1.0/solutions/backupRestore";
const MINUTES_16 = 16 * 60_000;
/** Virtual time per real time that lets a 15-minute status change pass within one 0.2 s poll. */
const FAST = 6000;

/** What differs per workload in these tests: the objects the emulator seeds, and a rule that selects a few. */
interface Case {
  workload: Workload;
  resource: string;
  keys(emulator: Emulator): string[];
  names(emulator: Emulator): string[];
  ghost: string;
  rule(emulator: Emulator): Record<string, unknown>;
}

const CASES: Case[] = [
  {
    workload: SHAREPOINT,
    resource: "SharePointProtectionPolicy",
    keys: (e) => e.tenant.sites().map((s) => s.siteId),
    names: (e) => e.tenant.sites().map((s) => s.siteWebUrl),
    ghost: "https://contoso.sharepoint.com/sites/ghost",
    rule: () => ({ expression: "(displayName -contains 'Finance')" }),
  },
  {
    workload: ONEDRIVE,
    resource: "OneDriveProtectionPolicy",
    keys: (e) => e.tenant.users().map((u) => u.directoryObjectId),
    names: (e) => e.tenant.users().map((u) => u.email),
    ghost: "ghost@contoso.com",
    rule: (e) => ({ groupIds: [e.tenant.groups().find((g) => g.displayName === "Finance")!.id], autoApply: true }),
  },
  {
    workload: EXCHANGE,
    resource: "ExchangeProtectionPolicy",
    keys: (e) => e.tenant.mailboxes().map((m) => m.directoryObjectId),
    names: (e) => e.tenant.mailboxes().map((m) => m.email),
    ghost: "ghost@contoso.com",
    rule: (e) => ({ groupIds: [e.tenant.groups().find((g) => g.displayName === "Finance")!.id] }),
  },
];

let emulator: Emulator;
let host: Host;
const providers = new Map<string, string>();

beforeAll(async () => {
  emulator = await startEmulator({ tls: testCa(), seedPolicies: false, sites: 140, users: 140 });
  host = await startHost({ cwd: makeProgramDir() });
  await host.configure({ "m365-backup:graphEndpoint": emulator.url, "m365-backup:accessToken": emulator.accessToken });
  for (const { resource } of CASES)
    providers.set(resource, await serializedResourceProviderText(resource, { displayName: "probe", active: false }));
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
});
beforeEach(() => {
  emulator.journal.clear();
  emulator.clock.setSpeed(1);
});

const graphRequests = () => emulator.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
/** A read GETs the policy, then lists units, rules (and jobs) at once: their order in the journal varies. */
const readRequests = () => [graphRequests()[0], ...graphRequests().slice(1).sort()];
const bodies = () => emulator.journal.entries().map((e) => e.body as Record<string, unknown>);
const policyIn = (id: string) => emulator.tenant.policies().find((p) => p.id === id)!;
/** The emulator pages lists by 100: how many GETs listing a policy's units takes now. */
const unitPages = (id: string) => Math.max(1, Math.ceil(policyIn(id).units.filter((u) => u.status !== "removed").length / 100));
const liveKeys = (id: string) =>
  policyIn(id)
    .units.filter((u) => u.status !== "removed" && u.status !== "removeRequested")
    .map((u) => u.key)
    .sort();

describe.each(CASES)("$resource through the real provider host", (c) => {
  const { workload } = c;
  const { collection: units, key } = workload.protectionUnit;
  const { collection, unitIdsInput, unitNamesInput, rules: rulesKey, bulkJobs } = workload.protectionPolicy;
  const POLICIES = `${ROOT}/${collection}`;
  const urn = urnFor("posture", `pulumi-nodejs:dynamic/m365-backup:${c.resource}`);
  const props = (inputs: Record<string, unknown>) => ({ ...inputs, __provider: providers.get(c.resource)! });
  async function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
    const result = await host.check(urn, olds, props(news));
    expect(result.failures).toEqual([]);
    return result.inputs;
  }
  // Objects 10.. are declared by id; 0..2 are what the rule selects; 3.. are for names and drift.
  const keys = () => c.keys(emulator).slice(10, 130);
  let id: string;
  let state: Record<string, unknown>;
  let program: Record<string, unknown>;

  it("1. check fills the defaults and names the property of bad input, without calling Graph", async () => {
    program = { displayName: `${workload.title} tier 1`, [unitIdsInput]: keys() };
    expect(await checked(program)).toEqual(props({ ...program, active: true, adoptExisting: false }));
    const bad = await host.check(urn, {}, props({ displayName: "", [unitIdsInput]: [keys()[0], keys()[0]], retentionSettings: [] }));
    expect(bad.failures).toEqual([
      { property: "displayName", reason: "must not be empty" },
      {
        property: "retentionSettings",
        reason: "retention is set by the service and cannot be changed through Graph; it is shown in the retentionSettings output",
      },
      { property: `${unitIdsInput}[1]`, reason: `names the same ${workload.noun.one} as ${unitIdsInput}[0]` },
    ]);
    expect(graphRequests()).toEqual([]);
  });

  it("2. create with 120 units: one POST with 50, two PATCHes (50, 20), one activation", async () => {
    const created = await host.create(urn, await checked(program));
    id = created.id;
    expect(graphRequests()).toEqual([
      `POST ${POLICIES} 201`,
      `PATCH ${POLICIES}/${id} 200`,
      `PATCH ${POLICIES}/${id} 200`,
      `POST ${ROOT}/protectionPolicies/${id}/activate 202`,
    ]);
    expect((bodies()[0]![units] as unknown[]).length).toBe(50);
    expect((bodies()[1]![`${units}@delta`] as unknown[]).length).toBe(50);
    expect(bodies()[2]![`${units}@delta`]).toEqual(
      keys()
        .slice(100)
        .map((k) => ({ [key]: k })),
    );
    expect(liveKeys(id)).toEqual([...keys()].sort());
    expect(policyIn(id).status).toBe("updating");
    expect(created.properties).toMatchObject({
      displayName: `${workload.title} tier 1`,
      status: "updating",
      active: true,
      createdBy: { application: { id: emulator.demoApp.clientId } },
      retentionSettings: [
        { interval: "R/PT10M", period: "P14D" },
        { interval: "R/P1W", period: "P365D" },
      ],
    });
    await host.waitForOutput(`${workload.title} protection policy ${id} activated (status updating)`);
    state = created.properties;
  });

  it("3. read: the policy, its units and its rules; the same program is then no change, without Graph", async () => {
    emulator.clock.advance(MINUTES_16);
    const listUnits = Array(unitPages(id)).fill(`GET ${POLICIES}/${id}/${units} 200`);
    expect(listUnits).toHaveLength(2);
    const read = await host.read(id, urn, state);
    expect(readRequests()).toEqual([`GET ${POLICIES}/${id} 200`, ...[...listUnits, `GET ${POLICIES}/${id}/${rulesKey} 200`].sort()]);
    expect(read.properties.status).toBe("active");
    const listed = read.properties[units] as Record<string, unknown>[];
    expect(listed).toHaveLength(120);
    expect(listed.every((u) => typeof u.id === "string" && u.status === "protected" && u.outOfBand === undefined)).toBe(true);
    state = read.properties;
    emulator.journal.clear();
    expect(await host.diff(id, urn, state, await checked(program))).toMatchObject({ changes: "NONE", replaces: [] });
    expect(graphRequests()).toEqual([]);
  });

  it("4. update: 5 added and 10 removed in one PATCH, with current unit ids", async () => {
    const wanted = [...keys().slice(10), ...c.keys(emulator).slice(130, 135)];
    const news = await checked({ ...program, [unitIdsInput]: wanted }, program);
    expect(await host.diff(id, urn, state, news)).toMatchObject({ changes: "SOME", replaces: [] });
    const listUnits = Array(unitPages(id)).fill(`GET ${POLICIES}/${id}/${units} 200`);
    const updated = await host.update(id, urn, state, news);
    expect(graphRequests()).toEqual([...listUnits, `PATCH ${POLICIES}/${id} 200`]);
    const patch = bodies()[listUnits.length]!;
    const removedIds = (state[units] as { id: string; [k: string]: unknown }[])
      .filter((u) =>
        keys()
          .slice(0, 10)
          .includes(u[key] as string),
      )
      .map((u) => u.id);
    expect(patch).toEqual({
      [`${units}@delta`]: [
        ...removedIds.map((unitId) => ({ "@removed": { reason: "changed" }, id: unitId })),
        ...c
          .keys(emulator)
          .slice(130, 135)
          .map((k) => ({ [key]: k })),
      ],
    });
    expect(liveKeys(id)).toEqual([...wanted].sort());
    program = { ...program, [unitIdsInput]: wanted };
    state = updated.properties;
    expect(await host.diff(id, urn, state, news)).toMatchObject({ changes: "NONE" });
  });

  it("5. active: false deactivates with one POST; active: true activates again", async () => {
    emulator.clock.advance(MINUTES_16);
    state = (await host.read(id, urn, state)).properties;
    expect(state.status).toBe("active");
    emulator.journal.clear();
    const off = await checked({ ...program, active: false }, program);
    expect(await host.diff(id, urn, state, off)).toMatchObject({ changes: "SOME" });
    const deactivated = await host.update(id, urn, state, off);
    expect(graphRequests()).toEqual([`POST ${ROOT}/protectionPolicies/${id}/deactivate 202`]);
    await host.waitForOutput(`preview: ${workload.title} protection policy "${workload.title} tier 1" will be deactivated`);
    emulator.clock.advance(MINUTES_16);
    state = (await host.read(id, urn, deactivated.properties)).properties;
    expect(state.status).toBe("inactive");
    expect(await host.diff(id, urn, state, off)).toMatchObject({ changes: "NONE" });
    emulator.journal.clear();
    const on = await checked(program, off);
    expect(await host.diff(id, urn, state, on)).toMatchObject({ changes: "SOME" });
    state = (await host.update(id, urn, state, on)).properties;
    expect(graphRequests()).toEqual([`POST ${ROOT}/protectionPolicies/${id}/activate 202`]);
    expect(policyIn(id).status).toBe("updating");
  });

  it("6. a unit added outside Pulumi shows after a refresh, the preview says it will go, the next update removes it", async () => {
    emulator.clock.advance(MINUTES_16);
    const stray = emulator.tenant.addPolicyUnit(id, c.keys(emulator)[5]!);
    state = (await host.read(id, urn, state)).properties;
    expect((state[units] as Record<string, unknown>[]).find((u) => u.id === stray.id)).toMatchObject({ outOfBand: true });
    emulator.journal.clear();
    expect(await host.diff(id, urn, state, await checked(program))).toMatchObject({ changes: "SOME" });
    await host.waitForOutput(
      new RegExp(`preview: .*1 ${workload.noun.one} added outside Pulumi \\(${stray.key}\\) will be removed from the policy`),
    );
    emulator.journal.clear();
    const listUnits = Array(unitPages(id)).fill(`GET ${POLICIES}/${id}/${units} 200`);
    state = (await host.update(id, urn, state, await checked(program))).properties;
    expect(graphRequests()).toEqual([...listUnits, `PATCH ${POLICIES}/${id} 200`]);
    expect(bodies()[listUnits.length]).toEqual({ [`${units}@delta`]: [{ "@removed": { reason: "changed" }, id: stray.id }] });
    expect(emulator.tenant.protectionUnits(workload.name).find((u) => u.id === stray.id)!.status).toBe("removeRequested");
    expect(await host.diff(id, urn, state, await checked(program))).toMatchObject({ changes: "NONE" });
  });

  it("7. names go out in a bulk job; after it ran, refresh shows the name it could not resolve, and the unit it added is the job's", async () => {
    const name = c.names(emulator)[6]!;
    const news = await checked({ ...program, [unitNamesInput]: [name, c.ghost] }, program);
    state = (await host.update(id, urn, state, news)).properties;
    expect(graphRequests()).toEqual([`POST ${POLICIES}/${id}/${bulkJobs} 201`]);
    expect(bodies()[0]).toMatchObject({ [workload.protectionPolicy.bulkJobNames]: [name, c.ghost] });
    emulator.clock.advance(MINUTES_16);
    emulator.journal.clear();
    const listUnits = Array(unitPages(id)).fill(`GET ${POLICIES}/${id}/${units} 200`);
    state = (await host.read(id, urn, state)).properties;
    expect(readRequests()).toEqual([
      `GET ${POLICIES}/${id} 200`,
      ...[...listUnits, `GET ${POLICIES}/${id}/${rulesKey} 200`, `GET ${POLICIES}/${id}/${bulkJobs} 200`].sort(),
    ]);
    const [job] = state[bulkJobs] as { id: string; status: string; names: string[]; error: { details: { message: string }[] } }[];
    expect(job).toMatchObject({ status: "completedWithErrors", names: [name, c.ghost] });
    expect(job!.error.details.map((d) => d.message)).toEqual([expect.stringContaining(c.ghost)]);
    const added = (state[units] as Record<string, unknown>[]).find((u) => u[key] === c.keys(emulator)[6]);
    expect(added).toMatchObject({ addedBy: [job!.id] });
    expect(added!.outOfBand).toBeUndefined();
    program = { ...program, [unitNamesInput]: [name, c.ghost] };
    expect(await host.diff(id, urn, state, news)).toMatchObject({ changes: "NONE" });
  });

  it("8. a rule brings its objects in; dropping it deletes it and removes what only it brought in", async () => {
    const withRule = await checked({ ...program, [rulesKey]: [c.rule(emulator)] }, program);
    state = (await host.update(id, urn, state, withRule)).properties;
    // An update looks at the rules before it creates one: an earlier attempt may have made it.
    expect(graphRequests()).toEqual([`GET ${POLICIES}/${id}/${rulesKey} 200`, `POST ${POLICIES}/${id}/${rulesKey} 201`]);
    const ruleId = (state[rulesKey] as { id: string }[])[0]!.id;
    emulator.clock.advance(MINUTES_16);
    state = (await host.read(id, urn, state)).properties;
    const selected = c.keys(emulator).slice(0, workload === SHAREPOINT ? 1 : 3);
    const fromRule = (state[units] as Record<string, unknown>[]).filter((u) => (u.addedBy as string[] | undefined)?.includes(ruleId));
    expect(fromRule.map((u) => u[key]).sort()).toEqual([...selected].sort());
    expect(await host.diff(id, urn, state, withRule)).toMatchObject({ changes: "NONE" });

    emulator.journal.clear();
    const without = await checked(program, withRule);
    expect(await host.diff(id, urn, state, without)).toMatchObject({ changes: "SOME" });
    const listUnits = Array(unitPages(id)).fill(`GET ${POLICIES}/${id}/${units} 200`);
    state = (await host.update(id, urn, state, without)).properties;
    expect(graphRequests()).toEqual([`DELETE ${POLICIES}/${id}/${rulesKey}/${ruleId} 204`, ...listUnits, `PATCH ${POLICIES}/${id} 200`]);
    expect(((bodies()[1 + listUnits.length]![`${units}@delta`] as { id: string }[]) ?? []).map((d) => d.id).sort()).toEqual(
      fromRule.map((u) => u.id as string).sort(),
    );
    expect(await host.diff(id, urn, state, without)).toMatchObject({ changes: "NONE" });
  });

  it("9. a policy deleted outside Pulumi reads as gone, so the next up creates it again", async () => {
    emulator.tenant.deletePolicy(id);
    expect((await host.read(id, urn, state)).id).toBe("");
  });

  it("10. delete: deactivate, wait until inactive (with a progress line), then DELETE: two requests", async () => {
    const small = await checked({
      displayName: `${workload.title} tier 2`,
      [unitIdsInput]: keys().slice(0, 20),
      statusWait: { pollIntervalSeconds: 0.2 },
    });
    const created = await host.create(urn, small);
    emulator.clock.advance(MINUTES_16);
    const active = (await host.read(created.id, urn, created.properties)).properties;
    expect(active.status).toBe("active");
    emulator.journal.clear();
    emulator.clock.setSpeed(FAST);
    await host.delete(created.id, urn, active);
    expect(graphRequests()).toEqual([
      `POST ${ROOT}/protectionPolicies/${created.id}/deactivate 202`,
      `DELETE ${ROOT}/protectionPolicies/${created.id} 204`,
    ]);
    expect(policyIn(created.id).status).toBe("deleted");
    await host.waitForOutput(`${workload.title} protection policy ${created.id} is updating; waiting 0.2 s before looking again`);
    await host.waitForOutput(
      `${workload.title} protection policy ${created.id} deleted; the backups it made are kept (and billed) until their retention ends`,
    );
  });
});

describe("adoptExisting, against a tenant whose policies exist", () => {
  let seeded: Emulator;
  let seededHost: Host;
  beforeAll(async () => {
    seeded = await startEmulator({ tls: testCa() });
    seededHost = await startHost({ cwd: makeProgramDir() });
    await seededHost.configure({ "m365-backup:graphEndpoint": seeded.url, "m365-backup:accessToken": seeded.accessToken });
  });
  afterAll(async () => {
    await seededHost?.close();
    await seeded?.close();
  });

  it.each(CASES)(
    "$resource: without it, PolicyCreationNotAllowed says how to adopt; with it, the policy is taken over and the next up removes what the program does not list",
    async (c) => {
      const { workload } = c;
      const { collection: units, key } = workload.protectionUnit;
      const { collection, unitIdsInput } = workload.protectionPolicy;
      const POLICIES = `${ROOT}/${collection}`;
      const urn = urnFor("adopted", `pulumi-nodejs:dynamic/m365-backup:${c.resource}`);
      const props = (inputs: Record<string, unknown>) => ({ ...inputs, __provider: providers.get(c.resource)! });
      const existing = seeded.tenant.policies().find((p) => p.workload === workload.name && p.status !== "deleted")!;
      const all = c.keys(seeded);
      // The last seeded object is the one no policy protects.
      const program = { displayName: `${workload.title} adopted`, [unitIdsInput]: [all[0]!, all[all.length - 1]!] };
      const inputs = (await seededHost.check(urn, {}, props(program))).inputs;

      seeded.journal.clear();
      await expect(seededHost.create(urn, inputs)).rejects.toThrow(
        new RegExp(
          `409 PolicyCreationNotAllowed: .*Graph allows one active ${workload.title} protection policy per tenant, and "${existing.displayName}" \\(${existing.id}, active\\) is it; set adoptExisting: true`,
        ),
      );
      expect(seeded.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
        `POST ${POLICIES} 409`,
        `GET ${POLICIES} 200`,
      ]);

      seeded.journal.clear();
      const adopting = (await seededHost.check(urn, {}, props({ ...program, adoptExisting: true }))).inputs;
      const created = await seededHost.create(urn, adopting);
      expect(created.id).toBe(existing.id);
      expect(seeded.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
        `POST ${POLICIES} 409`,
        `GET ${POLICIES} 200`,
        `GET ${POLICIES}/${existing.id}/${units} 200`,
        `GET ${POLICIES}/${existing.id}/${workload.protectionPolicy.rules} 200`,
        `PATCH ${POLICIES}/${existing.id} 200`,
      ]);
      expect(seeded.journal.entries()[4]!.body).toEqual({
        displayName: `${workload.title} adopted`,
        [`${units}@delta`]: [{ [key]: all[all.length - 1] }],
      });
      expect(created.properties.adopted).toBe(true);
      const strays = (created.properties[units] as Record<string, unknown>[]).filter((u) => u.outOfBand === true);
      expect(strays.map((u) => u[key]).sort()).toEqual(all.slice(1, -1).sort());
      await seededHost.waitForOutput(`adopting the tenant's ${workload.title} protection policy ${existing.id}`);

      seeded.journal.clear();
      expect(await seededHost.diff(existing.id, urn, created.properties, adopting)).toMatchObject({ changes: "SOME" });
      await seededHost.waitForOutput(new RegExp(`preview: .*${strays.length} ${workload.noun.many} added outside Pulumi`));
      const updated = await seededHost.update(existing.id, urn, created.properties, adopting);
      const requests = seeded.journal.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
      expect(requests).toEqual([
        `GET ${POLICIES}/${existing.id}/${units} 200`,
        ...Array(Math.ceil(strays.length / 50)).fill(`PATCH ${POLICIES}/${existing.id} 200`),
      ]);
      expect(await seededHost.diff(existing.id, urn, updated.properties, adopting)).toMatchObject({ changes: "NONE" });
      const live = seeded.tenant
        .policies()
        .find((p) => p.id === existing.id)!
        .units.filter((u) => u.status !== "removed" && u.status !== "removeRequested");
      expect(live.map((u) => u.key).sort()).toEqual([all[0]!, all[all.length - 1]!].sort());
    },
  );
});
