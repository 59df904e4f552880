/**
 * Hostile ids: `../`, `?`, `#`, `%2F`, unicode and very long values reach Graph only as one encoded
 * path segment, or are refused before any request. They never change the request path.
 *
 * Through the real host, for each workload: read, update and delete of a session (the shared
 * `/restoreSessions/{id}`, the workload's PATCH and artifacts paths), the bulk request a bulk
 * session posts and deletes, and (Exchange) the restore point an item-level restore looks up.
 * Through the Graph client in this process: every call that builds a path from an id, for every
 * workload, including those the host reaches only with ids Graph itself returned (item-level
 * artifacts, a session's bulk requests).
 */
import { resolveSettings } from "../../provider/config";
import { createGraphClient, type GraphClient } from "../../provider/graph";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { WORKLOADS, type Workload, type WorkloadName } from "../../provider/workloads";
import { urnFor } from "../support/host";
import { outcomeOf, protectedObjects, purgeSessions, startRig, type Rig } from "./rig";

const ROOT = "/v1.0/solutions/backupRestore";
const RESTORE_SESSIONS = `${ROOT}/restoreSessions`;

/** Ids sent as one encoded segment: Graph answers 404 for each. */
const ENCODED = [
  "../../sharePointRestoreSessions",
  "../" + "x",
  "a?$select=id",
  "a#fragment",
  "%2F",
  "a%2F..%2F..%2Fb",
  "%2e%2e",
  "a/b",
  "a\\b",
  "ü-日本-😀-\u202e",
  "x".repeat(1_024),
];
/** Ids refused before any request: URL parsers resolve `.`/`..` even percent-encoded; blank and over-long ids are no ids. */
const REFUSED = [".", "..", " ", "x".repeat(1_025)];
/** A well-formed id Graph does not know, beside a hostile one in the same path. */
const SOME_ID = "0f0e0d0c-0b0a-4900-8800-000000000001";

const labelled = (ids: string[]) =>
  ids.map((id) => [id.length > 80 ? `${id.slice(0, 8)}… (${id.length} chars)` : JSON.stringify(id), id] as const);

let rig: Rig;
const urn = urnFor("hostile");
/** Per workload: a draft of one restore point, and a bulk draft with its request. */
const drafts = {} as Record<WorkloadName, { id: string; properties: Record<string, unknown> }>;
const bulkDrafts = {} as Record<WorkloadName, { id: string; properties: Record<string, unknown>; inputs: Record<string, unknown> }>;

beforeAll(async () => {
  rig = await startRig();
  for (const workload of WORKLOADS) {
    drafts[workload.name] = await rig.host.create(urn, inputs(workload, [rig.restorePoints[workload.name][0]!]));
    const bulk = bulkInputs(workload);
    bulkDrafts[workload.name] = { ...(await rig.host.create(urn, bulk)), inputs: bulk };
  }
});
afterAll(() => rig?.close());
beforeEach(() => rig.emulator.journal.clear());

function inputs(workload: Workload, restorePoints: string[]): Record<string, unknown> {
  return {
    [workload.restoreSession.artifacts]: restorePoints.map((restorePointId) => ({ restorePointId })),
    destinationType: "new",
    activate: false,
    __provider: rig.providers[workload.name],
  };
}

function bulkInputs(workload: Workload): Record<string, unknown> {
  const names = protectedObjects(rig.emulator, workload.name)
    .slice(0, 1)
    .map((o) => o.name);
  return {
    bulkRestore: { [workload.restoreSession.bulkNames]: names, displayName: "hostile" },
    destinationType: "new",
    activate: false,
    __provider: rig.providers[workload.name],
  };
}

/** Every Graph request since the journal was cleared, as `METHOD path`. */
function requests(): string[] {
  return rig.emulator.journal
    .entries()
    .filter((entry) => entry.path.startsWith("/v1.0/"))
    .map((entry) => `${entry.method} ${entry.path}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A Graph error about one of `allowed` (`METHOD path`): the request it names is one of those, answered with a 4xx. */
function graphErrorAbout(allowed: string[]): RegExp {
  return new RegExp(`(^|: )(${allowed.map(escapeRegExp).join("|")}) -> 4\\d\\d `);
}

describe.each(WORKLOADS.map((w) => [w.title, w] as const))("%s through the real host", (_title, workload) => {
  const { collection, artifacts, bulkRequests } = workload.restoreSession;
  const sessions = `${ROOT}/${collection}`;

  describe.each(labelled(ENCODED))("id %s", (_label, id) => {
    const encoded = encodeURIComponent(id);

    test("read, update and delete address only that one encoded segment", async () => {
      const { properties } = drafts[workload.name];
      const restorePoints = rig.restorePoints[workload.name];
      const operations: { run: () => Promise<unknown>; allowed: string[] }[] = [
        {
          run: () => rig.host.read(id, urn, properties),
          allowed: [`GET ${RESTORE_SESSIONS}/${encoded}`, `GET ${sessions}/${encoded}/${artifacts}`],
        },
        {
          run: () =>
            rig.host.update(id, urn, properties, inputs(workload, restorePoints.slice(0, 2)), inputs(workload, restorePoints.slice(0, 1))),
          allowed: [`GET ${sessions}/${encoded}/${artifacts}`, `PATCH ${sessions}/${encoded}`, `GET ${RESTORE_SESSIONS}/${encoded}`],
        },
        { run: () => rig.host.delete(id, urn, properties), allowed: [`DELETE ${RESTORE_SESSIONS}/${encoded}`] },
      ];
      for (const { run, allowed } of operations) {
        rig.emulator.journal.clear();
        const outcome = await outcomeOf(run);
        expect(requests()[0]).toBe(allowed[0]);
        expect(allowed).toEqual(expect.arrayContaining(requests()));
        // Graph does not know such an id; the error names the encoded path it was sent to.
        if (!outcome.ok) expect(outcome.error.details).toMatch(graphErrorAbout(allowed));
      }
    });

    test("a bulk session posts and deletes its request under that one encoded segment", async () => {
      const { properties, inputs: bulk } = bulkDrafts[workload.name];
      const requestsPath = `${sessions}/${encoded}/${bulkRequests}`;
      // A draft whose request is missing posts it (and, after an unsure failure, lists the requests).
      const { bulkRequest: _missing, ...withoutRequest } = properties;
      const posted = await outcomeOf(() => rig.host.update(id, urn, withoutRequest, bulk, bulk));
      expect(requests()[0]).toBe(`POST ${requestsPath}`);
      expect([`POST ${requestsPath}`, `GET ${requestsPath}`]).toEqual(expect.arrayContaining(requests()));
      expect(posted.ok).toBe(false);
      if (!posted.ok) expect(posted.error.details).toMatch(graphErrorAbout([`POST ${requestsPath}`]));

      // Destroy deletes a finished request (the request id hostile too), then the draft.
      rig.emulator.journal.clear();
      const finished = { ...properties, bulkRequest: { ...(properties.bulkRequest as object), id, status: "completed" } };
      const deleted = await outcomeOf(() => rig.host.delete(id, urn, finished));
      const allowed = [`DELETE ${requestsPath}/${encoded}`, `DELETE ${RESTORE_SESSIONS}/${encoded}`];
      expect(requests()[0]).toBe(allowed[0]);
      expect(allowed).toEqual(expect.arrayContaining(requests()));
      if (!deleted.ok) expect(deleted.error.details).toMatch(graphErrorAbout(allowed));
    });
  });

  describe.each(labelled(REFUSED))("id %s", (_label, id) => {
    test("is refused by read, update, delete and the bulk request calls without any request", async () => {
      const { properties } = drafts[workload.name];
      const { properties: bulkProperties, inputs: bulk } = bulkDrafts[workload.name];
      const { bulkRequest: _missing, ...withoutRequest } = bulkProperties;
      const restorePoints = rig.restorePoints[workload.name];
      for (const operation of [
        (): Promise<unknown> => rig.host.read(id, urn, properties),
        () => rig.host.delete(id, urn, properties),
        () =>
          rig.host.update(id, urn, properties, inputs(workload, restorePoints.slice(0, 2)), inputs(workload, restorePoints.slice(0, 1))),
        () => rig.host.update(id, urn, withoutRequest, bulk, bulk),
        () =>
          rig.host.delete(id, urn, { ...bulkProperties, bulkRequest: { ...(bulkProperties.bulkRequest as object), status: "completed" } }),
      ]) {
        const outcome = await outcomeOf(operation);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.details).toContain("invalid restore session id");
      }
      expect(requests()).toEqual([]);
    });
  });
});

describe("an item-level restore of a hostile restore point id, through the real host", () => {
  const create = (restorePointId: string) =>
    outcomeOf(() =>
      rig.host.create(urn, {
        granularMailboxRestoreArtifacts: [{ restorePointId, query: { subjects: ["hostile"] } }],
        destinationType: "new",
        activate: false,
        __provider: rig.providers.exchange,
      }),
    );

  test.each(labelled(ENCODED))("%s is looked up as one encoded segment, with only the provider's own query", async (_label, id) => {
    const outcome = await create(id);
    const entries = rig.emulator.journal.entries().filter((e) => e.path.startsWith("/v1.0/"));
    expect(entries.map((e) => [e.method, e.path, e.query])).toEqual([
      ["GET", `${ROOT}/restorePoints/${encodeURIComponent(id)}`, { $expand: "protectionUnit" }],
    ]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.details).toContain("is not a restore point Microsoft Graph knows");
  });

  // An over-long id never gets this far in a real run: check refuses it first (the engine's own parse refuses it too).
  test.each(labelled(REFUSED))("%s is refused without any request", async (_label, id) => {
    const outcome = await create(id);
    expect(requests()).toEqual([]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.error.details).toMatch(id.length > 1_024 ? /must be at most 1024 characters/ : /invalid restore point id/);
  });
});

describe("every path-building call of the Graph client, in process", () => {
  let client: GraphClient;
  beforeAll(() => {
    client = createGraphClient(resolveSettings({ get: (key) => rig.config[key] }), { throttle: new ThrottleGate() });
  });

  interface Call {
    name: string;
    run(id: string): Promise<unknown>;
    /** The requests (`METHOD path`) the call may make for an id encoded as `e`, its own first. */
    allowed(e: string): string[];
  }

  const shared: Call[] = [
    { name: "getSession", run: (id) => client.getSession(id), allowed: (e) => [`GET ${RESTORE_SESSIONS}/${e}`] },
    {
      name: "activateSession",
      run: (id) => client.activateSession(id),
      allowed: (e) => [`POST ${RESTORE_SESSIONS}/${e}/activate`, `GET ${RESTORE_SESSIONS}/${e}`],
    },
    { name: "deleteSession", run: (id) => client.deleteSession(id), allowed: (e) => [`DELETE ${RESTORE_SESSIONS}/${e}`] },
    { name: "getRestorePoint", run: (id) => client.getRestorePoint(id), allowed: (e) => [`GET ${ROOT}/restorePoints/${e}`] },
  ];

  function perWorkload(workload: Workload): Call[] {
    const { collection, artifacts, granularArtifacts, bulkRequests } = workload.restoreSession;
    const sessions = `${ROOT}/${collection}`;
    const calls: Call[] = [
      { name: "listArtifacts", run: (id) => client.listArtifacts(workload, id), allowed: (e) => [`GET ${sessions}/${e}/${artifacts}`] },
      {
        name: "patchArtifacts",
        run: (id) =>
          client.patchArtifacts(workload, id, [{ add: { restorePointId: rig.restorePoints[workload.name][0]!, destinationType: "new" } }]),
        allowed: (e) => [`PATCH ${sessions}/${e}`, `GET ${sessions}/${e}/${artifacts}`],
      },
      {
        name: "createBulkRequest",
        run: (id) =>
          client.createBulkRequest(workload, id, {
            displayName: "hostile",
            destinationType: "new",
            names: ["https://contoso.sharepoint.com/sites/x"],
          }),
        allowed: (e) => [`POST ${sessions}/${e}/${bulkRequests}`, `GET ${sessions}/${e}/${bulkRequests}`],
      },
      {
        name: "listBulkRequests",
        run: (id) => client.listBulkRequests(workload, id),
        allowed: (e) => [`GET ${sessions}/${e}/${bulkRequests}`],
      },
      {
        name: "deleteBulkRequest (session id)",
        run: (id) => client.deleteBulkRequest(workload, id, SOME_ID),
        allowed: (e) => [`DELETE ${sessions}/${e}/${bulkRequests}/${SOME_ID}`],
      },
      {
        name: "deleteBulkRequest (request id)",
        run: (id) => client.deleteBulkRequest(workload, SOME_ID, id),
        allowed: (e) => [`DELETE ${sessions}/${SOME_ID}/${bulkRequests}/${e}`],
      },
    ];
    if (granularArtifacts !== undefined) {
      calls.push({
        name: "listArtifacts (item-level)",
        run: (id) => client.listArtifacts(workload, id, { granular: true }),
        allowed: (e) => [`GET ${sessions}/${e}/${granularArtifacts}`],
      });
    }
    return calls;
  }

  const calls: Call[] = [
    ...shared,
    ...WORKLOADS.flatMap((w) => perWorkload(w).map((call) => ({ ...call, name: `${w.title} ${call.name}` }))),
  ];

  test.each(calls.map((call) => [call.name, call] as const))(
    "%s sends every hostile id as one encoded segment, or refuses it before any request",
    async (_name, call) => {
      for (const id of ENCODED) {
        rig.emulator.journal.clear();
        const encoded = encodeURIComponent(id);
        await Promise.resolve()
          .then(() => call.run(id))
          .catch(() => undefined);
        const allowed = call.allowed(encoded);
        expect(requests()[0]).toBe(allowed[0]);
        expect(allowed).toEqual(expect.arrayContaining(requests()));
        const graphEntries = rig.emulator.journal.entries().filter((entry) => entry.path.startsWith("/v1.0/"));
        for (const entry of graphEntries) expect(Object.keys(entry.query).filter((key) => key !== "$expand")).toEqual([]);
      }
      for (const id of REFUSED) {
        rig.emulator.journal.clear();
        const failure = await Promise.resolve()
          .then(() => call.run(id))
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(failure).toBeInstanceOf(TypeError);
        expect((failure as Error).message).toMatch(/^invalid (restore session|restore point|bulk request) id: /);
        expect(requests()).toEqual([]);
      }
    },
  );
});

test("the real sessions were never touched by any of them", () => {
  const stored = rig.emulator.tenant.sessions();
  for (const workload of WORKLOADS) {
    expect(stored.find((s) => s.id === drafts[workload.name].id)?.artifacts).toHaveLength(1);
    expect(stored.find((s) => s.id === bulkDrafts[workload.name].id)?.bulkRequests).toHaveLength(1);
  }
  expect(stored).toHaveLength(2 * WORKLOADS.length);
  purgeSessions(rig.emulator);
});
