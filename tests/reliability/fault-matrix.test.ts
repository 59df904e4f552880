/**
 * The fault matrix: Graph operations the provider makes × faults the emulator injects, through the
 * real provider host (restore point search, which the host reaches only after resolving names,
 * through the Graph client in this process against the same TLS server). For each cell: the outcome
 * is success or a clear error of an exact shape, the tenant holds exactly the sessions and bulk
 * requests it should (none duplicated, none orphaned) and what the provider reports matches the
 * service.
 *
 * Which cells run, and why (every fault on every row took 96 s on a shared two-core machine, these
 * rows 71 s; the budget is 90 s):
 * - SharePoint: every operation × every fault. The routes every workload shares
 *   (`/restoreSessions/{id}`: read, activate, delete; and `restorePoints/search`) are served and
 *   called the same way whatever the session's workload, so they are not repeated per workload.
 * - OneDrive and Exchange: the routes that differ per workload (create on the workload's collection,
 *   PATCH, the artifacts list; Exchange's item-level create and list too), and the bulk-restore
 *   writes of all three workloads (the empty session, then its one bulk request), under every fault
 *   but three. A 429 (with or without Retry-After) and an expired token (401) say the service did not
 *   act: the retry and auth middleware repeat the same request, by status alone, whatever the route
 *   (the SharePoint rows show `POST 429, POST 201` for the same methods). Every other fault leaves a
 *   write unsure whether the service acted (a 503 or 504 without Retry-After included, as for a
 *   gateway that may have passed the request on), and the write's own reconcile then reads the
 *   workload's own routes (its collection, artifacts or bulk requests): that is what differs per
 *   workload. Reads get the same faults, for the exact error of a 500 on each workload's path.
 */
import type { FaultRule } from "../../emulator";
import { resolveSettings } from "../../provider/config";
import { createGraphClient, type RestorePointSearchResponse } from "../../provider/graph";
import { ThrottleGate } from "../../provider/graph/throttle-gate";
import { EXCHANGE, ONEDRIVE, SHAREPOINT, WORKLOADS, type Workload } from "../../provider/workloads";
import { urnFor } from "../support/host";
import {
  outcomeOf,
  protectedObjects,
  purgeSessions,
  reportedRestorePoints,
  startRig,
  storedRestorePoints,
  type Outcome,
  type Rig,
} from "./rig";

type FaultName =
  | "429 Retry-After"
  | "429 no Retry-After"
  | "500"
  | "503"
  | "504"
  | "reset before"
  | "reset after"
  | "timeout"
  | "malformed JSON"
  | "expired token (401)";

const FAULTS: Record<FaultName, Omit<FaultRule, "method" | "path">> = {
  "429 Retry-After": { status: 429, retryAfterSeconds: 1 },
  "429 no Retry-After": { status: 429, retryAfterSeconds: null },
  "500": { status: 500 },
  "503": { status: 503 },
  "504": { status: 504 },
  "reset before": { reset: "before" },
  "reset after": { reset: "after" },
  timeout: { timeout: true },
  "malformed JSON": { malformed: true },
  "expired token (401)": { status: 401, code: "InvalidAuthenticationToken" },
};
const EVERY_FAULT = Object.keys(FAULTS) as FaultName[];
/** Faults that say the service did not act, answered by repeating the request whatever the route (see the file comment). */
const RETRIED_AS_IS: readonly FaultName[] = ["429 Retry-After", "429 no Retry-After", "expired token (401)"];
/** The faults run on the routes that differ per workload. */
const PER_WORKLOAD = EVERY_FAULT.filter((fault) => !RETRIED_AS_IS.includes(fault));

type Operation =
  | "create"
  | "activate"
  | "read"
  | "list artifacts"
  | "update"
  | "delete"
  | "restore point search"
  | "create item-level"
  | "list item-level artifacts"
  | "bulk: create empty session"
  | "bulk: post request";

/** Graph route (as the emulator's route template) each operation's fault is injected on. */
function routeOf(workload: Workload, operation: Operation): { method: string; path: string } {
  const root = "/solutions/backupRestore";
  const { collection, artifacts, granularArtifacts, bulkRequests } = workload.restoreSession;
  const sessions = `${root}/${collection}`;
  switch (operation) {
    case "create":
    case "create item-level":
    case "bulk: create empty session":
      return { method: "POST", path: sessions };
    case "activate":
      return { method: "POST", path: `${root}/restoreSessions/{id}/activate` };
    case "read":
      return { method: "GET", path: `${root}/restoreSessions/{id}` };
    case "list artifacts":
      return { method: "GET", path: `${sessions}/{id}/${artifacts}` };
    case "list item-level artifacts":
      return { method: "GET", path: `${sessions}/{id}/${granularArtifacts!}` };
    case "update":
      return { method: "PATCH", path: `${sessions}/{id}` };
    case "delete":
      return { method: "DELETE", path: `${root}/restoreSessions/{id}` };
    case "restore point search":
      return { method: "POST", path: `${root}/restorePoints/search` };
    case "bulk: post request":
      return { method: "POST", path: `${sessions}/{id}/${bulkRequests}` };
  }
}

interface Row {
  workload: Workload;
  operation: Operation;
  faults: readonly FaultName[];
}

const ROWS: Row[] = [
  ...(["create", "activate", "read", "list artifacts", "update", "delete", "restore point search"] as const).map((operation) => ({
    workload: SHAREPOINT,
    operation,
    faults: EVERY_FAULT,
  })),
  ...[ONEDRIVE, EXCHANGE].flatMap((workload) =>
    (["create", "update", "list artifacts"] as const).map((operation) => ({ workload, operation, faults: PER_WORKLOAD })),
  ),
  { workload: EXCHANGE, operation: "create item-level", faults: PER_WORKLOAD },
  { workload: EXCHANGE, operation: "list item-level artifacts", faults: PER_WORKLOAD },
  ...WORKLOADS.flatMap((workload) =>
    (["bulk: create empty session", "bulk: post request"] as const).map((operation) => ({ workload, operation, faults: PER_WORKLOAD })),
  ),
];

/**
 * Where an error is the right answer: a plain 500 is not a documented transient code, so the reads
 * (GET, DELETE and the read-only search) are not repeated after it (Graph's guidance retries 429,
 * 503, 504 and the two documented 500 codes). The writes reconcile instead: they look whether the
 * service acted, and write again only when it did not. Every other cell must succeed.
 */
const FAILS_ON_PLAIN_500: ReadonlySet<Operation> = new Set([
  "read",
  "list artifacts",
  "list item-level artifacts",
  "delete",
  "restore point search",
]);

/** The exact error of a plain 500 on a route: method, path (ids are GUIDs), status, code, message and request id. */
function plain500Error(route: { method: string; path: string }): RegExp {
  const path = `/v1.0${route.path}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("\\{id\\}", "[0-9a-f-]{36}");
  return new RegExp(`^${route.method} ${path} -> 500 InternalServerError: Injected fault: HTTP 500\\. \\(request-id [0-9a-f-]{36}\\)$`);
}

let rig: Rig;
const urn = urnFor("matrix");
const table: { workload: string; operation: Operation; fault: FaultName; outcome: string; requests: string; sessions: number }[] = [];

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
  printTable();
});

/** Standard-artifact inputs of a workload's session, by restore point (no name resolution, so no extra requests). */
function draftInputs(workload: Workload, restorePoints: string[], activate = false): Record<string, unknown> {
  return {
    [workload.restoreSession.artifacts]: restorePoints.map((restorePointId) => ({ restorePointId })),
    destinationType: "new",
    activate,
    __provider: rig.providers[workload.name],
  };
}

/** Item-level inputs: one mailbox's items found by a subject. */
function itemLevelInputs(): Record<string, unknown> {
  const [mailbox] = protectedObjects(rig.emulator, EXCHANGE.name);
  return {
    granularMailboxRestoreArtifacts: [{ directoryObjectId: mailbox!.key, query: { subjects: ["quarterly report"] } }],
    destinationType: "new",
    activate: false,
    __provider: rig.providers.exchange,
  };
}

/** A bulk restore of a workload's first two protected objects, by name. */
function bulkInputs(workload: Workload): { inputs: Record<string, unknown>; names: string[] } {
  const names = protectedObjects(rig.emulator, workload.name)
    .slice(0, 2)
    .map((o) => o.name);
  const inputs = {
    bulkRestore: { [workload.restoreSession.bulkNames]: names, displayName: "matrix" },
    destinationType: "new",
    activate: false,
    __provider: rig.providers[workload.name],
  };
  return { inputs, names };
}

/** Journal entries of requests that reached the service's logic on a route: answered, or reset or garbled after processing. */
function processed(method: string, path: RegExp) {
  return rig.emulator.journal
    .entries()
    .filter((e) => e.method === method && path.test(e.path) && ["response", "reset-after", "malformed"].includes(e.outcome));
}

/** The Graph requests of the cell, in order, as `METHOD status`. */
function requestSummary(): string {
  return rig.emulator.journal
    .entries()
    .filter((entry) => entry.path.startsWith("/v1.0/"))
    .map((entry) => `${entry.method} ${entry.outcome === "response" || entry.outcome === "fault" ? entry.status : entry.outcome}`)
    .join(", ");
}

type Created = { id: string; properties: Record<string, unknown> };

/** Runs one operation with the fault armed once on its route, and checks the tenant against what the provider reported. */
async function runCell(workload: Workload, operation: Operation, fault: FaultName): Promise<Outcome<unknown>> {
  const { emulator, host } = rig;
  const sessions = () => emulator.tenant.sessions();
  const route = routeOf(workload, operation);
  const arm = () => emulator.faults.add({ ...route, ...FAULTS[fault], times: 1 });
  const { collection, artifacts, granularArtifacts, bulkRequests } = workload.restoreSession;
  const collectionPath = new RegExp(`^/v1\\.0/solutions/backupRestore/${collection}$`);
  const bulkRequestsPath = new RegExp(`^/v1\\.0/solutions/backupRestore/${collection}/[0-9a-f-]{36}/${bulkRequests}$`);
  const restorePoints = rig.restorePoints[workload.name];
  let outcome: Outcome<unknown>;
  switch (operation) {
    case "create":
    case "create item-level": {
      const itemLevel = operation === "create item-level";
      arm();
      outcome = await outcomeOf(() => host.create(urn, itemLevel ? itemLevelInputs() : draftInputs(workload, [restorePoints[0]!])));
      const created = expectOk(outcome) as Created;
      expect(sessions().map((s) => [s.id, s.status, s.workload, s.granular === true])).toEqual([
        [created.id, "draft", workload.name, itemLevel],
      ]);
      // Exactly one create reached the service's logic: after an unsure failure the session was adopted, or posted again only when there was none.
      expect(processed("POST", collectionPath)).toHaveLength(1);
      const output = itemLevel ? granularArtifacts! : artifacts;
      expect(storedRestorePoints(emulator, created.id)).toHaveLength(1);
      expect(reportedRestorePoints(created.properties, output)).toEqual(storedRestorePoints(emulator, created.id));
      break;
    }
    case "activate": {
      arm();
      outcome = await outcomeOf(() => host.create(urn, draftInputs(workload, [restorePoints[0]!], true)));
      const created = expectOk(outcome) as Created;
      expect(sessions().map((s) => s.id)).toEqual([created.id]);
      expect(sessions()[0]!.status).not.toBe("draft");
      expect(created.properties.status).not.toBe("draft");
      // Exactly one activation reached the service's logic; a second would show as a 403 response.
      const activations = emulator.journal
        .entries()
        .filter((e) => e.path.endsWith("/activate") && ["response", "reset-after", "malformed"].includes(e.outcome));
      expect(activations.map((e) => e.status ?? e.outcome)).toEqual([fault === "reset after" ? "reset-after" : 200]);
      break;
    }
    case "read":
    case "list artifacts":
    case "list item-level artifacts": {
      const itemLevel = operation === "list item-level artifacts";
      const { id, properties } = await host.create(urn, itemLevel ? itemLevelInputs() : draftInputs(workload, [restorePoints[0]!]));
      emulator.journal.clear();
      arm();
      outcome = await outcomeOf(() => host.read(id, urn, properties));
      expect(sessions().map((s) => s.id)).toEqual([id]);
      if (outcome.ok) {
        const read = outcome.value as Created;
        expect(read.id).toBe(id);
        expect(read.properties.status).toBe("draft");
        expect(reportedRestorePoints(read.properties, itemLevel ? granularArtifacts! : artifacts)).toEqual(
          storedRestorePoints(emulator, id),
        );
      }
      break;
    }
    case "update": {
      const { id, properties } = await host.create(urn, draftInputs(workload, [restorePoints[0]!]));
      emulator.journal.clear();
      arm();
      const wanted = restorePoints.slice(0, 2);
      outcome = await outcomeOf(() =>
        host.update(id, urn, properties, draftInputs(workload, wanted), draftInputs(workload, [restorePoints[0]!])),
      );
      const updated = expectOk(outcome) as Created;
      expect(sessions().map((s) => s.id)).toEqual([id]);
      // Exactly the two restore points: a blind repeat of the PATCH would have added the second twice.
      expect(storedRestorePoints(emulator, id)).toEqual([...wanted].sort());
      expect(reportedRestorePoints(updated.properties, artifacts)).toEqual([...wanted].sort());
      break;
    }
    case "delete": {
      const { id, properties } = await host.create(urn, draftInputs(workload, [restorePoints[0]!]));
      emulator.journal.clear();
      arm();
      outcome = await outcomeOf(() => host.delete(id, urn, properties));
      // Deleted means gone; a failed delete leaves the session, which the state still holds.
      expect(sessions().map((s) => s.id)).toEqual(outcome.ok ? [] : [id]);
      break;
    }
    case "restore point search": {
      arm();
      const unitId = emulator.tenant.sites().find((s) => s.protectionUnitId)!.protectionUnitId;
      const client = createGraphClient(resolveSettings({ get: (key) => rig.config[key] }), { throttle: new ThrottleGate() });
      outcome = await client.searchRestorePoints({ protectionUnitIds: [unitId] }).then(
        (value) => ({ ok: true as const, value }),
        (error: Error) => ({ ok: false as const, error: { details: error.message } as never }),
      );
      if (outcome.ok) {
        const response = outcome.value as RestorePointSearchResponse;
        expect(response.searchResults.map((result) => result.restorePoint.id)).toContain(restorePoints[0]);
      }
      expect(sessions()).toEqual([]);
      break;
    }
    case "bulk: create empty session":
    case "bulk: post request": {
      const { inputs, names } = bulkInputs(workload);
      arm();
      outcome = await outcomeOf(() => host.create(urn, inputs));
      const created = expectOk(outcome) as Created;
      // Exactly one session holding exactly one request, with the names asked for.
      expect(sessions().map((s) => [s.id, s.status, s.workload, s.restoreJobType])).toEqual([[created.id, "draft", workload.name, "bulk"]]);
      const [session] = sessions();
      expect(session!.bulkRequests.map((r) => r.names)).toEqual([names]);
      expect(processed("POST", collectionPath)).toHaveLength(1);
      expect(processed("POST", bulkRequestsPath)).toHaveLength(1);
      expect(created.properties).toMatchObject({
        status: "draft",
        bulkRestore: { names, displayName: "matrix" },
        bulkRequest: { id: session!.bulkRequests[0]!.id, status: "active" },
      });
      break;
    }
  }
  const expectedError = fault === "500" && FAILS_ON_PLAIN_500.has(operation) ? plain500Error(route) : undefined;
  if (expectedError === undefined) expectOk(outcome);
  else {
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.details).toMatch(expectedError);
      expect(outcome.error.initFailure).toBeUndefined();
    }
  }
  return outcome;
}

function expectOk(outcome: Outcome<unknown>): unknown {
  if (!outcome.ok) throw new Error(`expected success, got: ${outcome.error.details}`);
  return outcome.value;
}

describe.each(ROWS.map((row) => [`${row.workload.title} ${row.operation}`, row] as const))("%s", (_name, row) => {
  test.each([...row.faults])(`under %s`, async (fault) => {
    purgeSessions(rig.emulator);
    rig.emulator.faults.clear();
    rig.emulator.journal.clear();
    let outcome: Outcome<unknown> | undefined;
    try {
      outcome = await runCell(row.workload, row.operation, fault);
    } finally {
      table.push({
        workload: row.workload.title,
        operation: row.operation,
        fault,
        outcome:
          outcome === undefined ? "TEST FAILED" : outcome.ok ? "ok" : `error: ${outcome.error.details.split(" -> ")[1]?.split(":")[0]}`,
        requests: requestSummary(),
        sessions: rig.emulator.tenant.sessions().length,
      });
    }
  });
});

function printTable(): void {
  const header = ["workload", "operation", "fault", "outcome", "sessions", "Graph requests (in order)"];
  const rows = table.map((row) => [
    row.workload,
    row.operation === "restore point search" ? "search (in-process client)" : row.operation,
    row.fault,
    row.outcome,
    String(row.sessions),
    row.requests,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  console.log(["Fault matrix", line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n"));
}
