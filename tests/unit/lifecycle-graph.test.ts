/**
 * The lifecycle through the real Graph client over a fake transport, for each workload: the exact
 * paths and bodies the workload descriptor implies (collections, artifact and bulk properties,
 * `@delta`), and what the engine learns from Graph's documented answers.
 */
import type { Settings } from "../../provider/config";
import { create, read, remove } from "../../provider/engine/restore-session/lifecycle";
import { diff } from "../../provider/engine/restore-session/plan";
import { createGraphClient } from "../../provider/graph";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { EXCHANGE, WORKLOADS, type Workload } from "../../provider/workloads";
import { checkedInputs, checkedNews, contextFor } from "./fake-graph";
import { json, recordingSleep, scriptedFetch, type RecordedRequest } from "./graph-fake-fetch";

const ROOT = "/v1.0/solutions/backupRestore";
const settings: Settings = {
  graphEndpoint: "https://graph.microsoft.com",
  apiVersion: "v1.0",
  credentials: { kind: "accessToken", token: "static-token-0123456789" },
};
const rps = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `rp-${from + i}`);
const wire = (id: string) => ({ restorePoint: { id }, destinationType: "new" });
const session = (status: string) => ({
  "@odata.type": "#microsoft.graph.restoreSessionBase",
  id: "s-1",
  status,
  createdDateTime: "2026-11-28T21:00:00Z",
});

/** A client whose transport answers every request with `answer` (at most 20 requests) and records them. */
function clientAnswering(answer: (request: RecordedRequest, path: string) => Response) {
  const transport = scriptedFetch(
    ...Array.from({ length: 20 }, () => (request: RecordedRequest) => answer(request, new URL(request.url).pathname)),
  );
  const graph = createGraphClient(settings, {
    throttle: new ThrottleGate(),
    fetch: transport.fetch,
    sleep: recordingSleep().sleep,
    log: () => undefined,
  });
  const sent = () =>
    transport.requests.map((r) => ({
      method: r.method,
      path: new URL(r.url).pathname + new URL(r.url).search,
      ...(r.body !== undefined ? { body: r.body } : {}),
    }));
  return { graph, sent };
}

/** Graph's answers for one workload's session s-1. */
function answers(w: Workload, echo: (added: { restorePoint: { id: string } }[]) => unknown) {
  const collection = `${ROOT}/${w.restoreSession.collection}`;
  return (request: RecordedRequest, path: string): Response => {
    if (request.method === "POST" && path === collection) return json(201, session("draft"));
    if (request.method === "PATCH" && path === `${collection}/s-1`) {
      return json(200, echo((request.body as Record<string, { restorePoint: { id: string } }[]>)[`${w.restoreSession.artifacts}@delta`]!));
    }
    if (request.method === "POST" && path === `${ROOT}/restoreSessions/s-1/activate`)
      return json(200, { ...session("activating"), lastModifiedDateTime: "2026-11-28T21:05:00Z" });
    if (request.method === "POST" && path === `${collection}/s-1/${w.restoreSession.bulkRequests}`)
      return json(201, { id: "bulk-1", status: "active", [w.restoreSession.bulkNames]: [] });
    return json(404, { error: { code: "NotFound", message: `no route for ${request.method} ${path}` } });
  };
}
const echoAsValue = (added: { restorePoint: { id: string } }[]) => ({
  value: added.map((a) => ({
    id: `art-${a.restorePoint.id}`,
    restorePoint: { id: a.restorePoint.id },
    destinationType: "new",
    status: "added",
  })),
});

describe.each(WORKLOADS.map((w) => [w.title, w] as const))("%s through the Graph client", (_title, w) => {
  const collection = `${ROOT}/${w.restoreSession.collection}`;

  it("creates 120 artifacts as POST 50 + PATCH 50 + PATCH 20 on the workload's collection and properties, then activates", async () => {
    const { graph, sent } = clientAnswering(answers(w, echoAsValue));
    const program = { [w.restoreSession.artifacts]: rps(0, 120).map((restorePointId) => ({ restorePointId })), activate: true };
    const { outs } = await create(contextFor(w, graph).context, checkedInputs(w, program));
    expect(sent()).toEqual([
      { method: "POST", path: collection, body: { [w.restoreSession.artifacts]: rps(0, 50).map(wire) } },
      { method: "PATCH", path: `${collection}/s-1`, body: { [`${w.restoreSession.artifacts}@delta`]: rps(50, 100).map(wire) } },
      { method: "PATCH", path: `${collection}/s-1`, body: { [`${w.restoreSession.artifacts}@delta`]: rps(100, 120).map(wire) } },
      { method: "POST", path: `${ROOT}/restoreSessions/s-1/activate` },
    ]);
    expect(outs[w.restoreSession.artifacts]).toEqual([
      ...rps(0, 50).map((restorePointId) => ({ restorePointId, status: "added" })),
      ...rps(50, 120).map((restorePointId) => ({ restorePointId, status: "added" })),
    ]);
    expect(diff(w, outs, checkedNews(w, program))).toEqual({ changes: false });
  });

  it("holds what a PATCH answered with Microsoft's documented echo (`<artifacts>@delta`, restore point as `@odata.id`)", async () => {
    // sharepointrestoresession-update: the 200 echoes `siteRestoreArtifacts@delta` items with `"restorePoint": { "@odata.id": "..." }`.
    const documented = (added: { restorePoint: { id: string } }[]) => ({
      [`${w.restoreSession.artifacts}@delta`]: added.map((a) => ({
        id: `art-${a.restorePoint.id}`,
        restorePoint: { "@odata.id": a.restorePoint.id },
        destinationType: "new",
        status: "added",
      })),
    });
    const { graph } = clientAnswering(answers(w, documented));
    const program = { [w.restoreSession.artifacts]: rps(0, 60).map((restorePointId) => ({ restorePointId })) };
    const { outs } = await create(contextFor(w, graph).context, checkedInputs(w, program));
    expect((outs[w.restoreSession.artifacts] as Record<string, unknown>[]).slice(50)).toEqual(
      rps(50, 60).map((restorePointId) => ({ restorePointId, status: "added" })),
    );
    expect(diff(w, outs, checkedNews(w, program))).toEqual({ changes: false });
  });

  it("creates a bulk restore as an empty POST, the bulk request under the session with the workload's names, then activates", async () => {
    const { graph, sent } = clientAnswering(answers(w, echoAsValue));
    const names = w.restoreSession.bulkNameKind === "url" ? ["https://contoso.sharepoint.com/sites/a"] : ["adele@contoso.com"];
    const program = {
      bulkRestore: {
        [w.restoreSession.bulkNames]: names,
        protectionTimePeriod: { endDateTime: "2026-11-20T00:00:00Z" },
        fastRestoreOnly: true,
        displayName: "Q4 drill",
      },
      activate: true,
    };
    const { outs } = await create(contextFor(w, graph).context, checkedInputs(w, program));
    expect(sent()).toEqual([
      { method: "POST", path: collection, body: {} },
      {
        method: "POST",
        path: `${collection}/s-1/${w.restoreSession.bulkRequests}`,
        body: {
          displayName: "Q4 drill",
          destinationType: "new",
          [w.restoreSession.bulkNames]: names,
          protectionTimePeriod: { endDateTime: "2026-11-20T00:00:00Z" },
          tags: "fastRestore",
        },
      },
      { method: "POST", path: `${ROOT}/restoreSessions/s-1/activate` },
    ]);
    // Graph's echo of the names (empty in the docs' examples) is never read back.
    expect(outs.bulkRestore).toEqual({
      names,
      protectionTimePeriod: { endDateTime: "2026-11-20T00:00:00Z" },
      fastRestoreOnly: true,
      displayName: "Q4 drill",
    });
    expect(outs.bulkRequest).toEqual({ id: "bulk-1", status: "active" });
  });

  it("reads a bulk session from the base path, the workload's artifacts and bulk requests; deletes a completed request on its own path", async () => {
    const { graph, sent } = clientAnswering((request, path) => {
      if (path === `${ROOT}/restoreSessions/s-1`) return json(200, session("completed"));
      if (path === `${collection}/s-1/${w.restoreSession.artifacts}`)
        return json(200, { value: [{ id: "a-1", status: "succeeded", restorePoint: { id: "rp-1" } }] });
      if (path === `${collection}/s-1/${w.restoreSession.bulkRequests}` && request.method === "GET")
        return json(200, { value: [{ id: "bulk-1", status: "completed" }] });
      if (request.method === "DELETE") return new Response(null, { status: 204 });
      return json(404, { error: { code: "NotFound", message: path } });
    });
    const olds = {
      stateVersion: 3,
      status: "active",
      activate: true,
      bulkRestore: { names: ["x"] },
      bulkRequest: { id: "bulk-1", status: "active" },
    };
    const { context } = contextFor(w, graph);
    const { props } = await read(context, "s-1", olds);
    await remove(context, "s-1", props!);
    expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${ROOT}/restoreSessions/s-1`,
      expect.stringMatching(new RegExp(`^GET ${collection}/s-1/(${w.restoreSession.artifacts}|${w.restoreSession.bulkRequests})$`)),
      expect.stringMatching(new RegExp(`^GET ${collection}/s-1/(${w.restoreSession.artifacts}|${w.restoreSession.bulkRequests})$`)),
      `DELETE ${collection}/s-1/${w.restoreSession.bulkRequests}/bulk-1`,
    ]);
    expect(
      new Set(
        sent()
          .slice(1, 3)
          .map((r) => r.path),
      ),
    ).toEqual(new Set([`${collection}/s-1/${w.restoreSession.artifacts}`, `${collection}/s-1/${w.restoreSession.bulkRequests}`]));
  });
});

describe("Exchange item-level restore through the Graph client", () => {
  it("lists mailbox units, searches once with the artifact query, and posts the granular artifacts with their searchResponseId", async () => {
    const { graph, sent } = clientAnswering((request, path) => {
      if (path === `${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit`)
        return json(200, { value: [{ id: "unit-1", directoryObjectId: "user-1", email: "adele@contoso.com", status: "protected" }] });
      if (path === `${ROOT}/restorePoints/search`) {
        return json(200, {
          searchResponseId: "search-1",
          searchResults: [
            {
              restorePoint: { id: "rp-1", protectionDateTime: "2026-11-27T00:00:00Z", protectionUnit: { id: "unit-1" } },
              artifactHitCount: 3,
            },
          ],
          noResultProtectionUnitIds: [],
        });
      }
      if (path === `${ROOT}/exchangeRestoreSessions` && request.method === "POST") return json(201, session("draft"));
      return json(404, { error: { code: "NotFound", message: path } });
    });
    const program = { granularMailboxRestoreArtifacts: [{ email: "adele@contoso.com", query: { hasAttachment: true } }] };
    await create(contextFor(EXCHANGE, graph).context, checkedInputs(EXCHANGE, program));
    expect(sent()).toEqual([
      { method: "GET", path: `${ROOT}/protectionUnits/microsoft.graph.mailboxProtectionUnit` },
      {
        method: "POST",
        path: `${ROOT}/restorePoints/search`,
        body: {
          protectionUnitIds: ["unit-1"],
          protectionTimePeriod: { endDateTime: "2026-11-28T12:00:00.000Z" },
          restorePointPreference: "latest",
          artifactQuery: { queryExpression: "hasAttachment -eq true", artifactType: "message" },
        },
      },
      {
        method: "POST",
        path: `${ROOT}/exchangeRestoreSessions`,
        body: { granularMailboxRestoreArtifacts: [{ restorePoint: { id: "rp-1" }, destinationType: "new", searchResponseId: "search-1" }] },
      },
    ]);
  });
});
