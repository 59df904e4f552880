import { SHAREPOINT } from "../../provider/workloads";
import type { Settings } from "../../provider/config";
import {
  createGraphClient,
  DeltaItemsFailedError,
  GraphRequestError,
  isDeltaItemsFailedError,
  isGraphRequestError,
} from "../../provider/graph";
import { graphError, json, recordingSleep, scriptedFetch, sessionBody } from "./graph-fake-fetch";
import { ThrottleGate } from "../../provider/graph/throttle-gate";

const TOKEN = "static-access-token-0123456789";
const BASE = "https://graph.microsoft.com/v1.0/solutions/backupRestore";
const settings: Settings = {
  graphEndpoint: "https://graph.microsoft.com",
  apiVersion: "v1.0",
  credentials: { kind: "accessToken", token: TOKEN },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function clientWith(...replies: Parameters<typeof scriptedFetch>) {
  const transport = scriptedFetch(...replies);
  const lines: string[] = [];
  const sleeper = recordingSleep();
  const client = createGraphClient(settings, {
    throttle: new ThrottleGate(),
    fetch: transport.fetch,
    log: (line) => lines.push(line),
    sleep: sleeper.sleep,
  });
  return { client, requests: transport.requests, lines, waits: sleeper.waits };
}

function standardHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${TOKEN}`,
    "client-request-id": expect.stringMatching(UUID),
    prefer: "include-unknown-enum-members",
    ...extra,
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("Graph client requests", () => {
  it("creates a session with the documented body and parses the 201", async () => {
    const { client, requests } = clientWith(
      json(201, { ...sessionBody("s-1"), createdDateTime: "2026-11-28T21:00:00Z", error: null, extra: 1 }),
    );
    const session = await client.createSession(SHAREPOINT, {
      artifacts: [
        { restorePointId: "rp-1", destinationType: "inPlace" },
        { restorePointId: "rp-2", destinationType: "inPlace" },
      ],
    });
    expect(session).toEqual({ id: "s-1", status: "draft", restoreJobType: "standard", createdDateTime: "2026-11-28T21:00:00Z" });
    expect(requests).toEqual([
      {
        method: "POST",
        url: `${BASE}/sharePointRestoreSessions`,
        headers: standardHeaders({ "content-type": "application/json" }),
        body: {
          siteRestoreArtifacts: [
            { restorePoint: { id: "rp-1" }, destinationType: "inPlace" },
            { restorePoint: { id: "rp-2" }, destinationType: "inPlace" },
          ],
        },
        redirect: "manual",
      },
    ]);
  });

  it("reads a session through the documented restoreSessions path, keeping unknown enum members", async () => {
    const { client, requests } = clientWith(json(200, sessionBody("s-1", "someFutureStatus")));
    expect(await client.getSession("s-1")).toEqual({ id: "s-1", status: "someFutureStatus", restoreJobType: "standard" });
    expect(requests.map((r) => [r.method, r.url, r.headers])).toEqual([["GET", `${BASE}/restoreSessions/s-1`, standardHeaders()]]);
  });

  it("returns undefined for a session that is gone (404)", async () => {
    const { client } = clientWith(graphError(404, "RestoreSessionNotFound", "not found", "rid-404"));
    expect(await client.getSession("gone")).toBeUndefined();
  });

  it("activates with a bodiless POST and deletes with DELETE (204 -> deleted, 404 -> notFound)", async () => {
    const { client, requests } = clientWith(
      json(200, sessionBody("s-1", "activating")),
      new Response(null, { status: 204 }),
      graphError(404, "RestoreSessionNotFound", "gone", "r"),
    );
    expect((await client.activateSession("s-1")).status).toBe("activating");
    expect(await client.deleteSession("s-1")).toBe("deleted");
    expect(await client.deleteSession("s-1")).toBe("notFound");
    expect(requests.map((r) => [r.method, r.url, "body" in r])).toEqual([
      ["POST", `${BASE}/restoreSessions/s-1/activate`, false],
      ["DELETE", `${BASE}/restoreSessions/s-1`, false],
      ["DELETE", `${BASE}/restoreSessions/s-1`, false],
    ]);
  });

  it("follows @odata.nextLink verbatim until the last page", async () => {
    const next = `${BASE}/sharePointRestoreSessions/s-1/siteRestoreArtifacts?$top=1&$skiptoken=YWJj%3D%3D`;
    const { client, requests } = clientWith(
      json(200, { value: [{ id: "a-1", status: "added" }], "@odata.nextLink": next }),
      json(200, { value: [{ id: "a-2", status: "someNewStatus", restorePoint: { id: "rp-2" } }] }),
    );
    expect(await client.listArtifacts(SHAREPOINT, "s-1")).toEqual([
      { id: "a-1", status: "added" },
      { id: "a-2", status: "someNewStatus", restorePoint: { id: "rp-2" } },
    ]);
    expect(requests.map((r) => r.url)).toEqual([`${BASE}/sharePointRestoreSessions/s-1/siteRestoreArtifacts`, next]);
    expect(requests[1]?.headers).toEqual(standardHeaders());
  });

  it("lists site protection units across pages", async () => {
    const { client, requests } = clientWith(
      json(200, {
        value: [{ id: "pu-1", siteId: "site-1", status: "protected" }],
        "@odata.nextLink": `${BASE}/protectionUnits/microsoft.graph.siteProtectionUnit?$skiptoken=2`,
      }),
      json(200, { value: [{ id: "pu-2", siteId: "site-2", status: "protected" }] }),
    );
    expect((await client.listProtectionUnits(SHAREPOINT)).map((u) => u.id)).toEqual(["pu-1", "pu-2"]);
    expect(requests.map((r) => r.url)).toEqual([
      `${BASE}/protectionUnits/microsoft.graph.siteProtectionUnit`,
      `${BASE}/protectionUnits/microsoft.graph.siteProtectionUnit?$skiptoken=2`,
    ]);
  });

  it("searches restore points with the documented body", async () => {
    const { client, requests } = clientWith(
      json(200, {
        searchResponseId: "x",
        searchResults: [{ restorePoint: { id: "rp-1", tags: "fastRestore" } }],
        noResultProtectionUnitIds: ["pu-2"],
      }),
    );
    const result = await client.searchRestorePoints({
      protectionUnitIds: ["pu-1", "pu-2"],
      start: "2026-11-01T00:00:00Z",
      end: "2026-11-27T00:00:00Z",
      preference: "latest",
      fastRestoreOnly: true,
    });
    expect(result).toEqual({
      searchResponseId: "x",
      searchResults: [{ restorePoint: { id: "rp-1", tags: "fastRestore" } }],
      noResultProtectionUnitIds: ["pu-2"],
    });
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      [
        "POST",
        `${BASE}/restorePoints/search`,
        {
          protectionUnitIds: ["pu-1", "pu-2"],
          protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z", endDateTime: "2026-11-27T00:00:00Z" },
          restorePointPreference: "latest",
          tags: "fastRestore",
        },
      ],
    ]);
  });

  it("refuses more than 20 protection units per search without sending anything", async () => {
    const { client, requests } = clientWith();
    const ids = Array.from({ length: 21 }, (_, i) => `pu-${i}`);
    await expect(client.searchRestorePoints({ protectionUnitIds: ids })).rejects.toThrow(
      "searchRestorePoints takes 1 to 20 protection unit ids per call (Graph's limit), got 21; send them in batches",
    );
    expect(requests).toHaveLength(0);
  });

  it("uses the beta version when configured", async () => {
    const transport = scriptedFetch(json(200, sessionBody("s-1")));
    const client = createGraphClient({ ...settings, apiVersion: "beta" }, { throttle: new ThrottleGate(), fetch: transport.fetch });
    await client.getSession("s-1");
    expect(transport.requests[0]?.url).toBe("https://graph.microsoft.com/beta/solutions/backupRestore/restoreSessions/s-1");
  });
});

describe("delta PATCH", () => {
  it("sends adds and removals in the documented delta shape and returns the echoed artifacts", async () => {
    const { client, requests } = clientWith(
      json(200, {
        value: [
          { "@contentId": "1", id: "a-9", status: "added", destinationType: "inPlace", restorePoint: { id: "rp-9" } },
          { "@contentId": "2", "@removed": { reason: "deleted" }, id: "a-1" },
        ],
      }),
    );
    const results = await client.patchArtifacts(SHAREPOINT, "s-1", [
      { add: { restorePointId: "rp-9", destinationType: "inPlace" } },
      { remove: "a-1" },
    ]);
    expect(results).toEqual([
      { "@contentId": "1", id: "a-9", status: "added", restorePoint: { id: "rp-9" } },
      { "@contentId": "2", id: "a-1" },
    ]);
    expect(requests).toEqual([
      {
        method: "PATCH",
        url: `${BASE}/sharePointRestoreSessions/s-1`,
        headers: standardHeaders({ "content-type": "application/json" }),
        body: {
          "siteRestoreArtifacts@delta": [
            { restorePoint: { id: "rp-9" }, destinationType: "inPlace" },
            { "@removed": { reason: "changed" }, id: "a-1" },
          ],
        },
        redirect: "manual",
      },
    ]);
  });

  it("throws DeltaItemsFailedError listing each per-item failure inside a 200", async () => {
    const { client } = clientWith(
      json(
        200,
        {
          value: [
            { "@contentId": "1", id: "a-9", status: "added", restorePoint: { id: "rp-9" } },
            {
              "@contentId": "2",
              "@Core.DataModificationException": {
                info: { code: "InvalidRestorePoint", message: "bad point" },
                failedOperation: "insert",
                responseCode: 400,
              },
            },
            {
              "@contentId": "3",
              "@Core.DataModificationException": {
                info: { code: "ArtifactNotFound", message: "no such artifact" },
                failedOperation: "delete",
                responseCode: 409,
              },
            },
          ],
        },
        { "request-id": "rid-patch" },
      ),
    );
    const error = await rejectionOf(
      client.patchArtifacts(SHAREPOINT, "s-1", [
        { add: { restorePointId: "rp-9", destinationType: "new" } },
        { add: { restorePointId: "rp-bad", destinationType: "new" } },
        { remove: "a-missing" },
      ]),
    );
    expect(error).toBeInstanceOf(DeltaItemsFailedError);
    expect(isGraphRequestError(error)).toBe(true);
    expect(isDeltaItemsFailedError(error)).toBe(true);
    const failed = error as DeltaItemsFailedError;
    expect(failed.failures).toEqual([
      { contentId: "2", restorePointId: "rp-bad", code: "InvalidRestorePoint", message: "bad point", responseCode: 400 },
      { contentId: "3", artifactId: "a-missing", code: "ArtifactNotFound", message: "no such artifact", responseCode: 409 },
    ]);
    expect(failed.succeeded).toEqual([{ "@contentId": "1", id: "a-9", status: "added", restorePoint: { id: "rp-9" } }]);
    expect({
      method: failed.method,
      path: failed.path,
      status: failed.status,
      code: failed.code,
      requestId: failed.requestId,
      retryable: failed.retryable,
    }).toEqual({
      method: "PATCH",
      path: "/v1.0/solutions/backupRestore/sharePointRestoreSessions/s-1",
      status: 200,
      code: "InvalidRestorePoint",
      requestId: "rid-patch",
      retryable: false,
    });
    expect(failed.message).toBe(
      "PATCH /v1.0/solutions/backupRestore/sharePointRestoreSessions/s-1 -> 200 InvalidRestorePoint: 2 of 3 items failed: " +
        "rp-bad 400 InvalidRestorePoint bad point; a-missing 409 ArtifactNotFound no such artifact (request-id rid-patch)",
    );
  });

  it("refuses more than 50 delta items per call without sending anything", async () => {
    const { client, requests } = clientWith();
    const delta = Array.from({ length: 51 }, (_, i) => ({ remove: `a-${i}` }));
    await expect(client.patchArtifacts(SHAREPOINT, "s-1", delta)).rejects.toThrow(
      "patchArtifacts takes at most 50 delta items per call (Graph's limit), got 51; send them in batches",
    );
    expect(requests).toHaveLength(0);
  });
});

describe("errors", () => {
  it("turns a 400 into a GraphRequestError with exact fields and message, without retrying", async () => {
    const { client, requests, waits } = clientWith(graphError(400, "InvalidRestorePoint", "The restore point is not valid.", "1234"));
    const error = await rejectionOf(client.createSession(SHAREPOINT, { artifacts: [{ restorePointId: "rp-x", destinationType: "new" }] }));
    expect(error).toBeInstanceOf(GraphRequestError);
    const e = error as GraphRequestError;
    expect({
      name: e.name,
      method: e.method,
      path: e.path,
      status: e.status,
      code: e.code,
      requestId: e.requestId,
      retryable: e.retryable,
    }).toEqual({
      name: "GraphRequestError",
      method: "POST",
      path: "/v1.0/solutions/backupRestore/sharePointRestoreSessions",
      status: 400,
      code: "InvalidRestorePoint",
      requestId: "1234",
      retryable: false,
    });
    expect(e.message).toBe(
      "POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> 400 InvalidRestorePoint: The restore point is not valid. (request-id 1234)",
    );
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("takes the request-id from the response header when the body has none", async () => {
    const { client } = clientWith(
      json(403, { error: { code: "RestoreSessionActionNotAllowed", message: "not draft" } }, { "request-id": "hdr-1" }),
    );
    const error = (await rejectionOf(client.activateSession("s-1"))) as GraphRequestError;
    expect(error.message).toBe(
      "POST /v1.0/solutions/backupRestore/restoreSessions/s-1/activate -> 403 RestoreSessionActionNotAllowed: not draft (request-id hdr-1)",
    );
  });

  it("takes a refusal to activate a session that is no longer a draft as done when the session reads activated (an earlier answer was lost)", async () => {
    const { client, requests } = clientWith(
      json(403, { error: { code: "RestoreSessionActionNotAllowed", message: "not draft" } }),
      json(200, { id: "s-1", status: "activating" }),
    );
    expect(await client.activateSession("s-1")).toMatchObject({ id: "s-1", status: "activating" });
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      "POST /v1.0/solutions/backupRestore/restoreSessions/s-1/activate",
      "GET /v1.0/solutions/backupRestore/restoreSessions/s-1",
    ]);
  });

  it("reports a response body that does not match the schema as UnexpectedResponseBody", async () => {
    const { client } = clientWith(json(201, { status: "draft" }));
    const error = (await rejectionOf(
      client.createSession(SHAREPOINT, { artifacts: [{ restorePointId: "rp", destinationType: "new" }] }),
    )) as GraphRequestError;
    expect({ status: error.status, code: error.code, retryable: error.retryable }).toEqual({
      status: 201,
      code: "UnexpectedResponseBody",
      retryable: false,
    });
    expect(error.message).toBe(
      "POST /v1.0/solutions/backupRestore/sharePointRestoreSessions -> 201 UnexpectedResponseBody: id: Invalid input: expected string, received undefined" +
        "; the session may have been created; the token names no application, so it cannot be looked up",
    );
  });

  it("isGraphRequestError recognises errors from another copy of the package by brand, not class", () => {
    const foreign = new Error("POST /x -> 400");
    Object.defineProperty(foreign, Symbol.for("pulumi-m365-backup.GraphRequestError"), { value: true });
    expect(isGraphRequestError(foreign)).toBe(true);
    expect(isGraphRequestError(Object.assign(new Error("x"), { name: "GraphRequestError" }))).toBe(false);
    expect(isGraphRequestError({ name: "GraphRequestError" })).toBe(false);
  });
});

describe("hostile ids", () => {
  it.each([
    ["../../users", "..%2F..%2Fusers"],
    ["a?b=c", "a%3Fb%3Dc"],
    ["a#frag", "a%23frag"],
    ["a%2Fb", "a%252Fb"],
    ["a/b", "a%2Fb"],
    ["%2e%2e", "%252e%252e"],
  ])("encodes %s as one path segment", async (id, encoded) => {
    const { client, requests } = clientWith(json(200, sessionBody("x")));
    await client.getSession(id);
    expect(requests[0]?.url).toBe(`${BASE}/restoreSessions/${encoded}`);
  });

  it.each(["..", ".", "", " "])("refuses the id %j without sending anything", async (id) => {
    const { client, requests } = clientWith();
    await expect(client.deleteSession(id)).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });
});
