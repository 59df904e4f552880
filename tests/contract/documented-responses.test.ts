/**
 * Contract: every route answers only with properties that Microsoft's docs show for that call
 * (documented-properties.ts cites the page of each). Each route is driven once with answers that
 * carry as much as the emulator ever sends (failed artifacts, unresolved bulk names, errors).
 */
import type { Emulator } from "../../emulator";
import { ROUTES, type Route } from "../../emulator/routes";
import { WORKLOADS, type Workload, type WorkloadName } from "../../provider/workloads";
import { DOCUMENTED, ERROR_SHAPE, undocumented } from "./documented-properties";
import { MINUTE, ROOT, RS, call, createDraftOf, latestPointsOf, startFrozen } from "./emulator-helpers";

const PREFER = { prefer: "include-unknown-enum-members" };
const key = (route: Route) => `${route.method} ${route.template}`;
const fill = (template: string, params: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);

let emulator: Emulator;
/** Per workload: a finished session with one failed artifact, and a session whose bulk request left a name unresolved. */
const finished: Partial<Record<WorkloadName, string>> = {};
const bulk: Partial<Record<WorkloadName, { sessionId: string; requestId: string }>> = {};
let granularSession = "";
/** A tenant without seeded policies, for the protection writes (a seeded active policy would refuse new ones). */
let protection: Emulator;
/** Per workload, in `protection`: a policy with two units, a static rule and a bulk job, all applied. */
const fixture: Partial<Record<WorkloadName, { policyId: string; ruleId: string; jobId: string }>> = {};

beforeAll(async () => {
  emulator = await startFrozen();
  for (const workload of WORKLOADS) {
    const points = latestPointsOf(emulator, workload.name, 2);
    const id = await createDraftOf(emulator, workload, points, "new");
    emulator.tenant.setArtifactOutcome(points[1]!, "failed");
    await call(emulator, "POST", `${RS}/${id}/activate`);
    finished[workload.name] = id;

    const empty = (await call(emulator, "POST", `${ROOT}/${workload.restoreSession.collection}`)).body.id as string;
    const names = [
      namesOf(workload)[0]!,
      workload.restoreSession.bulkNameKind === "url" ? "https://contoso.sharepoint.com/sites/nowhere" : "nobody@contoso.com",
    ];
    const created = await call(
      emulator,
      "POST",
      `${ROOT}/${workload.restoreSession.collection}/${empty}/${workload.restoreSession.bulkRequests}`,
      {
        body: {
          displayName: "drill",
          destinationType: "new",
          [workload.restoreSession.bulkNames]: names,
          protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
        },
      },
    );
    await call(emulator, "POST", `${RS}/${empty}/activate`);
    bulk[workload.name] = { sessionId: empty, requestId: created.body.id };
  }
  const unit = emulator.tenant.mailboxes()[0]!.protectionUnitId;
  const found = await call(emulator, "POST", `${ROOT}/restorePoints/search`, {
    body: { protectionUnitIds: [unit], artifactQuery: { queryExpression: "(Subject -like '*invoice*')", artifactType: "message" } },
  });
  const granular = await call(emulator, "POST", `${ROOT}/exchangeRestoreSessions`, {
    body: {
      granularMailboxRestoreArtifacts: [
        {
          restorePoint: { id: found.body.searchResults[0].restorePoint.id },
          destinationType: "new",
          searchResponseId: found.body.searchResponseId,
        },
      ],
    },
  });
  granularSession = granular.body.id;
  await call(emulator, "POST", `${RS}/${granularSession}/activate`);
  emulator.clock.advance(60 * MINUTE);

  protection = await startFrozen({ seedPolicies: false });
  for (const workload of WORKLOADS) {
    const policyId = await freshPolicy(workload, keysOf(protection, workload).slice(0, 2));
    const ruleId = await addRule(workload, policyId, false);
    const { bulkJobNames } = workload.protectionPolicy;
    const job = await call(protection, "POST", `${policyPath(workload, policyId)}/${workload.protectionPolicy.bulkJobs}`, {
      body: {
        displayName: "Batch",
        [bulkJobNames]: [
          namesOf(workload, protection)[2],
          workload.protectionUnit.nameKind === "url" ? "https://contoso.sharepoint.com/sites/nowhere" : "nobody@contoso.com",
        ],
      },
    });
    fixture[workload.name] = { policyId, ruleId, jobId: job.body.id };
  }
  protection.clock.advance(15 * MINUTE);
});
afterAll(async () => {
  await emulator.close();
  await protection.close();
});

function keysOf(tenant: Emulator, workload: Workload): string[] {
  if (workload.name === "sharePoint") return tenant.tenant.sites().map((s) => s.siteId);
  return (workload.name === "oneDrive" ? tenant.tenant.users() : tenant.tenant.mailboxes()).map((o) => o.directoryObjectId);
}

function policyPath(workload: Workload, id: string): string {
  return `${ROOT}/${workload.protectionPolicy.collection}/${id}`;
}

async function freshPolicy(workload: Workload, keys: string[] = []): Promise<string> {
  const { collection, key } = workload.protectionUnit;
  const created = await call(protection, "POST", `${ROOT}/${workload.protectionPolicy.collection}`, {
    body: { displayName: "Fixture", [collection]: keys.map((k) => ({ [key]: k })) },
  });
  return created.body.id;
}

/** A rule on a policy; a static drive or mailbox rule names a group that does not exist, so it completes with errors. */
async function addRule(workload: Workload, policyId: string, dynamic: boolean): Promise<string> {
  const groups = protection.tenant.groups();
  const expression =
    workload.protectionPolicy.ruleExpression === "siteExpression"
      ? "((displayName -contains 'Finance') -or (webUrl -contains 'legal'))"
      : `(memberOf -any (group.id -in ['${groups[1]!.id}'${dynamic ? "" : ", '0d0d0d0d-0000-4000-8000-000000000000'"}]))`;
  const created = await call(protection, "POST", `${policyPath(workload, policyId)}/${workload.protectionPolicy.rules}`, {
    body: { [workload.protectionPolicy.ruleExpression]: expression, ...(dynamic ? { isAutoApplyEnabled: true } : {}) },
  });
  return created.body.id;
}

/** A fresh applied rule on a fresh policy, for the routes that change or end one. */
async function freshRule(workload: Workload, dynamic: boolean): Promise<{ policyId: string; ruleId: string }> {
  const policyId = await freshPolicy(workload);
  const ruleId = await addRule(workload, policyId, dynamic);
  protection.clock.advance(15 * MINUTE);
  return { policyId, ruleId };
}

/** Requests for the protection writes and the rule and job routes, made on `protection`; undefined for the other routes. */
async function protectionRequestFor(route: Route): Promise<{ path: string; body?: unknown } | undefined> {
  const { template, method } = route;
  if (template.startsWith(`${ROOT}/protectionPolicies/{policyId}`) && method !== "GET") {
    if (method === "DELETE") return { path: fill(template, { policyId: await freshPolicy(WORKLOADS[0]!) }) };
    if (template.endsWith("/activate")) return { path: fill(template, { policyId: await freshPolicy(WORKLOADS[1]!) }) };
    const policyId = await freshPolicy(WORKLOADS[2]!);
    await call(protection, "POST", `${ROOT}/protectionPolicies/${policyId}/activate`);
    protection.clock.advance(15 * MINUTE);
    return { path: fill(template, { policyId }) };
  }
  const workload = route.workload;
  if (!workload) return undefined;
  const { collection, rules, bulkJobs, ruleExpression } = workload.protectionPolicy;
  const policies = `${ROOT}/${collection}`;
  const { key, collection: units } = workload.protectionUnit;
  const { policyId, ruleId, jobId } = fixture[workload.name]!;
  const unused = keysOf(protection, workload);
  if (template === policies && method === "POST") {
    return { path: template, body: { displayName: "Created", [units]: [{ [key]: unused[5] }] } };
  }
  if (template === `${policies}/{policyId}` && method === "PATCH") {
    const delta = [{ [key]: unused[6] }, { "@removed": { reason: "changed" }, id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" }];
    return { path: fill(template, { policyId }), body: { displayName: "Renamed", [`${units}@delta`]: delta } };
  }
  if (template.includes(`/${bulkJobs}`)) {
    const body =
      method === "POST" ? { displayName: "More", [workload.protectionPolicy.bulkJobNames]: [namesOf(workload, protection)[3]] } : undefined;
    return { path: fill(template, { policyId, jobId }), body };
  }
  if (!template.includes(`/${rules}`)) return undefined;
  if (method === "GET") return { path: fill(template, { policyId, ruleId }) };
  if (method === "POST" && template.endsWith(rules))
    return {
      path: fill(template, { policyId }),
      body: {
        [ruleExpression]:
          ruleExpression === "siteExpression"
            ? "(displayName -contains 'Sales')"
            : `(memberOf -any (group.id -in ['${protection.tenant.groups()[0]!.id}']))`,
      },
    };
  const dynamic = method === "PATCH" || template.endsWith("deleteAndUnprotect");
  const fresh = await freshRule(workload, dynamic);
  const body =
    method === "PATCH" ? { [ruleExpression]: `(memberOf -any (group.id -in ['${protection.tenant.groups()[2]!.id}']))` } : undefined;
  return { path: fill(template, fresh), body };
}

function namesOf(workload: Workload, tenant: Emulator = emulator): string[] {
  if (workload.name === "sharePoint") return tenant.tenant.sites().map((s) => s.siteWebUrl);
  return (workload.name === "oneDrive" ? tenant.tenant.users() : tenant.tenant.mailboxes()).map((o) => o.email);
}

function unitOf(workload: WorkloadName): string {
  return emulator.tenant.protectionUnits(workload)[0]!.id;
}

function policyOf(workload: WorkloadName): string {
  return emulator.tenant.policies().find((p) => p.workload === workload)!.id;
}

/** A request that succeeds on the route, with the richest answer the route gives. */
async function requestFor(route: Route): Promise<{ path: string; body?: unknown }> {
  const workload = route.workload;
  const name = workload?.name ?? "sharePoint";
  const { template, method } = route;
  const draft = async () => createDraftOf(emulator, workload ?? WORKLOADS[0]!, latestPointsOf(emulator, name, 1));
  const params: Record<string, string> = { unitId: unitOf(name), policyId: policyOf(name) };
  if (template.endsWith("{restorePointId}")) {
    return {
      path: `${fill(template, { restorePointId: emulator.tenant.latestRestorePointIdFor(name, namesOf(WORKLOADS[0]!)[0]!) })}?$expand=protectionUnit`,
    };
  }
  if (template.endsWith("search")) {
    return { path: template, body: { protectionUnitIds: WORKLOADS.map((w) => unitOf(w.name)) } };
  }
  if (template.endsWith("activate")) return { path: fill(template, { id: await draft() }) };
  if (workload && template.includes(workload.restoreSession.bulkRequests)) {
    if (method === "POST") {
      const empty = (await call(emulator, "POST", `${ROOT}/${workload.restoreSession.collection}`)).body.id as string;
      return {
        path: fill(template, { id: empty }),
        body: { destinationType: "inPlace", tags: "fastRestore", [workload.restoreSession.bulkNames]: namesOf(workload).slice(0, 1) },
      };
    }
    if (method === "DELETE") {
      // A request of its own, resolved, so the shared one stays for the other routes.
      const empty = (await call(emulator, "POST", `${ROOT}/${workload.restoreSession.collection}`)).body.id as string;
      const path = `${ROOT}/${workload.restoreSession.collection}/${empty}/${workload.restoreSession.bulkRequests}`;
      const created = await call(emulator, "POST", path, {
        body: { destinationType: "new", [workload.restoreSession.bulkNames]: namesOf(workload).slice(0, 1) },
      });
      await call(emulator, "POST", `${RS}/${empty}/activate`);
      return { path: `${path}/${created.body.id}` };
    }
    return { path: fill(template, { ...params, id: bulk[name]!.sessionId, requestId: bulk[name]!.requestId }) };
  }
  if (method === "POST" && workload && template.endsWith(workload.restoreSession.collection)) {
    return {
      path: template,
      body: {
        [workload.restoreSession.artifacts]: [{ restorePoint: { id: latestPointsOf(emulator, name, 1)[0] }, destinationType: "new" }],
      },
    };
  }
  if (method === "PATCH" && workload) {
    const property = `${workload.restoreSession.artifacts}@delta`;
    return {
      path: fill(template, { id: await draft() }),
      body: {
        [property]: [
          { restorePoint: { id: latestPointsOf(emulator, name, 2)[1] }, destinationType: "inPlace" },
          { "@removed": { reason: "changed" }, id: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" },
        ],
      },
    };
  }
  if (method === "DELETE") return { path: fill(template, { id: await draft() }) };
  if (workload?.restoreSession.granularArtifacts && template.endsWith(workload.restoreSession.granularArtifacts))
    return { path: fill(template, { id: granularSession }) };
  return { path: fill(template, { ...params, id: finished[name]! }) };
}

describe.each(ROUTES.map((route) => [key(route), route] as const))("%s", (_key, route) => {
  it("answers 2xx with documented properties only", async () => {
    const documented = DOCUMENTED[key(route)];
    expect({ route: key(route), documented: documented !== undefined }).toEqual({ route: key(route), documented: true });
    const onProtection = await protectionRequestFor(route);
    const { path, body } = onProtection ?? (await requestFor(route));
    const result = await call(onProtection ? protection : emulator, route.method, path, { body, headers: PREFER });
    expect({
      path,
      status: Math.floor(result.status / 100),
      error: result.status >= 400 ? result.body?.error?.message : undefined,
    }).toEqual({
      path,
      status: 2,
      error: undefined,
    });
    expect({ path, undocumented: undocumented(result.body, documented!.shape) }).toEqual({ path, undocumented: [] });
  });
});

it("answers errors with the documented error body only", async () => {
  for (const [path, method] of [
    [`${RS}/not-a-guid`, "GET"],
    [`${ROOT}/nothingHere`, "GET"],
    [`${RS}/${finished.sharePoint}/activate`, "POST"],
  ] as const) {
    const result = await call(emulator, method, path);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect({ path, undocumented: undocumented(result.body, ERROR_SHAPE) }).toEqual({ path, undocumented: [] });
  }
});

it("knows the answers it checks carry what the docs show: a session error, an artifact error, an unresolved bulk name", async () => {
  const session = await call(emulator, "GET", `${RS}/${finished.exchange}`, { headers: PREFER });
  expect(session.body.error).toEqual({ code: "UnknownError", message: expect.any(String) });
  const artifacts = await call(emulator, "GET", `${ROOT}/exchangeRestoreSessions/${finished.exchange}/mailboxRestoreArtifacts`, {
    headers: PREFER,
  });
  expect(artifacts.body.value[1].error).toEqual({ code: "ArtifactCannotBeRestored", message: expect.any(String) });
  const request = await call(
    emulator,
    "GET",
    `${ROOT}/oneDriveForBusinessRestoreSessions/${bulk.oneDrive!.sessionId}/driveRestoreArtifactsBulkAdditionRequests/${bulk.oneDrive!.requestId}`,
  );
  expect(request.body.error.details).toEqual([{ code: "UserNotBackedup", message: expect.any(String), target: "nobody@contoso.com" }]);
});

it("documents exactly the routes the emulator serves", () => {
  expect(Object.keys(DOCUMENTED).sort()).toEqual(ROUTES.map(key).sort());
});

it("catches an undocumented property, however deep", () => {
  const documented = DOCUMENTED[`GET ${ROOT}/sharePointRestoreSessions/{id}/siteRestoreArtifacts`]!;
  const answer = { value: [{ id: "a", restorePoint: { id: "p", protectionUnit: { id: "u" } } }] };
  expect(undocumented(answer, documented.shape)).toEqual(["value[0].restorePoint.protectionUnit"]);
});
