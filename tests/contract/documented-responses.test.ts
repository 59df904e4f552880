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
});
afterAll(() => emulator.close());

function namesOf(workload: Workload): string[] {
  if (workload.name === "sharePoint") return emulator.tenant.sites().map((s) => s.siteWebUrl);
  return (workload.name === "oneDrive" ? emulator.tenant.users() : emulator.tenant.mailboxes()).map((o) => o.email);
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
    const { path, body } = await requestFor(route);
    const result = await call(emulator, route.method, path, { body, headers: PREFER });
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

it("catches an undocumented property, however deep", () => {
  const documented = DOCUMENTED[`GET ${ROOT}/sharePointRestoreSessions/{id}/siteRestoreArtifacts`]!;
  const answer = { value: [{ id: "a", restorePoint: { id: "p", protectionUnit: { id: "u" } } }] };
  expect(undocumented(answer, documented.shape)).toEqual(["value[0].restorePoint.protectionUnit"]);
});
