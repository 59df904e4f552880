/** Contract: protection-unit bulk addition jobs of the three workloads, under their policy. */
import type { Emulator } from "../../emulator";
import { LIMITS, WORKLOADS, type Workload } from "../../provider/workloads";
import { MINUTE, ROOT, START, call, expectGraphError, startFrozen } from "./emulator-helpers";

/** Per workload: names to add, one the directory does not know, the detail code for it, and the key of the first object. */
function namesOf(emulator: Emulator, workload: Workload) {
  if (workload.name === "sharePoint") {
    const sites = emulator.tenant.sites();
    return {
      names: [sites[0]!.siteWebUrl, sites[1]!.siteWebUrl],
      unknown: "https://contoso.sharepoint.com/sites/nowhere",
      detail: "SiteUrlNotFound",
      ids: [sites[2]!.siteId],
    };
  }
  const objects = workload.name === "oneDrive" ? emulator.tenant.users() : emulator.tenant.mailboxes();
  return {
    names: [objects[0]!.email, objects[1]!.email],
    unknown: "nobody@contoso.com",
    detail: "EmailNotFound",
    ids: [objects[2]!.directoryObjectId],
  };
}

describe.each(WORKLOADS.map((w) => [w.title, w] as const))("%s bulk addition jobs", (_title, workload: Workload) => {
  const { collection, bulkJobs, bulkJobNames } = workload.protectionPolicy;
  const idsName = workload.protectionUnit.key === "siteId" ? "siteIds" : "directoryObjectIds";
  let emulator: Emulator;
  let jobs: string;
  beforeEach(async () => {
    emulator = await startFrozen({ seedPolicies: false });
    const policy = await call(emulator, "POST", `${ROOT}/${collection}`, {
      body: { displayName: "Jobs", [workload.protectionUnit.collection]: [] },
    });
    jobs = `${ROOT}/${collection}/${policy.body.id}/${bulkJobs}`;
  });
  afterEach(() => emulator.close());

  it("adds the named objects (201 active), lists the job without names, and completes with the unresolved ones in its error", async () => {
    const { names, unknown, detail, ids } = namesOf(emulator, workload);
    const created = await call(emulator, "POST", jobs, {
      body: { displayName: "Batch 1", [bulkJobNames]: [...names, unknown], [idsName]: ids },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      displayName: "Batch 1",
      status: "active",
      [bulkJobNames]: [...names, unknown],
      [idsName]: ids,
      createdDateTime: START,
    });
    const listed = await call(emulator, "GET", jobs);
    expect(listed.body.value).toHaveLength(1);
    expect(Object.keys(listed.body.value[0])).not.toContain(bulkJobNames);
    expect(Object.keys(listed.body.value[0])).not.toContain(idsName);
    const units = await call(emulator, "GET", jobs.replace(bulkJobs, workload.protectionUnit.collection));
    expect(units.body.value).toHaveLength(3);
    emulator.clock.advance(15 * MINUTE);
    const done = await call(emulator, "GET", `${jobs}/${created.body.id}`);
    expect(done.body).toMatchObject({
      status: "completedWithErrors",
      error: {
        code: "ProtectionResourcesNotFound",
        message: expect.any(String),
        details: [{ code: detail, message: expect.any(String), target: unknown }],
      },
    });
  });

  it("names an object this policy is removing as not added (as PATCH refuses it), and one it already holds as done", async () => {
    const { names } = namesOf(emulator, workload);
    await call(emulator, "POST", jobs, { body: { [bulkJobNames]: names } });
    const unitsPath = jobs.replace(bulkJobs, workload.protectionUnit.collection);
    const leaving = (await call(emulator, "GET", unitsPath)).body.value[0];
    const policyPath = jobs.slice(0, jobs.lastIndexOf("/"));
    await call(emulator, "PATCH", policyPath, {
      body: { [`${workload.protectionUnit.collection}@delta`]: [{ "@removed": { reason: "changed" }, id: leaving.id }] },
    });
    const again = await call(emulator, "POST", jobs, { body: { [bulkJobNames]: names } });
    emulator.clock.advance(15 * MINUTE);
    const done = await call(emulator, "GET", `${jobs}/${again.body.id}`);
    expect(done.body.status).toBe("completedWithErrors");
    expect(done.body.error.details).toEqual([
      {
        code: "ProtectionUnitAlreadyExists",
        message: `'${names[0]}' is being removed from this policy; add it again once that is done`,
        target: names[0],
      },
    ]);
  });

  it("refuses an empty job and more than 50,000 names, and answers unknown jobs", async () => {
    expectGraphError(await call(emulator, "POST", jobs, { body: { displayName: "Empty" } }), 400, "InvalidCreateRequest");
    const many = Array.from({ length: LIMITS.namesPerBulkJob + 1 }, (_, i) => `x${i}`);
    expectGraphError(await call(emulator, "POST", jobs, { body: { [bulkJobNames]: many } }), 413, "ProtectionUnitsLimitBreached");
    expectGraphError(await call(emulator, "GET", `${jobs}/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f`), 404, "BulkJobNotFound");
    expectGraphError(await call(emulator, "GET", `${jobs}/nope`), 400, "InvalidBulkJobId");
  });
});
